"""Statuses of a purchase request, the allowed moves, and the kinds of approval steps."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class PurchaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ORDERED = "ordered", _("Ordered")
    RECEIVED = "received", _("Received")
    REIMBURSED = "reimbursed", _("Reimbursed")


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
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AttachmentKind(models.TextChoices):
    QUOTE = "quote", _("Supplier quote")
    MINUTES = "minutes", _("Minutes of the collective decision")
    TENDER = "tender", _("Tender record")
    INVOICE = "invoice", _("Invoice")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    SUBMITTED = "submitted", _("Submitted")
    STEP_APPROVED = "step_approved", _("Step approved")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ORDERED = "ordered", _("Ordered")
    RECEIPT_RECORDED = "receipt_recorded", _("Receipt recorded")
    RECEIVED = "received", _("Received")
    REIMBURSED = "reimbursed", _("Reimbursed")


class ItemKind(models.TextChoices):
    CONSUMABLE = "consumable", _("Consumable (store room)")
    FIXED_ASSET = "fixed_asset", _("Fixed asset (register)")
    SERVICE = "service", _("Service or other")
