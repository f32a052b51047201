"""Home-page cards of the safety app; each card costs one query."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.home import HomeCard, HomeItem, first_rows
from logistics.roles import can
from safety.choices import HazardStatus, InspectionStatus
from safety.models import Hazard, Inspection

LIMIT = 5


def _hazard_card(title, qs, *, url, order, empty) -> HomeCard:
    today = timezone.localdate()
    rows, count = first_rows(qs.order_by("deadline", "pk"), LIMIT)  # rows and count in one query
    items = [
        HomeItem(
            label=h.description[:40], url=h.get_absolute_url(), badge=h.deadline.strftime("%m-%d"),
            badge_class="danger" if h.deadline < today else "secondary",
        )
        for h in rows
    ]
    return HomeCard(title=title, items=items, count=count, url=url, icon="exclamation-triangle", order=order, empty_text=empty)


def cards(request) -> list[HomeCard]:
    school, user = request.school, request.user
    today = timezone.localdate()
    result = []
    if can(user, "safety.inspect", school=school):
        qs = Inspection.objects.for_school(school).filter(responsible=user, status=InspectionStatus.DUE, due_date__lte=today)
        rows, count = first_rows(qs.select_related("plan").order_by("due_date", "plan__name"), LIMIT)
        items = [
            HomeItem(label=i.plan.name, url=i.get_absolute_url(), badge=i.due_date.strftime("%m-%d"),
                     badge_class="danger" if i.due_date < today else "secondary")
            for i in rows
        ]
        result.append(HomeCard(
            title=_("My inspections today"), items=items, count=count, url=reverse("safety:inspection_today"),
            icon="clipboard-check", order=20, empty_text=_("Nothing to inspect today."),
        ))
        mine = Hazard.objects.for_school(school).filter(responsible=user, status=HazardStatus.OPEN)
        result.append(_hazard_card(_("My hazards to rectify"), mine, url=reverse("safety:hazard_list") + "?mine=1&status=open", order=25, empty=_("No hazards to rectify.")))
    if can(user, "safety.verify_hazard", school=school):
        base = Hazard.objects.for_school(school)
        result.append(_hazard_card(_("Hazards to verify"), base.filter(status=HazardStatus.RECTIFIED), url=reverse("safety:hazard_list") + "?status=rectified", order=22, empty=_("Nothing to verify.")))
        result.append(_hazard_card(_("Overdue hazards"), base.filter(status=HazardStatus.OPEN, deadline__lt=today), url=reverse("safety:hazard_list") + "?status=open", order=23, empty=_("No overdue hazards.")))
    return result
