import django_filters
from django.utils.translation import gettext_lazy as _

from procurement.choices import PurchaseStatus
from procurement.models import PurchaseRequest


class PurchaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=PurchaseStatus.choices)
    title = django_filters.CharFilter(label=_("title"), lookup_expr="icontains")
    mine = django_filters.BooleanFilter(label=_("Only mine"), method="filter_mine",
                                        widget=django_filters.widgets.BooleanWidget())

    def filter_mine(self, qs, name, value):
        return qs.filter(requester=self.request.user) if value else qs

    class Meta:
        model = PurchaseRequest
        fields = ["status", "title", "mine"]
