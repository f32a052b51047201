"""Home-page cards of the repairs app, one per role's to-do list; each card costs one query."""
from __future__ import annotations

from django.db.models import Case, Q, When
from django.urls import reverse
from django.utils.translation import gettext as _

from logistics.home import HomeCard, HomeItem, first_rows
from logistics.roles import Role, can, has_role
from repairs.choices import OPEN_STATUSES, RepairStatus
from repairs.models import Repair
from repairs.selectors import overdue_q

LIMIT = 5


def _items(rows, badge_for) -> list[HomeItem]:
    return [
        HomeItem(label=f"{r.number} · {r.room} · {r.description[:30]}", url=r.get_absolute_url(), **badge_for(r))
        for r in rows
    ]


def _due_badge(r) -> dict:
    from logistics.templatetags.logistics_tags import time_left

    due = r.active_due
    if due is None:
        return {"badge": r.get_status_display(), "badge_class": r.badge}
    return {"badge": time_left(due), "badge_class": "danger" if r.is_overdue() else "secondary"}


def _card(title, qs, *, url, icon, order, empty, badge_for=_due_badge) -> HomeCard:
    rows, count = first_rows(qs.select_related("room__building"), LIMIT)  # rows and count in one query
    return HomeCard(title=title, items=_items(rows, badge_for), count=count, url=url, icon=icon, order=order, empty_text=empty)


def cards(request) -> list[HomeCard]:
    school, user = request.school, request.user
    base = Repair.objects.for_school(school)
    result = []
    if can(user, "repairs.report", school=school) and not can(user, "repairs.take", school=school):
        mine = base.filter(reporter=user).filter(status__in=[*OPEN_STATUSES, RepairStatus.DONE]).order_by(Case(When(status=RepairStatus.DONE, then=0), default=1), "-created_at")
        result.append(_card(
            _("My repair requests"), mine, url=reverse("repairs:repair_mine"), icon="tools", order=40,
            empty=_("No open requests. Something broken? Report it."),
            badge_for=lambda r: {"badge": _("sign off") if r.status == RepairStatus.DONE else r.get_status_display(), "badge_class": "warning" if r.status == RepairStatus.DONE else r.badge},
        ))
    if can(user, "repairs.take", school=school):
        untaken = base.filter(status=RepairStatus.SUBMITTED).order_by("response_due")
        result.append(_card(
            _("Repair inbox: not taken"), untaken, url=reverse("repairs:repair_list") + "?untaken=true", icon="inbox", order=10,
            empty=_("No requests waiting to be taken."),
        ))
        owned = base.filter(owner=user, status__in=OPEN_STATUSES).order_by("completion_due")
        result.append(_card(_("Repairs I own"), owned, url=reverse("repairs:repair_mine") + "?as=owned", icon="person-check", order=15, empty=_("You own no open requests.")))
    if has_role(user, Role.REPAIRER, school=school):
        assigned = base.filter(assignee=user, status__in=[RepairStatus.DISPATCHED, RepairStatus.IN_PROGRESS]).order_by("completion_due")
        result.append(_card(_("Jobs assigned to me"), assigned, url=reverse("repairs:repair_mine") + "?as=assigned", icon="wrench", order=12, empty=_("No jobs assigned to you.")))
    if has_role(user, Role.LOGISTICS_DIRECTOR, school=school):
        late = base.filter(overdue_q() | Q(status=RepairStatus.SUBMITTED, escalated_at__isnull=False)).order_by("completion_due")
        result.append(_card(_("Repairs overdue or escalated"), late, url=reverse("repairs:repair_list") + "?overdue=true", icon="alarm", order=5, empty=_("All repairs are on time.")))
    return result



def district_figures(school_ids) -> dict[int, list[str]]:
    """Open and overdue requests of each school, for a district officer's overview (one query)."""
    from django.db.models import Count

    rows = (Repair.objects.filter(school_id__in=school_ids, status__in=OPEN_STATUSES).values("school_id")
            .annotate(n=Count("pk"), late=Count("pk", filter=overdue_q())).order_by())
    return {r["school_id"]: [_("%(n)d open repairs (%(late)d overdue)") % {"n": r["n"], "late": r["late"]}] for r in rows}
