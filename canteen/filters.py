"""List filters of the canteen (django-filter)."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from canteen.choices import ReceivingStatus
from canteen.models import Receiving


class ReceivingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=pgettext_lazy("canteen", "status"), choices=ReceivingStatus.choices)
    item = django_filters.CharFilter(label=_("item"), lookup_expr="icontains")
    received_from = django_filters.DateFilter(label=_("received from"), field_name="received_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    received_until = django_filters.DateFilter(label=_("received until"), field_name="received_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select) else "form-control")

    class Meta:
        model = Receiving
        fields = ["status", "item", "received_from", "received_until"]
