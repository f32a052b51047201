"""Every write of the repairs app: one function per step of a ticket's life.

Each step checks the actor's role (``require``) and their relation to the ticket, moves the
status through ``logistics.workflow.move`` (a conditional UPDATE, so of two clicks only one
wins), writes a ``RepairEvent`` and notifies whoever acts next, in one transaction.
"""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from logistics.roles import DIR, can, has_role, require
from logistics.services import notify, notify_role
from logistics.workflow import claim, move
from repairs.choices import (
    MAX_PHOTOS,
    OPEN_STATUSES,
    REPAIR_TRANSITIONS,
    DamageCause,
    EventKind,
    RepairStatus,
    Urgency,
)
from repairs.models import MaintenancePlan, Repair, RepairEvent, RepairMaterial, RepairPhoto, RepairSettings

S = RepairStatus
PHOTO_MAX_SIDE = 1600
THUMB_MAX_SIDE = 320


def _event(repair, *, by, kind=EventKind.STATUS, from_status="", to_status="", note="") -> RepairEvent:
    return RepairEvent.objects.create(
        repair=repair, actor=by, kind=kind, from_status=from_status, to_status=to_status, note=note or ""
    )


def _step(repair, to, *, by, note="", extra=None) -> Repair:
    before = move(repair, to, transitions=REPAIR_TRANSITIONS, extra=extra)
    _event(repair, by=by, from_status=before, to_status=to, note=note)
    return repair


def final_refusal(repair) -> str | None:
    """Why this ticket can no longer change, or None. A closed ticket (signed off, or closed
    automatically) keeps its sign-off, rating, costs and timeline as they are; so does a
    cancelled one."""
    if repair.status == S.CLOSED:
        return _("Request %(number)s is closed: its sign-off, rating and timeline can no longer be changed.") % {"number": repair.number}
    if repair.status == S.CANCELLED:
        return _("Request %(number)s was cancelled and can no longer be changed.") % {"number": repair.number}
    return None


def _require_changeable(repair) -> None:
    """First check of every step on an existing ticket (the views check it again before the
    form, so that a refused attempt is logged and explained whatever was typed)."""
    refusal = final_refusal(repair)
    if refusal:
        raise ValidationError(refusal)


def _next_number(school, when) -> str:
    year = timezone.localtime(when).year
    prefix = f"{year}-"
    last = (
        Repair.objects.filter(school=school, number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    )
    seq = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def _require_same_school(obj, school, label):
    if obj is not None and obj.school_id != school.pk:
        raise ValidationError(_("The %(what)s belongs to another school.") % {"what": label})


@transaction.atomic
def create_repair(*, school, reporter, room, description, urgency="normal", asset=None, source_note="", plan=None, occurrence=None, now=None) -> Repair:
    """A new repair request in the logistics inbox, with its service deadlines set."""
    require(reporter, "repairs.report", school=school)
    _require_same_school(room, school, pgettext("repair", "room"))
    if asset is not None:
        _require_same_school(asset, school, _("asset"))
    if urgency not in Urgency.values:
        raise ValidationError(_("Unknown urgency."))
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Describe the fault."))
    now = now or timezone.now()
    respond, fix = RepairSettings.for_school(school).deadlines(urgency)
    fields = dict(
        school=school, room=room, reporter=reporter, description=description, urgency=urgency,
        source_note=source_note[:200], response_due=now + respond, completion_due=now + fix,
        plan=plan, occurrence=occurrence, created_at=now,
    )
    if asset is not None:
        fields["asset"] = asset
    for _attempt in range(5):
        try:
            with transaction.atomic():
                repair = Repair.objects.create(number=_next_number(school, now), **fields)
            break
        except IntegrityError:
            if plan is not None and Repair.objects.filter(plan=plan, occurrence=occurrence).exists():
                raise
            continue
    else:  # pragma: no cover - five concurrent reports in the same instant
        raise ValidationError(_("Could not number the request; please try again."))
    _event(repair, by=reporter, to_status=S.SUBMITTED, note=source_note)
    notify_role(
        school, "logistics_staff",
        text=format_lazy(gettext_lazy("New repair request {number}: {room}"), number=repair.number, room=str(room)),
        url=repair.get_absolute_url(), key=f"repairs:new:{repair.pk}",
    )
    return repair


def _check_image(upload) -> Image.Image:
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file %(name)s is too large (at most %(mb)s MB).") % {"name": upload.name, "mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        Image.open(upload).verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The file %(name)s is not an image.") % {"name": upload.name}) from None
    return image


def _jpeg(image: Image.Image, side: int) -> bytes:
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


@transaction.atomic
def add_photos(repair, files, *, by) -> list[RepairPhoto]:
    """Attach photos (images only, checked by content; resized, with thumbnails)."""
    _require_changeable(repair)
    if by != repair.reporter and not can(by, "repairs.work", school=repair.school):
        raise ValidationError(_("Only the requester or the repair team may add photos."))
    if repair.status not in OPEN_STATUSES:
        raise ValidationError(_("This request is finished; its photos can no longer change."))
    if repair.photos.count() + len(files) > MAX_PHOTOS:
        raise ValidationError(_("At most %(n)s photos per request.") % {"n": MAX_PHOTOS})
    images = [(f, _check_image(f)) for f in files]
    result = []
    for index, (upload, image) in enumerate(images, start=repair.photos.count() + 1):
        photo = RepairPhoto(repair=repair)
        photo.image.save(f"photo-{index}.jpg", ContentFile(_jpeg(image, PHOTO_MAX_SIDE)), save=False)
        photo.thumbnail.save(f"thumb-{index}.jpg", ContentFile(_jpeg(image, THUMB_MAX_SIDE)), save=False)
        photo.save()
        result.append(photo)
    return result


@transaction.atomic
def take_repair(repair, *, by) -> Repair:
    """首问负责: the first staff member to take the request owns it. Of two clicks only one wins."""
    _require_changeable(repair)
    require(by, "repairs.take", school=repair.school)
    now = timezone.now()
    _step(repair, S.TAKEN, by=by, extra={"owner_id": by.pk, "taken_at": now})
    repair.owner = by
    notify(
        repair.reporter, school=repair.school, url=repair.get_absolute_url(), key=f"repairs:taken:{repair.pk}",
        text=format_lazy(gettext_lazy("{who} has taken your repair request {number}."), who=str(by), number=repair.number),
    )
    return repair


def _require_owner(repair, by):
    if repair.owner_id != by.pk and not has_role(by, DIR, school=repair.school):
        raise ValidationError(_("Only the owner of this request (the staff member who took it) may do this."))


@transaction.atomic
def handover_repair(repair, *, to, by, reason) -> Repair:
    """Hand the ownership of a taken request to another staff member, with a reason."""
    _require_changeable(repair)
    require(by, "repairs.handover", school=repair.school)
    _require_owner(repair, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the hand-over."))
    if repair.status not in OPEN_STATUSES or repair.owner_id is None:
        raise ValidationError(_("Only a taken, unfinished request can be handed over."))
    if to.pk == repair.owner_id:
        raise ValidationError(_("This person already owns the request."))
    if not can(to, "repairs.take", school=repair.school):
        raise ValidationError(_("%(who)s is not logistics staff of this school.") % {"who": to})
    previous = repair.owner
    if not claim(Repair, repair.pk, where={"owner_id": previous.pk}, set={"owner_id": to.pk, "updated_at": timezone.now()}):
        raise ValidationError(_("Someone else changed this record a moment ago. Reload the page and try again."))
    repair.owner = to
    _event(repair, by=by, kind=EventKind.HANDOVER, note=f"{previous} → {to}: {reason}")
    notify(
        to, school=repair.school, url=repair.get_absolute_url(),
        text=format_lazy(gettext_lazy("{who} handed repair request {number} over to you: {reason}"), who=str(by), number=repair.number, reason=reason),
    )
    return repair


@transaction.atomic
def dispatch_repair(repair, *, to, by, planned_at=None, note="") -> Repair:
    """The owner sends the job to a repairer (or to themself) with a planned time."""
    _require_changeable(repair)
    require(by, "repairs.dispatch", school=repair.school)
    _require_owner(repair, by)
    if not can(to, "repairs.work", school=repair.school):
        raise ValidationError(_("%(who)s cannot do repairs at this school.") % {"who": to})
    if repair.status == S.DISPATCHED and repair.assignee_id == to.pk:
        raise ValidationError(_("This job is already dispatched to %(who)s.") % {"who": to})
    now = timezone.now()
    _step(repair, S.DISPATCHED, by=by, note=note or str(to), extra={"assignee_id": to.pk, "planned_at": planned_at, "dispatched_at": now})
    repair.assignee = to
    if to != by:
        notify(
            to, school=repair.school, url=repair.get_absolute_url(),
            text=format_lazy(gettext_lazy("Repair job {number} is assigned to you: {room}"), number=repair.number, room=str(repair.room)),
        )
    return repair


def _require_assignee(repair, by):
    require(by, "repairs.work", school=repair.school)
    if repair.assignee_id != by.pk:
        raise ValidationError(_("Only the repairer this job is dispatched to may do this."))


@transaction.atomic
def start_repair(repair, *, by) -> Repair:
    _require_changeable(repair)
    _require_assignee(repair, by)
    return _step(repair, S.IN_PROGRESS, by=by)


WORKING = (S.DISPATCHED, S.IN_PROGRESS)


def _require_working(repair):
    _require_changeable(repair)
    if repair.status not in WORKING:
        raise ValidationError(_("Work can only be recorded while the job is dispatched or in progress."))


@transaction.atomic
def add_work_note(repair, *, by, note) -> RepairEvent:
    _require_assignee(repair, by)
    _require_working(repair)
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Write what was done."))
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    _update_while_working(repair, work_notes=Concat(F("work_notes"), Value(f"[{stamp} {by}] {note}\n"), output_field=TextField()))
    repair.refresh_from_db(fields=["work_notes"])
    return _event(repair, by=by, kind=EventKind.NOTE, note=note)


def _update_while_working(repair, **values) -> None:
    """Change the ticket only if it is still being worked on (it may have been finished a moment
    ago in another tab): otherwise refuse, and the whole step — a stock issue too — is undone."""
    if Repair.objects.filter(pk=repair.pk, status__in=WORKING).update(**values) != 1:
        raise ValidationError(_("Someone else changed this record a moment ago. Reload the page and try again."))


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter an amount.")) from None
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    return amount


@transaction.atomic
def add_other_cost(repair, *, by, amount, note) -> Repair:
    """A cost other than store-room material (a part bought outside, a contractor's fee)."""
    _require_assignee(repair, by)
    _require_working(repair)
    amount = _money(amount)
    if not (note or "").strip():
        raise ValidationError(_("Say what the cost was for."))
    _update_while_working(repair, other_cost=F("other_cost") + amount, updated_at=timezone.now())
    repair.refresh_from_db(fields=["other_cost"])
    _event(repair, by=by, kind=EventKind.COST, note=f"¥{amount} {note}")
    return repair


@transaction.atomic
def use_material(repair, *, item, quantity, by) -> RepairMaterial:
    """Draw material from the store room for this job: the store-room ledger decreases the stock."""
    _require_assignee(repair, by)
    _require_working(repair)
    from assets import services as asset_services

    if item.school_id != repair.school_id:
        raise ValidationError(_("The item belongs to another school."))
    quantity = Decimal(str(quantity))
    if quantity <= 0:
        raise ValidationError(_("The quantity must be more than zero."))
    stock_move = asset_services.issue_stock(item, quantity=quantity, by=by, repair=repair, note=repair.number)
    unit_price = stock_move.unit_price or Decimal("0")
    amount = (unit_price * quantity).quantize(Decimal("0.01"))
    material = RepairMaterial.objects.create(
        repair=repair, name=str(item), quantity=quantity, unit=item.unit, amount=amount,
        stock_move_id=stock_move.pk, by=by,
    )
    _update_while_working(repair, material_cost=F("material_cost") + amount, updated_at=timezone.now())
    repair.refresh_from_db(fields=["material_cost"])
    _event(repair, by=by, kind=EventKind.MATERIAL, note=f"{item} × {quantity}")
    return material


@transaction.atomic
def complete_repair(repair, *, by, note="") -> Repair:
    """The repairer marks the job done; the requester is asked to sign it off."""
    _require_changeable(repair)
    _require_assignee(repair, by)
    _step(repair, S.DONE, by=by, note=note, extra={"done_at": timezone.now()})
    notify(
        repair.reporter, school=repair.school, url=repair.get_absolute_url(), key=f"repairs:done:{repair.pk}:{repair.reopen_count}",
        text=format_lazy(gettext_lazy("Repair {number} is done. Please check it and sign it off."), number=repair.number),
    )
    return repair


def _require_reporter(repair, by):
    if repair.reporter_id != by.pk:
        raise ValidationError(_("Only the person who reported the fault may sign it off or reject it."))


def _rating(value, label) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError(_("%(what)s: give 1 to 5 stars.") % {"what": label})
    return value


@transaction.atomic
def sign_off_repair(repair, *, by, timeliness, quality, attitude, comment="") -> Repair:
    """验收签字: the requester accepts the work and rates it. Closed tickets never change again."""
    _require_changeable(repair)
    _require_reporter(repair, by)
    ratings = {
        "rating_timeliness": _rating(timeliness, _("Timeliness")),
        "rating_quality": _rating(quality, _("Quality")),
        "rating_attitude": _rating(attitude, _("Attitude")),
    }
    _step(
        repair, S.CLOSED, by=by, note=comment,
        extra={**ratings, "rating_comment": comment or "", "signed_by_id": by.pk, "closed_at": timezone.now()},
    )
    repair.signed_by = by
    if repair.assignee_id:
        notify(
            repair.assignee, school=repair.school, url=repair.get_absolute_url(),
            text=format_lazy(gettext_lazy("Repair {number} was signed off."), number=repair.number),
        )
    return repair


@transaction.atomic
def reject_repair(repair, *, by, reason) -> Repair:
    """The requester is not satisfied: the job goes back to the same repairer."""
    _require_changeable(repair)
    _require_reporter(repair, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what is still wrong."))
    _step(repair, S.DISPATCHED, by=by, note=reason, extra={"done_at": None, "reopen_count": repair.reopen_count + 1})
    for person in {repair.assignee, repair.owner} - {None}:
        notify(
            person, school=repair.school, url=repair.get_absolute_url(),
            text=format_lazy(gettext_lazy("Repair {number} was rejected and reopened: {reason}"), number=repair.number, reason=reason),
        )
    return repair


@transaction.atomic
def cancel_repair(repair, *, by, reason) -> Repair:
    """Withdraw a request that is not yet dispatched (the requester, or the office)."""
    _require_changeable(repair)
    if by != repair.reporter:
        require(by, "repairs.take", school=repair.school)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for cancelling."))
    _step(repair, S.CANCELLED, by=by, note=reason, extra={"closed_at": timezone.now()})
    # whoever else is involved hears of it: the requester when the office cancels, the owner otherwise
    for person in {repair.reporter, repair.owner} - {None, by}:
        notify(
            person, school=repair.school, url=repair.get_absolute_url(), key=f"repairs:cancelled:{repair.pk}",
            text=format_lazy(gettext_lazy("Repair request {number} was cancelled by {who}: {reason}"), number=repair.number, who=str(by), reason=reason),
        )
    return repair


@transaction.atomic
def record_cause(repair, *, cause, by, liable_person=None, note="") -> Repair:
    """Record why it broke. Deliberate damage to an asset opens the compensation record in assets."""
    _require_changeable(repair)
    require(by, "repairs.dispatch", school=repair.school)
    if cause not in DamageCause.values:
        raise ValidationError(_("Unknown cause."))
    if repair.cause:
        raise ValidationError(_("The cause is already recorded."))
    if cause == DamageCause.DELIBERATE and liable_person is None:
        raise ValidationError(_("Name who is liable for deliberate damage."))
    asset = repair.asset
    if asset is not None and cause != DamageCause.NATURAL:
        from assets import services as asset_services

        asset_services.record_damage(asset, cause=cause, liable_person=liable_person, by=by, repair=repair, note=note)
    where = {"cause": "", "status__in": [s for s in S.values if s not in (S.CLOSED, S.CANCELLED)]}
    if not claim(Repair, repair.pk, where=where, set={"cause": cause, "updated_at": timezone.now()}):
        raise ValidationError(_("The cause is already recorded."))
    repair.cause = cause
    label = DamageCause(cause).label
    _event(repair, by=by, kind=EventKind.CAUSE, note=f"{label} {liable_person or ''} {note}".strip())
    return repair


@transaction.atomic
def update_settings(school, *, by, **values) -> RepairSettings:
    require(by, "repairs.configure", school=school)
    obj = RepairSettings.for_school(school)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


# Scheduled sweeps ----------------------------------------------------------------------------


def _settings_by_school() -> dict:
    """Every school's service settings, in one query (a school without a row gets the defaults)."""
    return {conf.school_id: conf for conf in RepairSettings.objects.all()}


def _due(candidates, *, since, limit) -> list:
    """The candidates whose school's time limit has passed: ``since(repair) <= limit(settings)``."""
    confs = _settings_by_school()
    default = RepairSettings()
    return [r for r in candidates if since(r) <= limit(confs.get(r.school_id, default))]


def _lock_still(ids, **where) -> list[int]:
    """Lock the rows still matching ``where`` (PostgreSQL: rows another worker holds are skipped)."""
    qs = Repair.objects.filter(pk__in=ids, **where)
    if transaction.get_connection().features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.values_list("pk", flat=True))


@transaction.atomic
def escalate_untaken(now=None) -> int:
    """Requests nobody took within the school's escalation time go to the director (once each).

    A fixed number of queries whatever the number of schools and tickets: settings, candidates,
    lock, claim, events, directors, notifications. Two workers at once: the rows one of them has
    locked are skipped by the other, the claim is conditional, and the notices carry keys.
    """
    from logistics.models import Membership
    from logistics.services import notice, send_notices

    now = now or timezone.now()
    # Untaken, unescalated requests are few at any time (the inbox's "not taken" list).
    candidates = Repair.objects.filter(status=S.SUBMITTED, escalated_at__isnull=True, created_at__lte=now).select_related("room__building", "school")
    due = _due(candidates, since=lambda r: r.created_at, limit=lambda conf: now - dt.timedelta(minutes=conf.escalate_after_minutes))
    if not due:
        return 0
    won = set(_lock_still([r.pk for r in due], status=S.SUBMITTED, escalated_at__isnull=True))
    due = [r for r in due if r.pk in won]
    if not due:
        return 0
    Repair.objects.filter(pk__in=won).update(escalated_at=now)
    note = _("Nobody took this request in time.")
    RepairEvent.objects.bulk_create([RepairEvent(repair=r, kind=EventKind.ESCALATED, note=note, created_at=now) for r in due])
    directors: dict[int, list] = {}
    for m in Membership.objects.filter(school_id__in={r.school_id for r in due}, role=DIR, user__is_active=True).select_related("user"):
        directors.setdefault(m.school_id, []).append(m.user)
    send_notices([
        notice(user, school_id=r.school_id, key=f"repairs:escalated:{r.pk}", url=r.get_absolute_url(),
               text=format_lazy(gettext_lazy("Repair request {number} ({room}) has not been taken in time."), number=r.number, room=str(r.room)))
        for r in due for user in directors.get(r.school_id, [])
    ])
    return len(due)


@transaction.atomic
def auto_close_unsigned(now=None) -> int:
    """Finished jobs the requester has not signed off within N days close by themselves, marked so.

    Fixed query count (settings, candidates, lock, close, events), like ``escalate_untaken``.
    """
    now = now or timezone.now()
    # Jobs waiting for sign-off are few at any time.
    candidates = Repair.objects.filter(status=S.DONE, done_at__lte=now).only("pk", "school_id", "done_at")
    due = _due(candidates, since=lambda r: r.done_at, limit=lambda conf: now - dt.timedelta(days=conf.auto_close_days))
    if not due:
        return 0
    won = _lock_still([r.pk for r in due], status=S.DONE)
    if not won:
        return 0
    Repair.objects.filter(pk__in=won, status=S.DONE).update(status=S.CLOSED, auto_closed=True, closed_at=now, updated_at=now)
    note = _("Closed automatically: not signed off in time.")
    RepairEvent.objects.bulk_create([
        RepairEvent(repair_id=pk, kind=EventKind.STATUS, from_status=S.DONE, to_status=S.CLOSED, note=note, created_at=now) for pk in won
    ])
    return len(won)


def ensure_settings() -> None:
    """Every school that has repair requests gets its settings row (so the office can see and
    change them). Two queries whatever the number of schools."""
    from django.db.models import Exists, OuterRef

    from logistics.models import School

    missing = School.objects.filter(repair_settings__isnull=True).filter(Exists(Repair.objects.filter(school=OuterRef("pk"))))
    RepairSettings.objects.bulk_create([RepairSettings(school=school) for school in missing], ignore_conflicts=True)


def generate_planned(today=None, *, lookback_days=31) -> int:
    """One ticket per occurrence of each active maintenance plan, for occurrences up to today.

    Looking back ``lookback_days`` catches up after downtime; the unique (plan, occurrence)
    constraint makes a second run, or a second worker, create nothing.
    """
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=lookback_days)
    created = 0
    plans = list(MaintenancePlan.objects.filter(active=True).select_related("school", "room__building", "created_by", "assignee"))
    # one query for what already exists, whatever the number of plans
    existing = set(
        Repair.objects.filter(plan__in=plans, occurrence__gte=start).values_list("plan_id", "occurrence")
    ) if plans else set()
    for plan in plans:
        for day in plan.occurrences(start, today):
            if (plan.pk, day) in existing:
                continue
            try:
                with transaction.atomic():
                    repair = create_repair(
                        school=plan.school, reporter=plan.created_by, room=plan.room,
                        description=f"{plan.title}\n{plan.description}".strip(), urgency=plan.urgency,
                        source_note=_("Planned maintenance %(date)s") % {"date": day.isoformat()},
                        plan=plan, occurrence=day,
                    )
            except IntegrityError:
                continue
            created += 1
            creator_takes = can(plan.created_by, "repairs.take", school=plan.school)
            if plan.assignee_id and creator_takes and can(plan.assignee, "repairs.work", school=plan.school):
                with transaction.atomic():
                    take_repair(repair, by=plan.created_by)
                    dispatch_repair(repair, to=plan.assignee, by=plan.created_by, note=plan.title)
    return created


@transaction.atomic
def create_plan(*, school, by, **fields) -> MaintenancePlan:
    """A recurring maintenance job; the beat sweep turns each occurrence into a ticket."""
    require(by, "repairs.plan_maintenance", school=school)
    room = fields.get("room")
    _require_same_school(room, school, pgettext("repair", "room"))
    plan = MaintenancePlan(school=school, created_by=by, **fields)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def update_plan(plan, *, by, **fields) -> MaintenancePlan:
    """Change a recurring job (or stop it: ``active=False``). Tickets already made stay as they are."""
    require(by, "repairs.plan_maintenance", school=plan.school)
    room = fields.get("room", plan.room)
    _require_same_school(room, plan.school, pgettext("repair", "room"))
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    return plan
