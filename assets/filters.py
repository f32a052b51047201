"""Register search: number, name, category, room, person, status, acquisition date range."""
import copy

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AssetClass, AssetStatus
from .forms import FastDateInput, FastSelect, FastTextInput
from .models import Asset, Category
from .selectors import filter_choices


class SharedChoiceIterator(django_filters.fields.ChoiceIterator):
    """The choices of a filter field, shared (not copied) when a form copies its fields: a large
    school's rooms and people are one cached list (``filter_choices``) that nobody changes, and
    Django deep-copied every (value, label) pair of them each time a filtered list was shown."""

    def __deepcopy__(self, memo):
        shared = copy.copy(self)
        shared.field = memo.get(id(self.field), self.field)  # the copied field, when the field is being copied
        return shared


class SharedChoiceField(django_filters.fields.ChoiceField):
    iterator = SharedChoiceIterator


class SharedChoiceFilter(django_filters.ChoiceFilter):
    field_class = SharedChoiceField


class AssetFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label=_("Asset number"), lookup_expr="icontains", widget=FastTextInput)
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains", widget=FastTextInput)
    category = django_filters.CharFilter(label=_("Category code"), method="filter_category", widget=FastTextInput)
    # Plain choices from one light query each (a room's label needs its building): no model instances.
    room = SharedChoiceFilter(label=_("Room"), choices=[], widget=FastSelect)
    custodian = SharedChoiceFilter(label=_("Responsible person"), choices=[], widget=FastSelect)
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
        self.school = school

    @property
    def form(self):
        """Built when first used, with the school's rooms and people: the register, unfiltered, shows
        a folded filter and never builds it (its template, ``filter_cells``, writes the classes)."""
        if not hasattr(self, "_form"):
            rooms, people = filter_choices(self.school)
            self.filters["room"].extra["choices"] = rooms
            self.filters["custodian"].extra["choices"] = people
        return super().form

    def filter_category(self, queryset, name, value):
        """A code matches itself and its sub-categories (codes share the prefix without trailing zeros)."""
        value = value.strip()
        prefix = value.rstrip("0") or value
        return queryset.filter(Q(category__code__startswith=prefix) | Q(category__name__icontains=value))


__all__ = ["AssetFilter", "Category"]
