from django.urls import path

from procurement import views

app_name = "procurement"

urlpatterns = [
    path("", views.PurchaseListView.as_view(), name="purchase_list"),
    path("new/", views.PurchaseCreateView.as_view(), name="purchase_create"),
    path("<int:pk>/", views.PurchaseDetailView.as_view(), name="purchase_detail"),
    path("<int:pk>/items/", views.ItemAddView.as_view(), name="purchase_add_item"),
    path("<int:pk>/items/remove/", views.ItemRemoveView.as_view(), name="purchase_remove_item"),
    path("<int:pk>/quotes/", views.QuoteAddView.as_view(), name="purchase_add_quote"),
    path("<int:pk>/attachments/", views.AttachmentAddView.as_view(), name="purchase_attach"),
    path("<int:pk>/notes/", views.NotesView.as_view(), name="purchase_notes"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="purchase_submit"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="purchase_approve"),
    path("<int:pk>/reject/", views.RejectView.as_view(), name="purchase_reject"),
    path("<int:pk>/order/", views.OrderView.as_view(), name="purchase_order"),
    path("<int:pk>/receive/", views.ReceiptRecordView.as_view(), name="purchase_receive"),
    path("<int:pk>/countersign/", views.ReceiptCountersignView.as_view(), name="purchase_countersign"),
    path("<int:pk>/reimburse/", views.ReimburseView.as_view(), name="purchase_reimburse"),
    path("disclosures/", views.DisclosureListView.as_view(), name="disclosure_list"),
    path("disclosures/generate/", views.DisclosureGenerateView.as_view(), name="disclosure_generate"),
    path("disclosures/<int:pk>/pdf/", views.DisclosureDownloadView.as_view(), name="disclosure_download"),
    path("disclosures/<int:pk>/publish/", views.DisclosurePublishView.as_view(), name="disclosure_publish"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("budget/", views.BudgetLineListView.as_view(), name="budgetline_list"),
    path("budget/new/", views.BudgetLineCreateView.as_view(), name="budgetline_create"),
    path("budget/<int:pk>/edit/", views.BudgetLineUpdateView.as_view(), name="budgetline_update"),
    path("policy/", views.PolicyUpdateView.as_view(), name="policy_edit"),
]
