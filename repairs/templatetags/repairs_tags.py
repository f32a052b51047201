"""Fast rendering for the repair lists, which office staff reload all day.

Django's widget templates (a template per <option>) and per-row method calls in a 25-row table
cost more than the queries behind the page. ``ticket_rows`` turns tickets into plain rows once
(labels translated once per page) and ``filter_field`` writes a filter input in Python.
"""
from __future__ import annotations

from dataclasses import dataclass

from django import forms, template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from logistics.templatetags.logistics_tags import time_left
from repairs.choices import OPEN_STATUSES, REPAIR_STATUS_BADGE, RepairStatus, Urgency

register = template.Library()


@dataclass(slots=True)
class TicketRow:
    url: str
    number: str
    room: str
    description: str
    urgency: str
    status: str
    badge: str
    auto_closed: bool
    reopened: bool
    owner: str
    assignee: str
    due: str
    overdue: bool


@register.filter
def ticket_rows(repairs) -> list[TicketRow]:
    """Display rows of tickets (with room, owner and assignee selected)."""
    now = timezone.now()
    urgency = {k: str(v) for k, v in Urgency.choices}
    status = {k: str(v) for k, v in RepairStatus.choices}
    base = reverse("repairs:repair_detail", args=[0]).rstrip("/").rsplit("/", 1)[0]
    rows = []
    for r in repairs:
        due = r.response_due if r.status == RepairStatus.SUBMITTED else (r.completion_due if r.status in OPEN_STATUSES else None)
        text = r.description
        rows.append(TicketRow(
            url=f"{base}/{r.pk}/", number=r.number, room=str(r.room),
            description=text if len(text) <= 40 else text[:39] + "…",
            urgency=urgency.get(r.urgency, r.urgency), status=status.get(r.status, r.status),
            badge=REPAIR_STATUS_BADGE.get(r.status, "secondary"), auto_closed=r.auto_closed, reopened=bool(r.reopen_count),
            owner=str(r.owner) if r.owner_id else "—", assignee=str(r.assignee) if r.assignee_id else "—",
            due=time_left(due) if due else "—", overdue=due is not None and due < now,
        ))
    return rows


@register.simple_tag
def filter_field(field) -> str:
    """A filter input with its label, as Bootstrap markup, without the widget templates."""
    widget = field.field.widget
    name, html_id = escape(field.html_name), escape(field.auto_id)
    value = field.value()
    parts = [f'<label class="form-label small mb-1" for="{html_id}">{escape(field.label)}</label>']
    if isinstance(widget, forms.Select):
        current = ("true" if value else "false") if isinstance(value, bool) else ("" if value is None else str(value))
        parts.append(f'<select name="{name}" id="{html_id}" class="form-select">')
        for key, text in widget.choices:
            key = "" if key is None else str(key)
            parts.append(f'<option value="{escape(key)}"{" selected" if key == current else ""}>{escape(text)}</option>')
        parts.append("</select>")
    else:
        kind = escape(getattr(widget, "input_type", "text"))
        shown = "" if value is None else escape(value)
        parts.append(f'<input type="{kind}" name="{name}" id="{html_id}" class="form-control" value="{shown}">')
    parts.extend(f'<div class="invalid-feedback d-block">{escape(e)}</div>' for e in field.errors)
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped
