import datetime as dt

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from procurement.choices import PurchaseStatus
from procurement.models import PurchaseRequest


class YesOrAny(django_filters.widgets.BooleanWidget):
    """Yes / no / any (django-filter's "Unknown" reads oddly on a filter form)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", pgettext_lazy("purchase", "Any")), ("true", pgettext_lazy("purchase", "Yes")),
                        ("false", pgettext_lazy("purchase", "No")))


class PurchaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=pgettext_lazy("purchase", "Status"), choices=PurchaseStatus.choices,
                                         empty_label=pgettext_lazy("purchase", "Any"))
    title = django_filters.CharFilter(label=pgettext_lazy("purchase", "Title"), lookup_expr="icontains")
    mine = django_filters.BooleanFilter(label=_("Only mine"), method="filter_mine", widget=YesOrAny())
    awaiting = django_filters.BooleanFilter(label=_("Waiting for my approval"), method="filter_awaiting",
                                            widget=YesOrAny())
    month = django_filters.CharFilter(
        label=_("Submitted in month"), method="filter_month",
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", message=_("Enter a month as YYYY-MM."))],
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )

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
