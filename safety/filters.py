"""List filters (django-filter) of the safety app."""
from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from safety.choices import INSPECTION_STATES, HazardStatus, InspectionStatus, Severity
from safety.models import Hazard, Inspection, InspectionPlan, Visitor

DATE = forms.DateInput(attrs={"type": "date"})
YES = django_filters.widgets.BooleanWidget()


class InspectionFilter(django_filters.FilterSet):
    """The inspection history: by plan, state (done, late, missed, to do), person and dates."""

    plan = django_filters.ModelChoiceFilter(label=pgettext_lazy("safety", "plan"), queryset=InspectionPlan.objects.none())
    state = django_filters.ChoiceFilter(label=pgettext_lazy("safety", "status"), method="filter_state",
                                        choices=[(k, label) for k, (label, _colour) in INSPECTION_STATES.items()])
    problems = django_filters.BooleanFilter(label=pgettext_lazy("safety", "With problems only"), method="filter_problems", widget=YES)
    after = django_filters.DateFilter(label=pgettext_lazy("safety", "Due from"), field_name="due_date", lookup_expr="gte", widget=DATE)
    before = django_filters.DateFilter(label=pgettext_lazy("safety", "Due until"), field_name="due_date", lookup_expr="lte", widget=DATE)
    mine = django_filters.BooleanFilter(label=pgettext_lazy("safety", "Mine only"), method="filter_mine", widget=YES)

    class Meta:
        model = Inspection
        fields = ["plan", "state", "problems", "after", "before", "mine"]

    def __init__(self, *args, school, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["plan"].queryset = InspectionPlan.objects.filter(school=school).order_by("name")

    def filter_state(self, qs, name, value):
        today = timezone.localdate()
        if value == "missed":
            return qs.filter(status=InspectionStatus.DUE, due_date__lt=today)
        if value == "due":
            return qs.filter(status=InspectionStatus.DUE, due_date__gte=today)
        done = qs.filter(status=InspectionStatus.SUBMITTED)
        # late: submitted on a later local day than it was due
        late = Q(submitted_at__date__gt=F("due_date"))
        return done.filter(late) if value == "late" else done.exclude(late)

    def filter_problems(self, qs, name, value):
        """Submitted with at least one problem (an inspection still to do has no final result)."""
        return qs.filter(problem_count__gt=0) if value else qs

    def filter_mine(self, qs, name, value):
        return qs.filter(Q(responsible=self.user) | Q(submitted_by=self.user)) if value else qs


class HazardFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=pgettext_lazy("safety", "status"), choices=HazardStatus.choices)
    severity = django_filters.ChoiceFilter(label=pgettext_lazy("safety", "severity"), choices=Severity.choices)
    overdue = django_filters.BooleanFilter(label=pgettext_lazy("safety", "Overdue only"), method="filter_overdue", widget=YES)
    mine = django_filters.BooleanFilter(label=pgettext_lazy("safety", "Mine only"), method="filter_mine", widget=YES)

    class Meta:
        model = Hazard
        fields = ["status", "severity", "overdue", "mine"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_overdue(self, qs, name, value):
        return qs.filter(status=HazardStatus.OPEN, deadline__lt=timezone.localdate()) if value else qs

    def filter_mine(self, qs, name, value):
        return qs.filter(responsible=self.user) if value else qs


class VisitorFilter(django_filters.FilterSet):
    """The gate register of one day (today by default), or everyone still inside; search by name."""

    day = django_filters.DateFilter(label=pgettext_lazy("safety", "day"), method="filter_day", widget=DATE)
    q = django_filters.CharFilter(label=pgettext_lazy("safety", "Search"), method="filter_q")
    inside = django_filters.BooleanFilter(label=pgettext_lazy("safety", "Still inside"), method="filter_inside", widget=YES)

    class Meta:
        model = Visitor
        fields = ["day", "q", "inside"]

    def filter_day(self, qs, name, value):
        start = timezone.make_aware(dt.datetime.combine(value, dt.time.min))
        return qs.filter(time_in__gte=start, time_in__lt=start + dt.timedelta(days=1))

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(visiting__icontains=value) | Q(phone__contains=value))

    def filter_inside(self, qs, name, value):
        return qs.filter(time_out__isnull=True) if value else qs
