"""List filters (django-filter) for the inbox and the lists."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from repairs.choices import RepairStatus, Urgency
from repairs.models import Repair
from repairs.selectors import overdue_q


class RepairFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    status = django_filters.ChoiceFilter(label=pgettext_lazy("repair", "Status"), choices=RepairStatus.choices)
    urgency = django_filters.ChoiceFilter(label=_("Urgency"), choices=Urgency.choices)
    overdue = django_filters.BooleanFilter(label=pgettext_lazy("repair", "Overdue only"), method="filter_overdue", widget=django_filters.widgets.BooleanWidget())
    untaken = django_filters.BooleanFilter(label=_("Not yet taken"), method="filter_untaken", widget=django_filters.widgets.BooleanWidget())
    created_after = django_filters.DateFilter(label=_("Reported from"), field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(label=_("Reported until"), field_name="created_at", lookup_expr="date__lte")

    # Filters whose result changes with the clock alone (no change in the data): not remembered.
    CLOCK_FILTERS = ("overdue",)

    class Meta:
        model = Repair
        fields = ["q", "status", "urgency", "overdue", "untaken", "created_after", "created_before"]

    @property
    def form(self):
        """The form, built on first use (a list that shows no filter never builds it) with the
        markup the list's ``filter_field`` reads: BooleanWidget's labels and date inputs."""
        if not hasattr(self, "_form"):
            from django import forms

            for field in super().form.fields.values():
                widget = field.widget
                if isinstance(widget, django_filters.widgets.BooleanWidget):
                    # django-filter builds these labels once, in the language of whoever imported it first
                    widget.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]
                if isinstance(widget, forms.DateInput):
                    widget.input_type = "date"
        return self._form

    def filter_q(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(number__icontains=value) | Q(description__icontains=value) | Q(room__name__icontains=value))

    def filter_overdue(self, qs, name, value):
        return qs.filter(overdue_q()) if value else qs

    def filter_untaken(self, qs, name, value):
        return qs.filter(status=RepairStatus.SUBMITTED) if value else qs
