from django.urls import path

from assets import views as v

app_name = "assets"

urlpatterns = [
    path("store/", v.StoreItemListView.as_view(), name="storeitem_list"),
    path("store/<int:pk>/", v.StoreItemDetailView.as_view(), name="storeitem_detail"),
]
