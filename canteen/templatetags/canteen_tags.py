"""Template helpers of the canteen app."""
from django import template
from django.utils import dateformat, formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from canteen.choices import Meal
from canteen.models import sample_keep_until
from logistics.models import row_person
from logistics.templatetags.logistics_tags import csrf_input, empty_state

register = template.Library()


@register.simple_tag(takes_context=True)
def sample_groups(context, samples, now, may_manage, list_url):
    """The sample log, one heading per day and meal, built in Python from plain values (the view's
    ``values``): the same HTML as a template loop with ``{% ifchanged %}``, without a template node
    per value (25 samples × 10 values)."""
    discard, keep, discarded = escape(_("Discard")), escape(_("keep until")), escape(_("discarded"))
    csrf = csrf_input(context["request"])
    out, group = [], None
    for s in samples:
        if (s["day"], s["meal"]) != group:
            if group is not None:
                out.append("</ul>")
            group = (s["day"], s["meal"])
            out.append(f'<h3 class="h6 mt-2 mb-1 text-muted">{escape(dateformat.format(s["day"], "m-d D"))} · '
                       f'{escape(str(Meal(s["meal"]).label))}</h3><ul class="list-group">')
        keep_until = sample_keep_until(s["taken_at"])
        if s["discarded_at"]:
            state = (f'<span class="text-muted">{discarded} {timezone.localtime(s["discarded_at"]):%m-%d %H:%M} '
                     f'{escape(row_person(s, "discarded_by"))}</span>')
        elif keep_until > now:
            state = f'<span class="badge text-bg-info">{keep} {timezone.localtime(keep_until):%m-%d %H:%M}</span>'
        elif may_manage:
            state = (f'<form method="post" action="{escape(list_url)}{s["pk"]}/discard/">{csrf}'
                     f'<button class="btn btn-sm btn-outline-secondary">{discard}</button></form>')
        else:
            state = ""
        out.append(f'<li class="list-group-item d-flex flex-wrap align-items-center gap-2"><strong>{escape(s["dish__name"])}</strong> '
                   f'<span class="text-nowrap small">{formats.localize(s["weight_g"])} g · {formats.localize(s["fridge_temp_c"])} °C · '
                   f'{escape(row_person(s, "taken_by"))} {timezone.localtime(s["taken_at"]):%H:%M}</span>'
                   f'<span class="ms-auto small">{state}</span></li>')
    if group is not None:
        out.append("</ul>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above


@register.simple_tag
def disinfection_rows(logs, may_manage, create_url):
    """The ``<tr>`` rows of the tableware-disinfection log, built in Python (the same cells as a
    template loop; ``logs`` carry ``redone`` and their method and person joined)."""
    labels = [escape(_(s)) for s in ("time", "batch", "method", "Parameters", "by")] + [escape(pgettext("canteen", "status"))]
    redone, below, again, ok = (escape(_(s)) for s in ("Redone", "Below minimum", "Disinfect again", "OK"))
    repeat = f' <span class="small text-muted">({escape(_("re-disinfection"))})</span>'
    create = escape(create_url)
    out = []
    for log in logs:
        params = (f"{formats.localize(log.temp_c)} °C · " if log.temp_c is not None else "") + f"{formats.localize(log.seconds)} s"
        if log.concentration_mg_l is not None:
            params += f" · {formats.localize(log.concentration_mg_l)} mg/L"
        if not log.below_minimum:
            state = f'<span class="badge text-bg-success">{ok}</span>'
        elif log.redone:
            state = f'<span class="badge text-bg-secondary">{redone}</span>'
        else:
            state = f'<span class="badge text-bg-danger">{below}</span>'
            if may_manage:
                state += f' <a class="d-inline-block py-1" href="{create}?redo={log.pk}">{again}</a>'
        out.append(f'<tr><td data-label="{labels[0]}">{timezone.localtime(log.done_at):%m-%d %H:%M}</td>'
                   f'<td data-label="{labels[1]}">{escape(str(log.batch))}</td>'
                   f'<td data-label="{labels[2]}">{escape(str(log.method.label))}</td>'
                   f'<td data-label="{labels[3]}">{params}</td>'
                   f'<td data-label="{labels[4]}">{escape(str(log.by))}</td>'
                   f'<td data-label="{labels[5]}">{state}{repeat if log.redo_of_id else ""}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above


@register.simple_tag
def receiving_rows(rows, detail_prefix):
    """The ``<tr>`` rows of the food-receiving list from plain values (``ReceivingListView``): day,
    item (a link), supplier, amount, status and whether a parents' committee member was present."""
    from canteen.choices import RECEIVING_STATUS_BADGE, ReceivingStatus
    from logistics.templatetags.logistics_tags import yuan

    labels = [escape(_(s)) for s in ("received on", "item", "supplier", "amount")] + [escape(pgettext("canteen", "status"))]
    status = {k: escape(str(v)) for k, v in ReceivingStatus.choices}
    committee = escape(_("parents' committee member present"))
    present = f' <span class="badge text-bg-light" title="{committee}"><i class="bi bi-people"></i></span>'
    prefix = escape(detail_prefix)
    out = []
    for r in rows:
        out.append(f'<tr><td data-label="{labels[0]}">{r["received_on"]:%Y-%m-%d}</td>'
                   f'<td data-label="{labels[1]}"><a href="{prefix}{r["pk"]}/">{escape(r["item"])}</a></td>'
                   f'<td data-label="{labels[2]}">{escape(r["supplier__name"])}</td>'
                   f'<td data-label="{labels[3]}" class="text-end">{yuan(r["amount"])}</td>'
                   f'<td data-label="{labels[4]}"><span class="badge text-bg-{RECEIVING_STATUS_BADGE.get(r["status"], "secondary")}">'
                   f'{status.get(r["status"], escape(r["status"]))}</span>{present if r["committee_member_id"] else ""}</td></tr>')
    if not out:
        return mark_safe(f'<tr><td colspan="5">{empty_state(_("No deliveries recorded."))}</td></tr>')  # noqa: S308 - our partial, autoescaped
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above
