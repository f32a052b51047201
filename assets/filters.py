"""Register search: number, name, category, room, person, status, acquisition date range."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from logistics.models import Room, User

from .choices import AssetClass, AssetStatus
from .models import Asset, Category


class AssetFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label=_("Asset number"), lookup_expr="icontains")
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    category = django_filters.CharFilter(label=_("Category code"), method="filter_category")
    room = django_filters.ModelChoiceFilter(label=_("Room"), queryset=Room.objects.none())
    custodian = django_filters.ModelChoiceFilter(label=_("Responsible person"), queryset=User.objects.none())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssetStatus.choices)
    asset_class = django_filters.ChoiceFilter(label=_("Class"), choices=AssetClass.choices)
    acquired_from = django_filters.DateFilter(
        label=_("Acquired from"), field_name="acquisition_date", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    acquired_to = django_filters.DateFilter(
        label=_("Acquired until"), field_name="acquisition_date", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Asset
        fields: list = []

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["room"].queryset = Room.objects.filter(school=school).order_by("name")
        self.filters["custodian"].queryset = User.objects.filter(memberships__school=school).distinct().order_by("full_name")

    def filter_category(self, queryset, name, value):
        """A code matches itself and its sub-categories (codes share the prefix without trailing zeros)."""
        value = value.strip()
        prefix = value.rstrip("0") or value
        return queryset.filter(Q(category__code__startswith=prefix) | Q(category__name__icontains=value))


__all__ = ["AssetFilter", "Category"]
