"""Choices and status transitions of the safety app (labels in the "safety" translation context)."""
from django.db import models
from django.utils.translation import pgettext_lazy



class Frequency(models.TextChoices):
    DAILY = "daily", pgettext_lazy("safety", "Daily")
    WEEKLY = "weekly", pgettext_lazy("safety", "Weekly on given weekdays")
    MONTHLY = "monthly", pgettext_lazy("safety", "Monthly on a given day")
    TERM = "term", pgettext_lazy("safety", "Each term")


WEEKDAYS = [
    (0, pgettext_lazy("safety", "Mon")), (1, pgettext_lazy("safety", "Tue")), (2, pgettext_lazy("safety", "Wed")), (3, pgettext_lazy("safety", "Thu")),
    (4, pgettext_lazy("safety", "Fri")), (5, pgettext_lazy("safety", "Sat")), (6, pgettext_lazy("safety", "Sun")),
]


class InspectionStatus(models.TextChoices):
    DUE = "due", pgettext_lazy("safety", "Due")
    SUBMITTED = "submitted", pgettext_lazy("safety", "Submitted")


# What an inspection looks like in lists and the calendar (Inspection.state): label and colour.
INSPECTION_STATES = {
    "done": (pgettext_lazy("safety", "Done"), "success"),
    "late": (pgettext_lazy("safety", "Done late"), "info"),
    "missed": (pgettext_lazy("safety", "Missed"), "danger"),
    "due": (pgettext_lazy("safety", "To do"), "warning"),
}


class ItemResult(models.TextChoices):
    PENDING = "pending", pgettext_lazy("safety", "Not checked")
    OK = "ok", pgettext_lazy("safety", "OK")
    PROBLEM = "problem", pgettext_lazy("safety", "Problem")


ITEM_RESULT_BADGE = {ItemResult.PENDING: "secondary", ItemResult.OK: "success", ItemResult.PROBLEM: "danger"}


class Severity(models.TextChoices):
    HIGH = "high", pgettext_lazy("safety", "High")
    MEDIUM = "medium", pgettext_lazy("safety", "Medium")
    LOW = "low", pgettext_lazy("safety", "Low")


# Days allowed to rectify a hazard of each severity (限时整改).
RECTIFY_DAYS = {Severity.HIGH: 1, Severity.MEDIUM: 3, Severity.LOW: 7}
# The urgency of the repair ticket a hazard opens (repairs.choices.Urgency values).
REPAIR_URGENCY = {Severity.HIGH: "urgent", Severity.MEDIUM: "normal", Severity.LOW: "low"}


class HazardStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("safety", "Open")
    RECTIFIED = "rectified", pgettext_lazy("safety", "Rectified, to verify")
    VERIFIED = "verified", pgettext_lazy("safety", "Verified and closed")


HAZARD_STATUS_BADGE = {HazardStatus.OPEN: "warning", HazardStatus.RECTIFIED: "info", HazardStatus.VERIFIED: "success"}

HAZARD_TRANSITIONS = {
    HazardStatus.OPEN: (HazardStatus.RECTIFIED,),
    HazardStatus.RECTIFIED: (HazardStatus.VERIFIED, HazardStatus.OPEN),
    HazardStatus.VERIFIED: (),
}
INSPECTION_TRANSITIONS = {InspectionStatus.DUE: (InspectionStatus.SUBMITTED,), InspectionStatus.SUBMITTED: ()}

# Term starts (month, day): the autumn term from 1 September, the spring term from 1 February.
TERM_STARTS = ((2, 1), (9, 1))

# Drills schools commonly hold (suggestions in the form; any kind may be typed).
DRILL_KINDS = [
    pgettext_lazy("safety", "Fire evacuation drill"),
    pgettext_lazy("safety", "Earthquake drill"),
    pgettext_lazy("safety", "Stampede prevention drill"),
    pgettext_lazy("safety", "Anti-intrusion drill"),
    pgettext_lazy("safety", "Food poisoning response drill"),
]


def labels(choices) -> dict[str, str]:
    """{value: label} rendered once in the current language — for lists, where a lazy label per
    row (``get_FOO_display`` translates every choice each time) costs more than the row."""
    return {value: str(label) for value, label in choices}
