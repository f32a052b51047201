"""Each step of a ticket's life, and the rules it enforces."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from logistics.models import Notification
from logistics.roles import Role
from logistics.tests.factories import RoomFactory
from repairs import services
from repairs.choices import REPAIR_TRANSITIONS, RepairStatus
from repairs.models import Repair

pytestmark = pytest.mark.django_db
S = RepairStatus


@pytest.fixture
def people(school, make_member):
    return {
        "teacher": make_member(Role.TEACHER),
        "staff": make_member(Role.LOGISTICS_STAFF),
        "staff2": make_member(Role.LOGISTICS_STAFF),
        "repairer": make_member(Role.REPAIRER),
        "director": make_member(Role.LOGISTICS_DIRECTOR),
    }


@pytest.fixture
def repair(school, people):
    return services.create_repair(school=school, reporter=people["teacher"], room=RoomFactory(school=school), description="投影仪不亮")


def jpeg(name="a.jpg", size=(2000, 1000)):
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_full_flow_from_report_to_sign_off(repair, people):
    services.take_repair(repair, by=people["staff"])
    assert repair.owner == people["staff"]
    services.dispatch_repair(repair, to=people["repairer"], by=people["staff"], planned_at=timezone.now())
    services.start_repair(repair, by=people["repairer"])
    services.add_work_note(repair, by=people["repairer"], note="换灯泡")
    services.add_other_cost(repair, by=people["repairer"], amount="35.5", note="外购灯泡")
    services.complete_repair(repair, by=people["repairer"])
    assert Notification.objects.filter(recipient=people["teacher"], text__contains=repair.number).exists()
    services.sign_off_repair(repair, by=people["teacher"], timeliness=5, quality=4, attitude=5, comment="好")
    repair.refresh_from_db()
    assert repair.status == S.CLOSED
    assert repair.other_cost == Decimal("35.50")
    assert repair.average_rating == 4.7
    assert "换灯泡" in repair.work_notes
    assert [e.to_status for e in repair.events.filter(kind="status")] == [S.SUBMITTED, S.TAKEN, S.DISPATCHED, S.IN_PROGRESS, S.DONE, S.CLOSED]


def test_first_taker_owns_the_request_and_second_take_fails(repair, people):
    stale = Repair.objects.get(pk=repair.pk)
    services.take_repair(repair, by=people["staff"])
    with pytest.raises(ValidationError):
        services.take_repair(stale, by=people["staff2"])
    repair.refresh_from_db()
    assert repair.owner == people["staff"]


def test_only_the_owner_dispatches_and_ownership_changes_only_by_handover_with_reason(repair, people):
    services.take_repair(repair, by=people["staff"])
    with pytest.raises(ValidationError):
        services.dispatch_repair(repair, to=people["repairer"], by=people["staff2"])
    with pytest.raises(ValidationError):
        services.handover_repair(repair, to=people["staff2"], by=people["staff"], reason="  ")
    services.handover_repair(repair, to=people["staff2"], by=people["staff"], reason="我出差")
    repair.refresh_from_db()
    assert repair.owner == people["staff2"]
    assert repair.events.filter(kind="handover", note__contains="我出差").exists()
    services.dispatch_repair(repair, to=people["staff2"], by=people["staff2"])  # to themself
    assert repair.assignee == people["staff2"]


def test_wrong_roles_are_refused(repair, people):
    with pytest.raises(PermissionDenied):
        services.take_repair(repair, by=people["teacher"])
    with pytest.raises(PermissionDenied):
        services.take_repair(repair, by=people["repairer"])
    services.take_repair(repair, by=people["staff"])
    with pytest.raises(ValidationError):  # a teacher cannot be dispatched to
        services.dispatch_repair(repair, to=people["teacher"], by=people["staff"])


def _done(repair, people):
    services.take_repair(repair, by=people["staff"])
    services.dispatch_repair(repair, to=people["repairer"], by=people["staff"])
    services.complete_repair(repair, by=people["repairer"])


def test_reject_reopens_to_the_same_repairer(repair, people):
    _done(repair, people)
    with pytest.raises(ValidationError):
        services.reject_repair(repair, by=people["teacher"], reason="")
    with pytest.raises(ValidationError):  # only the reporter
        services.reject_repair(repair, by=people["staff"], reason="不行")
    services.reject_repair(repair, by=people["teacher"], reason="还是不亮")
    repair.refresh_from_db()
    assert (repair.status, repair.assignee, repair.reopen_count, repair.done_at) == (S.DISPATCHED, people["repairer"], 1, None)
    assert Notification.objects.filter(recipient=people["repairer"], text__contains="还是不亮").exists()


def test_sign_off_needs_ratings_1_to_5_and_closed_tickets_never_change(repair, people):
    _done(repair, people)
    with pytest.raises(ValidationError):
        services.sign_off_repair(repair, by=people["teacher"], timeliness=6, quality=3, attitude=3)
    with pytest.raises(ValidationError):
        services.sign_off_repair(repair, by=people["staff"], timeliness=5, quality=5, attitude=5)
    services.sign_off_repair(repair, by=people["teacher"], timeliness=3, quality=3, attitude=3)
    for attempt in (
        lambda: services.reject_repair(repair, by=people["teacher"], reason="x"),
        lambda: services.add_work_note(repair, by=people["repairer"], note="x"),
        lambda: services.add_other_cost(repair, by=people["repairer"], amount=1, note="x"),
        lambda: services.sign_off_repair(repair, by=people["teacher"], timeliness=1, quality=1, attitude=1),
        lambda: services.add_photos(repair, [jpeg()], by=people["teacher"]),
    ):
        with pytest.raises(ValidationError):
            attempt()
    repair.refresh_from_db()
    assert (repair.rating_quality, repair.other_cost) == (3, 0)


def test_only_the_assigned_repairer_works_on_the_job(repair, people, make_member):
    services.take_repair(repair, by=people["staff"])
    services.dispatch_repair(repair, to=people["repairer"], by=people["staff"])
    other = make_member(Role.REPAIRER)
    with pytest.raises(ValidationError):
        services.complete_repair(repair, by=other)
    with pytest.raises(ValidationError):
        services.add_other_cost(repair, by=people["repairer"], amount="-3", note="x")


@pytest.mark.parametrize("status", list(S))
def test_forbidden_transitions_are_refused(school, people, status):
    from repairs.tests.factories import RepairFactory

    r = RepairFactory(school=school, status=status, reporter=people["teacher"], owner=people["staff"], assignee=people["repairer"])
    if S.CLOSED not in REPAIR_TRANSITIONS[status]:
        with pytest.raises(ValidationError):
            services.sign_off_repair(r, by=people["teacher"], timeliness=5, quality=5, attitude=5)
    if S.TAKEN not in REPAIR_TRANSITIONS[status]:
        with pytest.raises(ValidationError):
            services.take_repair(r, by=people["staff"])


def test_photos_are_checked_by_content_resized_and_limited(repair, people, settings):
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.add_photos(repair, [fake], by=people["teacher"])
    settings.MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError):
        services.add_photos(repair, [jpeg()], by=people["teacher"])
    settings.MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    photos = services.add_photos(repair, [jpeg(), jpeg("b.png")], by=people["teacher"])
    with Image.open(photos[0].thumbnail.path) as thumb:
        assert max(thumb.size) == services.THUMB_MAX_SIDE
    with Image.open(photos[0].image.path) as full:
        assert max(full.size) == services.PHOTO_MAX_SIDE
    with pytest.raises(ValidationError):
        services.add_photos(repair, [jpeg(), jpeg(), jpeg()], by=people["teacher"])
    assert repair.photos.count() == 2


def test_deliberate_cause_needs_a_liable_person_and_is_recorded_once(repair, people):
    with pytest.raises(ValidationError):
        services.record_cause(repair, cause="deliberate", by=people["staff"])
    services.record_cause(repair, cause="deliberate", by=people["staff"], liable_person=people["teacher"])
    with pytest.raises(ValidationError):
        services.record_cause(repair, cause="natural", by=people["staff"])
    assert Repair.objects.get(pk=repair.pk).cause == "deliberate"


def test_cancel_needs_a_reason_and_only_before_dispatch(repair, people):
    with pytest.raises(ValidationError):
        services.cancel_repair(repair, by=people["teacher"], reason="")
    services.cancel_repair(repair, by=people["teacher"], reason="自己修好了")
    assert Repair.objects.get(pk=repair.pk).status == S.CANCELLED
