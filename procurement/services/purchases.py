"""A purchase request up to its approval: drafting, the approval path fixed at submission and
the signed, race-safe approval steps. Each function checks role, object and business rules on
the server, moves the status with ``logistics.workflow.move`` and writes the timeline row in
the same transaction."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.roles import Role, can, require
from logistics.services import notify, notify_role
from logistics.workflow import claim, move
from procurement.choices import (
    PURCHASE_TRANSITIONS,
    STEP_CAPABILITY,
    AttachmentKind,
    Decision,
    EventKind,
    PurchaseStatus,
    StepKind,
    StepStatus,
)
from procurement.models import (
    ApprovalPolicy,
    ApprovalStep,
    PurchaseApproval,
    PurchaseEvent,
    PurchaseItem,
    PurchaseRequest,
    Quote,
    Receipt,
)
from procurement.selectors import budget_remaining, forget_dashboard

S = PurchaseStatus


def touch(purchase) -> None:
    """Mark the request changed (``updated_at``) after a write to its items, quotes, attachments,
    steps, receipt or timeline: the detail page's cached record is keyed on it."""
    now = timezone.now()
    PurchaseRequest.objects.filter(pk=purchase.pk).update(updated_at=now)
    purchase.updated_at = now


def _event(purchase, kind, *, by, frm="", to="", note="", moved=False):
    event = PurchaseEvent.objects.create(purchase=purchase, kind=kind, from_status=frm, to_status=to, by=by, note=note)
    if not moved:  # move() has just set updated_at
        touch(purchase)
    return event


def _step(purchase, to, *, by, kind, note="", extra=None):
    frm = move(purchase, to, transitions=PURCHASE_TRANSITIONS, extra=extra)
    _event(purchase, kind, by=by, frm=frm, to=to, note=note, moved=True)
    return frm


def _require_draft(purchase):
    if purchase.status != S.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))


# --- drafting ---------------------------------------------------------------------------------

@transaction.atomic
def create_purchase(*, school, by, title, reason, budget_line, items=()) -> PurchaseRequest:
    """A new draft with its items (dicts of name, spec, quantity, unit, unit_price[, kind])."""
    require(by, "procurement.request", school=school)
    if budget_line.school_id != school.pk:
        raise ValidationError(_("The budget line belongs to another school."))
    purchase = PurchaseRequest.objects.create(
        school=school, title=title, reason=reason, budget_line=budget_line, requester=by
    )
    for item in items:
        item = dict(item)
        _check_item(school, item)
        PurchaseItem.objects.create(purchase=purchase, **item)
    recompute_total(purchase)
    _event(purchase, EventKind.CREATED, by=by, to=S.DRAFT)
    return purchase


def recompute_total(purchase) -> Decimal:
    purchase.total = purchase.computed_total()
    purchase.save(update_fields=["total", "updated_at"])
    return purchase.total


def _check_item(school, fields: dict) -> None:
    """A line's own rules: the room and store-room item are the school's, a category code exists."""
    from assets.services import category_by_code

    problems = []
    for name in ("room", "store_item"):
        obj = fields.get(name)
        if obj is not None and obj.school_id != school.pk:
            problems.append(_("It belongs to another school."))
    code = (fields.get("asset_category_code") or "").strip()
    if code:
        try:
            category_by_code(school, code)
        except ValidationError as exc:
            problems += [str(m) for m in exc.messages]
        fields["asset_category_code"] = code
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def add_item(purchase, *, by, **fields) -> PurchaseItem:
    _require_requester(purchase, by)
    _require_draft(purchase)
    _check_item(purchase.school, fields)
    item = PurchaseItem.objects.create(purchase=purchase, **fields)
    recompute_total(purchase)
    return item


@transaction.atomic
def remove_item(item, *, by) -> None:
    purchase = item.purchase
    _require_requester(purchase, by)
    _require_draft(purchase)
    item.delete()
    recompute_total(purchase)


@transaction.atomic
def add_quote(purchase, *, by, supplier, amount, chosen=False, file=None) -> Quote:
    _require_requester(purchase, by)
    _require_draft(purchase)
    if chosen:
        purchase.quotes.filter(chosen=True).update(chosen=False)
    quote = Quote(purchase=purchase, supplier=supplier, amount=amount, chosen=chosen)
    if file is not None:
        quote.file = file
    quote.save()
    touch(purchase)
    return quote


@transaction.atomic
def choose_quote(quote, *, by, justification="") -> Quote:
    purchase = quote.purchase
    _require_requester(purchase, by)
    _require_draft(purchase)
    purchase.quotes.filter(chosen=True).update(chosen=False)
    quote.chosen = True
    quote.save(update_fields=["chosen"])
    if justification:
        purchase.quote_justification = justification
        purchase.save(update_fields=["quote_justification", "updated_at"])
    else:
        touch(purchase)
    return quote


def _require_requester(purchase, by):
    require(by, "procurement.request", school=purchase.school)
    if purchase.requester_id != by.pk:
        raise ValidationError(_("Only the requester can change this request."))


# --- the approval path ------------------------------------------------------------------------

def approval_path(purchase, *, policy: ApprovalPolicy | None = None, over_budget: bool = False) -> list[str]:
    """Steps a request of this amount needs under the school's policy (director first)."""
    policy = policy or ApprovalPolicy.for_school(purchase.school)
    steps = [StepKind.DIRECTOR]
    if purchase.total >= policy.principal_threshold or over_budget:
        steps.append(StepKind.PRINCIPAL)
    if purchase.total >= policy.collective_threshold:
        steps.append(StepKind.COLLECTIVE)
    return steps


def submission_problems(purchase, *, policy: ApprovalPolicy | None = None) -> list[str]:
    """What stops this draft being submitted (empty list: it may go)."""
    policy = policy or ApprovalPolicy.for_school(purchase.school)
    problems = []
    items = list(purchase.items.all())
    if not items:
        problems.append(_("Add at least one item."))
    total = sum((i.line_total for i in items), Decimal("0"))
    if total >= policy.principal_threshold:
        quotes = list(purchase.quotes.all())
        if len(quotes) < policy.min_quotes:
            problems.append(
                _("From ¥%(amount)s at least %(n)d supplier quotes are needed (%(have)d recorded).")
                % {"amount": policy.principal_threshold, "n": policy.min_quotes, "have": len(quotes)}
            )
        chosen = [q for q in quotes if q.chosen]
        if not chosen:
            problems.append(_("Choose one of the quotes."))
        elif quotes and chosen[0].amount > min(q.amount for q in quotes) and not purchase.quote_justification.strip():
            problems.append(_("The chosen quote is not the cheapest: say why."))
    if total >= policy.collective_threshold:
        if not purchase.attachments.filter(kind=AttachmentKind.MINUTES).exists():
            problems.append(_("Attach the minutes of the leadership's collective decision."))
        if not purchase.tender_record.strip() and not purchase.attachments.filter(kind=AttachmentKind.TENDER).exists():
            problems.append(_("Record the tender (招标) for a purchase of this size."))
    return problems


@transaction.atomic
def submit_purchase(purchase, *, by, note="") -> PurchaseRequest:
    """Submit a draft: checks quotes/minutes/tender, fixes the approval path as stored steps."""
    _require_requester(purchase, by)
    policy = ApprovalPolicy.for_school(purchase.school)
    recompute_total(purchase)
    problems = submission_problems(purchase, policy=policy)
    if problems:
        raise ValidationError(problems)
    over = purchase.total > budget_remaining(purchase.budget_line)
    _step(purchase, S.SUBMITTED, by=by, kind=EventKind.SUBMITTED, note=note,
          extra={"submitted_at": timezone.now(), "over_budget": over})
    for order, kind in enumerate(approval_path(purchase, policy=policy, over_budget=over), start=1):
        ApprovalStep.objects.create(purchase=purchase, order=order, kind=kind)
    notify_role(purchase.school, Role.LOGISTICS_DIRECTOR,
                text=gettext_lazy("A purchase request waits for your approval."),
                url=purchase.get_absolute_url(), key=f"procurement:step:{purchase.pk}:1")
    transaction.on_commit(lambda: forget_dashboard(purchase.school_id))
    return purchase


def current_step(purchase) -> ApprovalStep | None:
    return purchase.steps.filter(status=StepStatus.PENDING).order_by("order").first()


def handled_by(purchase) -> set[int]:
    """Everyone who made, signed or received this request: none of them may approve it again."""
    ids = {purchase.requester_id}
    ids.update(purchase.approvals.values_list("by_id", flat=True))
    receipt = Receipt.objects.filter(purchase=purchase).first()
    if receipt:
        ids.update(x for x in (receipt.recorded_by_id, receipt.countersigned_by_id) if x)
    return ids


def can_sign(purchase, step, user, *, handled: set[int] | None = None) -> bool:
    """May ``user`` sign ``step`` now? (``handled``: ids from ``handled_by``, when already known.)"""
    return (
        step is not None
        and purchase.status == S.SUBMITTED
        and can(user, STEP_CAPABILITY[step.kind], school=purchase.school)
        and user.pk not in (handled if handled is not None else handled_by(purchase))
    )


@transaction.atomic
def decide_purchase(purchase, *, by, decision: str, note: str = "") -> PurchaseApproval:
    """Sign the current approval step (approve or reject). Two approvers clicking at the same
    moment: the conditional UPDATE of the step lets only one through, and the one-approval-per-step
    constraint backs it up."""
    if purchase.status != S.SUBMITTED:
        raise ValidationError(_("This request is not waiting for approval."))
    step = current_step(purchase)
    if step is None:
        raise ValidationError(_("This request is not waiting for approval."))
    require(by, STEP_CAPABILITY[step.kind], school=purchase.school)
    if by.pk in handled_by(purchase):
        raise ValidationError(_("You made or handled this request: someone else must approve it."))
    if decision == Decision.REJECTED and not note.strip():
        raise ValidationError(_("Give a reason for the rejection."))
    new = StepStatus.APPROVED if decision == Decision.APPROVED else StepStatus.REJECTED
    if not claim(ApprovalStep, step.pk, where={"status": StepStatus.PENDING}, set={"status": new}):
        raise ValidationError(_("Someone else signed this step a moment ago. Reload the page."))
    try:
        with transaction.atomic():
            approval = PurchaseApproval.objects.create(purchase=purchase, step=step, by=by, decision=decision, note=note)
    except IntegrityError as exc:
        raise ValidationError(_("Someone else signed this step a moment ago. Reload the page.")) from exc
    now = timezone.now()
    transaction.on_commit(lambda: forget_dashboard(purchase.school_id))
    if decision == Decision.REJECTED:
        _step(purchase, S.REJECTED, by=by, kind=EventKind.REJECTED, note=note, extra={"decided_at": now})
        notify(purchase.requester, text=gettext_lazy("Your purchase request was rejected."),
               school=purchase.school, url=purchase.get_absolute_url(), key=f"procurement:rejected:{purchase.pk}")
        return approval
    nxt = current_step(purchase)
    if nxt is None:
        _step(purchase, S.APPROVED, by=by, kind=EventKind.APPROVED, note=note, extra={"decided_at": now})
        notify(purchase.requester, text=gettext_lazy("Your purchase request was approved."),
               school=purchase.school, url=purchase.get_absolute_url(), key=f"procurement:approved:{purchase.pk}")
    else:
        _event(purchase, EventKind.STEP_APPROVED, by=by, note=note)  # touches updated_at
        notify_role(purchase.school, Role.PRINCIPAL,
                    text=gettext_lazy("A purchase request waits for your approval."),
                    url=purchase.get_absolute_url(), key=f"procurement:step:{purchase.pk}:{nxt.order}")
    return approval


def approve_purchase(purchase, *, by, note="") -> PurchaseApproval:
    return decide_purchase(purchase, by=by, decision=Decision.APPROVED, note=note)


def reject_purchase(purchase, *, by, note) -> PurchaseApproval:
    return decide_purchase(purchase, by=by, decision=Decision.REJECTED, note=note)


# --- attachments ------------------------------------------------------------------------------

def sniff_content_type(upload) -> str:
    """The real type of an uploaded file, from its content (the shared upload check: size, PDF
    header or an image Pillow can open); raises a translated ValidationError otherwise."""
    from PIL import Image

    from logistics.uploads import check_upload

    if check_upload(upload, kinds=("image", "pdf")) == "pdf":
        return "application/pdf"
    upload.seek(0)
    try:
        with Image.open(upload) as img:
            return f"image/{(img.format or 'octet-stream').lower()}"
    finally:
        upload.seek(0)


@transaction.atomic
def add_attachment(purchase, *, by, kind, file):
    from procurement.models import Attachment

    _require_requester(purchase, by)
    _require_draft(purchase)
    content_type = sniff_content_type(file)
    attachment = Attachment.objects.create(purchase=purchase, kind=kind, file=file, content_type=content_type,
                                           uploaded_by=by)
    touch(purchase)
    return attachment


@transaction.atomic
def update_draft_notes(purchase, *, by, quote_justification: str, tender_record: str) -> PurchaseRequest:
    _require_requester(purchase, by)
    _require_draft(purchase)
    purchase.quote_justification = quote_justification.strip()
    purchase.tender_record = tender_record.strip()
    purchase.save(update_fields=["quote_justification", "tender_record", "updated_at"])
    return purchase
