"""The scheduled sweep (Celery beat, every 15 minutes): generate due inspections, remind, escalate.

Idempotent and catching up: every notice has a key (one per item per day at most, whichever
worker runs it, however often); what is due is computed from the database state, not from the
time the sweep last ran, so a run after downtime does what the missed runs would have done.
Set-wise: a fixed number of SQL statements whatever the number of schools, plans, items and
hazards (``tests: test_sweep_query_count_does_not_grow``).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from logistics.roles import Role
from logistics.services import notice, send_notices
from safety.choices import HazardStatus, InspectionStatus
from safety.models import Hazard, Inspection, Visitor
from safety.services.common import db_date, update_returning
from safety.services.hazards import PRINCIPAL_AFTER_DAYS
from safety.services.plans import generate_inspections

# A plan without a time window is announced from this hour on its due day.
REMIND_FROM = dt.time(7, 0)
# Overdue inspections are listed to their person, and announced once, for this many days.
OVERDUE_DAYS = 7
ESCALATION = ((0, 1, 0, Role.LOGISTICS_DIRECTOR), (1, 2, PRINCIPAL_AFTER_DAYS, Role.PRINCIPAL))


def _inspection_notices(now: dt.datetime) -> list[dict]:
    """Inspections due today once their window opens (one notice per day), overdue ones of the last
    week (one notice each), and — for close-up checks at the gate — the visitors still inside."""
    local = timezone.localtime(now)
    today, clock = local.date(), local.time()
    open_ = list(
        Inspection.objects.filter(status=InspectionStatus.DUE, due_date__lte=today, due_date__gte=today - dt.timedelta(days=OVERDUE_DAYS))
        .select_related("plan", "responsible").only(
            "pk", "school_id", "due_date", "plan__name", "plan__window_start", "plan__window_end", "plan__gate_check",
            "responsible__is_active", "responsible__language", "responsible__email",
        )
    )
    rows, gate = [], []
    for ins in open_:
        url = ins.get_absolute_url()
        if ins.due_date == today:
            if clock < (ins.plan.window_start or REMIND_FROM):
                continue
            window = ins.plan.window_display()
            text = (format_lazy(gettext_lazy("Inspection due today {w}: {plan}"), w=window, plan=ins.plan.name) if window
                    else format_lazy(gettext_lazy("Inspection due today: {plan}"), plan=ins.plan.name))
            rows.append(notice(ins.responsible, school_id=ins.school_id, url=url, text=text,
                               key=f"safety:inspection-due:{ins.pk}:{today:%Y-%m-%d}"))
            if ins.plan.gate_check:
                gate.append(ins)
        else:
            rows.append(notice(ins.responsible, school_id=ins.school_id, url=url, key=f"safety:inspection-overdue:{ins.pk}",
                               text=format_lazy(gettext_lazy("Inspection not done (due {d}): {plan}"), d=ins.due_date, plan=ins.plan.name)))
    if gate:
        inside = defaultdict(list)
        for school_id, name in (
            Visitor.objects.filter(school_id__in={i.school_id for i in gate}, time_out__isnull=True, time_in__lte=now)
            .order_by("time_in").values_list("school_id", "name")
        ):
            inside[school_id].append(name)
        for ins in gate:
            names = inside.get(ins.school_id)
            if names:
                rows.append(notice(
                    ins.responsible, school_id=ins.school_id, url=ins.get_absolute_url(), key=f"safety:closeup-visitors:{ins.pk}",
                    text=format_lazy(gettext_lazy("{n} visitor(s) still inside at close-up: {names}"), n=len(names), names="、".join(names[:10])),
                ))
    return rows


def _hazard_notices(today: dt.date) -> list[dict]:
    """Open hazards due tomorrow or overdue: their responsible person, once a day."""
    rows = []
    for h in (
        Hazard.objects.filter(status=HazardStatus.OPEN, deadline__lte=today + dt.timedelta(days=1))
        .select_related("responsible").only("pk", "school_id", "deadline", "description",
                                            "responsible__is_active", "responsible__language", "responsible__email")
    ):
        text = (
            format_lazy(gettext_lazy("Hazard overdue since {d}: {h}"), d=h.deadline, h=h.description[:80])
            if h.deadline < today
            else format_lazy(gettext_lazy("Hazard to rectify by {d}: {h}"), d=h.deadline, h=h.description[:80])
        )
        rows.append(notice(h.responsible, school_id=h.school_id, url=h.get_absolute_url(), text=text,
                           key=f"safety:hazard-due:{h.pk}:{today:%Y-%m-%d}"))
    return rows


def _escalations(today: dt.date) -> tuple[int, list[dict]]:
    """Overdue open hazards go to the director; still open PRINCIPAL_AFTER_DAYS later, to the principal.

    Each level is taken by one ``UPDATE … RETURNING`` (rows another worker holds are skipped), so it
    happens once whoever runs the sweep, and only the worker that took it writes the notices."""
    from logistics.models import Membership

    taken = []
    for level, next_level, days, role in ESCALATION:
        rows = update_returning(
            Hazard, set_sql="escalation_level = %s", set_params=[next_level],
            where_sql="status = %s AND escalation_level = %s AND deadline < %s",
            where_params=[HazardStatus.OPEN.value, level, db_date(today - dt.timedelta(days=days))],
            returning=("id", "school_id", "deadline", "description"),
        )
        taken.extend((role, next_level, *row) for row in rows)
    if not taken:
        return 0, []
    members = defaultdict(list)
    for m in Membership.objects.filter(
        school_id__in={t[3] for t in taken}, role__in=[Role.LOGISTICS_DIRECTOR, Role.PRINCIPAL], user__is_active=True
    ).select_related("user").order_by("user_id"):
        members[(m.school_id, m.role)].append(m.user)
    rows = []
    for role, level, pk, school_id, deadline, description in taken:
        text = format_lazy(gettext_lazy("Overdue hazard (deadline {d}): {h}"), d=deadline, h=description[:80])
        for user in members[(school_id, role)]:
            rows.append(notice(user, school_id=school_id, url=reverse("safety:hazard_detail", args=[pk]), text=text,
                               key=f"safety:hazard-escalated:{pk}:{level}"))
    return len(taken), rows


def remind(*, now: dt.datetime | None = None) -> int:
    """Send today's reminders (inspections, close-up visitors, hazards); return how many were new."""
    now = now or timezone.now()
    with transaction.atomic():
        return send_notices(_inspection_notices(now) + _hazard_notices(timezone.localdate(now)), now=now)


def escalate_overdue(*, today: dt.date | None = None) -> int:
    """Take each overdue hazard one escalation level up (director, then principal); return how many."""
    today = today or timezone.localdate()
    with transaction.atomic():
        count, rows = _escalations(today)
        send_notices(rows)
    return count


def sweep(*, now: dt.datetime | None = None) -> dict:
    """The whole beat job: generate (with catch-up), remind, escalate. Safe to run at any time, often."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    generated = generate_inspections(today=today)
    with transaction.atomic():
        escalated, escalation_rows = _escalations(today)
        rows = _inspection_notices(now) + _hazard_notices(today) + escalation_rows
        sent = send_notices(rows, now=now)
    return {"generated": generated, "notified": sent, "escalated": escalated}
