"""The home page: a card costs one query, every role's page a fixed number whatever the data
size, and the per-person cache of the cards is rebuilt as soon as anything may have changed."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from logistics.home import data_changed, first_rows, task_finished
from logistics.models import Room
from logistics.roles import Role
from logistics.tests.factories import RoomFactory, member

pytestmark = pytest.mark.django_db

DEMO_ROLES = ["teacher", "staff", "repairer", "director", "canteen", "accountant", "principal", "guard", "parent", "district"]


def test_first_rows_gives_the_first_rows_and_the_total_in_one_query(school, django_assert_num_queries):
    for i in range(7):
        RoomFactory(school=school, name=f"教室{i:02d}")
    with django_assert_num_queries(1):
        rows, count = first_rows(Room.objects.filter(school=school).order_by("name"), 3)
    assert count == 7 and [r.name for r in rows] == ["教室00", "教室01", "教室02"]
    with django_assert_num_queries(1):
        assert first_rows(Room.objects.filter(school=school, name="none"), 3) == ([], 0)


def _queries(client, path="/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(school, users, n):
    """Add rows every home card counts: repairs, hazards, loans, purchases, notifications."""
    from django.utils import timezone

    from logistics.services import notify
    from procurement.tests.factories import PurchaseRequestFactory
    from repairs.choices import RepairStatus
    from repairs.tests.factories import RepairFactory
    from safety.tests.factories import HazardFactory

    past = timezone.now() - timezone.timedelta(days=3)
    for i in range(n):
        RepairFactory(school=school, reporter=users["teacher"])
        RepairFactory(school=school, status=RepairStatus.TAKEN, owner=users["staff"], completion_due=past)
        RepairFactory(school=school, status=RepairStatus.DISPATCHED, owner=users["staff"], assignee=users["repairer"])
        HazardFactory(school=school, responsible=users["staff"])
        PurchaseRequestFactory(school=school, requester=users["staff"])
    for name in DEMO_ROLES:
        for i in range(n):
            notify(users[name], text=f"提醒{i}", school=school)


def test_every_roles_home_costs_the_same_queries_at_two_sizes():
    from logistics.demo import seed_demo

    demo = seed_demo()
    clients = {}
    for name in DEMO_ROLES:
        clients[name] = Client()
        clients[name].force_login(demo["users"][name])
    _grow(demo["school"], demo["users"], 1)
    small = {name: _queries(c) for name, c in clients.items()}
    _grow(demo["school"], demo["users"], 12)
    large = {name: _queries(c) for name, c in clients.items()}
    assert large == small, {n: (small[n], large[n]) for n in DEMO_ROLES if small[n] != large[n]}
    # the base layout with one card per to-do list stays small
    assert max(large.values()) <= 30, large


def test_base_layout_needs_no_query_for_the_school_selector_of_a_one_school_person(client, school):
    client.force_login(member(Role.TEACHER, school))
    one = _queries(client, "/accounts/password/")
    from logistics.models import Membership
    from logistics.tests.factories import SchoolFactory

    user = member(Role.TEACHER, school)
    Membership.objects.create(user=user, school=SchoolFactory(), role=Role.TEACHER)
    client.force_login(user)
    page = client.get("/accounts/password/")
    assert page.content.decode().count('name="school"') == 1  # two schools: the selector is there
    assert _queries(client, "/accounts/password/") == one + 1


# --- the cache ----------------------------------------------------------------------------------

@pytest.fixture
def cached(settings):
    settings.HOME_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _card_texts(client):
    response = client.get("/")
    return [(str(c.title), c.count, [i.label for i in c.items]) for c in response.context["cards"]]


def test_cached_home_costs_no_card_query_and_is_per_person(cached, client, school):
    from repairs.tests.factories import RepairFactory

    teacher, other = member(Role.TEACHER, school), member(Role.TEACHER, school)
    RepairFactory(school=school, reporter=teacher, description="讲台灯不亮")
    client.force_login(teacher)
    first = _queries(client)
    second = _queries(client)
    assert second < first
    assert any("讲台灯不亮" in " ".join(items) for _t, _c, items in _card_texts(client))
    client.force_login(other)
    assert not any("讲台灯不亮" in " ".join(items) for _t, _c, items in _card_texts(client))


def test_a_change_by_anyone_in_the_school_is_on_the_next_home_view(cached, school):
    from repairs.tests.factories import RepairFactory

    staff = member(Role.LOGISTICS_STAFF, school)
    teacher = member(Role.TEACHER, school)
    staff_client, teacher_client = Client(), Client()
    staff_client.force_login(staff)
    teacher_client.force_login(teacher)
    before = {t: c for t, c, _ in _card_texts(staff_client)}["报修待办：未受理"]
    room = RoomFactory(school=school)
    # the teacher reports a fault through the site (a POST): the staff's cached inbox is dropped
    response = teacher_client.post("/repairs/new/", {"room": room.pk, "description": "水龙头漏水", "urgency": "normal"})
    assert response.status_code == 302, response.content.decode()[:2000]
    after = {t: c for t, c, _ in _card_texts(staff_client)}["报修待办：未受理"]
    assert after == before + 1
    # a change made outside any request (a task, a command) is seen after data_changed / a task ends
    RepairFactory(school=school)
    assert {t: c for t, c, _ in _card_texts(staff_client)}["报修待办：未受理"] == after  # still the cached figure
    task_finished(task=type("T", (), {"name": "repairs.tasks.sweep"})())
    assert {t: c for t, c, _ in _card_texts(staff_client)}["报修待办：未受理"] == after + 1
    RepairFactory(school=school)
    task_finished(task=type("T", (), {"name": "logistics.tasks.heartbeat"})())  # changes no card
    assert {t: c for t, c, _ in _card_texts(staff_client)}["报修待办：未受理"] == after + 1
    data_changed([school.pk])
    assert {t: c for t, c, _ in _card_texts(staff_client)}["报修待办：未受理"] == after + 2


def test_cards_are_cached_per_language(cached, client, school):
    client.force_login(member(Role.TEACHER, school))
    assert "我的报修" in [t for t, _c, _i in _card_texts(client)]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "My repair requests" in [t for t, _c, _i in _card_texts(client)]


def test_home_still_works_when_the_cache_is_down(cached, client, school, monkeypatch):
    from logistics import home

    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    client.force_login(member(Role.TEACHER, school))
    monkeypatch.setattr(home.cache, "get", down)
    monkeypatch.setattr(home.cache, "get_many", down)
    monkeypatch.setattr(home.cache, "incr", down)
    assert client.get("/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


def test_navigation_shows_what_the_role_may_use_grouped_per_app(client, school):
    from django.urls import reverse

    client.force_login(member(Role.TEACHER, school))
    teacher_page = client.get("/").content.decode()
    assert reverse("repairs:repair_create") in teacher_page  # report a fault
    assert f'href="{reverse("repairs:repair_list")}"' not in teacher_page  # the inbox is the office's
    client.force_login(member(Role.LOGISTICS_DIRECTOR, school))
    response = client.get("/")
    groups = {g["app"]: [i["url"] for i in g["items"]] for g in response.context["nav_groups"]}
    assert reverse("repairs:repair_list") in groups["repairs"] and reverse("repairs:repair_stats") in groups["repairs"]
    assert 'data-testid="nav-repairs"' in response.content.decode()  # several links: one dropdown
    assert sum(len(v) for v in groups.values()) == len(response.context["nav_items"])


def test_district_officer_sees_every_school_of_the_district_at_a_fixed_cost(client):
    from logistics.models import Membership
    from logistics.tests.factories import DistrictFactory, SchoolFactory, UserFactory
    from repairs.tests.factories import RepairFactory

    district = DistrictFactory()
    officer = UserFactory()
    Membership.objects.create(user=officer, district=district, role=Role.DISTRICT_OFFICER)
    first = SchoolFactory(district=district, name="甲校")
    RepairFactory(school=first)
    SchoolFactory(name="外区学校")  # another district: never shown
    client.force_login(officer)

    def card():
        response = client.get("/")
        return next(c for c in response.context["cards"] if c.title == "本区学校")

    one = _queries(client)
    assert [i.label for i in card().items] == ["甲校 · 未结报修 1 项（超时 0 项）"]
    for n in range(4):
        RepairFactory(school=SchoolFactory(district=district, name=f"乙校{n}"))
    labels = [i.label for i in card().items]
    assert len(labels) == 5 and "外区学校" not in " ".join(labels)
    # more schools: one more query only for the school selector (one school → none), not per school
    assert _queries(client) == one + 1
