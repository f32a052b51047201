"""Site-administrator screens for safety plans and drills (with their change history)."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from safety.models import Drill, InspectionPlan


@admin.register(InspectionPlan)
class InspectionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("name", "school", "frequency", "responsible", "window_start", "window_end", "active")
    list_filter = ("school", "frequency", "active")
    search_fields = ("name",)


@admin.register(Drill)
class DrillAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "school", "held_on", "participants")
    list_filter = ("school",)
