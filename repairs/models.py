"""Repair requests (报修): the ticket, its timeline, photos, materials, the school's service
deadlines (服务承诺制) and planned maintenance."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from logistics.scoping import SchoolScopedQuerySet
from repairs.choices import (
    OPEN_STATUSES,
    REPAIR_STATUS_BADGE,
    REPAIR_TRANSITIONS,
    DamageCause,
    EventKind,
    Frequency,
    RepairStatus,
    Urgency,
)

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 12, "decimal_places": 2}


class RepairSettings(models.Model):
    """A school's service commitment (服务承诺制): how fast each urgency must be answered and
    fixed, when an untaken request escalates to the director, and when an unsigned job closes."""

    school = models.OneToOneField(
        "logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="repair_settings"
    )
    urgent_response_minutes = models.PositiveIntegerField(_("urgent: respond within (minutes)"), default=60)
    urgent_completion_minutes = models.PositiveIntegerField(_("urgent: fix within (minutes)"), default=24 * 60)
    normal_response_minutes = models.PositiveIntegerField(_("normal: respond within (minutes)"), default=4 * 60)
    normal_completion_minutes = models.PositiveIntegerField(_("normal: fix within (minutes)"), default=3 * 24 * 60)
    low_response_minutes = models.PositiveIntegerField(_("low: respond within (minutes)"), default=24 * 60)
    low_completion_minutes = models.PositiveIntegerField(_("low: fix within (minutes)"), default=7 * 24 * 60)
    escalate_after_minutes = models.PositiveIntegerField(
        _("escalate untaken requests after (minutes)"), default=60,
        help_text=_("A request nobody has taken by then is sent to the logistics director."),
    )
    auto_close_days = models.PositiveIntegerField(
        _("close unsigned jobs after (days)"), default=7, validators=[MinValueValidator(1)],
        help_text=_("A finished job the requester has not signed off closes by itself, marked so."),
    )
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair settings")
        verbose_name_plural = _("repair settings")
        ordering = ["school"]

    def __str__(self) -> str:
        return str(self.school)

    @classmethod
    def for_school(cls, school) -> RepairSettings:
        obj, _created = cls.objects.get_or_create(school=school)
        return obj

    def deadlines(self, urgency: str) -> tuple[dt.timedelta, dt.timedelta]:
        """(respond within, fix within) for an urgency."""
        return (
            dt.timedelta(minutes=getattr(self, f"{urgency}_response_minutes")),
            dt.timedelta(minutes=getattr(self, f"{urgency}_completion_minutes")),
        )


class MaintenancePlan(models.Model):
    """A recurring maintenance job (定期维护): e.g. check fans on the 1st of each month. Each
    occurrence becomes one repair ticket, made by a scheduled sweep."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="maintenance_plans")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what to do"), blank=True)
    room = models.ForeignKey("logistics.Room", verbose_name=pgettext_lazy("repair", "room"), on_delete=models.PROTECT, related_name="maintenance_plans")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, validators=[MaxValueValidator(6)], help_text=_("0 = Monday … 6 = Sunday (weekly jobs).")
    )
    day = models.PositiveSmallIntegerField(
        _("day of month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Monthly and yearly jobs."),
    )
    month = models.PositiveSmallIntegerField(
        pgettext_lazy("repair", "month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)], help_text=_("Yearly jobs.")
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.LOW)
    start_date = models.DateField(_("first date"), default=dt.date.today)
    assignee = models.ForeignKey(USER, verbose_name=_("repairer"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("repairs:plan_list")

    @property
    def schedule(self) -> str:
        """When it falls due, in words: "every Monday", "on day 1 of each month", "every year on 25 May"."""
        from django.utils.dates import MONTHS, WEEKDAYS

        if self.frequency == Frequency.WEEKLY:
            return _("every %(weekday)s") % {"weekday": WEEKDAYS[self.weekday or 0]}
        if self.frequency == Frequency.MONTHLY:
            return _("on day %(day)s of each month") % {"day": self.day or 1}
        return _("every year on %(day)s %(month)s") % {"day": self.day or 1, "month": MONTHS[self.month or 1]}

    def occurrences(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Dates in [start, end] (and not before ``start_date``) on which this job falls due."""
        first = max(start, self.start_date)
        result = []
        day = first
        while day <= end:
            if self.frequency == Frequency.WEEKLY:
                if day.weekday() == (self.weekday or 0):
                    result.append(day)
            elif self.frequency == Frequency.MONTHLY:
                if day.day == (self.day or 1):
                    result.append(day)
            elif day.day == (self.day or 1) and day.month == (self.month or 1):
                result.append(day)
            day += dt.timedelta(days=1)
        return result


class Repair(models.Model):
    """A repair request (报修单): who reported which fault where, who took it first (首问负责),
    who fixed it, by when it had to be answered and fixed, and how the requester signed it off."""

    # school, room and asset lead composite indexes (Meta.indexes), which serve their lookups too.
    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="repairs", db_index=False)
    number = models.CharField(_("number"), max_length=20)
    room = models.ForeignKey("logistics.Room", verbose_name=pgettext_lazy("repair", "room"), on_delete=models.PROTECT, related_name="repairs", db_index=False)
    asset = models.ForeignKey(
        "assets.Asset", verbose_name=_("asset"), on_delete=models.PROTECT, null=True, blank=True, related_name="repairs", db_index=False
    )
    reporter = models.ForeignKey(USER, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="repairs_reported")
    description = models.TextField(_("description"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(pgettext_lazy("repair", "status"), max_length=20, choices=RepairStatus.choices, default=RepairStatus.SUBMITTED)
    source_note = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Where the request came from, e.g. a safety hazard."))
    owner = models.ForeignKey(
        USER, verbose_name=_("owner (first contact)"), on_delete=models.PROTECT, null=True, blank=True, related_name="repairs_owned"
    )
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    assignee = models.ForeignKey(USER, verbose_name=_("repairer"), on_delete=models.PROTECT, null=True, blank=True, related_name="repairs_assigned")
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("repair", "closed at"), null=True, blank=True)
    response_due = models.DateTimeField(_("respond by"))
    completion_due = models.DateTimeField(_("fix by"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    auto_closed = models.BooleanField(_("closed automatically"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    work_notes = models.TextField(_("work notes"), blank=True)
    other_cost = models.DecimalField(_("other cost"), default=Decimal("0"), **MONEY)
    material_cost = models.DecimalField(_("material cost"), default=Decimal("0"), **MONEY)
    cause = models.CharField(_("cause"), max_length=12, choices=DamageCause.choices, blank=True)
    rating_timeliness = models.PositiveSmallIntegerField(_("timeliness"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    rating_quality = models.PositiveSmallIntegerField(_("quality"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    rating_attitude = models.PositiveSmallIntegerField(_("attitude"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    rating_comment = models.TextField(pgettext_lazy("repair", "comment"), blank=True)
    signed_by = models.ForeignKey(USER, verbose_name=_("signed off by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    plan = models.ForeignKey(MaintenancePlan, verbose_name=_("maintenance plan"), on_delete=models.PROTECT, null=True, blank=True, related_name="repairs")
    occurrence = models.DateField(_("occurrence"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="uniq_repair_number"),
            models.UniqueConstraint(fields=["plan", "occurrence"], condition=Q(plan__isnull=False), name="uniq_repair_plan_occurrence"),
        ]
        # Each list and report reads one of these in index order (newest first = a backward scan),
        # so a page costs the same whether the school has 100 tickets or 100,000.
        indexes = [
            models.Index(fields=["school", "status", "completion_due"], name="repair_school_status_due"),
            models.Index(fields=["school", "created_at", "id"], name="repair_school_created"),
            models.Index(fields=["school", "status", "created_at", "id"], name="repair_school_status_created"),
            models.Index(fields=["school", "reporter", "created_at", "id"], name="repair_school_reporter"),
            models.Index(fields=["school", "assignee", "created_at", "id"], name="repair_school_assignee"),
            models.Index(fields=["school", "owner", "created_at", "id"], name="repair_school_owner"),
            models.Index(fields=["room", "created_at", "id"], name="repair_room_created"),
            models.Index(fields=["asset", "created_at", "id"], name="repair_asset_created"),
            models.Index(fields=["school", "done_at"], name="repair_school_done"),
            models.Index(fields=["school", "closed_at"], name="repair_school_closed"),
            models.Index(fields=["school", "taken_at"], name="repair_school_taken"),
            # The sweeps' candidates across all schools: untaken and unescalated; awaiting sign-off.
            models.Index(fields=["created_at"], condition=Q(status="submitted", escalated_at__isnull=True), name="repair_sweep_untaken"),
            models.Index(fields=["done_at"], condition=Q(status="done"), name="repair_sweep_done"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.room}"

    def get_absolute_url(self) -> str:
        return reverse("repairs:repair_detail", args=[self.pk])

    @property
    def badge(self) -> str:
        return REPAIR_STATUS_BADGE.get(self.status, "secondary")

    @property
    def total_cost(self) -> Decimal:
        return (self.material_cost or Decimal("0")) + (self.other_cost or Decimal("0"))

    def can_move_to(self, status: str) -> bool:
        return status in REPAIR_TRANSITIONS.get(self.status, ())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def active_due(self):
        """The deadline that matters now: respond-by until taken, then fix-by."""
        if self.status == RepairStatus.SUBMITTED:
            return self.response_due
        if self.status in OPEN_STATUSES:
            return self.completion_due
        return None

    def is_overdue(self, now=None) -> bool:
        due = self.active_due
        return due is not None and due < (now or timezone.now())

    @property
    def completed_on_time(self) -> bool | None:
        if self.done_at is None:
            return None
        return self.done_at <= self.completion_due

    @property
    def average_rating(self):
        return average_of(self.rating_timeliness, self.rating_quality, self.rating_attitude)


def average_of(*ratings) -> float | None:
    """The mean of the ratings given (1–5 each), to one decimal; None when none was given."""
    values = [v for v in ratings if v]
    return round(sum(values) / len(values), 1) if values else None


class RepairEvent(models.Model):
    """One line of a ticket's timeline: who did what, when, from which status to which, and why."""

    repair = models.ForeignKey(Repair, verbose_name=_("repair request"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices, default=EventKind.STATUS)
    actor = models.ForeignKey(USER, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_status = models.CharField(pgettext_lazy("repair", "from"), max_length=20, choices=RepairStatus.choices, blank=True)
    to_status = models.CharField(pgettext_lazy("repair", "to"), max_length=20, choices=RepairStatus.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    school_path = "repair__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair event")
        verbose_name_plural = _("repair events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.repair_id} {self.get_kind_display()} {self.to_status}"


def photo_path(instance, filename):
    return f"repairs/{instance.repair.school_id}/{instance.repair_id}/{filename}"


class RepairPhoto(models.Model):
    """A photo of the fault taken when reporting, with a small thumbnail for lists and phones."""

    repair = models.ForeignKey(Repair, verbose_name=_("repair request"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_path)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    school_path = "repair__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair photo")
        verbose_name_plural = _("repair photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class RepairMaterial(models.Model):
    """Material drawn from the store room for a job; the store-room ledger holds the stock move."""

    repair = models.ForeignKey(Repair, verbose_name=_("repair request"), on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("material"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    stock_move_id = models.PositiveIntegerField(_("store-room ledger entry"), null=True, blank=True)
    by = models.ForeignKey(USER, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    school_path = "repair__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair material")
        verbose_name_plural = _("repair materials")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"
