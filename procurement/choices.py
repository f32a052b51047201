"""Statuses of a purchase request, the allowed moves, and the kinds of approval steps."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PurchaseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("purchase", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("purchase", "Submitted")
    APPROVED = "approved", pgettext_lazy("purchase", "Approved")
    REJECTED = "rejected", pgettext_lazy("purchase", "Rejected")
    ORDERED = "ordered", pgettext_lazy("purchase", "Ordered")
    RECEIVED = "received", pgettext_lazy("purchase", "Received")
    REIMBURSED = "reimbursed", pgettext_lazy("purchase", "Reimbursed")


S = PurchaseStatus
PURCHASE_TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.APPROVED, S.REJECTED},
    S.APPROVED: {S.ORDERED},
    S.ORDERED: {S.RECEIVED},
    S.RECEIVED: {S.REIMBURSED},
    S.REJECTED: set(),
    S.REIMBURSED: set(),
}
OPEN_STATUSES = {S.SUBMITTED, S.APPROVED, S.ORDERED, S.RECEIVED}
# Requests that can have a goods receipt: recorded once ordered (waiting there for its second
# signature), countersigned on receiving, kept after reimbursement.
RECEIPT_STATUSES = {S.ORDERED, S.RECEIVED, S.REIMBURSED}
# Requests whose money counts against the budget line (committed or spent).
COMMITTED_STATUSES = {S.SUBMITTED, S.APPROVED, S.ORDERED, S.RECEIVED, S.REIMBURSED}
PURCHASE_STATUS_BADGE = {
    S.DRAFT: "secondary",
    S.SUBMITTED: "warning",
    S.APPROVED: "info",
    S.REJECTED: "danger",
    S.ORDERED: "primary",
    S.RECEIVED: "primary",
    S.REIMBURSED: "success",
}


class StepKind(models.TextChoices):
    DIRECTOR = "director", _("Logistics director")
    PRINCIPAL = "principal", _("Principal")
    COLLECTIVE = "collective", _("Leadership collective decision")


# Capability needed to sign each kind of step.
STEP_CAPABILITY = {
    StepKind.DIRECTOR: "procurement.approve_small",
    StepKind.PRINCIPAL: "procurement.approve_large",
    StepKind.COLLECTIVE: "procurement.approve_large",
}


class StepStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("purchase", "Pending")
    APPROVED = "approved", pgettext_lazy("purchase", "Approved")
    REJECTED = "rejected", pgettext_lazy("purchase", "Rejected")


class Decision(models.TextChoices):
    APPROVED = "approved", pgettext_lazy("purchase", "Approved")
    REJECTED = "rejected", pgettext_lazy("purchase", "Rejected")


class AttachmentKind(models.TextChoices):
    QUOTE = "quote", _("Supplier quote")
    MINUTES = "minutes", _("Minutes of the collective decision")
    TENDER = "tender", _("Tender record")
    INVOICE = "invoice", _("Invoice")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("purchase", "Created")
    SUBMITTED = "submitted", pgettext_lazy("purchase", "Submitted")
    STEP_APPROVED = "step_approved", pgettext_lazy("purchase", "Step approved")
    APPROVED = "approved", pgettext_lazy("purchase", "Approved")
    REJECTED = "rejected", pgettext_lazy("purchase", "Rejected")
    ORDERED = "ordered", pgettext_lazy("purchase", "Ordered")
    RECEIPT_RECORDED = "receipt_recorded", pgettext_lazy("purchase", "Receipt recorded")
    RECEIVED = "received", pgettext_lazy("purchase", "Received")
    GOODS_ENTERED = "goods_entered", pgettext_lazy("purchase", "Entered into the register and store room")
    REIMBURSED = "reimbursed", pgettext_lazy("purchase", "Reimbursed")


class ItemKind(models.TextChoices):
    CONSUMABLE = "consumable", _("Consumable (store room)")
    FIXED_ASSET = "fixed_asset", _("Asset for the register (fixed or low-value, in a room)")
    SERVICE = "service", _("Service or other (nothing to store)")
