"""Template helpers available in every template (registered as builtins)."""
from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.roles import can as can_do

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, capability, school=None):
    """``{% can "repairs.dispatch" repair.school as may_dispatch %}``."""
    request = context.get("request")
    if request is None:
        return False
    return can_do(request.user, capability, school=school or request.school)


@register.simple_tag(takes_context=True)
def querystring_replace(context, **kwargs):
    """The current query string with some keys replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"


@register.filter
def yuan(value):
    """Format a Decimal as CNY: ¥1,234.50."""
    if value is None or value == "":
        return "—"
    return f"¥{value:,.2f}"


@register.filter
def time_left(deadline):
    """"3 h 20 min left" or "overdue 2 d 4 h" for a deadline."""
    if not deadline:
        return ""
    delta = deadline - timezone.now()
    seconds = int(abs(delta.total_seconds()))
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        span = _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    elif hours:
        span = _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    else:
        span = _("%(m)d min") % {"m": minutes}
    if delta.total_seconds() < 0:
        return _("overdue %(span)s") % {"span": span}
    return _("%(span)s left") % {"span": span}


@register.inclusion_tag("_partials/history.html", takes_context=True)
def history_panel(context, obj, limit=20):
    """The audit trail of ``obj`` (django-simple-history), folded: opening it fetches the rows from
    the page's own URL with ``?fragment=history`` (``logistics.history``: the view's object checks
    apply); ``?show_history=1`` writes them into the page, for a browser without script."""
    from logistics.history import history_rows

    request = context.get("request")
    shown = request is not None and bool(request.GET.get("show_history"))
    return {"request": request, "open": shown, "rows": history_rows(obj, limit) if shown else None}
