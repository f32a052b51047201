"""Read-side queries of the safety app (the dashboard contract lives here)."""
from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from safety.choices import HazardStatus, InspectionStatus
from safety.models import Hazard, Inspection


def dashboard_counts(school) -> dict:
    """Counts for the principal's dashboard: open and overdue hazards, today's inspections due and done."""
    today = timezone.localdate()
    hazards = Hazard.objects.filter(school=school).aggregate(
        open_hazards=Count("pk", filter=~Q(status=HazardStatus.VERIFIED)),
        overdue_hazards=Count("pk", filter=Q(status=HazardStatus.OPEN, deadline__lt=today)),
    )
    inspections = Inspection.objects.filter(school=school, due_date=today).aggregate(
        inspections_due_today=Count("pk"),
        inspections_done_today=Count("pk", filter=Q(status=InspectionStatus.SUBMITTED)),
    )
    return {**hazards, **inspections}
