"""Views of procurement, by sub-domain; ``urls.py`` uses them through this package."""
from procurement.views.budget import BudgetLineCreateView, BudgetLineListView, BudgetLineUpdateView, PolicyUpdateView
from procurement.views.dashboard import DashboardView
from procurement.views.disclosure import (
    DisclosureDownloadView,
    DisclosureGenerateView,
    DisclosureListView,
    DisclosurePublishView,
)
from procurement.views.purchases import (
    ApproveView,
    AttachmentAddView,
    ItemAddView,
    ItemRemoveView,
    NotesView,
    PurchaseCreateView,
    PurchaseDetailView,
    PurchaseListView,
    QuoteAddView,
    RejectView,
    SubmitView,
)
from procurement.views.receiving import OrderView, ReceiptCountersignView, ReceiptRecordView, ReimburseView

__all__ = [
    "ApproveView", "AttachmentAddView", "BudgetLineCreateView", "BudgetLineListView", "BudgetLineUpdateView",
    "DashboardView", "DisclosureDownloadView", "DisclosureGenerateView", "DisclosureListView",
    "DisclosurePublishView", "ItemAddView", "ItemRemoveView", "NotesView", "OrderView", "PolicyUpdateView", "PurchaseCreateView",
    "PurchaseDetailView", "PurchaseListView", "QuoteAddView", "ReceiptCountersignView", "ReceiptRecordView",
    "RejectView", "ReimburseView", "SubmitView",
]
