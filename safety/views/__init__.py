"""Screens of the safety app, one module per sub-domain (URLs import them from here)."""
from safety.views.gate import DrillCreateView, DrillListView, VisitorCreateView, VisitorListView, VisitorOutView
from safety.views.hazards import (
    HazardDetailView,
    HazardListView,
    HazardRectifyView,
    HazardRepairView,
    HazardUpdateView,
    HazardVerifyView,
)
from safety.views.inspections import (
    InspectionDetailView,
    InspectionListView,
    InspectionSubmitView,
    ItemRecordView,
    MyInspectionsView,
)
from safety.views.plans import PlanCreateView, PlanListView, PlanUpdateView
from safety.views.reports import MonthlyReportView, report_xlsx

__all__ = [
    "DrillCreateView", "DrillListView", "HazardDetailView", "HazardListView", "HazardRectifyView", "HazardRepairView",
    "HazardUpdateView", "HazardVerifyView", "InspectionDetailView", "InspectionListView", "InspectionSubmitView",
    "ItemRecordView", "MonthlyReportView", "MyInspectionsView", "PlanCreateView", "PlanListView", "PlanUpdateView",
    "VisitorCreateView", "VisitorListView", "VisitorOutView", "report_xlsx",
]
