"""Display rows for the safety lists: plain dicts of strings, built once per page.

A template row then costs a few dictionary lookups instead of lazy labels, ``get_FOO_display``,
date filters and ``{% url %}`` per cell — the lists stay well within the performance budget
(issue 9) on three years of data, and the templates stay plain HTML.
"""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safety.choices import HAZARD_STATUS_BADGE, INSPECTION_STATES, HazardStatus, Severity, labels


def _prefix(name: str) -> str:
    """'/safety/hazards/' from the detail URL of pk 0 ('/safety/hazards/0/')."""
    return reverse(name, args=[0])[:-2]


def _local(value, fmt: str) -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def inspection_rows(inspections, today) -> list[dict]:
    states = {k: (str(label), colour) for k, (label, colour) in INSPECTION_STATES.items()}
    url = _prefix("safety:inspection_detail")
    rows = []
    for ins in inspections:
        label, colour = states[ins.state(today)]
        rows.append({
            "url": f"{url}{ins.pk}/", "due": ins.due_date.isoformat(), "plan": ins.plan.name, "area": str(ins.plan.area),
            "responsible": str(ins.responsible), "state": label, "colour": colour, "problems": getattr(ins, "problems", 0),
            "submitted": _local(ins.submitted_at, "%m-%d %H:%M") or "—",
        })
    return rows


def today_rows(inspections, today) -> list[dict]:
    url = _prefix("safety:inspection_detail")
    return [
        {"url": f"{url}{ins.pk}/", "plan": ins.plan.name, "area": str(ins.plan.area), "due": ins.due_date.isoformat(),
         "window": ins.plan.window_display(), "late": ins.due_date < today}
        for ins in inspections
    ]


def hazard_rows(hazards, today) -> list[dict]:
    severity, status = labels(Severity.choices), labels(HazardStatus.choices)
    url = _prefix("safety:hazard_detail")
    return [
        {"url": f"{url}{h.pk}/", "pk": h.pk,
         "short": h.description if len(h.description) <= 60 else h.description[:59] + "…",
         "severity": severity[h.severity], "responsible": str(h.responsible), "deadline": h.deadline.isoformat(),
         "found": h.found_on.isoformat(), "late": h.is_overdue(today), "status": status[h.status], "colour": HAZARD_STATUS_BADGE[h.status]}
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
# The two long screens (the inspection records, a 30-item inspection) build their repeated HTML
# here with format_html — every value escaped — because the template engine spends ~20 function
# calls on each {{ value }}: 25 rows × 15 values was a third of the page's time. The markup is the
# one the templates used; the templates keep everything around it.

INSPECTION_ROW = (
    '<tr><td data-label="{l_due}">{due}</td><td data-label="{l_plan}"><a href="{url}">{plan}</a></td>'
    '<td data-label="{l_area}">{area}</td><td data-label="{l_resp}">{responsible}</td>'
    '<td data-label="{l_status}"><span class="badge text-bg-{colour}">{state}</span></td>'
    '<td data-label="{l_prob}" class="text-md-end">{problems}</td><td data-label="{l_sub}">{submitted}</td></tr>'
)
PROBLEMS = '<span class="badge text-bg-danger">{}</span>'


def inspection_rows_html(rows: list[dict], words: dict) -> str:
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    return mark_safe("".join(
        format_html(INSPECTION_ROW, **words, **{**r, "problems": format_html(PROBLEMS, r["problems"]) if r["problems"] else "0"})
        for r in rows
    ))


CARD = (
    '<div class="card mb-2" id="item-{pk}"><div class="card-body py-2">'
    '<div class="d-flex justify-content-between gap-2"><strong>{title}</strong>'
    '<span class="badge text-bg-{colour} align-self-start">{result}</span></div>{details}{form}</div></div>'
)
NOTE = '<p class="mb-1 small">{}{}</p>'
PHOTO = '<a href="{}" class="small me-2"><i class="bi bi-image"></i> {}</a>'
BY = '<span class="small text-body-secondary">{} {}</span>'
HAZARD = '<a class="small d-block" href="{}">{} #{}</a>'
ERROR = '<div class="alert alert-danger py-1 px-2 my-2 small" role="alert">{}</div>'
OPTION = '<option value="{}"{}>{}</option>'
FORM = (
    '<form method="post" action="{action}" enctype="multipart/form-data" class="item-actions mt-2" hx-post="{action}" '
    'hx-target="#item-{pk}" hx-swap="outerHTML" hx-encoding="multipart/form-data">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<button type="submit" name="result" value="ok" class="btn {ok_class}"><i class="bi bi-check-lg"></i> {l_ok}</button>'
    '<details{open}><summary class="btn {pb_class} w-100"><i class="bi bi-exclamation-triangle"></i> {l_problem}</summary>'
    '<label class="form-label small mt-2 mb-0" for="note-{pk}">{l_describe}</label>'
    '<textarea name="note" id="note-{pk}" rows="2" class="form-control mb-1">{note_value}</textarea>'
    '<select name="severity" class="form-select mb-1" aria-label="{l_severity}">{options}</select>'
    '<input type="file" name="photo" accept="image/*" capture="environment" class="form-control mb-1" aria-label="{l_photo}">'
    '<button type="submit" name="result" value="problem" class="btn btn-danger w-100">{l_save}</button></details></form>'
)


def item_cards_html(cards: list[dict], words: dict, *, csrf: str = "") -> str:
    """The cards of ``item_cards`` as HTML (the item_card markup of inspection_detail.html)."""
    from django.utils.html import format_html, format_html_join
    from django.utils.safestring import mark_safe

    out = []
    for c in cards:
        details = []
        if c["note"]:
            details.append(format_html(NOTE, c["note"], f" ({c['severity']})" if c["severity"] else ""))
        if c["photo"]:
            details.append(format_html(PHOTO, c["photo"], words["l_photo"]))
        if c["by"]:
            details.append(format_html(BY, words["l_by"], c["by"]))
        if c["hazard"]:
            details.append(format_html(HAZARD, c["hazard"], words["l_hazard"], c["hazard_pk"]))
        if c["error"]:
            details.append(format_html(ERROR, c["error"]))
        form = ""
        if "action" in c:
            options = format_html_join("", OPTION, ((v, mark_safe(" selected") if sel else "", label) for v, label, sel in c["options"]))
            form = format_html(FORM, **words, **{k: c[k] for k in ("pk", "action", "ok_class", "pb_class", "note_value")}, csrf=csrf,
                               open=mark_safe(" open") if c["open"] else "", options=options)
        out.append(format_html(CARD, pk=c["pk"], title=c["title"], colour=c["colour"], result=c["result"],
                               details=mark_safe("".join(details)), form=form))
    return mark_safe("".join(out))


HAZARD_ROW = (
    '<tr><td data-label="{l_desc}"><a href="{url}">{short}</a></td><td data-label="{l_sev}">{severity}</td>'
    '<td data-label="{l_resp}">{responsible}</td><td data-label="{l_dead}">{deadline}{late}</td>'
    '<td data-label="{l_status}"><span class="badge text-bg-{colour}">{status}</span></td></tr>'
)
LATE = ' <span class="badge text-bg-danger">{}</span>'


def hazard_rows_html(rows: list[dict], words: dict) -> str:
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    late = format_html(LATE, words["l_overdue"])
    keys = ("url", "short", "severity", "responsible", "deadline", "colour", "status")
    return mark_safe("".join(format_html(HAZARD_ROW, **words, late=late if r["late"] else "", **{k: r[k] for k in keys}) for r in rows))
