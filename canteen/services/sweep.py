"""The canteen's scheduled sweep: missing samples after each meal, health certificates expiring
within 30 days, next week's menu late. Idempotent through notification keys; it looks back over
yesterday too, so a missed run catches up."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from canteen.choices import Meal
from canteen.models import CanteenSettings
from canteen.selectors import expiring_certificates, missing_samples
from canteen.services.menus import is_menu_late, monday_of, publish_deadline
from logistics.roles import Role
from logistics.services import notify_role

CERTIFICATE_WARNING_DAYS = 30


def sweep_school(school, *, now=None) -> int:
    """Send what is due for one school; return the number of notifications sent."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    conf = CanteenSettings.objects.filter(school=school).first() or CanteenSettings(school=school)
    sent = 0
    for day in (today - dt.timedelta(days=1), today):
        gaps = missing_samples(school, day)
        for meal in conf.meals():
            if meal not in gaps:
                continue
            end = timezone.make_aware(dt.datetime.combine(day, conf.meal_end(meal)))
            if now < end:
                continue
            names = "、".join(d.name for d in gaps[meal])
            text = format_lazy(_("Meal samples missing for {day} {meal}: {dishes}"), day=day, meal=Meal(meal).label, dishes=names)
            sent += len(notify_role(school, Role.CANTEEN_MANAGER, text=text, url=reverse("canteen:sample_list"), key=f"canteen:samples:{school.pk}:{day}:{meal}"))
    for cert in expiring_certificates(school, today=today, days=CERTIFICATE_WARNING_DAYS):
        text = format_lazy(_("Health certificate of {name} expires on {date}."), name=cert.staff_name, date=cert.expires_on)
        sent += len(notify_role(school, Role.CANTEEN_MANAGER, text=text, url=reverse("canteen:certificate_list"), key=f"canteen:healthcert:{cert.pk}:{cert.expires_on}"))
    next_week = monday_of(today) + dt.timedelta(days=7)
    if is_menu_late(school, next_week, now=now):
        text = format_lazy(_("Next week's menu ({week}) was due {deadline} and is not published."), week=next_week, deadline=timezone.localtime(publish_deadline(school, next_week)).strftime("%Y-%m-%d"))
        sent += len(notify_role(school, Role.CANTEEN_MANAGER, text=text, url=reverse("canteen:menu_list"), key=f"canteen:menu-late:{school.pk}:{next_week}"))
    return sent


def sweep(*, now=None) -> int:
    from logistics.models import School

    return sum(sweep_school(s, now=now) for s in School.objects.all())
