"""Safety inspections (每日巡视 / 安全隐患排查): plans, inspections, hazards (限时整改), gate visitors, drills.

Labels carry the translation context "safety": other apps use the same English words ("Open",
"status", "OK") with other Chinese meanings, and one catalogue must not override another's.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from logistics.scoping import SchoolScopedQuerySet
from safety.choices import HAZARD_STATUS_BADGE, WEEKDAYS, Frequency, HazardStatus, InspectionStatus, ItemResult, Severity

USER = settings.AUTH_USER_MODEL

def hazard_overdue(status: str, deadline, today) -> bool:
    """A hazard is overdue while it is open past its deadline (``Hazard.is_overdue``; list rows of plain values)."""
    return status == HazardStatus.OPEN and deadline < today


# The area of a plan with neither a room nor a building.
WHOLE_SCHOOL = pgettext_lazy("safety", "Whole school")


class InspectionPlan(models.Model):
    """What to check where and when: an ordered checklist for a building, a room or an outdoor
    zone (or, neither given, the whole school — the monthly hazard sweep), on a schedule, by one
    responsible person, in a time window (the school's 巡视制度)."""

    school = models.ForeignKey("logistics.School", verbose_name=pgettext_lazy("safety", "school"), on_delete=models.CASCADE, related_name="inspection_plans")
    name = models.CharField(pgettext_lazy("safety", "name"), max_length=120)
    building = models.ForeignKey("logistics.Building", verbose_name=pgettext_lazy("safety", "building"), null=True, blank=True, on_delete=models.PROTECT)
    room = models.ForeignKey(
        "logistics.Room", verbose_name=pgettext_lazy("safety", "room or outdoor zone"), null=True, blank=True, on_delete=models.PROTECT
    )
    checklist = models.JSONField(pgettext_lazy("safety", "checklist"), default=list, help_text=pgettext_lazy("safety", "The items to check, in order."))
    frequency = models.CharField(pgettext_lazy("safety", "frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    weekdays = models.JSONField(pgettext_lazy("safety", "weekdays"), default=list, blank=True, help_text=pgettext_lazy("safety", "0 = Monday … 6 = Sunday (weekly plans)."))
    day_of_month = models.PositiveSmallIntegerField(
        pgettext_lazy("safety", "day of month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    responsible = models.ForeignKey(USER, verbose_name=pgettext_lazy("safety", "responsible person"), on_delete=models.PROTECT, related_name="+")
    window_start = models.TimeField(pgettext_lazy("safety", "from (time)"), null=True, blank=True)
    window_end = models.TimeField(pgettext_lazy("safety", "until (time)"), null=True, blank=True)
    gate_check = models.BooleanField(
        pgettext_lazy("safety", "close-up check at the gate"), default=False,
        help_text=pgettext_lazy("safety", "The inspection page lists the visitors still inside, and the guard is told of them when the window opens."),
    )
    active = models.BooleanField(pgettext_lazy("safety", "active"), default=True)
    starts_on = models.DateField(pgettext_lazy("safety", "starts on"))
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("safety", "inspection plan")
        verbose_name_plural = pgettext_lazy("safety", "inspection plans")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(building__isnull=True) | Q(room__isnull=True), name="safety_plan_one_area"),
            models.UniqueConstraint(fields=["school", "name"], name="safety_plan_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("safety:plan_update", args=[self.pk])

    @property
    def area(self):
        """The room, the building, or "Whole school" (``safety.selectors.plan_names``: the same from cached labels)."""
        return self.room or self.building or WHOLE_SCHOOL

    def schedule_display(self) -> str:
        """"Daily", "Weekly: Mon, Thu", "Monthly on day 1", "Each term" in the current language."""
        if self.frequency == Frequency.WEEKLY:
            names = dict(WEEKDAYS)
            sep = "、" if (translation.get_language() or "").startswith("zh") else ", "
            days = sep.join(str(names[int(d)]) for d in sorted(self.weekdays or []) if int(d) in names)
            return gettext("Weekly: %(days)s") % {"days": days}
        if self.frequency == Frequency.MONTHLY:
            return gettext("Monthly on day %(day)s") % {"day": self.day_of_month or 1}
        return str(self.get_frequency_display())

    def window_display(self) -> str:
        if not self.window_start:
            return ""
        end = self.window_end.strftime("%H:%M") if self.window_end else ""
        return f"{self.window_start:%H:%M}–{end}"


class Inspection(models.Model):
    """One occurrence of a plan: exactly one per plan and period (database constraint)."""

    school = models.ForeignKey("logistics.School", verbose_name=pgettext_lazy("safety", "school"), on_delete=models.CASCADE, related_name="inspections")
    plan = models.ForeignKey(InspectionPlan, verbose_name=pgettext_lazy("safety", "plan"), on_delete=models.CASCADE, related_name="inspections")
    period_start = models.DateField(pgettext_lazy("safety", "period start"))
    due_date = models.DateField(pgettext_lazy("safety", "due date"))
    responsible = models.ForeignKey(USER, verbose_name=pgettext_lazy("safety", "responsible person"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(pgettext_lazy("safety", "status"), max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.DUE)
    submitted_at = models.DateTimeField(pgettext_lazy("safety", "submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(USER, verbose_name=pgettext_lazy("safety", "submitted by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Set once, when submitted (the items cannot change after that): the records list filters and
    # counts on it instead of looking into 30 items per inspection.
    problem_count = models.PositiveSmallIntegerField(pgettext_lazy("safety", "problems"), default=0)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("safety", "inspection")
        verbose_name_plural = pgettext_lazy("safety", "inspections")
        ordering = ["-due_date", "plan__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "period_start"], name="safety_one_inspection_per_period")]
        indexes = [
            models.Index(fields=["school", "due_date", "status"]),
            # The records list: newest first, pages by primary key (ids-first pagination).
            models.Index(fields=["school", "-due_date", "-id"], name="safety_insp_school_recent"),
            models.Index(fields=["school", "-due_date", "-id"], condition=Q(problem_count__gt=0), name="safety_insp_with_problems"),
            # The sweep and "my inspections" look only at inspections not done yet: a small slice.
            models.Index(fields=["due_date"], condition=Q(status="due"), name="safety_insp_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.due_date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("safety:inspection_detail", args=[self.pk])

    def state(self, today) -> str:
        """done / late (submitted after the due date) / missed (not done, past due) / due."""
        if self.status == InspectionStatus.SUBMITTED:
            from django.utils import timezone

            return "late" if self.submitted_at and timezone.localdate(self.submitted_at) > self.due_date else "done"
        return "missed" if self.due_date < today else "due"


class InspectionItem(models.Model):
    """One line of an inspection's checklist (copied from the plan when the inspection was made)."""

    inspection = models.ForeignKey(Inspection, verbose_name=pgettext_lazy("safety", "inspection"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(pgettext_lazy("safety", "position"))
    text = models.CharField(pgettext_lazy("safety", "checklist item"), max_length=200)
    result = models.CharField(pgettext_lazy("safety", "result"), max_length=10, choices=ItemResult.choices, default=ItemResult.PENDING)
    severity = models.CharField(pgettext_lazy("safety", "severity"), max_length=10, choices=Severity.choices, blank=True)
    note = models.TextField(pgettext_lazy("safety", "note"), blank=True)
    photo = models.ImageField(pgettext_lazy("safety", "photo"), upload_to="safety/items/%Y/%m/", blank=True)
    recorded_at = models.DateTimeField(pgettext_lazy("safety", "checked at"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=pgettext_lazy("safety", "checked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school_path = "inspection__school"
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("safety", "inspection item")
        verbose_name_plural = pgettext_lazy("safety", "inspection items")
        ordering = ["inspection", "position"]
        constraints = [models.UniqueConstraint(fields=["inspection", "position"], name="safety_item_position_unique")]
        # "With problems only" and the problem counts read the few problem items, not all of them.
        indexes = [models.Index(fields=["inspection"], condition=Q(result="problem"), name="safety_item_problems")]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("safety:inspection_detail", args=[self.inspection_id]) + f"#item-{self.pk}"


class Hazard(models.Model):
    """A problem found on an inspection, to be fixed by a deadline (限时整改) and verified by the director."""

    school = models.ForeignKey("logistics.School", verbose_name=pgettext_lazy("safety", "school"), on_delete=models.CASCADE, related_name="hazards")
    item = models.OneToOneField(
        InspectionItem, verbose_name=pgettext_lazy("safety", "inspection item"), null=True, blank=True, on_delete=models.PROTECT, related_name="hazard"
    )
    description = models.TextField(pgettext_lazy("safety", "description"))
    severity = models.CharField(pgettext_lazy("safety", "severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    responsible = models.ForeignKey(USER, verbose_name=pgettext_lazy("safety", "responsible person"), on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField(pgettext_lazy("safety", "found on"))
    deadline = models.DateField(pgettext_lazy("safety", "deadline"))
    status = models.CharField(pgettext_lazy("safety", "status"), max_length=10, choices=HazardStatus.choices, default=HazardStatus.OPEN)
    repair = models.ForeignKey(
        "repairs.Repair", verbose_name=pgettext_lazy("safety", "repair ticket"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closing_note = models.TextField(pgettext_lazy("safety", "rectification note"), blank=True)
    closing_photo = models.ImageField(pgettext_lazy("safety", "rectification photo"), upload_to="safety/hazards/%Y/%m/", blank=True)
    rectified_at = models.DateTimeField(pgettext_lazy("safety", "rectified at"), null=True, blank=True)
    verified_at = models.DateTimeField(pgettext_lazy("safety", "verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(USER, verbose_name=pgettext_lazy("safety", "verified by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    escalation_level = models.PositiveSmallIntegerField(pgettext_lazy("safety", "escalation level"), default=0)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("safety", "hazard")
        verbose_name_plural = pgettext_lazy("safety", "hazards")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["school", "status", "deadline"]),
            models.Index(fields=["deadline"], condition=Q(status="open"), name="safety_hazard_open_deadline"),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return reverse("safety:hazard_detail", args=[self.pk])

    @property
    def badge(self) -> str:
        return HAZARD_STATUS_BADGE[self.status]

    def is_overdue(self, today) -> bool:
        return hazard_overdue(self.status, self.deadline, today)


class Visitor(models.Model):
    """Gate register (来访登记): only the last four characters of an ID document are ever stored."""

    school = models.ForeignKey("logistics.School", verbose_name=pgettext_lazy("safety", "school"), on_delete=models.CASCADE, related_name="visitors")
    name = models.CharField(pgettext_lazy("safety", "visitor's name"), max_length=60)
    id_last4 = models.CharField(
        pgettext_lazy("safety", "ID last 4"), max_length=4,
        validators=[RegexValidator(r"^[0-9]{3}[0-9Xx]$", pgettext_lazy("safety", "Enter exactly the last 4 characters of the ID."))],
    )
    phone = models.CharField(pgettext_lazy("safety", "phone"), max_length=20)
    visiting = models.CharField(pgettext_lazy("safety", "whom visiting"), max_length=60)
    purpose = models.CharField(pgettext_lazy("safety", "purpose"), max_length=200)
    time_in = models.DateTimeField(pgettext_lazy("safety", "time in"))
    time_out = models.DateTimeField(pgettext_lazy("safety", "time out"), null=True, blank=True)
    registered_by = models.ForeignKey(USER, verbose_name=pgettext_lazy("safety", "registered by"), on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("safety", "visitor")
        verbose_name_plural = pgettext_lazy("safety", "visitors")
        ordering = ["-time_in"]
        indexes = [
            models.Index(fields=["school", "time_in"]),
            models.Index(fields=["school"], condition=Q(time_out__isnull=True), name="safety_visitor_inside"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("safety:visitor_list") + f"?day={self.time_in:%Y-%m-%d}"


class Drill(models.Model):
    """An emergency drill held (应急演练: fire evacuation, earthquake, stampede prevention …)."""

    school = models.ForeignKey("logistics.School", verbose_name=pgettext_lazy("safety", "school"), on_delete=models.CASCADE, related_name="drills")
    held_on = models.DateField(pgettext_lazy("safety", "held on"))
    kind = models.CharField(pgettext_lazy("safety", "kind of drill"), max_length=60)
    participants = models.PositiveIntegerField(pgettext_lazy("safety", "participants"), default=0)
    note = models.TextField(pgettext_lazy("safety", "note"), blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=pgettext_lazy("safety", "recorded by"), on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("safety", "emergency drill")
        verbose_name_plural = pgettext_lazy("safety", "emergency drills")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("safety:drill_list")
