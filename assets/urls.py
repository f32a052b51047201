from django.urls import path

from assets import views as v

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
    path("store/", v.StoreItemListView.as_view(), name="storeitem_list"),
    path("store/<int:pk>/", v.StoreItemDetailView.as_view(), name="storeitem_detail"),
]
