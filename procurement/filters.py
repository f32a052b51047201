import datetime as dt

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from procurement.choices import PurchaseStatus
from procurement.models import PurchaseRequest


class PurchaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=PurchaseStatus.choices)
    title = django_filters.CharFilter(label=_("title"), lookup_expr="icontains")
    mine = django_filters.BooleanFilter(label=_("Only mine"), method="filter_mine",
                                        widget=django_filters.widgets.BooleanWidget())
    awaiting = django_filters.BooleanFilter(label=_("Waiting for my approval"), method="filter_awaiting",
                                            widget=django_filters.widgets.BooleanWidget())
    month = django_filters.CharFilter(
        label=_("Submitted in month"), method="filter_month",
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", message=_("Enter a month as YYYY-MM."))],
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Bootstrap classes on the widgets: the list renders the fields itself (cheaper than crispy).
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"

    def filter_mine(self, qs, name, value):
        return qs.filter(requester=self.request.user) if value else qs

    def filter_awaiting(self, qs, name, value):
        from procurement.selectors import awaiting_my_signature

        if not value:
            return qs
        return qs.filter(pk__in=awaiting_my_signature(self.request.school, self.request.user).values("pk"))

    def filter_month(self, qs, name, value):
        """Requests submitted in the month and not rejected: what "spending this month" counts."""
        from procurement.selectors import committed_in_month

        try:
            day = dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            return qs.none()
        return qs.filter(pk__in=committed_in_month(self.request.school, day.year, day.month).values("pk"))

    class Meta:
        model = PurchaseRequest
        fields = ["status", "title", "mine", "awaiting", "month"]
