"""Safety inspections (每日巡视 / 安全隐患排查): plans, inspections, hazards (限时整改), gate visitors, drills."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.scoping import SchoolScopedQuerySet
from safety.choices import Frequency, HazardStatus, InspectionStatus, ItemResult, Severity

USER = settings.AUTH_USER_MODEL


class InspectionPlan(models.Model):
    """What to check where and when: an ordered checklist for a building, a room or an outdoor zone."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="inspection_plans")
    name = models.CharField(_("name"), max_length=120)
    building = models.ForeignKey("logistics.Building", verbose_name=_("building"), null=True, blank=True, on_delete=models.PROTECT)
    room = models.ForeignKey(
        "logistics.Room", verbose_name=_("room or outdoor zone"), null=True, blank=True, on_delete=models.PROTECT
    )
    checklist = models.JSONField(_("checklist"), default=list, help_text=_("The items to check, in order."))
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True, help_text=_("0 = Monday … 6 = Sunday (weekly plans)."))
    day_of_month = models.PositiveSmallIntegerField(
        _("day of month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    responsible = models.ForeignKey(USER, verbose_name=_("responsible person"), on_delete=models.PROTECT, related_name="+")
    window_start = models.TimeField(_("from"), null=True, blank=True)
    window_end = models.TimeField(_("until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    starts_on = models.DateField(_("starts on"))
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(building__isnull=False) | Q(room__isnull=False), name="safety_plan_has_area"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area(self):
        return self.room or self.building


class Inspection(models.Model):
    """One occurrence of a plan: exactly one per plan and period (database constraint)."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="inspections")
    plan = models.ForeignKey(InspectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="inspections")
    period_start = models.DateField(_("period start"))
    due_date = models.DateField(_("due date"))
    responsible = models.ForeignKey(USER, verbose_name=_("responsible person"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.DUE)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(USER, verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-due_date", "plan__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "period_start"], name="safety_one_inspection_per_period")]
        indexes = [models.Index(fields=["school", "due_date", "status"])]

    def __str__(self) -> str:
        return f"{self.plan} {self.due_date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("safety:inspection_detail", args=[self.pk])


class InspectionItem(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("item"), max_length=200)
    result = models.CharField(_("result"), max_length=10, choices=ItemResult.choices, default=ItemResult.PENDING)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="safety/items/%Y/%m/", blank=True)
    school_path = "inspection__school"
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["inspection", "position"]
        constraints = [models.UniqueConstraint(fields=["inspection", "position"], name="safety_item_position_unique")]

    def __str__(self) -> str:
        return self.text


class Hazard(models.Model):
    """A problem found on an inspection, to be fixed by a deadline (限时整改) and verified by the director."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="hazards")
    item = models.OneToOneField(InspectionItem, verbose_name=_("inspection item"), null=True, blank=True, on_delete=models.PROTECT, related_name="hazard")
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    responsible = models.ForeignKey(USER, verbose_name=_("responsible person"), on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField(_("found on"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=HazardStatus.choices, default=HazardStatus.OPEN)
    repair = models.ForeignKey("repairs.Repair", verbose_name=_("repair ticket"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closing_note = models.TextField(_("rectification note"), blank=True)
    closing_photo = models.ImageField(_("rectification photo"), upload_to="safety/hazards/%Y/%m/", blank=True)
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(USER, verbose_name=_("verified by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["school", "status", "deadline"])]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return reverse("safety:hazard_detail", args=[self.pk])

    @property
    def badge(self) -> str:
        return {HazardStatus.OPEN: "warning", HazardStatus.RECTIFIED: "info", HazardStatus.VERIFIED: "success"}[self.status]


class Visitor(models.Model):
    """Gate register (来访登记): only the last four characters of an ID document are ever stored."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="visitors")
    name = models.CharField(_("name"), max_length=60)
    id_last4 = models.CharField(
        _("ID last 4"), max_length=4,
        validators=[RegexValidator(r"^[0-9]{3}[0-9Xx]$", _("Enter exactly the last 4 characters of the ID."))],
    )
    phone = models.CharField(_("phone"), max_length=20)
    visiting = models.CharField(_("whom visiting"), max_length=60)
    purpose = models.CharField(_("purpose"), max_length=200)
    time_in = models.DateTimeField(_("time in"))
    time_out = models.DateTimeField(_("time out"), null=True, blank=True)
    registered_by = models.ForeignKey(USER, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["-time_in"]

    def __str__(self) -> str:
        return self.name


class Drill(models.Model):
    """An emergency drill (应急演练) held."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="drills")
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind"), max_length=60)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency drill")
        verbose_name_plural = _("emergency drills")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.kind} {self.held_on}"
