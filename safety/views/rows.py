"""Display rows for the safety lists: plain dicts of strings, built once per page.

A template row then costs a few dictionary lookups instead of lazy labels, ``get_FOO_display``,
date filters and ``{% url %}`` per cell — the lists stay well within the performance budget
(issue 9) on three years of data, and the templates stay plain HTML.
"""
from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from logistics.models import row_person
from safety.choices import HAZARD_STATUS_BADGE, INSPECTION_STATES, HazardStatus, Severity, labels
from safety.models import hazard_overdue


def _prefix(name: str) -> str:
    """'/safety/hazards/' from the detail URL of pk 0 ('/safety/hazards/0/')."""
    return reverse(name, args=[0])[:-2]


def _local(value, fmt: str) -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def inspection_rows(inspections, today) -> list[dict]:
    """Rows of the inspection records from ``InspectionListView.page_rows`` values."""
    states = {k: (str(label), colour) for k, (label, colour) in INSPECTION_STATES.items()}
    url = _prefix("safety:inspection_detail")
    areas = {}  # a page shows a few areas many times
    rows = []
    for r in inspections:
        submitted = r["status"] == "submitted"
        if submitted:
            state = "late" if r["submitted_at"] and timezone.localdate(r["submitted_at"]) > r["due_date"] else "done"
        else:
            state = "missed" if r["due_date"] < today else "due"
        label, colour = states[state]
        area = areas.get(r["plan_id"]) or areas.setdefault(r["plan_id"], str(r["area"]))
        rows.append({
            "url": f"{url}{r['pk']}/", "due": r["due_date"].isoformat(), "plan": r["plan_name"], "area": area,
            "responsible": r["person"], "state": label, "colour": colour,
            "problems": r["problem_count"] if submitted else None,  # final once submitted
            "submitted": _local(r["submitted_at"], "%m-%d %H:%M") or "—",
        })
    return rows


def today_rows(inspections, today) -> list[dict]:
    url = _prefix("safety:inspection_detail")
    return [
        {"url": f"{url}{ins.pk}/", "plan": ins.plan.name, "area": str(ins.plan.area), "due": ins.due_date.isoformat(),
         "window": ins.plan.window_display(), "late": ins.due_date < today}
        for ins in inspections
    ]


# What a hazard list row reads (with ``person_columns("responsible")``).
HAZARD_ROW_FIELDS = ("pk", "description", "severity", "deadline", "found_on", "status")


def hazard_rows(hazards, today) -> list[dict]:
    """The rows of the hazard list from plain values (``HAZARD_ROW_FIELDS`` and the responsible
    person's name columns); "overdue" is ``safety.models.hazard_overdue``, the one place of that rule."""
    severity, status = labels(Severity.choices), labels(HazardStatus.choices)
    url = _prefix("safety:hazard_detail")
    return [
        {"url": f"{url}{h['pk']}/", "pk": h["pk"],
         "short": h["description"] if len(h["description"]) <= 60 else h["description"][:59] + "…",
         "severity": severity[h["severity"]], "responsible": row_person(h, "responsible"), "deadline": h["deadline"].isoformat(),
         "found": h["found_on"].isoformat(), "late": hazard_overdue(h["status"], h["deadline"], today),
         "status": status[h["status"]], "colour": HAZARD_STATUS_BADGE[h["status"]]}
        for h in hazards
    ]


def visitor_rows(visitors) -> list[dict]:
    out = reverse("safety:visitor_out", args=[0])[: -len("0/out/")]
    return [
        {"name": v.name, "id4": v.id_last4, "phone": v.phone, "visiting": v.visiting, "purpose": v.purpose,
         "time_in": _local(v.time_in, "%m-%d %H:%M"), "time_out": _local(v.time_out, "%H:%M"), "out_url": f"{out}{v.pk}/out/"}
        for v in visitors
    ]


def plan_rows(plans) -> list[dict]:
    edit = reverse("safety:plan_update", args=[0])[: -len("0/edit/")]
    records = reverse("safety:inspection_list")
    return [
        {"name": p.name, "active": p.active, "area": str(p.area), "schedule": p.schedule_display(), "window": p.window_display() or "—",
         "responsible": str(p.responsible), "items": len(p.checklist), "records": f"{records}?plan={p.pk}", "edit": f"{edit}{p.pk}/edit/"}
        for p in plans
    ]


def drill_rows(drills) -> list[dict]:
    return [
        {"held_on": d.held_on.isoformat(), "kind": d.kind, "participants": d.participants, "note": d.note or "—",
         "by": str(d.recorded_by)}
        for d in drills
    ]


def item_labels() -> dict[str, str]:
    """The words of an inspection item card, translated once per page (or per htmx fragment)."""
    from django.utils.translation import pgettext

    return {
        "l_ok": pgettext("safety", "OK"), "l_problem": pgettext("safety", "Problem"),
        "l_describe": pgettext("safety", "Describe the problem"), "l_severity": pgettext("safety", "severity"),
        "l_photo": pgettext("safety", "photo"), "l_save": pgettext("safety", "Save the problem"),
        "l_by": pgettext("safety", "checked by"), "l_hazard": pgettext("safety", "Hazard"),
    }


def item_cards(items, *, editable: bool, kept: dict | None = None, error: str | None = None) -> list[dict]:
    """One card per checklist item. ``kept``: {item pk: the POST data of a refused attempt} (shown again)."""
    from safety.choices import ITEM_RESULT_BADGE, ItemResult

    results, severities = labels(ItemResult.choices), labels(Severity.choices)
    action = reverse("safety:item_record", args=[0])[: -len("0/record/")]
    hazard_url = _prefix("safety:hazard_detail")
    kept = kept or {}
    cards = []
    for item in items:
        hazard = getattr(item, "hazard", None) if item.result == ItemResult.PROBLEM else None
        card = {
            "pk": item.pk, "title": f"{item.position}. {item.text}", "colour": ITEM_RESULT_BADGE[item.result],
            "result": results[item.result], "note": item.note, "severity": severities.get(item.severity, ""),
            "photo": item.photo.url if item.photo else "", "hazard": f"{hazard_url}{hazard.pk}/" if hazard else "",
            "hazard_pk": hazard.pk if hazard else "",
            "by": f"{item.recorded_by} {_local(item.recorded_at, '%H:%M')}" if item.recorded_by_id else "",
            "error": (error or "") if item.pk in kept else "",
        }
        if editable:
            typed = kept.get(item.pk)
            chosen = (typed or {}).get("severity") or item.severity or Severity.MEDIUM
            card.update(
                action=f"{action}{item.pk}/record/",
                ok_class="btn-success" if item.result == ItemResult.OK else "btn-outline-success",
                pb_class="btn-danger" if item.result == ItemResult.PROBLEM else "btn-outline-danger",
                open=item.result == ItemResult.PROBLEM or (typed or {}).get("result") == ItemResult.PROBLEM or (typed is not None and error),
                note_value=(typed or {}).get("note", item.note) if typed is not None else item.note,
                options=[(value, label, value == chosen) for value, label in severities.items()],
            )
        cards.append(card)
    return cards


# --- row HTML -----------------------------------------------------------------------------------
# The long screens (inspection records, hazards, a 30-item inspection) build their repeated HTML
# here — every text a person typed or chose is escaped (html.escape) — because the template engine
# spends ~20 function calls on each {{ value }}: 25 rows × 15 values was a third of the page's
# time. The markup is the one the templates used; the templates keep everything around it.

def _words(words: dict) -> dict:
    """The column labels, escaped once for the whole table."""
    return {k: escape(v) for k, v in words.items()}


def inspection_rows_html(rows: list[dict], words: dict) -> str:
    w = _words(words)
    out = []
    for r in rows:  # text typed by people (plan, area, names) is escaped; the rest are our own values
        problems = "—" if r["problems"] is None else (f'<span class="badge text-bg-danger">{r["problems"]}</span>' if r["problems"] else "0")
        out.append(
            f'<tr><td data-label="{w["l_due"]}">{r["due"]}</td><td data-label="{w["l_plan"]}"><a href="{r["url"]}">{escape(r["plan"])}</a></td>'
            f'<td data-label="{w["l_area"]}">{escape(r["area"])}</td><td data-label="{w["l_resp"]}">{escape(r["responsible"])}</td>'
            f'<td data-label="{w["l_status"]}"><span class="badge text-bg-{r["colour"]}">{escape(r["state"])}</span></td>'
            f'<td data-label="{w["l_prob"]}" class="text-md-end">{problems}</td><td data-label="{w["l_sub"]}">{r["submitted"]}</td></tr>'
        )
    return mark_safe("".join(out))


def item_cards_html(cards: list[dict], words: dict, *, csrf: str = "") -> str:
    """The cards of ``item_cards`` as HTML: the item, its result and, while the inspection is to
    do, the OK button and the problem form (note, severity, photo). htmx swaps one card in place."""
    w = _words(words)
    out = []
    for c in cards:
        pk = c["pk"]
        parts = [
            f'<div class="card mb-2" id="item-{pk}"><div class="card-body py-2"><div class="d-flex justify-content-between gap-2">'
            f'<strong>{escape(c["title"])}</strong><span class="badge text-bg-{c["colour"]} align-self-start">{escape(c["result"])}</span></div>'
        ]
        if c["note"]:
            severity = f' ({escape(c["severity"])})' if c["severity"] else ""
            parts.append(f'<p class="mb-1 small">{escape(c["note"])}{severity}</p>')
        if c["photo"]:
            parts.append(f'<a href="{escape(c["photo"])}" class="small me-2"><i class="bi bi-image"></i> {w["l_photo"]}</a>')
        if c["by"]:
            parts.append(f'<span class="small text-body-secondary">{w["l_by"]} {escape(c["by"])}</span>')
        if c["hazard"]:
            parts.append(f'<a class="small d-block" href="{c["hazard"]}">{w["l_hazard"]} #{c["hazard_pk"]}</a>')
        if c["error"]:
            parts.append(f'<div class="alert alert-danger py-1 px-2 my-2 small" role="alert">{escape(c["error"])}</div>')
        if "action" in c:
            options = "".join(f'<option value="{v}"{" selected" if sel else ""}>{escape(label)}</option>' for v, label, sel in c["options"])
            action = c["action"]
            parts.append(
                f'<form method="post" action="{action}" enctype="multipart/form-data" class="item-actions mt-2" hx-post="{action}" '
                f'hx-target="#item-{pk}" hx-swap="outerHTML" hx-encoding="multipart/form-data">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf)}">'
                f'<button type="submit" name="result" value="ok" class="btn {c["ok_class"]}"><i class="bi bi-check-lg"></i> {w["l_ok"]}</button>'
                f'<details{" open" if c["open"] else ""}><summary class="btn {c["pb_class"]} w-100">'
                f'<i class="bi bi-exclamation-triangle"></i> {w["l_problem"]}</summary>'
                f'<label class="form-label small mt-2 mb-0" for="note-{pk}">{w["l_describe"]}</label>'
                f'<textarea name="note" id="note-{pk}" rows="2" class="form-control mb-1">{escape(c["note_value"])}</textarea>'
                f'<select name="severity" class="form-select mb-1" aria-label="{w["l_severity"]}">{options}</select>'
                f'<input type="file" name="photo" accept="image/*" capture="environment" class="form-control mb-1" aria-label="{w["l_photo"]}">'
                f'<button type="submit" name="result" value="problem" class="btn btn-danger w-100">{w["l_save"]}</button></details></form>'
            )
        parts.append("</div></div>")
        out.append("".join(parts))
    return mark_safe("".join(out))


def hazard_rows_html(rows: list[dict], words: dict) -> str:
    w = _words(words)
    late = f' <span class="badge text-bg-danger">{w["l_overdue"]}</span>'
    return mark_safe("".join(
        f'<tr><td data-label="{w["l_desc"]}"><a href="{r["url"]}">{escape(r["short"])}</a></td><td data-label="{w["l_sev"]}">{escape(r["severity"])}</td>'
        f'<td data-label="{w["l_resp"]}">{escape(r["responsible"])}</td><td data-label="{w["l_dead"]}">{r["deadline"]}{late if r["late"] else ""}</td>'
        f'<td data-label="{w["l_status"]}"><span class="badge text-bg-{r["colour"]}">{escape(r["status"])}</span></td></tr>'
        for r in rows
    ))
