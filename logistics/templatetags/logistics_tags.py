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


@register.inclusion_tag("_partials/history.html")
def history_panel(obj, limit=20):
    """The audit trail of ``obj`` (django-simple-history): who changed what, when."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for i, record in enumerate(records[:limit]):
        older = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        rows.append({"record": record, "changes": changes})
    return {"rows": rows}
