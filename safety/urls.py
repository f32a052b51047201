from django.urls import path

from safety import views

app_name = "safety"

urlpatterns = [
    path("", views.MyInspectionsView.as_view(), name="inspection_today"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/<int:pk>/submit/", views.InspectionSubmitView.as_view(), name="inspection_submit"),
    path("items/<int:pk>/record/", views.ItemRecordView.as_view(), name="item_record"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan_update"),
    path("hazards/", views.HazardListView.as_view(), name="hazard_list"),
    path("hazards/<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("hazards/<int:pk>/edit/", views.HazardUpdateView.as_view(), name="hazard_update"),
    path("hazards/<int:pk>/rectify/", views.HazardRectifyView.as_view(), name="hazard_rectify"),
    path("hazards/<int:pk>/verify/", views.HazardVerifyView.as_view(), name="hazard_verify"),
    path("hazards/<int:pk>/repair/", views.HazardRepairView.as_view(), name="hazard_repair"),
    path("report/", views.MonthlyReportView.as_view(), name="report_month"),
    path("visitors/", views.VisitorListView.as_view(), name="visitor_list"),
    path("visitors/new/", views.VisitorCreateView.as_view(), name="visitor_create"),
    path("visitors/<int:pk>/out/", views.VisitorOutView.as_view(), name="visitor_out"),
    path("drills/", views.DrillListView.as_view(), name="drill_list"),
    path("drills/new/", views.DrillCreateView.as_view(), name="drill_create"),
]
