"""Choices and status transitions of the safety app."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly on given weekdays")
    MONTHLY = "monthly", _("Monthly on a given day")
    TERM = "term", _("Each term")


class InspectionStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")


class ItemResult(models.TextChoices):
    PENDING = "pending", _("Not checked")
    OK = "ok", _("OK")
    PROBLEM = "problem", _("Problem")


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


# Days allowed to rectify a hazard of each severity (限时整改).
RECTIFY_DAYS = {Severity.HIGH: 1, Severity.MEDIUM: 3, Severity.LOW: 7}


class HazardStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RECTIFIED = "rectified", _("Rectified, to verify")
    VERIFIED = "verified", _("Verified and closed")


HAZARD_TRANSITIONS = {
    HazardStatus.OPEN: (HazardStatus.RECTIFIED,),
    HazardStatus.RECTIFIED: (HazardStatus.VERIFIED, HazardStatus.OPEN),
    HazardStatus.VERIFIED: (),
}
INSPECTION_TRANSITIONS = {InspectionStatus.DUE: (InspectionStatus.SUBMITTED,), InspectionStatus.SUBMITTED: ()}

# Term starts (month, day): the autumn term from 1 September, the spring term from 1 February.
TERM_STARTS = ((2, 1), (9, 1))
