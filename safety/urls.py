from django.urls import path

from safety import views

app_name = "safety"

urlpatterns = [
    path("", views.MyInspectionsView.as_view(), name="inspection_today"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/<int:pk>/submit/", views.InspectionSubmitView.as_view(), name="inspection_submit"),
    path("items/<int:pk>/record/", views.ItemRecordView.as_view(), name="item_record"),
    path("hazards/", views.HazardListView.as_view(), name="hazard_list"),
    path("hazards/<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("hazards/<int:pk>/rectify/", views.HazardRectifyView.as_view(), name="hazard_rectify"),
    path("hazards/<int:pk>/verify/", views.HazardVerifyView.as_view(), name="hazard_verify"),
    path("hazards/<int:pk>/repair/", views.HazardRepairView.as_view(), name="hazard_repair"),
    path("report/", views.MonthlyReportView.as_view(), name="report_month"),
    path("visitors/", views.VisitorListView.as_view(), name="visitor_list"),
    path("visitors/new/", views.VisitorCreateView.as_view(), name="visitor_create"),
    path("visitors/<int:pk>/out/", views.VisitorOutView.as_view(), name="visitor_out"),
]
