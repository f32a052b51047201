"""Repair statuses, the allowed moves between them, and the other fixed lists of the repairs app."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RepairStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TAKEN = "taken", _("Taken")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, awaiting sign-off")
    CLOSED = "closed", pgettext_lazy("repair", "Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent (safety hazard)")
    NORMAL = "normal", _("Normal")
    LOW = "low", pgettext_lazy("repair", "Low")


class EventKind(models.TextChoices):
    STATUS = "status", _("Status change")
    HANDOVER = "handover", _("Hand-over")
    NOTE = "note", _("Work note")
    MATERIAL = "material", _("Material")
    COST = "cost", pgettext_lazy("repair", "Other cost")
    ESCALATED = "escalated", _("Escalated")
    CAUSE = "cause", _("Cause recorded")


class DamageCause(models.TextChoices):
    NATURAL = "natural", _("Natural wear")
    ACCIDENTAL = "accidental", _("Accidental damage")
    DELIBERATE = "deliberate", _("Deliberate damage")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")
    YEARLY = "yearly", _("Every year")


S = RepairStatus
# The one place that says which status may follow which.
REPAIR_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.TAKEN, S.CANCELLED},
    S.TAKEN: {S.DISPATCHED, S.CANCELLED},
    S.DISPATCHED: {S.DISPATCHED, S.IN_PROGRESS, S.DONE},
    S.IN_PROGRESS: {S.DONE},
    S.DONE: {S.CLOSED, S.DISPATCHED},  # sign off, or reject: back to the same repairer
    S.CLOSED: set(),
    S.CANCELLED: set(),
}

REPAIR_STATUS_BADGE = {
    S.SUBMITTED: "danger",
    S.TAKEN: "warning",
    S.DISPATCHED: "info",
    S.IN_PROGRESS: "primary",
    S.DONE: "success",
    S.CLOSED: "secondary",
    S.CANCELLED: "light",
}

# Work not yet finished: counts as open and can run late.
OPEN_STATUSES = frozenset({S.SUBMITTED, S.TAKEN, S.DISPATCHED, S.IN_PROGRESS})
# Work finished, waiting for the requester.
AWAITING_SIGNOFF = frozenset({S.DONE})
FINISHED_STATUSES = frozenset({S.DONE, S.CLOSED})

URGENCY_BADGE = {Urgency.URGENT: "danger", Urgency.NORMAL: "primary", Urgency.LOW: "secondary"}

MAX_PHOTOS = 4
