import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from logistics.roles import Role
from safety import services
from safety.models import Hazard, Inspection, Visitor
from safety.tests.factories import HazardFactory, PlanFactory

pytestmark = pytest.mark.django_db


def png():
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "PNG")
    return SimpleUploadedFile("fix.png", buf.getvalue(), content_type="image/png")


def _today_inspection(school, user):
    plan = PlanFactory(school=school, responsible=user, starts_on=timezone.localdate())
    services.generate_inspections(today=timezone.localdate())
    return plan.inspections.get()


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
    assert client.get(ins.get_absolute_url()).status_code == 200


def test_problem_without_note_is_refused_with_message(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    ins = _today_inspection(school, client.user)
    item = ins.items.first()
    r = client.post(reverse("safety:item_record", args=[item.pk]), {"result": "problem", "note": ""}, follow=True)
    assert "请描述问题" in r.content.decode() or "Describe the problem" in r.content.decode()
    item.refresh_from_db()
    assert item.result == "pending"


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
    h = HazardFactory(school=other_school)
    assert director.get(h.get_absolute_url()).status_code == 404


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


def test_guard_registers_visitor_and_bad_id_keeps_input(login_as, school):
    guard = login_as(Role.GUARD)
    data = {"name": "李四", "id_last4": "110101199001011234", "phone": "13800000000", "visiting": "王老师", "purpose": "家长会"}
    r = guard.post(reverse("safety:visitor_create"), data)
    assert r.status_code == 200 and "李四" in r.content.decode() and not Visitor.objects.exists()
    data["id_last4"] = "1234"
    assert guard.post(reverse("safety:visitor_create"), data).status_code == 302
    v = Visitor.objects.get()
    page = guard.get(reverse("safety:visitor_list") + "?inside=1")
    assert "李四" in page.content.decode()
    guard.post(reverse("safety:visitor_out", args=[v.pk]))
    v.refresh_from_db()
    assert v.time_out is not None


def _hazards(school, n):
    for _ in range(n):
        HazardFactory(school=school)


def test_hazard_list_query_count_fixed(login_as, school, django_assert_num_queries):
    client = login_as(Role.LOGISTICS_DIRECTOR)
    _hazards(school, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("safety:hazard_list")).status_code == 200
    _hazards(school, 12)
    with CaptureQueriesContext(connection) as big:
        assert client.get(reverse("safety:hazard_list")).status_code == 200
    assert len(small) == len(big)


def test_my_inspections_query_count_fixed(login_as, school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as(Role.LOGISTICS_STAFF)
    PlanFactory(school=school, responsible=client.user, starts_on=timezone.localdate() - dt.timedelta(days=1))
    services.generate_inspections()
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("safety:inspection_today"))
    for _ in range(5):
        PlanFactory(school=school, responsible=client.user, starts_on=timezone.localdate() - dt.timedelta(days=1))
    services.generate_inspections()
    assert Inspection.objects.count() == 12
    with CaptureQueriesContext(connection) as big:
        client.get(reverse("safety:inspection_today"))
    assert len(small) == len(big)


def test_home_cards(login_as, school):
    staff = login_as(Role.LOGISTICS_STAFF)
    _today_inspection(school, staff.user)
    assert "我今天的巡查" in staff.get("/").content.decode() or "My inspections today" in staff.get("/").content.decode()
