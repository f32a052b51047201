"""The canteen's scheduled sweep: missing samples after each meal, health certificates expiring
within 30 days, next week's menu late. Idempotent through notification keys (a second run, or a
second worker at the same moment, sends nothing twice); it looks back over yesterday too, so a
missed run catches up.

Set-wise, like the repairs and safety sweeps: a fixed number of SQL statements however many
schools (schools, settings, missing samples, certificates, published menus, managers, one INSERT
of the notices) — ``canteen/tests/test_tasks.py::test_sweep_query_count_does_not_grow``.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from canteen.choices import Meal, MenuStatus
from canteen.models import CanteenSettings, WeekMenu
from canteen.selectors import expiring_certificates, missing_samples_by_school
from canteen.services.menus import monday_of, publish_deadline
from logistics.roles import Role
from logistics.services import notice, send_notices

CERTIFICATE_WARNING_DAYS = 30


def _messages(schools, *, now) -> list[tuple]:
    """(school, text, url, key) of everything due now, for the canteen managers of each school."""
    local = timezone.localtime(now)
    today = local.date()
    by_id = {s.pk: s for s in schools}
    confs = {c.school_id: c for c in CanteenSettings.objects.filter(school__in=schools)}
    conf = {pk: confs.get(pk) or CanteenSettings(school=s) for pk, s in by_id.items()}
    out = []
    days = (today - dt.timedelta(days=1), today)
    for (school_id, day), gaps in missing_samples_by_school(days, schools=schools).items():
        for meal in conf[school_id].meals():
            if meal not in gaps or now < timezone.make_aware(dt.datetime.combine(day, conf[school_id].meal_end(meal))):
                continue
            names = "、".join(d.name for d in gaps[meal])
            text = format_lazy(_("Meal samples missing for {day} {meal}: {dishes}"), day=day, meal=Meal(meal).label, dishes=names)
            out.append((by_id[school_id], text, reverse("canteen:sample_list"), f"canteen:samples:{school_id}:{day}:{meal}"))
    certificates = expiring_certificates(None, today=today, days=CERTIFICATE_WARNING_DAYS).filter(school__in=schools)
    for cert in certificates:
        text = format_lazy(_("Health certificate of {name} expires on {date}."), name=cert.staff_name, date=cert.expires_on)
        out.append((by_id[cert.school_id], text, reverse("canteen:certificate_list"), f"canteen:healthcert:{cert.pk}:{cert.expires_on}"))
    next_week = monday_of(today) + dt.timedelta(days=7)
    deadlines = {pk: publish_deadline(by_id[pk], next_week, conf=c) for pk, c in conf.items()}
    past = [pk for pk, deadline in deadlines.items() if now > deadline]
    published = set(WeekMenu.objects.filter(school_id__in=past, week_start=next_week, status=MenuStatus.PUBLISHED)
                    .values_list("school_id", flat=True)) if past else set()
    for pk in past:
        if pk in published:
            continue
        text = format_lazy(_("Next week's menu ({week}) was due {deadline} and is not published."), week=next_week,
                           deadline=timezone.localtime(deadlines[pk]).strftime("%Y-%m-%d"))
        out.append((by_id[pk], text, reverse("canteen:menu_list"), f"canteen:menu-late:{pk}:{next_week}"))
    return out


def sweep(*, now=None, schools=None) -> int:
    """Send what is due in ``schools`` (default: every school); return how many notices were new."""
    from logistics.models import Membership, School

    now = now or timezone.now()
    schools = list(School.objects.all() if schools is None else schools)
    if not schools:
        return 0
    with transaction.atomic():
        messages = _messages(schools, now=now)
        if not messages:
            return 0
        managers: dict[int, dict] = {}
        for m in (Membership.objects.filter(school__in={s.pk for s, *_rest in messages}, role=Role.CANTEEN_MANAGER, user__is_active=True)
                  .select_related("user")):
            managers.setdefault(m.school_id, {})[m.user_id] = m.user
        return send_notices([notice(user, school_id=school.pk, key=key, text=text, url=url)
                             for school, text, url, key in messages for user in managers.get(school.pk, {}).values()], now=now)


def sweep_school(school, *, now=None) -> int:
    """The sweep for one school (tests, and a school's own catch-up)."""
    return sweep(now=now, schools=[school])
