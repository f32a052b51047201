from django.urls import path

from repairs import views as v

app_name = "repairs"

urlpatterns = [
    path("", v.RepairListView.as_view(), name="repair_list"),
    path("mine/", v.MyRepairListView.as_view(), name="repair_mine"),
    path("export/", v.RepairExportView.as_view(), name="repair_export"),
    path("new/", v.RepairCreateView.as_view(), name="repair_create"),
    path("<int:pk>/", v.RepairDetailView.as_view(), name="repair_detail"),
    path("<int:pk>/take/", v.TakeView.as_view(), name="repair_take"),
    path("<int:pk>/handover/", v.HandoverView.as_view(), name="repair_handover"),
    path("<int:pk>/dispatch/", v.DispatchView.as_view(), name="repair_dispatch"),
    path("<int:pk>/start/", v.StartView.as_view(), name="repair_start"),
    path("<int:pk>/note/", v.NoteView.as_view(), name="repair_note"),
    path("<int:pk>/cost/", v.CostView.as_view(), name="repair_cost"),
    path("<int:pk>/material/", v.MaterialView.as_view(), name="repair_material"),
    path("<int:pk>/complete/", v.CompleteView.as_view(), name="repair_complete"),
    path("<int:pk>/signoff/", v.SignOffView.as_view(), name="repair_signoff"),
    path("<int:pk>/reject/", v.RejectView.as_view(), name="repair_reject"),
    path("<int:pk>/cancel/", v.CancelView.as_view(), name="repair_cancel"),
    path("<int:pk>/cause/", v.CauseView.as_view(), name="repair_cause"),
    path("settings/", v.SettingsView.as_view(), name="settings_edit"),
    path("plans/", v.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", v.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/edit/", v.PlanUpdateView.as_view(), name="plan_edit"),
    path("stats/", v.StatsView.as_view(), name="repair_stats"),
    path("rooms/<int:room>/", v.RoomHistoryView.as_view(), name="room_history"),
    path("rooms/labels/", v.RoomLabelsView.as_view(), name="room_labels"),
    path("assets/<int:asset>/", v.AssetHistoryView.as_view(), name="asset_history"),
]
