"""Register search: number, name, category, room, person, status, acquisition date range."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AssetClass, AssetStatus
from .forms import FastDateInput, FastSelect, FastTextInput
from .models import Asset, Category
from .selectors import filter_choices


class AssetFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label=_("Asset number"), lookup_expr="icontains", widget=FastTextInput)
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains", widget=FastTextInput)
    category = django_filters.CharFilter(label=_("Category code"), method="filter_category", widget=FastTextInput)
    # Plain choices from one light query each (a room's label needs its building): no model instances.
    room = django_filters.ChoiceFilter(label=_("Room"), choices=[], widget=FastSelect)
    custodian = django_filters.ChoiceFilter(label=_("Responsible person"), choices=[], widget=FastSelect)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssetStatus.choices, widget=FastSelect)
    asset_class = django_filters.ChoiceFilter(label=_("Class"), choices=AssetClass.choices, widget=FastSelect)
    acquired_from = django_filters.DateFilter(
        label=_("Acquired from"), field_name="acquisition_date", lookup_expr="gte", widget=FastDateInput
    )
    acquired_to = django_filters.DateFilter(
        label=_("Acquired until"), field_name="acquisition_date", lookup_expr="lte", widget=FastDateInput
    )

    class Meta:
        model = Asset
        fields: list = []

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        rooms, people = filter_choices(school)
        self.filters["room"].extra["choices"] = rooms
        self.filters["custodian"].extra["choices"] = people
        for field in self.form.fields.values():  # Bootstrap classes, so the page needs no crispy rendering
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_category(self, queryset, name, value):
        """A code matches itself and its sub-categories (codes share the prefix without trailing zeros)."""
        value = value.strip()
        prefix = value.rstrip("0") or value
        return queryset.filter(Q(category__code__startswith=prefix) | Q(category__name__icontains=value))


__all__ = ["AssetFilter", "Category"]
