import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from logistics.models import Notification
from logistics.roles import Role
from logistics.tests.factories import member
from safety import services, tasks
from safety.models import Hazard, Inspection, Visitor
from safety.selectors import dashboard_counts
from safety.tests.factories import HazardFactory, PlanFactory

pytestmark = pytest.mark.django_db


def png(name="p.png"):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def test_schedules_daily_weekly_monthly_term(school):
    daily = PlanFactory(school=school)
    weekly = PlanFactory(school=school, frequency="weekly", weekdays=[0])
    monthly = PlanFactory(school=school, frequency="monthly", day_of_month=31)
    term = PlanFactory(school=school, frequency="term", starts_on=dt.date(2026, 10, 10))
    assert services.period_of(daily, dt.date(2026, 11, 3)) == (dt.date(2026, 11, 3),) * 2
    assert services.period_of(weekly, dt.date(2026, 11, 23)) is not None  # a Monday
    assert services.period_of(weekly, dt.date(2026, 11, 24)) is None
    assert services.period_of(monthly, dt.date(2026, 11, 30)) is not None  # last day of a short month
    assert services.period_of(monthly, dt.date(2026, 11, 29)) is None
    assert services.period_of(term, dt.date(2026, 11, 3)) == (dt.date(2026, 9, 1), dt.date(2026, 10, 10))
    assert services.period_of(term, dt.date(2027, 3, 3))[0] == dt.date(2027, 2, 1)


def test_generation_is_once_per_period_and_catches_up(school):
    plan = PlanFactory(school=school, starts_on=dt.date(2026, 11, 20))
    PlanFactory(school=school, frequency="weekly", weekdays=[0], starts_on=dt.date(2026, 11, 1))
    today = dt.date(2026, 11, 23)
    first = services.generate_inspections(today=today)
    assert services.generate_inspections(today=today) == 0
    # daily 20..23 = 4, Mondays 2, 9, 16, 23 = 4
    assert first == 8 == Inspection.objects.count()
    ins = plan.inspections.get(period_start=today)
    assert [i.text for i in ins.items.order_by("position")] == plan.checklist
    with pytest.raises(Exception):
        Inspection.objects.create(school=school, plan=plan, period_start=today, due_date=today, responsible=plan.responsible)


def _inspection(school, **kw):
    plan = PlanFactory(school=school, **kw)
    services.generate_inspections(today=plan.starts_on)
    return plan.inspections.get()


def test_submit_creates_hazards_then_is_immutable(school):
    ins = _inspection(school, starts_on=dt.date(2026, 11, 23))
    staff = ins.responsible
    items = list(ins.items.order_by("position"))
    with pytest.raises(ValidationError):
        services.submit_inspection(ins, by=staff)  # items unchecked
    services.record_item(items[0], by=staff, result="ok")
    services.record_item(items[1], by=staff, result="ok")
    with pytest.raises(ValidationError):
        services.record_item(items[2], by=staff, result="problem", note="")  # a problem needs a note
    services.record_item(items[2], by=staff, result="problem", note="电线裸露", severity="high", photo=png())
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)):
        hazards = services.submit_inspection(ins, by=staff)
    assert len(hazards) == 1 and hazards[0].deadline == dt.date(2026, 11, 24) and hazards[0].responsible == staff
    ins.refresh_from_db()
    assert ins.status == "submitted"
    with pytest.raises(ValidationError):
        services.record_item(items[0], by=staff, result="problem", note="x")
    with pytest.raises(ValidationError):
        services.submit_inspection(ins, by=staff)
    assert Hazard.objects.count() == 1


def test_teacher_may_not_inspect(school):
    ins = _inspection(school)
    with pytest.raises(PermissionDenied):
        services.record_item(ins.items.first(), by=member(Role.TEACHER, school), result="ok")


def test_photo_checked_by_content_and_size(school, settings):
    ins = _inspection(school)
    item = ins.items.first()
    with pytest.raises(ValidationError):
        services.record_item(item, by=ins.responsible, result="ok", photo=SimpleUploadedFile("x.png", b"not an image"))
    settings.MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError):
        services.record_item(item, by=ins.responsible, result="ok", photo=png())


def test_rectify_needs_photo_and_director_verifies(school):
    director = member(Role.LOGISTICS_DIRECTOR, school)
    hazard = HazardFactory(school=school)
    with pytest.raises(ValidationError):
        services.rectify_hazard(hazard, by=hazard.responsible, note="已修复", photo=None)
    services.rectify_hazard(hazard, by=hazard.responsible, note="已修复", photo=png())
    with pytest.raises(PermissionDenied):
        services.verify_hazard(hazard, by=hazard.responsible)
    hazard = services.verify_hazard(hazard, by=director)
    assert hazard.status == "verified" and hazard.verified_by == director
    with pytest.raises(ValidationError):
        services.update_hazard(hazard, deadline=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError):
        services.verify_hazard(hazard, by=director, accept=False)


def test_director_can_send_back(school):
    director = member(Role.LOGISTICS_DIRECTOR, school)
    hazard = HazardFactory(school=school)
    services.rectify_hazard(hazard, by=hazard.responsible, note="已修复", photo=png())
    assert services.verify_hazard(hazard, by=director, accept=False).status == "open"


def test_repair_ticket_created_once(school):
    ins = _inspection(school, starts_on=dt.date(2026, 11, 23))
    staff = ins.responsible
    for item in ins.items.all():
        services.record_item(item, by=staff, result="problem", note="门锁坏了")
    hazard = services.submit_inspection(ins, by=staff)[0]
    repair = services.create_repair_for_hazard(hazard, by=staff)
    assert repair.room == ins.plan.room and Hazard.objects.get(pk=hazard.pk).repair == repair
    with pytest.raises(ValidationError):
        services.create_repair_for_hazard(Hazard.objects.get(pk=hazard.pk), by=staff)


def test_visitor_keeps_only_last_four(school):
    guard = member(Role.GUARD, school)
    for bad in ("123", "12345", "110101199001011234", "12a4"):
        with pytest.raises(ValidationError):
            services.register_visitor(school=school, by=guard, name="张三", id_last4=bad, phone="1", visiting="王老师", purpose="送材料")
    v = services.register_visitor(school=school, by=guard, name="张三", id_last4="123x", phone="138", visiting="王老师", purpose="送材料")
    assert v.id_last4 == "123X"
    services.visitor_out(v, by=guard)
    with pytest.raises(ValidationError):
        services.visitor_out(v, by=guard)
    assert Visitor.objects.get().time_out is not None


def test_dashboard_counts(school, other_school):
    with time_machine.travel(dt.datetime(2026, 11, 23, 2, tzinfo=dt.UTC)):
        ins = _inspection(school, starts_on=dt.date(2026, 11, 23))
        _inspection(other_school, starts_on=dt.date(2026, 11, 23))
        HazardFactory(school=school, deadline=dt.date(2026, 11, 20))
        HazardFactory(school=school, deadline=dt.date(2026, 11, 30))
        HazardFactory(school=school, status="verified")
        for item in ins.items.all():
            services.record_item(item, by=ins.responsible, result="ok")
        services.submit_inspection(ins, by=ins.responsible)
        assert dashboard_counts(school) == {
            "open_hazards": 2, "overdue_hazards": 1, "inspections_due_today": 1, "inspections_done_today": 1,
        }


def test_sweep_twice_frozen_time_reminds_once_and_escalates(school):
    director = member(Role.LOGISTICS_DIRECTOR, school)
    principal = member(Role.PRINCIPAL, school)
    plan = PlanFactory(school=school, starts_on=dt.date(2026, 11, 20))
    hazard = HazardFactory(school=school, deadline=dt.date(2026, 11, 22))
    with time_machine.travel(dt.datetime(2026, 11, 23, 1, tzinfo=dt.UTC), tick=False):
        first, second = tasks.sweep(), tasks.sweep()
    assert first == {"generated": 4, "reminded": 2, "escalated": 1}
    assert second == {"generated": 0, "reminded": 0, "escalated": 0}
    assert Notification.objects.filter(recipient=plan.responsible).count() == 1
    assert Notification.objects.filter(recipient=hazard.responsible).count() == 1
    assert Notification.objects.filter(recipient=director).count() == 1
    assert not Notification.objects.filter(recipient=principal).exists()
    # After downtime: four days later the generator fills the gap, the principal hears of it once.
    with time_machine.travel(dt.datetime(2026, 11, 27, 1, tzinfo=dt.UTC), tick=False):
        result = tasks.sweep()
        tasks.sweep()
    assert result["generated"] == 4 and plan.inspections.count() == 8
    assert Notification.objects.filter(recipient=principal).count() == 1
    assert Notification.objects.filter(recipient=plan.responsible).count() == 2
