"""Views of the assets app: the store room (items and their ledger)."""
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from logistics.scoping import SchoolScopedMixin

from .models import StoreItem


class StoreItemListView(SchoolScopedMixin, ListView):
    model = StoreItem
    capability = "assets.store_view"
    paginate_by = 50
    template_name = "assets/storeitem_list.html"

    def get_queryset(self):
        return super().get_queryset().filter(is_active=True).order_by("name", "spec")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Store room"), **kwargs)


class StoreItemDetailView(SchoolScopedMixin, DetailView):
    model = StoreItem
    capability = "assets.store_view"
    template_name = "assets/storeitem_detail.html"

    def get_context_data(self, **kwargs):
        moves = self.object.moves.select_related("by", "department")[:50]
        return super().get_context_data(moves=moves, **kwargs)
