"""Template helpers of the assets app."""
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from logistics.templatetags.logistics_tags import csrf_input, yuan

register = template.Library()


@register.simple_tag
def register_table_rows(rows):
    """The ``<tr>`` rows of a register page, built in Python: the same HTML as a ``{% for %}`` loop
    over eight cells, at a tenth of the cost (the list is the office's most used page)."""
    labels = [escape(_(s)) for s in ("Select", "Asset number", "Name", "Category", "Room", "Responsible person",
                                     "Original value", "Status")]
    low = escape(_("Low-value item"))
    base = reverse("assets:asset_detail", args=[0])[:-2]  # "/assets/" — every card is base + pk + "/"
    out = []
    for a in rows:
        number = escape(a.number)
        out.append(
            f'<tr><td data-label="{labels[0]}"><input class="form-check-input" type="checkbox" name="id" value="{a.pk}" '
            f'aria-label="{number}"></td>'
            f'<td data-label="{labels[1]}"><a href="{base}{a.pk}/">{number}</a></td>'
            f'<td data-label="{labels[2]}">{escape(a.name)}'
            f'{"" if a.is_fixed else f" <span class=\"badge text-bg-light\">{low}</span>"}</td>'
            f'<td data-label="{labels[3]}">{escape(a.category)}</td>'
            f'<td data-label="{labels[4]}">{escape(a.room) or "—"}</td>'
            f'<td data-label="{labels[5]}">{escape(a.custodian) or "—"}</td>'
            f'<td data-label="{labels[6]}">{escape(yuan(a.original_value))}</td>'
            f'<td data-label="{labels[7]}"><span class="badge text-bg-{a.badge}">{escape(str(a.status_label))}</span></td></tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above


@register.simple_tag(takes_context=True)
def stocktake_rows(context, lines, is_open, here, choices):
    """The ``<tr>`` rows of a stocktake page, built in Python (50 rows × a form of four buttons)."""
    from urllib.parse import quote

    labels = [escape(_(s)) for s in ("Asset", "Expected room", "Result", "Mark")]
    wrong = escape(_("In another room"))
    csrf = csrf_input(context["request"])
    card = reverse("assets:asset_detail", args=[0])[:-2]
    mark = reverse("assets:stocktakeline_mark", args=[0])[: -len("0/mark/")]
    back, back_q = escape(here), quote(here, safe="")
    buttons = [(escape(str(v)), escape(str(label)), colour) for v, label, colour in choices]
    out = []
    for line in lines:  # assets.selectors.StocktakeRow
        found = f" → {escape(line.found_room)}" if line.found_room else ""
        row = (f'<tr><td data-label="{labels[0]}"><a href="{card}{line.asset_id}/">{escape(line.asset)}</a></td>'
               f'<td data-label="{labels[1]}">{escape(line.expected_room) or "—"}</td>'
               f'<td data-label="{labels[2]}">{escape(line.result_label)}{found}</td>')
        if is_open:
            row += (f'<td data-label="{labels[3]}"><form method="post" action="{mark}{line.pk}/mark/" class="d-flex flex-wrap gap-1">'
                    f'{csrf}<input type="hidden" name="next" value="{back}">'
                    + "".join(f'<button class="btn btn-sm btn-outline-{c}" type="submit" name="result" value="{v}">{label}</button>'
                              for v, label, c in buttons)
                    + f'<a class="btn btn-sm btn-outline-secondary" href="{mark}{line.pk}/wrong-room/?next={back_q}">{wrong}</a>'
                    '</form></td>')
        out.append(row + "</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above


@register.simple_tag(takes_context=True)
def requisition_rows(context, rows, may_handle, pending):
    """The ``<tr>`` rows of the requisition list, built in Python (25 rows, each with two forms for
    the office): the same cells as a ``{% for %}`` loop, without a template node per value."""
    from django.template.defaultfilters import floatformat
    from django.utils import timezone

    labels = [escape(_(s)) for s in ("When", "Item", "Quantity", "Requested by", "What for", "Status")] + [escape(pgettext("assets", "Action"))]
    issue, refuse, why = escape(_("Issue")), escape(_("Refuse")), escape(_("Why refused"))
    csrf = csrf_input(context["request"])
    base = reverse("assets:requisition_issue", args=[0])[: -len("0/issue/")]
    out = []
    for r in rows:
        who = escape(str(r.requested_by)) + (f" · {escape(str(r.department))}" if r.department_id else "")
        note = f'<div class="text-muted small">{escape(r.handled_note)}</div>' if r.handled_note else ""
        row = (f'<tr><td data-label="{labels[0]}">{timezone.localtime(r.created_at):%Y-%m-%d %H:%M}</td>'
               f'<td data-label="{labels[1]}">{escape(str(r.item))}</td>'
               f'<td data-label="{labels[2]}">{floatformat(r.quantity, "-2")} {escape(r.item.unit)}</td>'
               f'<td data-label="{labels[3]}">{who}</td>'
               f'<td data-label="{labels[4]}">{escape(r.reason)}{note}</td>'
               f'<td data-label="{labels[5]}"><span class="badge text-bg-{r.badge}">{escape(str(r.get_status_display()))}</span></td>')
        if may_handle:
            forms = ""
            if r.status == pending:
                forms = (f'<form method="post" action="{base}{r.pk}/issue/" class="d-inline">{csrf}'
                         f'<button class="btn btn-sm btn-success" type="submit">{issue}</button></form>'
                         f'<form method="post" action="{base}{r.pk}/refuse/" class="d-inline-flex gap-1 mt-1">{csrf}'
                         f'<input class="form-control form-control-sm" name="reason" required placeholder="{why}" aria-label="{why}">'
                         f'<button class="btn btn-sm btn-outline-danger" type="submit">{refuse}</button></form>')
            row += f'<td data-label="{labels[6]}">{forms}</td>'
        out.append(row + "</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above


@register.simple_tag
def stock_move_rows(moves):
    """The ``<tr>`` rows of a store item's ledger from ``selectors.stock_move_values`` (plain values), built in Python."""
    from django.template.defaultfilters import floatformat
    from django.utils import timezone

    from logistics.models import row_person

    from ..choices import MoveKind
    from ..models import signed_quantity

    labels = [escape(_(s)) for s in ("When", "Kind", "Quantity", "Balance", "By", "Note")]
    repair, purchase = escape(_("repair")), escape(_("purchase request"))
    kinds = {value: escape(str(label)) for value, label in MoveKind.choices}
    out = []
    for m in moves:
        kind = kinds.get(m["kind"], escape(m["kind"]))
        if m["department__name"] is not None:
            kind += f" → {escape(m['department__name'])}"
        if m["repair_id"]:
            kind += f" · {repair} #{m['repair_id']}"
        if m["purchase_id"]:
            kind += f" · {purchase} #{m['purchase_id']}"
        out.append(f'<tr><td data-label="{labels[0]}">{timezone.localtime(m["created_at"]):%Y-%m-%d %H:%M}</td>'
                   f'<td data-label="{labels[1]}">{kind}</td>'
                   f'<td data-label="{labels[2]}">{floatformat(signed_quantity(m["kind"], m["quantity"]), "-2")}</td>'
                   f'<td data-label="{labels[3]}">{floatformat(m["balance_after"], "-2")}</td>'
                   f'<td data-label="{labels[4]}">{escape(row_person(m, "by"))}</td>'
                   f'<td data-label="{labels[5]}">{escape(m["note"])}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above


@register.simple_tag(takes_context=True)
def writeoff_rows(context, rows, may_decide):
    """The ``<tr>`` rows of the write-off list (the director's approve / reject forms on pending ones), built in Python."""
    from django.utils import formats, timezone

    from ..choices import WriteOffStatus

    labels = [escape(_(s)) for s in ("Asset", "Reason", "Requested by", "Status")] + [escape(pgettext("assets", "Action"))]
    approve, reject, why = escape(_("Approve")), escape(_("Reject")), escape(_("Why rejected"))
    hidden = csrf_input(context["request"])
    card = reverse("assets:asset_detail", args=[0])[:-2]
    base = reverse("assets:writeoff_approve", args=[0])[: -len("0/approve/")]
    out = []
    for w in rows:
        note = f'<div class="small text-muted">{escape(w.decision_note)}</div>' if w.decision_note else ""
        decided = f" · {escape(str(w.decided_by))}" if w.decided_by_id else ""
        when = formats.date_format(timezone.localtime(w.created_at), "Y-m-d")
        action = ""
        if may_decide and w.status == WriteOffStatus.PENDING:
            action = (f'<form method="post" action="{base}{w.pk}/approve/" class="d-inline">{hidden}'
                      f'<button class="btn btn-sm btn-danger" type="submit">{approve}</button></form>'
                      f'<form method="post" action="{base}{w.pk}/reject/" class="d-inline-flex gap-1 mt-1">{hidden}'
                      f'<input class="form-control form-control-sm" name="note" required placeholder="{why}" aria-label="{why}">'
                      f'<button class="btn btn-sm btn-outline-secondary" type="submit">{reject}</button></form>')
        out.append(
            f'<tr><td data-label="{labels[0]}"><a href="{card}{w.asset_id}/">{escape(str(w.asset))}</a></td>'
            f'<td data-label="{labels[1]}">{escape(w.reason)}{note}</td>'
            f'<td data-label="{labels[2]}">{escape(str(w.requested_by))} · {when}</td>'
            f'<td data-label="{labels[3]}">{escape(str(w.get_status_display()))}{decided}</td>'
            f'<td data-label="{labels[4]}">{action}</td></tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above


@register.simple_tag
def holding_rows(rows, by):
    """The ``<tr>`` rows of "who holds what" (rooms with their custodian, or people), built in Python:
    each links to the register filtered by that room or person."""
    base = escape(reverse("assets:asset_list"))
    value = escape(_("Fixed-asset value"))
    n = escape(_("Assets"))
    out = []
    if by == "room":
        room, custodian = escape(_("Room")), escape(_("Custodian"))
        for r in rows:
            out.append(f'<tr><td data-label="{room}"><a href="{base}?room={r.pk}">{escape(str(r))}</a></td>'
                       f'<td data-label="{custodian}">{escape(str(r.custodian)) if r.custodian_id else "—"}</td>'
                       f'<td data-label="{n}">{r.n}</td><td data-label="{value}">{escape(yuan(r.value or 0))}</td></tr>')
    else:
        person = escape(_("Responsible person"))
        for p in rows:
            out.append(f'<tr><td data-label="{person}"><a href="{base}?custodian={p.pk}">{escape(str(p))}</a></td>'
                       f'<td data-label="{n}">{p.n}</td><td data-label="{value}">{escape(yuan(p.value or 0))}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above


@register.simple_tag(takes_context=True)
def loan_rows(context, loans, today, mine):
    """The ``<tr>`` rows of the loan lists from plain values (``assets.views_loans.LOAN_COLUMNS``):
    the asset (a link for the office), borrower, due date, state and, for the office, "Mark returned"."""
    from logistics.models import row_person

    labels = [escape(_(s)) for s in ("Asset", "Borrower", "Due date", "Status")] + [escape(pgettext("assets", "Action"))]
    returned, overdue, lent, back = (escape(_(s)) for s in ("Returned", "Overdue", "Lent", "Mark returned"))
    csrf = "" if mine else csrf_input(context["request"])
    asset_base = reverse("assets:asset_detail", args=[0])[: -len("0/")]
    return_base = reverse("assets:loan_return", args=[0])[: -len("0/return/")]
    out = []
    for l in loans:
        asset = escape(f'{l["asset__number"]} {l["asset__name"]}')
        if l["returned_at"]:
            state = f'<span class="badge text-bg-secondary">{returned}</span>'
        elif l["due_date"] < today:
            state = f'<span class="badge text-bg-danger">{overdue}</span>'
        else:
            state = f'<span class="badge text-bg-primary">{lent}</span>'
        row = (f'<tr><td data-label="{labels[0]}">{asset if mine else f"""<a href="{asset_base}{l["asset_id"]}/">{asset}</a>"""}</td>'
               f'<td data-label="{labels[1]}">{escape(row_person(l, "borrower"))}</td>'
               f'<td data-label="{labels[2]}">{l["due_date"]:%Y-%m-%d}</td>'
               f'<td data-label="{labels[3]}">{state}</td>')
        if not mine:
            row += (f'<td data-label="{labels[4]}"><form method="post" action="{return_base}{l["pk"]}/return/">{csrf}'
                    f'<input type="hidden" name="back" value="list"><button class="btn btn-sm btn-success" type="submit">{back}</button></form></td>')
        out.append(row + "</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above
