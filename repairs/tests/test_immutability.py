"""A closed (signed-off) or cancelled ticket never changes: every step refuses it on the server,
through the views and through the services, and each refused attempt is written to the audit log."""
import io
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from logistics.roles import Role
from repairs import services
from repairs.choices import RepairStatus
from repairs.models import Repair, RepairEvent
from repairs.tests.factories import RepairFactory

pytestmark = pytest.mark.django_db
S = RepairStatus


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return SimpleUploadedFile("a.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def cast(school, make_member):
    return {
        "reporter": make_member(Role.TEACHER, username="wang"),
        "owner": make_member(Role.LOGISTICS_STAFF, username="li"),
        "staff2": make_member(Role.LOGISTICS_STAFF, username="li2"),
        "repairer": make_member(Role.REPAIRER, username="zhang"),
        "director": make_member(Role.LOGISTICS_DIRECTOR, username="liu"),
    }


def closed_ticket(school, cast, status=S.CLOSED):
    now = timezone.now()
    repair = RepairFactory(
        school=school, status=status, reporter=cast["reporter"], owner=cast["owner"], assignee=cast["repairer"],
        taken_at=now, dispatched_at=now, done_at=now, closed_at=now, signed_by=cast["reporter"],
        rating_timeliness=5, rating_quality=4, rating_attitude=5, rating_comment="好", work_notes="换灯\n",
        other_cost=Decimal("12.00"),
    )
    RepairEvent.objects.create(repair=repair, to_status=status, actor=cast["reporter"], note="签字")
    return repair


def snapshot(repair):
    r = Repair.objects.get(pk=repair.pk)
    fields = ("status", "owner_id", "assignee_id", "rating_timeliness", "rating_quality", "rating_attitude", "rating_comment",
              "work_notes", "other_cost", "material_cost", "cause", "reopen_count", "signed_by_id", "closed_at", "done_at")
    events = list(r.events.values_list("pk", "kind", "to_status", "note"))
    return {f: getattr(r, f) for f in fields}, events, r.photos.count()


# Every step, posted by the person who could take it on an open ticket, with valid data.
STEPS = [
    ("repair_take", "owner", {}),
    ("repair_handover", "owner", lambda c: {"to": c["staff2"].pk, "reason": "休假"}),
    ("repair_dispatch", "owner", lambda c: {"to": c["repairer"].pk, "planned_at": "", "note": ""}),
    ("repair_start", "repairer", {}),
    ("repair_note", "repairer", {"note": "再修一下"}),
    ("repair_cost", "repairer", {"amount": "20", "note": "配件"}),
    ("repair_complete", "repairer", {"note": "好了"}),
    ("repair_signoff", "reporter", {"timeliness": 1, "quality": 1, "attitude": 1, "comment": "改评分"}),
    ("repair_reject", "reporter", {"reason": "其实没修好"}),
    ("repair_cancel", "reporter", {"reason": "不要了"}),
    ("repair_cause", "owner", {"cause": "natural", "liable_person": "", "note": ""}),
    ("repair_cause", "director", {"cause": "natural", "liable_person": "", "note": ""}),
    ("repair_dispatch", "director", lambda c: {"to": c["repairer"].pk, "planned_at": "", "note": ""}),
    ("repair_note", "repairer", {"note": ""}),  # an invalid form is refused for being closed, not for the field
]


@pytest.mark.parametrize("status", [S.CLOSED, S.CANCELLED])
@pytest.mark.parametrize(("url_name", "actor", "data"), STEPS)
def test_every_step_on_a_closed_ticket_is_refused_logged_and_keeps_the_input(school, cast, client, caplog, status, url_name, actor, data):
    repair = closed_ticket(school, cast, status)
    before = snapshot(repair)
    data = data(cast) if callable(data) else data
    client.force_login(cast[actor])
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        response = client.post(reverse(f"repairs:{url_name}", args=[repair.pk]), data)
    assert response.status_code == 302 and response.url == repair.get_absolute_url()
    assert snapshot(repair) == before
    [record] = [r for r in caplog.records if r.name == "logistics.audit"]
    assert (record.user, record.object, record.action) == (cast[actor].username, f"repairs.Repair:{repair.pk}", f"repairs:{url_name}")
    if data:
        assert client.session["action_form_data"]["data"] == {k: str(v) for k, v in data.items()}
    shown = [str(m) for m in client.get(response.url).context["messages"]]
    assert shown == [record.reason] and repair.number in record.reason


def test_the_closed_ticket_page_offers_no_step(school, cast, client):
    repair = closed_ticket(school, cast)
    for who in cast.values():
        client.force_login(who)
        page = client.get(repair.get_absolute_url())
        assert page.status_code == 200
        assert not page.context["forms"] and not any(page.context["may"].values()), who
        assert f'action="/repairs/{repair.pk}/' not in page.content.decode()


@pytest.mark.parametrize("status", [S.CLOSED, S.CANCELLED])
def test_services_refuse_a_closed_ticket_too(school, cast, status):
    from assets.models import StoreItem

    repair = closed_ticket(school, cast, status)
    before = snapshot(repair)
    c = cast
    calls = [
        lambda: services.take_repair(repair, by=c["owner"]),
        lambda: services.handover_repair(repair, to=c["staff2"], by=c["owner"], reason="x"),
        lambda: services.dispatch_repair(repair, to=c["repairer"], by=c["owner"]),
        lambda: services.start_repair(repair, by=c["repairer"]),
        lambda: services.add_work_note(repair, by=c["repairer"], note="x"),
        lambda: services.add_other_cost(repair, by=c["repairer"], amount="5", note="x"),
        lambda: services.use_material(repair, item=StoreItem(school=school, name="灯管"), quantity=1, by=c["repairer"]),
        lambda: services.complete_repair(repair, by=c["repairer"]),
        lambda: services.sign_off_repair(repair, by=c["reporter"], timeliness=1, quality=1, attitude=1),
        lambda: services.reject_repair(repair, by=c["reporter"], reason="x"),
        lambda: services.cancel_repair(repair, by=c["reporter"], reason="x"),
        lambda: services.record_cause(repair, cause="natural", by=c["director"]),
        lambda: services.add_photos(repair, [jpeg()], by=c["reporter"]),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as exc:
            call()
        assert repair.number in exc.value.messages[0]
    assert snapshot(repair) == before


def test_work_recorded_in_one_tab_after_sign_off_in_another_is_refused(school, cast):
    """The ticket object in memory still says "in progress"; the database says closed."""
    repair = closed_ticket(school, cast)
    stale = Repair.objects.get(pk=repair.pk)
    stale.status = S.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.add_other_cost(stale, by=cast["repairer"], amount="9", note="晚到的费用")
    with pytest.raises(ValidationError):
        services.add_work_note(stale, by=cast["repairer"], note="晚到的记录")
    repair.refresh_from_db()
    assert (repair.other_cost, repair.work_notes) == (Decimal("12.00"), "换灯\n")
