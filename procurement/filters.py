import django_filters
from django.utils.translation import gettext_lazy as _

from procurement.choices import PurchaseStatus
from procurement.models import PurchaseRequest


class PurchaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=PurchaseStatus.choices)
    title = django_filters.CharFilter(label=_("title"), lookup_expr="icontains")

    class Meta:
        model = PurchaseRequest
        fields = ["status", "title"]
