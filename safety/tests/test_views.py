import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from logistics.roles import Role, can
from logistics.tests.factories import BuildingFactory, RoomFactory, member
from safety import services
from safety.models import Drill, Hazard, Inspection, InspectionPlan, Visitor
from safety.tests.factories import HazardFactory, PlanFactory

pytestmark = pytest.mark.django_db


def png():
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "PNG")
    return SimpleUploadedFile("fix.png", buf.getvalue(), content_type="image/png")


def _today_inspection(school, user, **kw):
    plan = PlanFactory(school=school, responsible=user, starts_on=timezone.localdate(), **kw)
    services.generate_inspections(today=timezone.localdate())
    return plan.inspections.get()


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx)


# --- doing an inspection ----------------------------------------------------------------------------

def test_staff_does_todays_inspection_with_a_problem(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    ins = _today_inspection(school, client.user)
    page = client.get(reverse("safety:inspection_today"))
    assert ins.plan.name in page.content.decode()
    items = list(ins.items.order_by("position"))
    for item in items[:-1]:
        r = client.post(reverse("safety:item_record", args=[item.pk]), {"result": "ok"})
        assert r.status_code == 302
    client.post(reverse("safety:item_record", args=[items[-1].pk]), {"result": "problem", "note": "电线裸露", "severity": "high", "photo": png()})
    r = client.post(reverse("safety:inspection_submit", args=[ins.pk]))
    assert r.status_code == 302
    ins.refresh_from_db()
    assert ins.status == "submitted"
    hazard = Hazard.objects.get()
    assert hazard.severity == "high" and hazard.responsible == client.user
    assert client.get(hazard.get_absolute_url()).status_code == 200
    body = client.get(ins.get_absolute_url()).content.decode()
    assert "电线裸露" in body and 'name="result"' not in body  # submitted: no more buttons


def test_item_is_recorded_in_place_with_htmx(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    ins = _today_inspection(school, client.user)
    item = ins.items.order_by("position").first()
    r = client.post(reverse("safety:item_record", args=[item.pk]), {"result": "ok"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and body.lstrip().startswith(f'<div class="card mb-2" id="item-{item.pk}"')
    assert 'id="progress"' in body and 'hx-swap-oob="true"' in body and ">1/3<" in body
    item.refresh_from_db()
    assert item.result == "ok" and item.recorded_by == client.user
    # a problem without a note: the card comes back with the message and what was typed
    r = client.post(reverse("safety:item_record", args=[item.pk]), {"result": "problem", "note": "  ", "severity": "high"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and ("请描述问题" in body or "Describe the problem." in body) and "<details open" in body
    assert '<option value="high" selected>' in body


def test_problem_without_note_is_refused_with_message(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    ins = _today_inspection(school, client.user)
    item = ins.items.first()
    r = client.post(reverse("safety:item_record", args=[item.pk]), {"result": "problem", "note": ""}, follow=True)
    assert "请描述问题" in r.content.decode() or "Describe the problem" in r.content.decode()
    item.refresh_from_db()
    assert item.result == "pending"


def test_bad_photo_keeps_the_typed_note_without_javascript(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    ins = _today_inspection(school, client.user)
    item = ins.items.first()
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    r = client.post(reverse("safety:item_record", args=[item.pk]), {"result": "problem", "note": "灭火器压力不足", "photo": bad}, follow=True)
    body = r.content.decode()
    assert "灭火器压力不足" in body and ("不是图片" in body or "is not an image" in body)
    item.refresh_from_db()
    assert item.result == "pending" and item.note == ""


def test_submitting_with_unchecked_items_says_so(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    ins = _today_inspection(school, client.user)
    r = client.post(reverse("safety:inspection_submit", args=[ins.pk]), follow=True)
    assert "请检查完所有项目后再提交" in r.content.decode()
    assert Inspection.objects.get(pk=ins.pk).status == "due"


def test_close_up_inspection_lists_visitors_still_inside(login_as, school):
    guard = login_as(Role.GUARD)
    ins = _today_inspection(school, guard.user, gate_check=True, window_start=dt.time(17), window_end=dt.time(18, 30))
    inside = services.register_visitor(school=school, by=guard.user, name="张三", id_last4="1234", phone="138", visiting="王老师", purpose="送材料")
    gone = services.register_visitor(school=school, by=guard.user, name="李四", id_last4="5678", phone="139", visiting="教务处", purpose="办事")
    services.visitor_out(gone, by=guard.user)
    body = guard.get(ins.get_absolute_url()).content.decode()
    assert 'data-testid="still-inside"' in body and "张三" in body and "李四" not in body
    r = guard.post(reverse("safety:visitor_out", args=[inside.pk]), {"next": ins.get_absolute_url()})
    assert r.status_code == 302 and r["Location"] == ins.get_absolute_url()
    r = guard.post(reverse("safety:visitor_out", args=[gone.pk]), {"next": "https://evil.example/"})
    assert r["Location"] == reverse("safety:visitor_list")


# --- permissions ------------------------------------------------------------------------------------

def test_permissions_403_and_404(login_as, school, other_school, make_member):
    teacher = login_as(Role.TEACHER)
    assert teacher.get(reverse("safety:inspection_today")).status_code == 403
    assert teacher.get(reverse("safety:visitor_list")).status_code == 403
    staff = make_member(Role.LOGISTICS_STAFF)
    ins = _today_inspection(school, staff)
    assert teacher.get(ins.get_absolute_url()).status_code == 403
    assert teacher.post(reverse("safety:item_record", args=[ins.items.first().pk]), {"result": "ok"}).status_code == 403
    foreign = _today_inspection(other_school, make_member(Role.LOGISTICS_STAFF, other_school))
    director = login_as(Role.LOGISTICS_DIRECTOR)
    assert director.get(foreign.get_absolute_url()).status_code == 404
    assert director.post(reverse("safety:inspection_submit", args=[foreign.pk])).status_code == 404
    assert director.post(reverse("safety:item_record", args=[foreign.items.first().pk]), {"result": "ok"}).status_code == 404
    assert director.get(reverse("safety:plan_update", args=[foreign.plan_id])).status_code == 404
    h = HazardFactory(school=other_school)
    assert director.get(h.get_absolute_url()).status_code == 404
    assert director.get(reverse("safety:hazard_update", args=[h.pk])).status_code == 404
    v = Visitor.objects.create(school=other_school, name="x", id_last4="1234", phone="1", visiting="y", purpose="z",
                               time_in=timezone.now(), registered_by=staff)
    assert director.post(reverse("safety:visitor_out", args=[v.pk])).status_code == 404


PAGES = {  # url name → capability
    "safety:inspection_today": "safety.inspect", "safety:inspection_list": "safety.view", "safety:hazard_list": "safety.view",
    "safety:plan_list": "safety.view", "safety:plan_create": "safety.manage_plans", "safety:visitor_list": "safety.visitors",
    "safety:visitor_create": "safety.visitors", "safety:drill_list": "safety.view", "safety:drill_create": "safety.manage_plans",
    "safety:report_month": "safety.reports",
}


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.DISTRICT_OFFICER])  # the officer: below
def test_every_list_page_by_role(login_as, school, role):
    client = login_as(role)
    for name, capability in PAGES.items():
        expected = 200 if can(client.user, capability, school=school) else 403
        assert client.get(reverse(name)).status_code == expected, (role, name)


def test_district_officer_reads_but_cannot_act(client, school, make_member):
    from logistics.models import Membership

    officer = make_member(Role.TEACHER)  # a user; the district membership below is what counts
    Membership.objects.filter(user=officer).delete()
    Membership.objects.create(user=officer, district=school.district, role=Role.DISTRICT_OFFICER)
    staff = make_member(Role.LOGISTICS_STAFF)
    hazard = HazardFactory(school=school, responsible=staff)
    client.force_login(officer)
    for name, capability in PAGES.items():
        assert client.get(reverse(name)).status_code == (200 if capability in ("safety.view", "safety.reports") else 403), name
    body = client.get(hazard.get_absolute_url()).content.decode()
    assert "hazard_rectify" not in body and f"/safety/hazards/{hazard.pk}/rectify/" not in body
    assert client.get(reverse("safety:report_month")).status_code == 200
    assert client.post(reverse("safety:hazard_rectify", args=[hazard.pk]), {"note": "x", "photo": png()}).status_code == 403
    assert client.post(reverse("safety:hazard_verify", args=[hazard.pk]), {"accept": "1"}).status_code == 403
    assert client.get(reverse("safety:hazard_update", args=[hazard.pk])).status_code == 403
    assert Hazard.objects.get(pk=hazard.pk).status == "open"


# --- hazards --------------------------------------------------------------------------------------

def test_director_verifies_rectified_hazard(login_as, school):
    staff = login_as(Role.LOGISTICS_STAFF)
    hazard = HazardFactory(school=school, responsible=staff.user)
    staff.post(reverse("safety:hazard_rectify", args=[hazard.pk]), {"note": "已加固", "photo": png()})
    hazard.refresh_from_db()
    assert hazard.status == "rectified"
    assert staff.post(reverse("safety:hazard_verify", args=[hazard.pk]), {"accept": "1"}).status_code == 403
    director = login_as(Role.LOGISTICS_DIRECTOR)
    director.post(reverse("safety:hazard_verify", args=[hazard.pk]), {"accept": "1"})
    hazard.refresh_from_db()
    assert hazard.status == "verified"
    r = director.get(reverse("safety:hazard_update", args=[hazard.pk]), follow=True)
    assert "已验收的隐患不能修改" in r.content.decode()


def test_rectify_without_photo_keeps_the_note(login_as, school):
    staff = login_as(Role.LOGISTICS_STAFF)
    hazard = HazardFactory(school=school, responsible=staff.user)
    r = staff.post(reverse("safety:hazard_rectify", args=[hazard.pk]), {"note": "已更换灭火器"}, follow=True)
    assert "已更换灭火器" in r.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).status == "open"


def test_one_click_repair_ticket_from_a_building_plan_asks_the_room(login_as, school):
    from repairs.models import Repair

    staff = login_as(Role.LOGISTICS_STAFF)
    building = BuildingFactory(school=school)
    rooms = [RoomFactory(school=school, building=building), RoomFactory(school=school, building=building)]
    ins = _today_inspection(school, staff.user, room=None, building=building)
    for item in ins.items.all():
        services.record_item(item, by=staff.user, result="problem", note="门锁坏了", severity="low")
    hazard = services.submit_inspection(ins, by=staff.user)[0]
    body = staff.get(hazard.get_absolute_url()).content.decode()
    assert 'name="room"' in body and str(rooms[1]) in body
    r = staff.post(reverse("safety:hazard_repair", args=[hazard.pk]), {"room": rooms[1].pk}, follow=True)
    repair = Repair.objects.get()
    assert repair.room == rooms[1] and repair.urgency == "low" and Hazard.objects.get(pk=hazard.pk).repair == repair
    assert repair.number in r.content.decode()
    other = RoomFactory(school=school)  # not in the inspected building
    h2 = Hazard.objects.exclude(pk=hazard.pk).first()
    staff.post(reverse("safety:hazard_repair", args=[h2.pk]), {"room": other.pk})
    assert Repair.objects.count() == 1


def test_director_changes_a_hazard_through_the_form(login_as, school, make_member):
    director = login_as(Role.LOGISTICS_DIRECTOR)
    guard = make_member(Role.GUARD)
    hazard = HazardFactory(school=school, found_on=dt.date(2026, 11, 1), deadline=dt.date(2026, 11, 4))
    url = reverse("safety:hazard_update", args=[hazard.pk])
    assert director.get(url).status_code == 200
    bad = director.post(url, {"severity": "high", "responsible": guard.pk, "deadline": "2026-10-01"})
    assert bad.status_code == 200 and "2026-10-01" in bad.content.decode()
    assert director.post(url, {"severity": "high", "responsible": guard.pk, "deadline": "2027-01-10"}).status_code == 302
    hazard.refresh_from_db()
    assert (hazard.severity, hazard.responsible, hazard.deadline) == ("high", guard, dt.date(2027, 1, 10))
    assert login_as(Role.LOGISTICS_STAFF).get(url).status_code == 403


# --- plans, drills, visitors ------------------------------------------------------------------------

def test_office_sets_up_a_weekly_plan_and_bad_input_is_kept(login_as, school):
    staff = login_as(Role.LOGISTICS_STAFF)
    room = RoomFactory(school=school, building=None, name="操场")
    data = {"name": "体育器材检查", "room": room.pk, "frequency": "weekly", "responsible": staff.user.pk,
            "starts_on": timezone.localdate().isoformat(), "checklist": "篮球架螺丝紧固\n单双杠无锈蚀", "active": "on"}
    bad = staff.post(reverse("safety:plan_create"), data)
    assert bad.status_code == 200 and "篮球架螺丝紧固" in bad.content.decode() and bad.context["form"].errors["weekdays"]
    ok = staff.post(reverse("safety:plan_create"), {**data, "weekdays": ["0", "3"]})
    assert ok.status_code == 302
    plan = InspectionPlan.objects.get()
    assert plan.weekdays == [0, 3] and plan.checklist == ["篮球架螺丝紧固", "单双杠无锈蚀"]
    page = staff.get(reverse("safety:plan_list")).content.decode()
    assert "体育器材检查" in page and ("每周：周一、周四" in page or "Weekly: Mon, Thu" in page)
    edit = staff.post(reverse("safety:plan_update", args=[plan.pk]), {**data, "weekdays": ["0"], "name": "体育器材每周检查"})
    assert edit.status_code == 302 and InspectionPlan.objects.get().name == "体育器材每周检查"
    assert login_as(Role.GUARD).post(reverse("safety:plan_update", args=[plan.pk]), data).status_code == 403


def test_office_records_a_drill(login_as, school):
    director = login_as(Role.LOGISTICS_DIRECTOR)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    bad = director.post(reverse("safety:drill_create"), {"held_on": future, "kind": "防震演练", "participants": 500})
    assert bad.status_code == 200 and "防震演练" in bad.content.decode() and not Drill.objects.exists()
    assert director.post(reverse("safety:drill_create"), {"held_on": timezone.localdate().isoformat(), "kind": "防震演练",
                                                          "participants": 500, "note": "全体师生"}).status_code == 302
    assert "防震演练" in director.get(reverse("safety:drill_list")).content.decode()
    assert login_as(Role.PRINCIPAL).get(reverse("safety:drill_list")).status_code == 200


def test_guard_registers_visitor_and_bad_id_keeps_input(login_as, school):
    guard = login_as(Role.GUARD)
    data = {"name": "李四", "id_last4": "110101199001011234", "phone": "13800000000", "visiting": "王老师", "purpose": "家长会"}
    r = guard.post(reverse("safety:visitor_create"), data)
    assert r.status_code == 200 and "李四" in r.content.decode() and not Visitor.objects.exists()
    data["id_last4"] = "1234"
    assert guard.post(reverse("safety:visitor_create"), data).status_code == 302
    v = Visitor.objects.get()
    page = guard.get(reverse("safety:visitor_list") + "?inside=true")
    assert "李四" in page.content.decode()
    guard.post(reverse("safety:visitor_out", args=[v.pk]))
    v.refresh_from_db()
    assert v.time_out is not None


def test_visitor_register_of_another_day_and_search(login_as, school):
    guard = login_as(Role.GUARD)
    yesterday = timezone.now() - dt.timedelta(days=1)
    Visitor.objects.create(school=school, name="王五", id_last4="1111", phone="1", visiting="校长室", purpose="开会",
                           time_in=yesterday, time_out=yesterday + dt.timedelta(hours=1), registered_by=guard.user)
    assert "王五" not in guard.get(reverse("safety:visitor_list")).content.decode()  # today's only
    day = timezone.localtime(yesterday).date().isoformat()
    assert "王五" in guard.get(reverse("safety:visitor_list") + f"?day={day}").content.decode()
    assert "王五" in guard.get(reverse("safety:visitor_list") + "?q=校长").content.decode()


def test_inspection_records_filter_by_state_and_plan(login_as, school, make_member):
    director = login_as(Role.LOGISTICS_DIRECTOR)
    staff = make_member(Role.LOGISTICS_STAFF)
    plan = PlanFactory(school=school, name="每日巡视", responsible=staff, starts_on=timezone.localdate() - dt.timedelta(days=3))
    other = PlanFactory(school=school, name="食堂检查", responsible=staff, starts_on=timezone.localdate())
    services.generate_inspections()
    first = plan.inspections.order_by("due_date").first()
    for item in first.items.all():
        services.record_item(item, by=staff, result="problem" if item.position == 1 else "ok", note="松动")
    services.submit_inspection(first, by=staff)
    url = reverse("safety:inspection_list")
    page = director.get(url)
    assert len(page.context["object_list"]) == 5
    assert list(director.get(url + "?state=done").context["object_list"]) == []
    assert [i["pk"] for i in director.get(url + "?state=late").context["object_list"]] == [first.pk]  # done 3 days after
    assert len(director.get(url + "?state=missed").context["object_list"]) == 2
    assert len(director.get(url + f"?plan={other.pk}").context["object_list"]) == 1
    with_problems = director.get(url + "?problems=true").context["object_list"]
    assert [i["pk"] for i in with_problems] == [first.pk] and with_problems[0]["problem_count"] == 1


# --- query counts at two sizes ---------------------------------------------------------------------

def _grow(school, staff, n):
    for k in range(n):
        plan = PlanFactory(school=school, responsible=staff, starts_on=timezone.localdate() - dt.timedelta(days=2),
                           checklist=[f"项{i}" for i in range(4)])
        HazardFactory(school=school, responsible=staff)
        HazardFactory(school=school, responsible=staff, status="rectified")
        Visitor.objects.create(school=school, name=f"访客{k}", id_last4="1234", phone="1", visiting="x", purpose="y",
                               time_in=timezone.now(), registered_by=staff)
        Drill.objects.create(school=school, held_on=timezone.localdate(), kind=f"演练{k}", participants=10, recorded_by=staff)
        services.generate_inspections(school=school)
        ins = plan.inspections.order_by("due_date").first()
        for item in ins.items.all():
            services.record_item(item, by=staff, result="problem" if item.position == 1 else "ok", note="x")
        services.submit_inspection(ins, by=staff)


@pytest.mark.parametrize(("role", "name"), [
    (Role.LOGISTICS_STAFF, "safety:inspection_today"), (Role.LOGISTICS_DIRECTOR, "safety:inspection_list"),
    (Role.LOGISTICS_DIRECTOR, "safety:hazard_list"), (Role.LOGISTICS_DIRECTOR, "safety:plan_list"),
    (Role.GUARD, "safety:visitor_list"), (Role.PRINCIPAL, "safety:drill_list"), (Role.PRINCIPAL, "safety:report_month"),
])
def test_list_query_count_does_not_grow(login_as, school, role, name):
    client = login_as(role)
    staff = client.user if role == Role.LOGISTICS_STAFF else member(Role.LOGISTICS_STAFF, school)
    _grow(school, staff, 1)
    small = queries(client, reverse(name))
    _grow(school, staff, 8)
    assert queries(client, reverse(name)) == small


def test_detail_query_counts_do_not_grow(login_as, school):
    director = login_as(Role.LOGISTICS_DIRECTOR)
    staff = member(Role.LOGISTICS_STAFF, school)
    guard = member(Role.GUARD, school)

    def inspection_with(n, gate=False):
        plan = PlanFactory(school=school, responsible=guard if gate else staff, starts_on=timezone.localdate(),
                           checklist=[f"项{i}" for i in range(n)], gate_check=gate, window_start=dt.time(17), window_end=dt.time(18))
        services.generate_inspections(school=school)
        ins = plan.inspections.get()
        for item in ins.items.all()[: n // 2]:
            services.record_item(item, by=staff, result="problem" if item.position % 2 else "ok", note="问题", photo=png())
        return ins

    small, big = inspection_with(3), inspection_with(30)
    assert queries(director, small.get_absolute_url()) == queries(director, big.get_absolute_url())
    editor = login_as(Role.LOGISTICS_STAFF)
    assert queries(editor, small.get_absolute_url()) == queries(editor, big.get_absolute_url())
    for item in small.items.all():
        services.record_item(item, by=staff, result="problem", note="问题")
    for item in big.items.all():
        services.record_item(item, by=staff, result="problem", note="问题")
    services.submit_inspection(small, by=staff)
    services.submit_inspection(big, by=staff)
    assert queries(director, small.get_absolute_url()) == queries(director, big.get_absolute_url())
    # hazards: one with a short history, one with a long one
    h1, h2 = Hazard.objects.filter(item__inspection=small)[:1].get(), Hazard.objects.filter(item__inspection=big)[:1].get()
    for _ in range(5):
        services.update_hazard(h2, by=director.user, severity="low")
        services.update_hazard(h2, by=director.user, severity="high")
    assert queries(director, h1.get_absolute_url()) == queries(director, h2.get_absolute_url())


def test_home_cards(login_as, school):
    staff = login_as(Role.LOGISTICS_STAFF)
    _today_inspection(school, staff.user)
    body = staff.get("/").content.decode()
    assert "我今天的巡查" in body or "My inspections today" in body


def test_recording_on_an_inspection_submitted_meanwhile_says_so_in_place(login_as, school, make_member):
    client = login_as(Role.LOGISTICS_STAFF)
    ins = _today_inspection(school, client.user)
    for item in ins.items.all():
        services.record_item(item, by=client.user, result="ok")
    services.submit_inspection(ins, by=make_member(Role.LOGISTICS_DIRECTOR))  # a colleague submitted it
    item = ins.items.first()
    r = client.post(reverse("safety:item_record", args=[item.pk]), {"result": "problem", "note": "晚了"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and "alert-danger" in body and 'name="result"' not in body
    assert "该巡查已提交，不能再修改" in body


def test_typed_text_is_escaped_in_the_built_rows_and_cards(login_as, school, make_member):
    director = login_as(Role.LOGISTICS_DIRECTOR)
    staff = make_member(Role.LOGISTICS_STAFF, full_name="<i>李</i>")
    ins = _today_inspection(school, staff, name="<b>巡视</b>", checklist=["<script>x()</script>门窗"])
    item = ins.items.get()
    services.record_item(item, by=staff, result="problem", note='"><img src=x onerror=alert(1)>')
    services.submit_inspection(ins, by=staff)
    for url in (reverse("safety:inspection_list"), ins.get_absolute_url(), reverse("safety:hazard_list")):
        body = director.get(url).content.decode()
        assert "<b>巡视</b>" not in body and "<script>x()" not in body and "<img src=x" not in body and "<i>李</i>" not in body, url
        assert "&lt;b&gt;巡视&lt;/b&gt;" in body or "&lt;script&gt;" in body or "&lt;img" in body, url


def test_inspection_list_names_plans_and_areas_from_the_cached_labels_and_an_edit_at_once(login_as, school, make_member, settings):
    """Each row names its plan and area — a room (with its building), a building, or the whole school in
    the reader's language — from the school's cached plan labels; a plan renamed through its page
    shows under its new name, in the rows and in the filter, on the next view."""
    settings.HOME_CACHE_SECONDS = 60
    director = login_as(Role.LOGISTICS_DIRECTOR)
    staff = make_member(Role.LOGISTICS_STAFF)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    in_room = PlanFactory(school=school, name="教室巡视", responsible=staff, starts_on=yesterday)
    building = BuildingFactory(school=school, name="实验楼")
    PlanFactory(school=school, name="实验楼巡视", room=None, building=building, responsible=staff, starts_on=yesterday)
    PlanFactory(school=school, name="全校巡视", room=None, building=None, responsible=staff, starts_on=yesterday)
    services.generate_inspections()
    url = reverse("safety:inspection_list")
    page = director.get(url).content.decode()
    for plan, area in (("教室巡视", str(in_room.room)), ("实验楼巡视", "实验楼"), ("全校巡视", "全校")):
        assert f">{plan}</a></td>" in page and f">{area}</td>" in page, (plan, area)
    for plan, area in ((in_room, str(in_room.room)), (InspectionPlan.objects.get(name="实验楼巡视"), "实验楼"),
                       (InspectionPlan.objects.get(name="全校巡视"), "全校")):  # the inspection's page says the same
        detail = director.get(plan.inspections.first().get_absolute_url()).content.decode()
        assert f'<p class="text-body-secondary mb-2">{area} · ' in detail, (plan.name, area)
    director.cookies["django_language"] = "en"
    assert ">Whole school</td>" in director.get(url).content.decode()
    whole = InspectionPlan.objects.get(name="全校巡视").inspections.first()
    assert '<p class="text-body-secondary mb-2">Whole school · ' in director.get(whole.get_absolute_url()).content.decode()
    del director.cookies["django_language"]
    p = in_room
    response = director.post(reverse("safety:plan_update", args=[p.pk]), {
        "name": "教室安全巡视", "building": "", "room": p.room_id, "frequency": p.frequency, "day_of_month": "",
        "window_start": "", "window_end": "", "responsible": p.responsible_id, "starts_on": p.starts_on.isoformat(),
        "active": "on", "checklist": "\n".join(p.checklist)})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = director.get(url).content.decode()
    assert ">教室安全巡视</a></td>" in page and ">教室巡视</a></td>" not in page
    assert f'<option value="{p.pk}">教室安全巡视</option>' in page


def test_hazard_list_rows_say_who_and_flag_only_open_hazards_past_their_deadline(login_as, school, make_member):
    director = login_as(Role.LOGISTICS_DIRECTOR)
    staff = make_member(Role.LOGISTICS_STAFF)
    staff.full_name = "王师傅"
    staff.save()
    today = timezone.localdate()
    late = HazardFactory(school=school, responsible=staff, description="楼梯扶手松动", deadline=today - dt.timedelta(days=2))
    HazardFactory(school=school, responsible=staff, description="灭火器过期", deadline=today - dt.timedelta(days=2), status="rectified")
    HazardFactory(school=school, responsible=staff, description="插座破损", deadline=today + dt.timedelta(days=2))
    director.cookies["django_language"] = "en"
    page = director.get(reverse("safety:hazard_list")).content.decode()
    rows = {r.split("</a>")[0].rsplit(">", 1)[1]: r for r in page.split("<tr>")[1:] if "</a>" in r}
    assert set(rows) >= {"楼梯扶手松动", "灭火器过期", "插座破损"}
    assert all("王师傅" in r for r in rows.values())
    assert ">overdue</span>" in rows["楼梯扶手松动"]
    assert "overdue" not in rows["灭火器过期"] and "overdue" not in rows["插座破损"]
    assert f'href="{late.get_absolute_url()}"' in rows["楼梯扶手松动"]
