"""Home-page cards of the safety app; each card costs one query."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from logistics.home import HomeCard, HomeItem, first_rows
from logistics.roles import can
from safety.choices import HazardStatus
from safety.models import Hazard
from safety.selectors import my_open_inspections

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
        rows, count = first_rows(my_open_inspections(user, school, today).select_related("plan"), LIMIT)
        items = [
            HomeItem(label=i.plan.name, url=i.get_absolute_url(), badge=i.due_date.strftime("%m-%d"),
                     badge_class="danger" if i.due_date < today else "secondary")
            for i in rows
        ]
        result.append(HomeCard(
            title=pgettext("safety", "My inspections today"), items=items, count=count, url=reverse("safety:inspection_today"),
            icon="clipboard-check", order=20, empty_text=pgettext("safety", "Nothing to inspect today."),
        ))
        mine = Hazard.objects.for_school(school).filter(responsible=user, status=HazardStatus.OPEN)
        result.append(_hazard_card(pgettext("safety", "My hazards to rectify"), mine, url=reverse("safety:hazard_list") + "?mine=true&status=open", order=25, empty=pgettext("safety", "No hazards to rectify.")))
    if can(user, "safety.verify_hazard", school=school):
        base = Hazard.objects.for_school(school)
        result.append(_hazard_card(pgettext("safety", "Hazards to verify"), base.filter(status=HazardStatus.RECTIFIED), url=reverse("safety:hazard_list") + "?status=rectified", order=22, empty=pgettext("safety", "Nothing to verify.")))
        result.append(_hazard_card(pgettext("safety", "Overdue hazards"), base.filter(status=HazardStatus.OPEN, deadline__lt=today), url=reverse("safety:hazard_list") + "?overdue=true", order=23, empty=pgettext("safety", "No overdue hazards.")))
    return result
