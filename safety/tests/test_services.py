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
        services.update_hazard(hazard, by=director, deadline=dt.date(2027, 1, 1))
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
    # 4 inspections (20th–23rd): today's and the three overdue ones announced; the hazard to its
    # person and, overdue, to the director
    assert first == {"generated": 4, "notified": 6, "escalated": 1}
    assert second == {"generated": 0, "notified": 0, "escalated": 0}
    assert Notification.objects.filter(recipient=plan.responsible).count() == 4
    assert Notification.objects.filter(recipient=hazard.responsible).count() == 1
    assert Notification.objects.filter(recipient=director).count() == 1
    assert not Notification.objects.filter(recipient=principal).exists()
    # After downtime: four days later the generator fills the gap, the principal hears of it once.
    with time_machine.travel(dt.datetime(2026, 11, 27, 1, tzinfo=dt.UTC), tick=False):
        result = tasks.sweep()
        tasks.sweep()
    assert result["generated"] == 4 and plan.inspections.count() == 8
    assert Notification.objects.filter(recipient=principal).count() == 1
    # today's, and the 23rd–26th now overdue (the 20th–22nd were announced already): 4 + 5
    assert Notification.objects.filter(recipient=plan.responsible).count() == 9


# --- plans -----------------------------------------------------------------------------------------

def _plan_data(school, **kw):
    from logistics.tests.factories import RoomFactory

    return {"name": "每日巡视", "room": RoomFactory(school=school), "checklist": ["门窗", "消防通道"], "frequency": "daily",
            "responsible": member(Role.LOGISTICS_STAFF, school), "starts_on": dt.date(2026, 11, 23), **kw}


@pytest.mark.parametrize(("change", "field"), [
    ({"checklist": ["", "  "]}, "checklist"),
    ({"frequency": "weekly", "weekdays": []}, "weekdays"),
    ({"frequency": "monthly", "day_of_month": None}, "day_of_month"),
    ({"window_start": dt.time(18), "window_end": dt.time(17)}, "window_end"),
    ({"window_start": dt.time(18)}, "window_end"),
    ({"gate_check": True}, "window_start"),
])
def test_plan_rules_are_enforced_by_the_service(school, change, field):
    director = member(Role.LOGISTICS_DIRECTOR, school)
    with pytest.raises(ValidationError) as err:
        services.create_plan(school=school, by=director, **{**_plan_data(school), **change})
    assert field in err.value.message_dict


def test_plan_needs_a_responsible_person_who_inspects_and_an_area_of_the_school(school, other_school):
    from logistics.tests.factories import BuildingFactory, RoomFactory

    director = member(Role.LOGISTICS_DIRECTOR, school)
    with pytest.raises(ValidationError) as err:
        services.create_plan(school=school, by=director, **_plan_data(school, responsible=member(Role.TEACHER, school)))
    assert "responsible" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.create_plan(school=school, by=director, **_plan_data(school, room=RoomFactory(school=other_school)))
    assert "room" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.create_plan(school=school, by=director, **_plan_data(school, building=BuildingFactory(school=school)))
    with pytest.raises(PermissionDenied):
        services.create_plan(school=school, by=member(Role.GUARD, school), **_plan_data(school))


def test_created_plan_makes_todays_inspection_and_a_change_applies_from_now_on(school):
    director = member(Role.LOGISTICS_DIRECTOR, school)
    with time_machine.travel(dt.datetime(2026, 11, 23, 1, tzinfo=dt.UTC), tick=False):
        plan = services.create_plan(school=school, by=director, **_plan_data(school, checklist="门窗\n\n消防通道\n"))
        assert plan.checklist == ["门窗", "消防通道"]
        ins = plan.inspections.get()
        assert [i.text for i in ins.items.order_by("position")] == ["门窗", "消防通道"]
        other = member(Role.GUARD, school)
        services.update_plan(plan, by=director, checklist=["门窗", "消防通道", "电线"], responsible=other)
    ins.refresh_from_db()
    assert ins.items.count() == 2  # made before the change: keeps its checklist
    assert ins.responsible == other  # but an open inspection follows the new person
    with time_machine.travel(dt.datetime(2026, 11, 24, 1, tzinfo=dt.UTC), tick=False):
        services.generate_inspections()
    assert plan.inspections.get(due_date=dt.date(2026, 11, 24)).items.count() == 3


def test_whole_school_plan_sends_the_repair_to_a_chosen_room(school):
    from logistics.tests.factories import RoomFactory

    director = member(Role.LOGISTICS_DIRECTOR, school)
    rooms = [RoomFactory(school=school), RoomFactory(school=school)]
    plan = services.create_plan(school=school, by=director, **{**_plan_data(school), "room": None, "name": "每月安全隐患排查",
                                                              "responsible": director, "starts_on": services.local_today()})
    assert str(plan.area) in ("全校", "Whole school")
    ins = plan.inspections.get()
    for item in ins.items.all():
        services.record_item(item, by=director, result="problem", note="灭火器过期", severity="high")
    hazard = services.submit_inspection(ins, by=director)[0]
    assert hazard.deadline == services.local_today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.create_repair_for_hazard(hazard, by=director)  # which room?
    repair = services.create_repair_for_hazard(hazard, by=director, room=rooms[1])
    assert repair.room == rooms[1] and repair.urgency == "urgent"


# --- immutability and the audit log -------------------------------------------------------------

def test_a_refused_edit_of_a_submitted_inspection_is_written_to_the_audit_log(school, caplog):
    import logging

    ins = _inspection(school, starts_on=dt.date(2026, 11, 23))
    staff = ins.responsible
    for item in ins.items.all():
        services.record_item(item, by=staff, result="ok")
    services.submit_inspection(ins, by=staff)
    item = ins.items.first()
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        with pytest.raises(ValidationError):
            services.record_item(item, by=staff, result="problem", note="改一下")
        with pytest.raises(ValidationError):
            services.submit_inspection(Inspection.objects.get(pk=ins.pk), by=staff)
    records = [r for r in caplog.records if r.name == "logistics.audit"]
    assert [r.action for r in records] == ["safety.record_item", "safety.submit_inspection"]
    assert records[0].object == f"safety.Inspection:{ins.pk}" and records[0].user == staff.username
    assert records[0].school_id == school.pk and records[0].reason
    item.refresh_from_db()
    assert item.result == "ok"


def test_a_stale_copy_cannot_change_a_submitted_inspection(school):
    ins = _inspection(school, starts_on=dt.date(2026, 11, 23))
    staff = ins.responsible
    stale = list(ins.items.all())  # loaded while still due
    for item in ins.items.all():
        services.record_item(item, by=staff, result="ok")
    services.submit_inspection(Inspection.objects.get(pk=ins.pk), by=staff)
    with pytest.raises(ValidationError):
        services.record_item(stale[0], by=staff, result="problem", note="x")  # item.inspection is the stale 'due' copy
    assert not Hazard.objects.exists()


def test_item_records_who_checked_it_and_when(school):
    ins = _inspection(school, starts_on=dt.date(2026, 11, 23))
    director = member(Role.LOGISTICS_DIRECTOR, school)
    item = ins.items.first()
    with time_machine.travel(dt.datetime(2026, 11, 23, 2, tzinfo=dt.UTC), tick=False):
        services.record_item(item, by=director, result="ok")
    item.refresh_from_db()
    assert item.recorded_by == director and item.recorded_at == dt.datetime(2026, 11, 23, 2, tzinfo=dt.UTC)


# --- hazards ---------------------------------------------------------------------------------------

def test_director_changes_deadline_and_escalation_starts_again(school):
    director = member(Role.LOGISTICS_DIRECTOR, school)
    guard = member(Role.GUARD, school)
    hazard = HazardFactory(school=school, deadline=dt.date(2026, 11, 20), escalation_level=1)
    with time_machine.travel(dt.datetime(2026, 11, 23, 2, tzinfo=dt.UTC), tick=False):
        with pytest.raises(PermissionDenied):
            services.update_hazard(hazard, by=hazard.responsible, deadline=dt.date(2026, 11, 30))
        with pytest.raises(ValidationError):
            services.update_hazard(hazard, by=director, deadline=dt.date(2026, 10, 1))  # before it was found
        with pytest.raises(ValidationError):
            services.update_hazard(hazard, by=director, responsible=member(Role.TEACHER, school))
        hazard = services.update_hazard(hazard, by=director, deadline=dt.date(2026, 11, 30), responsible=guard, severity="high")
    assert (hazard.deadline, hazard.escalation_level, hazard.responsible, hazard.severity) == (dt.date(2026, 11, 30), 0, guard, "high")
    assert Notification.objects.filter(recipient=guard, url=hazard.get_absolute_url()).exists()


def test_sent_back_rectification_tells_the_reason(school):
    director = member(Role.LOGISTICS_DIRECTOR, school)
    hazard = HazardFactory(school=school)
    services.rectify_hazard(hazard, by=hazard.responsible, note="已修复", photo=png())
    services.verify_hazard(hazard, by=director, accept=False, note="照片看不清")
    note = Notification.objects.get(recipient=hazard.responsible)
    assert "照片看不清" in note.text and note.url == hazard.get_absolute_url()
    with pytest.raises(ValidationError):
        services.verify_hazard(Hazard.objects.get(pk=hazard.pk), by=director)  # open again: nothing to verify


def test_drill_is_recorded_by_the_office_not_in_the_future(school):
    from safety.models import Drill

    director = member(Role.LOGISTICS_DIRECTOR, school)
    with pytest.raises(ValidationError):
        services.record_drill(school=school, by=director, held_on=services.local_today() + dt.timedelta(days=1), kind="消防疏散演练")
    with pytest.raises(ValidationError):
        services.record_drill(school=school, by=director, held_on=services.local_today(), kind=" ")
    with pytest.raises(PermissionDenied):
        services.record_drill(school=school, by=member(Role.GUARD, school), held_on=services.local_today(), kind="消防疏散演练")
    services.record_drill(school=school, by=director, held_on=services.local_today(), kind="消防疏散演练", participants=600)
    assert Drill.objects.get().participants == 600
