"""Lists, reports and the sweep cost a fixed number of queries whatever the size of the data,
and no page counts more than the cap (a big school has 100,000 tickets)."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logistics.models import Notification
from logistics.roles import Role
from logistics.tests.factories import RoomFactory, SchoolFactory, member
from repairs import paging, tasks
from repairs.choices import RepairStatus
from repairs.models import Repair, RepairEvent, RepairSettings
from repairs.tests.factories import RepairFactory

pytestmark = pytest.mark.django_db
S = RepairStatus


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(paging.CappedPaginator, "cap", 5)


def queries(client, url):
    client.get(url)  # warm caches (session, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, ctx.captured_queries


def count_sql(captured):
    return [q["sql"] for q in captured if q["sql"].upper().startswith("SELECT COUNT(*)") and "repairs_repair" in q["sql"]]


def test_inbox_counts_at_most_the_cap_and_says_many(school, login_as, small_cap):
    c = login_as(Role.LOGISTICS_STAFF)
    for _ in range(3):
        RepairFactory(school=school)
    response, captured = queries(c, reverse("repairs:repair_list"))
    assert response.context["paginator"].count == 3 and not response.context["paginator"].capped
    assert "3" in response.content.decode()
    for _ in range(30):
        RepairFactory(school=school)
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(reverse("repairs:repair_list") + "?page=2")
    paginator = response.context["paginator"]
    assert paginator.capped and paginator.count == 6  # counted 6 rows, not 33
    [sql] = count_sql(ctx.captured_queries)
    assert "LIMIT 6" in sql
    page = response.context["page_obj"]
    assert (page.number, page.has_next(), page.start_index(), len(page.object_list)) == (2, False, 26, 8)
    html = response.content.decode()
    assert "第 2 页，共很多页" in html  # Chinese by default


def test_a_deep_page_beyond_the_cap_opens_and_a_page_past_the_end_is_404(school, login_as, small_cap):
    c = login_as(Role.LOGISTICS_STAFF)
    for _ in range(60):
        RepairFactory(school=school)
    oldest = Repair.objects.order_by("created_at", "pk").first()
    response = c.get(reverse("repairs:repair_list") + "?page=3")
    assert response.status_code == 200
    assert list(response.context["object_list"])[-1]["pk"] == oldest.pk
    assert not response.context["page_obj"].has_next()
    assert c.get(reverse("repairs:repair_list") + "?page=4").status_code == 404
    assert c.get(reverse("repairs:repair_list") + "?page=x").status_code == 404


def test_short_list_shows_page_n_of_m(school, login_as):
    c = login_as(Role.LOGISTICS_STAFF, language="en")
    for _ in range(30):
        RepairFactory(school=school)
    response = c.get(reverse("repairs:repair_list"))
    assert response.context["paginator"].num_pages == 2
    assert "Page 1 of 2" in response.content.decode()


def _office(school):
    return member(Role.LOGISTICS_STAFF, school)


@pytest.mark.parametrize("url", [
    "repairs:repair_list", "?status=closed", "?page=2", "?overdue=true", "?untaken=true", "?q=灯",
    "mine:reported", "mine:assigned", "mine:owned", "room", "asset", "stats", "stats:drill",
])
def test_each_list_costs_the_same_queries_at_two_sizes(school, login_as, make_member, url):
    from assets import services as asset_services
    from assets.tests.factories import category

    staff = login_as(Role.LOGISTICS_STAFF)
    director = login_as(Role.LOGISTICS_DIRECTOR)
    repairer = login_as(Role.REPAIRER)
    room = RepairFactory(school=school).room
    category("A02010100")
    asset = asset_services.register_asset(school=school, name="投影仪", category_code="A02010100", unit_price="3000", by=staff.user, room=room)
    now = timezone.now()

    def make(n):
        for i in range(n):
            status = [S.SUBMITTED, S.DISPATCHED, S.CLOSED, S.DONE][i % 4]
            RepairFactory(
                school=school, room=room, status=status, reporter=staff.user, owner=staff.user if status != S.SUBMITTED else None,
                assignee=repairer.user if status != S.SUBMITTED else None, done_at=now if status in (S.DONE, S.CLOSED) else None,
                closed_at=now if status == S.CLOSED else None, rating_quality=4 if status == S.CLOSED else None,
                rating_timeliness=4 if status == S.CLOSED else None, rating_attitude=4 if status == S.CLOSED else None,
                completion_due=now - dt.timedelta(hours=1), response_due=now - dt.timedelta(hours=2), taken_at=now,
                asset=asset,
            )

    client, path = staff, reverse("repairs:repair_list")
    if url.startswith("?"):
        path += url
    elif url.startswith("mine:"):
        client = repairer if url == "mine:assigned" else staff
        path = reverse("repairs:repair_mine") + "?as=" + url.split(":")[1]
    elif url == "room":
        path = reverse("repairs:room_history", args=[room.pk])
    elif url == "asset":
        path = reverse("repairs:asset_history", args=[asset.pk])
    elif url.startswith("stats"):
        client = director
        path = reverse("repairs:repair_stats")
        if url == "stats:drill":
            path += f"?person={repairer.user.pk}&metric=handled"
    make(28)
    _response, small = queries(client, path)
    make(40)
    member(Role.REPAIRER, school)  # one more person in the figures table
    response, big = queries(client, path)
    assert len(big) == len(small), [q["sql"][:120] for q in big]
    if not url.startswith("stats") or url == "stats:drill":
        rows = response.context["drill"] if url == "stats:drill" else response.context["object_list"]
        assert 0 < len(rows) <= 25
    for sql in count_sql(big):
        if "school_id" in sql:
            assert "LIMIT" in sql, sql  # never an unbounded COUNT(*) over the school's tickets


def _world(schools, per_school):
    """Schools, each with a director, untaken requests past the escalation time and finished
    jobs past the sign-off time."""
    now = timezone.now()
    made = []
    for _ in range(schools):
        school = SchoolFactory()
        RepairSettings.objects.create(school=school, escalate_after_minutes=30, auto_close_days=3)
        director = member(Role.LOGISTICS_DIRECTOR, school)
        room = RoomFactory(school=school)
        for _ in range(per_school):
            RepairFactory(school=school, room=room, reporter=director, created_at=now - dt.timedelta(hours=2))
            RepairFactory(school=school, room=room, reporter=director, status=S.DONE, done_at=now - dt.timedelta(days=4))
            RepairFactory(school=school, room=room, reporter=director, created_at=now - dt.timedelta(minutes=5))  # not yet due
        made.append(school)
    return made


def test_sweep_query_count_does_not_grow_with_schools_or_tickets(db):
    tasks.sweep()  # its heartbeat row exists from now on
    _world(1, 1)
    with CaptureQueriesContext(connection) as small:
        assert tasks.sweep() == {"escalated": 1, "auto_closed": 1}
    _world(20, 5)
    with CaptureQueriesContext(connection) as big:
        assert tasks.sweep() == {"escalated": 100, "auto_closed": 100}
    assert len(big) == len(small), [q["sql"][:100] for q in big.captured_queries]
    # its time for 20 schools is measured by the benchmark (python -m benchmarks), not here
    assert Notification.objects.filter(dedupe_key__startswith="repairs:escalated:").count() == 101
    assert RepairEvent.objects.filter(kind="escalated").count() == 101
    assert Repair.objects.filter(status=S.CLOSED, auto_closed=True).count() == 101
    # and running it again does and sends nothing
    assert tasks.sweep() == {"escalated": 0, "auto_closed": 0}
    assert Notification.objects.filter(dedupe_key__startswith="repairs:escalated:").count() == 101


def test_sweep_uses_each_schools_own_times(db):
    now = timezone.now()
    quick, slow = SchoolFactory(), SchoolFactory()
    RepairSettings.objects.create(school=quick, escalate_after_minutes=10, auto_close_days=1)
    RepairSettings.objects.create(school=slow, escalate_after_minutes=120, auto_close_days=10)
    for school in (quick, slow):
        member(Role.LOGISTICS_DIRECTOR, school)
        RepairFactory(school=school, created_at=now - dt.timedelta(minutes=60))
        RepairFactory(school=school, status=S.DONE, done_at=now - dt.timedelta(days=2))
    assert tasks.sweep() == {"escalated": 1, "auto_closed": 1}
    assert set(Repair.objects.exclude(escalated_at=None).values_list("school", flat=True)) == {quick.pk}
    assert set(Repair.objects.filter(auto_closed=True).values_list("school", flat=True)) == {quick.pk}


def test_a_school_without_settings_uses_the_defaults(db):
    school = SchoolFactory()
    member(Role.LOGISTICS_DIRECTOR, school)
    RepairFactory(school=school, created_at=timezone.now() - dt.timedelta(minutes=61))  # default: 60 min
    RepairFactory(school=school, created_at=timezone.now() - dt.timedelta(minutes=50))
    assert tasks.sweep()["escalated"] == 1


def test_planned_maintenance_rerun_costs_the_same_queries_whatever_the_number_of_plans(school):
    from repairs import services
    from repairs.tests.factories import MaintenancePlanFactory

    today = dt.date(2026, 11, 23)
    creator = member(Role.LOGISTICS_STAFF, school)
    for _ in range(2):
        MaintenancePlanFactory(school=school, frequency="weekly", weekday=0, created_by=creator)
    services.generate_planned(today)
    with CaptureQueriesContext(connection) as small:
        assert services.generate_planned(today) == 0
    for _ in range(8):
        MaintenancePlanFactory(school=school, frequency="weekly", weekday=0, created_by=creator)
    assert services.generate_planned(today) == 8 * 5
    with CaptureQueriesContext(connection) as big:
        assert services.generate_planned(today) == 0
    assert len(big) == len(small) == 2


def test_deep_pages_read_ids_first_and_show_the_same_rows(school, login_as, monkeypatch):
    c = login_as(Role.LOGISTICS_STAFF)
    for _ in range(60):
        RepairFactory(school=school)
    url = reverse("repairs:repair_list") + "?page=2"
    plain = [r["pk"] for r in c.get(url).context["object_list"]]
    monkeypatch.setattr(paging.CappedPaginator, "deferred_join_from", 0)
    with CaptureQueriesContext(connection) as ctx:
        deferred = [r["pk"] for r in c.get(url).context["object_list"]]
    assert deferred == plain and len(plain) == 25
    [page] = [q["sql"] for q in ctx.captured_queries if "OFFSET 25" in q["sql"]]  # one statement for the page
    outer, _, inner = page.partition(' IN (SELECT ')
    ids = inner.rsplit(") ORDER BY", 1)[0]
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "repairs_repair" in q["sql"]]
    assert "LIMIT 26 OFFSET 25" in ids and "JOIN" in outer and counts
    # The skipped rows and the count read the tickets alone: only the page's 25 rows join the people.
    assert not any("JOIN" in sql for sql in [ids, *counts]), [ids, *counts]


def test_ticket_page_costs_the_same_queries_with_a_long_timeline(school, login_as):
    staff = login_as(Role.LOGISTICS_STAFF)
    repairer = member(Role.REPAIRER, school)
    ticket = RepairFactory(school=school, status=S.CLOSED, owner=staff.user, assignee=repairer, dispatched_at=timezone.now(),
                           signed_by=None, done_at=timezone.now(), closed_at=timezone.now())
    ticket.signed_by = ticket.reporter
    ticket.save()

    def grow(n):
        for i in range(n):
            RepairEvent.objects.create(repair=ticket, actor=[staff.user, repairer, ticket.reporter][i % 3], kind="note", note=f"记录{i}")
            RepairFactory(school=school, room=ticket.room, reporter=ticket.reporter)

    grow(2)
    _response, small = queries(staff, ticket.get_absolute_url())
    grow(30)
    response, big = queries(staff, ticket.get_absolute_url())
    assert len(big) == len(small)
    assert len(response.context["events"]) == 32 and response.context["object"].reporter == ticket.reporter


def test_list_count_is_kept_until_the_school_changes_but_never_for_overdue(school, login_as, settings):
    """With the cache on (as in production) a list is counted once per person and filter, for all its
    pages; any change in the school counts afresh. "Overdue" changes with the clock alone: counted
    every time. What a page shows is always read afresh."""
    from django.core.cache import cache

    settings.HOME_CACHE_SECONDS = 60
    cache.clear()
    c = login_as(Role.LOGISTICS_STAFF)
    RepairFactory.create_batch(3, school=school)
    overdue = RepairFactory(school=school)
    Repair.objects.filter(pk=overdue.pk).update(response_due=timezone.now() - dt.timedelta(hours=1))
    url = reverse("repairs:repair_list")

    def seen(query=""):
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url + query)
        return response.context["paginator"].count, len(response.context["object_list"]), len(count_sql(ctx.captured_queries))

    assert seen() == (4, 4, 1)
    assert seen() == (4, 4, 0)  # kept
    assert seen("?status=submitted") == (4, 4, 1) and seen("?status=submitted") == (4, 4, 0)
    assert seen("?overdue=true") == (1, 1, 1) and seen("?overdue=true") == (1, 1, 1)  # the clock: never kept
    RepairFactory(school=school)  # outside a request: the kept count stays until the school next changes …
    assert seen() == (4, 5, 0)  # … while the rows are read afresh
    assert c.post(reverse("repairs:repair_create"), {}).status_code == 200  # any POST of a member
    assert seen() == (5, 5, 1)
    cache.clear()
