"""Screens: access (anonymous, other school, wrong role), the phone flow, lists, export, figures."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from logistics.roles import Role
from logistics.tests.factories import RoomFactory
from repairs import services
from repairs.choices import RepairStatus
from repairs.models import Repair
from repairs.tests.factories import RepairFactory

pytestmark = pytest.mark.django_db


def photo():
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "blue").save(out, "PNG")
    out.name = "fault.png"
    out.seek(0)
    return out


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("repairs:repair_list"))
    assert response.status_code == 302 and "login" in response.url


def test_teacher_reports_from_the_room_qr_link_with_a_photo(school, login_as):
    c = login_as(Role.TEACHER)
    room = RoomFactory(school=school)
    page = c.get(reverse("repairs:repair_create") + f"?room={room.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial["room"] == room
    response = c.post(reverse("repairs:repair_create"), {"room": room.pk, "description": "窗户关不上", "urgency": "normal", "photos": [photo()]})
    repair = Repair.objects.get()
    assert response.status_code == 302 and response.url == repair.get_absolute_url()
    assert repair.photos.count() == 1
    detail = c.get(repair.get_absolute_url())
    assert detail.status_code == 200 and f'src="{repair.photos.get().thumbnail.url}"' in detail.content.decode()
    bare = RepairFactory(school=school, reporter=c.user)
    assert "repair-thumb" not in c.get(bare.get_absolute_url()).content.decode()


def test_bad_photo_gives_a_form_error_and_keeps_the_input(school, login_as):
    c = login_as(Role.TEACHER)
    room = RoomFactory(school=school)
    bad = io.BytesIO(b"%PDF-1.4 not an image")
    bad.name = "x.jpg"
    response = c.post(reverse("repairs:repair_create"), {"room": room.pk, "description": "灯坏了", "urgency": "low", "photos": [bad]})
    assert response.status_code == 200
    assert "x.jpg" in str(response.context["form"].errors)
    assert "灯坏了" in response.content.decode()
    assert not Repair.objects.exists()


def test_a_teacher_guessing_another_ticket_gets_404(school, login_as):
    c = login_as(Role.TEACHER)
    theirs = RepairFactory(school=school)
    assert c.get(theirs.get_absolute_url()).status_code == 404
    assert c.post(reverse("repairs:repair_signoff", args=[theirs.pk])).status_code == 404


def test_other_school_ticket_is_404_for_staff(school, other_school, login_as):
    c = login_as(Role.LOGISTICS_STAFF)
    foreign = RepairFactory(school=other_school)
    assert c.get(foreign.get_absolute_url()).status_code == 404
    assert c.post(reverse("repairs:repair_take", args=[foreign.pk])).status_code == 404


def test_staff_in_one_school_and_teacher_in_another_sees_all_only_where_staff(school, other_school, login_as):
    """What a person may open is decided per school: everything where they run repairs, only their
    own tickets where they teach."""
    from logistics.tests.factories import MembershipFactory

    c = login_as(Role.LOGISTICS_STAFF)
    MembershipFactory(user=c.user, school=other_school, role=Role.TEACHER)
    here = RepairFactory(school=school)
    theirs_there = RepairFactory(school=other_school)
    mine_there = RepairFactory(school=other_school, reporter=c.user)
    assert c.get(here.get_absolute_url()).status_code == 200
    assert c.get(theirs_there.get_absolute_url()).status_code == 404
    assert c.get(mine_there.get_absolute_url()).status_code == 200
    from repairs.views import visible_repairs

    assert set(visible_repairs(c.user).values_list("pk", flat=True)) == {here.pk, mine_there.pk}


def test_wrong_role_gets_403(school, login_as):
    teacher = login_as(Role.TEACHER)
    own = RepairFactory(school=school, reporter=teacher.user)
    assert teacher.post(reverse("repairs:repair_take", args=[own.pk])).status_code == 403
    assert teacher.get(reverse("repairs:repair_list")).status_code == 403
    assert teacher.get(reverse("repairs:repair_stats")).status_code == 403
    assert login_as(Role.PARENT).get(reverse("repairs:repair_create")).status_code == 403
    assert login_as(Role.REPAIRER).get(reverse("repairs:settings_edit")).status_code == 403


def test_steps_are_post_only(school, login_as):
    c = login_as(Role.LOGISTICS_STAFF)
    r = RepairFactory(school=school)
    assert c.get(reverse("repairs:repair_take", args=[r.pk])).status_code == 405


def test_staff_takes_and_dispatches_and_the_repairer_completes(school, login_as, make_member):
    staff = login_as(Role.LOGISTICS_STAFF)
    repairer = login_as(Role.REPAIRER)
    r = RepairFactory(school=school)
    staff.post(reverse("repairs:repair_take", args=[r.pk]))
    staff.post(reverse("repairs:repair_dispatch", args=[r.pk]), {"to": repairer.user.pk, "planned_at": "", "note": ""})
    r.refresh_from_db()
    assert (r.status, r.owner, r.assignee) == (RepairStatus.DISPATCHED, staff.user, repairer.user)
    assert repairer.get(r.get_absolute_url()).status_code == 200
    repairer.post(reverse("repairs:repair_note", args=[r.pk]), {"note": "换了开关"})
    response = repairer.post(reverse("repairs:repair_complete", args=[r.pk]), {"note": ""}, follow=True)
    r.refresh_from_db()
    assert r.status == RepairStatus.DONE
    assert list(response.context["messages"])


def test_a_second_take_shows_an_error_message(school, login_as):
    a, b = login_as(Role.LOGISTICS_STAFF), login_as(Role.LOGISTICS_STAFF)
    r = RepairFactory(school=school)
    a.post(reverse("repairs:repair_take", args=[r.pk]))
    response = b.post(reverse("repairs:repair_take", args=[r.pk]), follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert Repair.objects.get(pk=r.pk).owner == a.user


def test_teacher_signs_off_or_rejected_input_is_kept(school, login_as, make_member):
    teacher = login_as(Role.TEACHER)
    r = RepairFactory(school=school, reporter=teacher.user, status=RepairStatus.DONE, assignee=make_member(Role.REPAIRER), done_at=timezone.now())
    teacher.post(reverse("repairs:repair_signoff", args=[r.pk]), {"timeliness": 9, "quality": 5, "attitude": 5, "comment": "很快"})
    page = teacher.get(r.get_absolute_url())
    assert "很快" in page.content.decode()
    teacher.post(reverse("repairs:repair_signoff", args=[r.pk]), {"timeliness": 4, "quality": 5, "attitude": 5, "comment": "很快"})
    r.refresh_from_db()
    assert (r.status, r.rating_timeliness) == (RepairStatus.CLOSED, 4)


def _rows(school, n):
    for _ in range(n):
        RepairFactory(school=school, status=RepairStatus.DISPATCHED, completion_due=timezone.now() - dt.timedelta(hours=1))


@pytest.mark.parametrize("url_name", ["repairs:repair_list", "repairs:repair_mine"])
def test_lists_cost_the_same_number_of_queries_at_two_sizes(school, login_as, django_assert_num_queries, url_name):
    c = login_as(Role.LOGISTICS_STAFF)
    url = reverse(url_name) + ("?overdue=true" if url_name == "repairs:repair_list" else "?as=owned&status=taken")
    if url_name == "repairs:repair_mine":
        # my list: make the staff member the owner of the rows
        def make(n):
            for _ in range(n):
                RepairFactory(school=school, owner=c.user, status=RepairStatus.TAKEN)
    else:
        def make(n):
            _rows(school, n)
    make(2)
    c.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert c.get(url).status_code == 200
    make(30)
    with django_assert_num_queries(len(small.captured_queries)):
        response = c.get(url)
    assert len(response.context["object_list"]) == 25


def test_overdue_filter(school, login_as):
    c = login_as(Role.LOGISTICS_STAFF)
    late = RepairFactory(school=school, status=RepairStatus.DISPATCHED, completion_due=timezone.now() - dt.timedelta(hours=1))
    RepairFactory(school=school)
    response = c.get(reverse("repairs:repair_list") + "?overdue=true")
    assert [r["pk"] for r in response.context["object_list"]] == [late.pk]


def test_export_csv_and_excel_follow_the_filter(school, login_as):
    c = login_as(Role.LOGISTICS_STAFF)
    RepairFactory(school=school, description="水龙头漏水", urgency="urgent")
    RepairFactory(school=school, description="黑板松动", urgency="low")
    csv_text = b"".join(c.get(reverse("repairs:repair_export") + "?urgency=urgent").streaming_content).decode("utf-8-sig")
    assert "水龙头漏水" in csv_text and "黑板松动" not in csv_text
    from openpyxl import load_workbook

    response = c.get(reverse("repairs:repair_export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3


def test_director_figures_per_person_with_tickets_behind_each_number(school, login_as, make_member, django_assert_num_queries):
    director = login_as(Role.LOGISTICS_DIRECTOR)
    now = timezone.now()

    def person(n_late):
        rep = make_member(Role.REPAIRER)
        RepairFactory(school=school, assignee=rep, status=RepairStatus.CLOSED, done_at=now, completion_due=now + dt.timedelta(hours=1), closed_at=now, rating_timeliness=5, rating_quality=5, rating_attitude=5, reopen_count=1)
        for _ in range(n_late):
            RepairFactory(school=school, assignee=rep, status=RepairStatus.DONE, done_at=now, completion_due=now - dt.timedelta(hours=1))
        return rep

    rep = person(1)
    url = reverse("repairs:repair_stats")
    director.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        response = director.get(url)
    row = [p for p in response.context["object_list"] if p.pk == rep.pk][0]
    assert (row.handled, row.on_time, row.overdue, row.reopened, round(row.on_time_pct)) == (2, 1, 1, 1, 50)
    assert row.avg_rating == 5
    for _ in range(5):
        person(3)
    with django_assert_num_queries(len(small.captured_queries)):
        director.get(url)
    staff = make_member(Role.LOGISTICS_STAFF)
    RepairFactory(school=school, owner=staff, status=RepairStatus.TAKEN, taken_at=now, response_due=now + dt.timedelta(hours=1))
    RepairFactory(school=school, owner=staff, status=RepairStatus.TAKEN, taken_at=now, response_due=now - dt.timedelta(hours=1))
    owners = director.get(url).context["owners"]
    assert [(o.pk, o.taken, o.responded_on_time) for o in owners] == [(staff.pk, 2, 1)]
    drill = director.get(url + f"?person={rep.pk}&metric=overdue")
    assert len(drill.context["drill"]) == 1


def test_room_history_and_settings_page(school, login_as):
    director = login_as(Role.LOGISTICS_DIRECTOR)
    r = RepairFactory(school=school)
    assert r.number in director.get(reverse("repairs:room_history", args=[r.room.pk])).content.decode()
    response = director.post(reverse("repairs:settings_edit"), {
        "urgent_response_minutes": 30, "urgent_completion_minutes": 600, "normal_response_minutes": 240,
        "normal_completion_minutes": 4320, "low_response_minutes": 1440, "low_completion_minutes": 10080,
        "escalate_after_minutes": 45, "auto_close_days": 5,
    })
    assert response.status_code == 302
    assert school.repair_settings.escalate_after_minutes == 45


def test_staff_creates_a_maintenance_plan(school, login_as):
    staff = login_as(Role.LOGISTICS_STAFF)
    room = RoomFactory(school=school)
    bad = staff.post(reverse("repairs:plan_create"), {"title": "检查风扇", "room": room.pk, "frequency": "weekly", "urgency": "low", "start_date": "2026-11-01", "active": "on"})
    assert bad.status_code == 200 and "weekday" in bad.context["form"].errors
    ok = staff.post(reverse("repairs:plan_create"), {"title": "检查风扇", "room": room.pk, "frequency": "monthly", "day": 1, "urgency": "low", "start_date": "2026-11-01", "active": "on"})
    assert ok.status_code == 302
    assert "检查风扇" in staff.get(reverse("repairs:plan_list")).content.decode()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.LOGISTICS_STAFF, Role.REPAIRER, Role.LOGISTICS_DIRECTOR, Role.PRINCIPAL, Role.GUARD, Role.PARENT, Role.CANTEEN_MANAGER])
def test_every_page_answers_each_role_with_200_or_403(school, login_as, role):
    from logistics.roles import can

    c = login_as(role)
    r = RepairFactory(school=school, reporter=c.user)
    pages = {
        "repairs:repair_list": ("repairs.view_all", []), "repairs:repair_mine": ("repairs.report", []),
        "repairs:repair_create": ("repairs.report", []), "repairs:repair_export": ("repairs.view_all", []),
        "repairs:settings_edit": ("repairs.configure", []), "repairs:plan_list": ("repairs.plan_maintenance", []),
        "repairs:plan_create": ("repairs.plan_maintenance", []), "repairs:repair_stats": ("repairs.stats", []),
        "repairs:room_history": ("repairs.view_all", [r.room.pk]),
    }
    for name, (cap, args) in pages.items():
        expected = 200 if can(c.user, cap, school=school) else 403
        assert c.get(reverse(name, args=args)).status_code == expected, name


def test_room_history_on_the_ticket_is_for_the_office_only(school, login_as):
    teacher = login_as(Role.TEACHER)
    mine = RepairFactory(school=school, reporter=teacher.user)
    other = RepairFactory(school=school, room=mine.room, description="别人的报修内容")
    assert other.description not in teacher.get(mine.get_absolute_url()).content.decode()
    staff = login_as(Role.LOGISTICS_STAFF)
    assert other.description in staff.get(mine.get_absolute_url()).content.decode()


def test_export_costs_the_same_number_of_queries_at_two_sizes(school, login_as, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login_as(Role.LOGISTICS_STAFF)
    _rows(school, 2)
    url = reverse("repairs:repair_export") + "?overdue=true"
    b"".join(c.get(url).streaming_content)
    with CaptureQueriesContext(connection) as small:
        assert b"".join(c.get(url).streaming_content).decode("utf-8-sig").count("\n") == 3
    _rows(school, 40)
    with django_assert_num_queries(len(small.captured_queries)):
        assert b"".join(c.get(url).streaming_content).decode("utf-8-sig").count("\n") == 43


def test_ticket_shows_it_is_overdue(school, login_as):
    c = login_as(Role.LOGISTICS_STAFF)
    late = RepairFactory(school=school, response_due=timezone.now() - dt.timedelta(minutes=5))
    fine = RepairFactory(school=school)
    assert c.get(late.get_absolute_url()).context["overdue"] is True
    assert c.get(fine.get_absolute_url()).context["overdue"] is False


def test_room_page_shows_its_qr_code_and_the_office_prints_labels(school, login_as):
    from logistics.tests.factories import RoomFactory

    staff = login_as(Role.LOGISTICS_STAFF)
    room = RoomFactory(school=school, name="物理实验室")
    page = staff.get(reverse("repairs:room_history", args=[room.pk]))
    assert page.context["report_url"].endswith(reverse("repairs:repair_create") + f"?room={room.pk}")
    assert page.context["qr"].startswith("data:image/svg+xml;base64,")
    pdf = staff.get(reverse("repairs:room_labels") + (f"?building={room.building_id}" if room.building_id else ""))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert login_as(Role.TEACHER).get(reverse("repairs:room_labels")).status_code == 403


def test_my_requests_has_one_tab_per_relation(school, login_as, make_member):
    staff = login_as(Role.LOGISTICS_STAFF)
    repairer = login_as(Role.REPAIRER)
    reported = RepairFactory(school=school, reporter=staff.user)
    owned = RepairFactory(school=school, owner=staff.user, status=RepairStatus.TAKEN)
    assigned = RepairFactory(school=school, owner=staff.user, assignee=repairer.user, status=RepairStatus.DISPATCHED)
    url = reverse("repairs:repair_mine")
    assert [r["pk"] for r in staff.get(url).context["object_list"]] == [reported.pk]
    assert [r["pk"] for r in staff.get(url + "?as=owned").context["object_list"]] == [assigned.pk, owned.pk]
    # a repairer lands on the jobs given to them; a teacher has only their own reports
    page = repairer.get(url)
    assert (page.context["tab"], [r["pk"] for r in page.context["object_list"]]) == ("assigned", [assigned.pk])
    teacher = login_as(Role.TEACHER)
    page = teacher.get(url + "?as=owned")
    assert page.context["tab"] == "reported" and [k for k, _l in page.context["tabs"]] == ["reported"]


def test_report_names_the_asset_by_its_label_number_with_the_rooms_assets_suggested(school, other_school, login_as, make_member):
    from assets import services as asset_services
    from assets.tests.factories import category

    category("A02010100")
    staff = make_member(Role.LOGISTICS_STAFF)
    room = RoomFactory(school=school)
    projector = asset_services.register_asset(school=school, name="投影仪", category_code="A02010100", unit_price="3000", by=staff, room=room)
    elsewhere = asset_services.register_asset(school=school, name="电脑", category_code="A02010100", unit_price="3000", by=staff, room=RoomFactory(school=school))
    foreign = asset_services.register_asset(school=other_school, name="电脑", category_code="A02010100", unit_price="3000",
                                            by=make_member(Role.LOGISTICS_STAFF, other_school))
    c = login_as(Role.TEACHER)
    page = c.get(reverse("repairs:repair_create") + f"?room={room.pk}")
    assert list(page.context["room_assets"]) == [projector]
    html = page.content.decode()
    assert f'<option value="{projector.number}">' in html and elsewhere.number not in html
    # from the asset's card: room and asset filled in
    page = c.get(reverse("repairs:repair_create") + f"?asset={projector.pk}")
    assert (page.context["form"].initial["room"], page.context["form"].initial["asset"]) == (room, projector)
    bad = c.post(reverse("repairs:repair_create"), {"room": room.pk, "asset": foreign.number, "description": "不亮", "urgency": "normal"})
    assert bad.status_code == 200 and "asset" in bad.context["form"].errors and "不亮" in bad.content.decode()
    ok = c.post(reverse("repairs:repair_create"), {"room": room.pk, "asset": projector.number, "description": "不亮", "urgency": "normal"})
    assert ok.status_code == 302 and Repair.objects.get().asset == projector


@pytest.mark.parametrize(("language", "yes"), [("en", "Yes"), ("zh-hans", "是")])
def test_filter_choices_follow_the_users_language(school, login_as, language, yes):
    c = login_as(Role.LOGISTICS_STAFF, language=language)
    html = c.get(reverse("repairs:repair_list") + "?overdue=true").content.decode()
    assert f'<option value="true" selected>{yes}</option>' in html


@pytest.mark.parametrize(("action", "who", "data", "field"), [
    ("repair_cost", "repairer", {"amount": "abc", "note": "外购的水龙头阀芯"}, "note"),
    ("repair_note", "repairer", {"note": "x" * 2001}, "note"),
    ("repair_handover", "owner", {"to": "", "reason": "我下午去区里开会，请代为处理"}, "reason"),
    ("repair_dispatch", "owner", {"to": "", "planned_at": "", "note": "带上梯子"}, "note"),
    ("repair_cause", "owner", {"cause": "deliberate", "liable_person": "", "note": "学生踢坏了门"}, "note"),
])
def test_a_refused_step_gives_back_what_was_typed(school, login_as, make_member, action, who, data, field):
    owner, repairer = login_as(Role.LOGISTICS_STAFF), login_as(Role.REPAIRER)
    client = {"owner": owner, "repairer": repairer}[who]
    r = RepairFactory(school=school, owner=owner.user, assignee=repairer.user, status=RepairStatus.IN_PROGRESS if who == "repairer" else RepairStatus.TAKEN)
    response = client.post(reverse(f"repairs:{action}", args=[r.pk]), data, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    form = response.context["forms"][action.removeprefix("repair_")]
    assert form.is_bound and form.data[field] == data[field]
    assert data[field][:20] in response.content.decode()


def test_staff_changes_or_stops_a_maintenance_plan(school, other_school, login_as):
    from repairs.tests.factories import MaintenancePlanFactory

    staff = login_as(Role.LOGISTICS_STAFF)
    plan = MaintenancePlanFactory(school=school, frequency="weekly", weekday=0, day=None)
    html = staff.get(reverse("repairs:plan_list")).content.decode()
    assert "每周星期一" in html
    url = reverse("repairs:plan_edit", args=[plan.pk])
    data = {"title": plan.title, "room": plan.room_id, "frequency": "monthly", "weekday": "", "day": "", "urgency": "low", "start_date": "2026-01-01"}
    bad = staff.post(url, data)
    assert bad.status_code == 200 and "day" in bad.context["form"].errors and bad.context["form"].data["title"] == plan.title
    staff.post(url, {**data, "day": 1})  # "active" unticked: the plan stops
    plan.refresh_from_db()
    assert (plan.frequency, plan.day, plan.active) == ("monthly", 1, False)
    from repairs import services as s

    assert s.generate_planned(dt.date(2026, 12, 1)) == 0  # a stopped plan makes no tickets
    foreign = MaintenancePlanFactory(school=other_school)
    assert staff.get(reverse("repairs:plan_edit", args=[foreign.pk])).status_code == 404
    assert login_as(Role.TEACHER).get(url).status_code == 403


def test_cancelling_tells_the_others_involved(school, make_member):
    from logistics.models import Notification

    teacher, staff = make_member(Role.TEACHER), make_member(Role.LOGISTICS_STAFF)
    mine = RepairFactory(school=school, reporter=teacher, owner=staff, status=RepairStatus.TAKEN)
    services.cancel_repair(mine, by=teacher, reason="已经自己修好了")
    assert Notification.objects.filter(recipient=staff, text__contains="已经自己修好了").count() == 1
    assert not Notification.objects.filter(recipient=teacher).exists()
    other = RepairFactory(school=school, reporter=teacher)
    services.cancel_repair(other, by=staff, reason="重复报修")
    assert Notification.objects.filter(recipient=teacher, text__contains="重复报修").count() == 1


def test_the_filter_form_comes_with_the_page_only_when_in_use(school, login_as):
    c = login_as(Role.LOGISTICS_STAFF)
    RepairFactory(school=school)
    url = reverse("repairs:repair_list")
    plain = c.get(url).content.decode()
    assert 'name="urgency"' not in plain and 'hx-get="/repairs/?fragment=filter"' in plain and "?show_filter=1" in plain
    fragment = c.get(url + "?fragment=filter").content.decode()
    assert fragment.lstrip().startswith("<form") and 'name="urgency"' in fragment and "<html" not in fragment
    assert 'name="urgency"' in c.get(url + "?show_filter=1").content.decode()  # without script
    used = c.get(url + "?urgency=urgent").content.decode()
    assert '<option value="urgent" selected>' in used and "fragment=filter" not in used
    mine = c.get(reverse("repairs:repair_mine") + "?as=owned&fragment=filter").content.decode()
    assert '<input type="hidden" name="as" value="owned">' in mine


def test_the_timeline_says_who_did_what_from_which_status_to_which(school, login_as, make_member):
    staff = login_as(Role.LOGISTICS_STAFF, full_name="王后勤")
    r = RepairFactory(school=school, description="教室<灯>不亮" + "很" * 40)
    services.take_repair(r, by=staff.user)
    r.events.create(kind="note", actor=None, note="系统提醒 <b>")
    page = staff.get(r.get_absolute_url()).content.decode()
    taken = timezone.localtime(r.events.filter(actor=staff.user).first().created_at).strftime("%m-%d %H:%M")
    assert f"<strong>{taken}</strong> 王后勤 · " in page and ": 已报修 → 已受理" in page
    assert "系统 · " in page and "系统提醒 &lt;b&gt;" in page  # no person: the system; notes escaped
    earlier = RepairFactory(school=school, room=r.room, description="窗户<坏>" + "了" * 50)
    page = staff.get(r.get_absolute_url()).content.decode()
    day = timezone.localtime(earlier.created_at).strftime("%Y-%m-%d")
    assert f"<li>{day} 窗户&lt;坏&gt;{'了' * 34}… · 已报修</li>" in page
    fresh = RepairFactory(school=school)
    fresh.events.all().delete()
    assert '<li class="list-group-item text-muted">暂无记录。</li>' in staff.get(fresh.get_absolute_url()).content.decode()


def test_the_figures_are_kept_until_a_ticket_changes_and_a_minute_at_most(school, login_as, make_member, settings, monkeypatch):
    """With the cache on (as in production): the per-person and per-owner aggregates are read once,
    read again after any change in the school, and never kept longer than FIGURES_SECONDS."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from repairs.views import StatsView

    from logistics import home

    settings.HOME_CACHE_SECONDS = 60
    cache.clear()
    lives = {}
    real_set = home.cache.set
    monkeypatch.setattr(home.cache, "set", lambda key, value, timeout=None: (lives.__setitem__(key.split(":")[1], timeout), real_set(key, value, timeout)))
    director = login_as(Role.LOGISTICS_DIRECTOR)
    rep = make_member(Role.REPAIRER)
    now = timezone.now()
    RepairFactory(school=school, assignee=rep, status=RepairStatus.DONE, done_at=now, completion_due=now + dt.timedelta(hours=1))
    url = reverse("repairs:repair_stats")

    def figures():
        with CaptureQueriesContext(connection) as ctx:
            response = director.get(url)
        aggregates = sum("GROUP BY" in q["sql"] and "repairs_repair" in q["sql"] for q in ctx.captured_queries)
        return {p.pk: p.handled for p in response.context["object_list"]}[rep.pk], aggregates

    assert figures() == (1, 2)
    assert figures() == (1, 0)  # kept
    staff = login_as(Role.LOGISTICS_STAFF)
    ticket = RepairFactory(school=school, assignee=rep, status=RepairStatus.DONE, done_at=now, completion_due=now + dt.timedelta(hours=1))
    assert staff.post(reverse("repairs:repair_note", args=[ticket.pk]), {"note": "x"}).status_code in (302, 403)  # any POST of a member
    assert figures() == (2, 2)  # counted afresh
    assert {k: lives[k] for k in ("repair-figures", "repair-owners")} == {"repair-figures": StatsView.FIGURES_SECONDS, "repair-owners": StatsView.FIGURES_SECONDS} and StatsView.FIGURES_SECONDS <= 60
    cache.clear()


def test_list_rows_name_each_room_from_the_cached_labels_and_a_renamed_room_at_once(school, login_as, settings):
    """Rows name the ticket's room (with its building, or without one) from the school's cached room
    labels; renaming a room through its page shows the new name on the next view."""
    settings.HOME_CACHE_SECONDS = 60
    staff = login_as(Role.LOGISTICS_STAFF)
    a = RepairFactory(school=school)
    RepairFactory(school=school, room=RoomFactory(school=school, building=None, name="操场", number=""))
    page = staff.get(reverse("repairs:repair_list")).content.decode()
    assert f'>{a.room}</td>' in page and '>操场</td>' in page
    room = a.room
    response = staff.post(reverse("room_update", args=[room.pk]), {
        "building": room.building_id, "name": "物理实验室", "number": room.number, "floor": "", "kind": room.kind, "custodian": ""})
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.name == "物理实验室"
    page = staff.get(reverse("repairs:repair_list")).content.decode()
    assert f'>{room}</td>' in page and "物理实验室" in page
