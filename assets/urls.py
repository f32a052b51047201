from django.urls import path

from assets import views as v
from assets import views_damage as dm
from assets import views_import as im
from assets import views_loans as ln
from assets import views_stocktake as st
from assets import views_store as s

app_name = "assets"

urlpatterns = [
    path("", v.AssetListView.as_view(), name="asset_list"),
    path("export/", v.AssetExportView.as_view(), name="asset_export"),
    path("labels/", v.AssetLabelsView.as_view(), name="asset_labels"),
    path("new/", v.AssetCreateView.as_view(), name="asset_create"),
    path("<int:pk>/", v.AssetDetailView.as_view(), name="asset_detail"),
    path("<int:pk>/edit/", v.AssetUpdateView.as_view(), name="asset_update"),
    path("holdings/", v.HoldingsView.as_view(), name="asset_holdings"),
    path("settings/", v.SettingsView.as_view(), name="settings_edit"),
    path("categories/", v.CategoryListView.as_view(), name="category_list"),
    path("categories/new/", v.CategoryCreateView.as_view(), name="category_create"),
    path("store/", s.StoreItemListView.as_view(), name="storeitem_list"),
    path("store/new/", s.StoreItemCreateView.as_view(), name="storeitem_create"),
    path("store/<int:pk>/", s.StoreItemDetailView.as_view(), name="storeitem_detail"),
    path("store/<int:pk>/receive/", s.ReceiveView.as_view(), name="storeitem_receive"),
    path("store/<int:pk>/issue/", s.IssueView.as_view(), name="storeitem_issue"),
    path("requisitions/", s.RequisitionListView.as_view(), name="requisition_list"),
    path("requisitions/new/", s.RequisitionCreateView.as_view(), name="requisition_create"),
    path("requisitions/<int:pk>/issue/", s.RequisitionIssueView.as_view(), name="requisition_issue"),
    path("requisitions/<int:pk>/refuse/", s.RequisitionRefuseView.as_view(), name="requisition_refuse"),
    path("<int:pk>/lend/", ln.LendView.as_view(), name="asset_lend"),
    path("loans/", ln.LoanListView.as_view(), name="loan_list"),
    path("loans/mine/", ln.MyLoanListView.as_view(), name="loan_mine"),
    path("loans/<int:pk>/return/", ln.ReturnView.as_view(), name="loan_return"),
    path("<int:pk>/damage/", dm.DamageCreateView.as_view(), name="damage_create"),
    path("damage/<int:pk>/amount/", dm.DamageAmountView.as_view(), name="damage_amount"),
    path("<int:pk>/write-off/", dm.WriteOffRequestView.as_view(), name="writeoff_request"),
    path("write-offs/", dm.WriteOffListView.as_view(), name="writeoff_list"),
    path("write-offs/<int:pk>/approve/", dm.WriteOffDecideView.as_view(), name="writeoff_approve"),
    path("write-offs/<int:pk>/reject/", dm.WriteOffRejectView.as_view(), name="writeoff_reject"),
    path("stocktakes/", st.StocktakeListView.as_view(), name="stocktake_list"),
    path("stocktakes/new/", st.StocktakeCreateView.as_view(), name="stocktake_create"),
    path("stocktakes/<int:pk>/", st.StocktakeDetailView.as_view(), name="stocktake_detail"),
    path("stocktakes/<int:pk>/report.pdf", st.StocktakeReportPdfView.as_view(), name="stocktake_pdf"),
    path("stocktakes/<int:pk>/surplus/", st.SurplusView.as_view(), name="stocktake_surplus"),
    path("stocktakes/<int:pk>/close/", st.CloseView.as_view(), name="stocktake_close"),
    path("stocktakes/<int:pk>/confirm/", st.ConfirmView.as_view(), name="stocktake_confirm"),
    path("stocktakes/lines/<int:pk>/mark/", st.MarkLineView.as_view(), name="stocktakeline_mark"),
    path("stocktakes/lines/<int:pk>/wrong-room/", st.WrongRoomView.as_view(), name="stocktakeline_wrong_room"),
    path("<int:pk>/found/", st.ScanFoundView.as_view(), name="asset_found"),
    path("import/", im.ImportView.as_view(), name="asset_import"),
]
