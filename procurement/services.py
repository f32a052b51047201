"""Every write of a purchase request: one function per step, each checking role, object and
business rules on the server, moving the status with ``logistics.workflow.move`` and writing
the timeline row in the same transaction."""
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
from procurement.selectors import budget_remaining

S = PurchaseStatus


def _event(purchase, kind, *, by, frm="", to="", note=""):
    return PurchaseEvent.objects.create(purchase=purchase, kind=kind, from_status=frm, to_status=to, by=by, note=note)


def _step(purchase, to, *, by, kind, note="", extra=None):
    frm = move(purchase, to, transitions=PURCHASE_TRANSITIONS, extra=extra)
    _event(purchase, kind, by=by, frm=frm, to=to, note=note)
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
        PurchaseItem.objects.create(purchase=purchase, **item)
    recompute_total(purchase)
    _event(purchase, EventKind.CREATED, by=by, to=S.DRAFT)
    return purchase


def recompute_total(purchase) -> Decimal:
    purchase.total = purchase.computed_total()
    purchase.save(update_fields=["total", "updated_at"])
    return purchase.total


@transaction.atomic
def add_item(purchase, *, by, **fields) -> PurchaseItem:
    _require_requester(purchase, by)
    _require_draft(purchase)
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


def can_sign(purchase, step, user) -> bool:
    return (
        step is not None
        and purchase.status == S.SUBMITTED
        and user.pk not in handled_by(purchase)
        and can(user, STEP_CAPABILITY[step.kind], school=purchase.school)
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
        _event(purchase, EventKind.STEP_APPROVED, by=by, note=note)
        PurchaseRequest.objects.filter(pk=purchase.pk).update(updated_at=now)
        notify_role(purchase.school, Role.PRINCIPAL,
                    text=gettext_lazy("A purchase request waits for your approval."),
                    url=purchase.get_absolute_url(), key=f"procurement:step:{purchase.pk}:{nxt.order}")
    return approval


def approve_purchase(purchase, *, by, note="") -> PurchaseApproval:
    return decide_purchase(purchase, by=by, decision=Decision.APPROVED, note=note)


def reject_purchase(purchase, *, by, note) -> PurchaseApproval:
    return decide_purchase(purchase, by=by, decision=Decision.REJECTED, note=note)


# --- ordering, receiving, reimbursement -------------------------------------------------------

@transaction.atomic
def order_purchase(purchase, *, by, note="") -> PurchaseRequest:
    require(by, "procurement.receive", school=purchase.school)
    _step(purchase, S.ORDERED, by=by, kind=EventKind.ORDERED, note=note, extra={"ordered_at": timezone.now()})
    return purchase


@transaction.atomic
def record_receipt(purchase, *, by, quantities: dict, room=None, note="") -> Receipt:
    """First signature of receiving: the quantities counted, per item id, against the order."""
    require(by, "procurement.receive", school=purchase.school)
    if purchase.status != S.ORDERED:
        raise ValidationError(_("Only an ordered purchase can be received."))
    items = {i.pk: i for i in purchase.items.all()}
    clean = {}
    for key, qty in quantities.items():
        item = items.get(int(key))
        if item is None:
            raise ValidationError(_("That item is not part of this order."))
        qty = Decimal(str(qty))
        if qty < 0 or qty > item.quantity:
            raise ValidationError(
                _("Received quantity of %(name)s must be between 0 and %(max)s.") % {"name": item.name, "max": item.quantity}
            )
        clean[str(item.pk)] = str(qty)
    if not any(Decimal(v) > 0 for v in clean.values()):
        raise ValidationError(_("Nothing was received."))
    if Receipt.objects.filter(purchase=purchase).exists():
        raise ValidationError(_("The receipt is already recorded; it waits for the second signature."))
    receipt = Receipt.objects.create(purchase=purchase, quantities=clean, recorded_by=by, room=room, note=note)
    _event(purchase, EventKind.RECEIPT_RECORDED, by=by, note=note)
    return receipt


@transaction.atomic
def countersign_receipt(purchase, *, by, note="") -> Receipt:
    """Second signature (双人验收) by a different person; the goods then enter the asset register
    or the store room, and the request becomes received."""
    require(by, "procurement.receive", school=purchase.school)
    receipt = Receipt.objects.filter(purchase=purchase).first()
    if receipt is None:
        raise ValidationError(_("Record the received quantities first."))
    if receipt.countersigned_by_id:
        raise ValidationError(_("The receipt is already signed by two people."))
    if by.pk == receipt.recorded_by_id:
        raise ValidationError(_("Receiving must be signed by two different people."))
    now = timezone.now()
    if not claim(Receipt, receipt.pk, where={"countersigned_by__isnull": True},
                 set={"countersigned_by": by, "countersigned_at": now}):
        raise ValidationError(_("Someone else signed this receipt a moment ago. Reload the page."))
    receipt.refresh_from_db()
    for item in purchase.items.all():
        item.received_quantity = Decimal(receipt.quantities.get(str(item.pk), "0"))
        item.save(update_fields=["received_quantity"])
    _step(purchase, S.RECEIVED, by=by, kind=EventKind.RECEIVED, note=note, extra={"received_at": now})
    notify_role(purchase.school, Role.ACCOUNTANT, text=gettext_lazy("A received purchase waits for reimbursement."),
                url=purchase.get_absolute_url(), key=f"procurement:received:{purchase.pk}")
    return receipt


@transaction.atomic
def reimburse_purchase(purchase, *, by, invoice_number, invoice_amount, paid_on, invoice_file=None, note=""):
    """The accountant records the invoice and marks the expense paid on a date (报销)."""
    require(by, "procurement.reimburse", school=purchase.school)
    if by.pk == purchase.requester_id:
        raise ValidationError(_("You cannot reimburse your own request."))
    if not invoice_number.strip():
        raise ValidationError(_("Enter the invoice number."))
    if invoice_amount is None or invoice_amount <= 0:
        raise ValidationError(_("Enter the invoice amount."))
    extra = {"invoice_number": invoice_number.strip(), "invoice_amount": invoice_amount, "paid_on": paid_on,
             "reimbursed_by": by}
    _step(purchase, S.REIMBURSED, by=by, kind=EventKind.REIMBURSED, note=note, extra=extra)
    if invoice_file is not None:
        purchase.invoice_file = invoice_file
        purchase.save(update_fields=["invoice_file", "updated_at"])
    return purchase


# --- attachments ------------------------------------------------------------------------------

def sniff_content_type(upload) -> str:
    """The real type of an uploaded file, from its content: PDF or an image Pillow can open."""
    from django.conf import settings
    from PIL import Image

    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is too large."))
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "application/pdf"
    try:
        with Image.open(upload) as img:
            img.verify()
            fmt = (img.format or "").lower()
    except Exception as exc:  # Pillow raises many kinds for non-images
        raise ValidationError(_("Upload a PDF or an image.")) from exc
    finally:
        upload.seek(0)
    return f"image/{fmt}"


@transaction.atomic
def add_attachment(purchase, *, by, kind, file):
    from procurement.models import Attachment

    _require_requester(purchase, by)
    _require_draft(purchase)
    content_type = sniff_content_type(file)
    return Attachment.objects.create(purchase=purchase, kind=kind, file=file, content_type=content_type,
                                     uploaded_by=by)


# --- finance disclosure -----------------------------------------------------------------------

def generate_disclosure(school, *, year: int, month: int, by=None):
    """Render the month's disclosure as a NEW version (earlier versions are kept untouched)."""
    from django.core.files.base import ContentFile
    from django.db.models import Max

    from procurement.models import Disclosure
    from procurement.reports import disclosure_context, render_disclosure

    if by is not None:
        require(by, "procurement.publish_disclosure", school=school)
    ctx = disclosure_context(school, year, month)
    full, parent = render_disclosure(ctx), render_disclosure(ctx, parent=True)
    totals = {"purchases": str(ctx["purchase_total"]), "repairs": str(ctx["repair_total"]),
              "grand": str(ctx["grand_total"]), "count": len(ctx["purchases"])}
    with transaction.atomic():
        version = (Disclosure.objects.filter(school=school, year=year, month=month)
                   .aggregate(v=Max("version"))["v"] or 0) + 1
        d = Disclosure(school=school, year=year, month=month, version=version, totals=totals, generated_by=by)
        name = f"{school.code}-{year}-{month:02d}-v{version}"
        d.file.save(f"{name}.pdf", ContentFile(full), save=False)
        d.parent_file.save(f"{name}-parent.pdf", ContentFile(parent), save=False)
        d.save()
    notify_role(school, Role.ACCOUNTANT, text=gettext_lazy("A monthly finance disclosure is ready to publish."),
                url=d.get_absolute_url(), key=f"procurement:disclosure:{d.pk}")
    return d


@transaction.atomic
def publish_disclosure(disclosure, *, by):
    """The accountant publishes one version; published versions are never changed."""
    require(by, "procurement.publish_disclosure", school=disclosure.school)
    from procurement.models import Disclosure

    if not claim(Disclosure, disclosure.pk, where={"published_at__isnull": True},
                 set={"published_at": timezone.now(), "published_by": by}):
        raise ValidationError(_("This report is already published."))
    disclosure.refresh_from_db()
    return disclosure


def generate_missing_disclosures(today=None) -> int:
    """Last month's report for every school that has none yet (safe to run hourly / twice)."""
    from logistics.models import School
    from procurement.models import Disclosure

    today = today or timezone.localdate()
    first = today.replace(day=1)
    last = first - timezone.timedelta(days=1)
    made = 0
    for school in School.objects.all().order_by("pk"):
        if Disclosure.objects.filter(school=school, year=last.year, month=last.month).exists():
            continue
        try:
            generate_disclosure(school, year=last.year, month=last.month)
        except IntegrityError:  # another worker made it at the same moment
            continue
        made += 1
    return made


@transaction.atomic
def update_draft_notes(purchase, *, by, quote_justification: str, tender_record: str) -> PurchaseRequest:
    _require_requester(purchase, by)
    _require_draft(purchase)
    purchase.quote_justification = quote_justification.strip()
    purchase.tender_record = tender_record.strip()
    purchase.save(update_fields=["quote_justification", "tender_record", "updated_at"])
    return purchase
