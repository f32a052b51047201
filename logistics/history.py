"""The audit trail panel of a detail page (django-simple-history): who changed what, when.

The panel is folded on the page; opening it asks the same URL for ``?fragment=history``. A view
offers that by setting ``history_panel = True`` (``SchoolScopedMixin`` answers it with the object
``get_object`` returns, so the view's own school, role and visibility checks decide who sees it).
The rows are one query whatever the length of the history.
"""
from __future__ import annotations

from django.template.response import TemplateResponse

FRAGMENT = "history"


def history_rows(obj, limit: int = 20) -> list[dict]:
    """The newest ``limit`` history records of ``obj``, each with the fields it changed (old → new)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for i, record in enumerate(records[:limit]):
        older = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if older is not None and record.history_type == "~":
            for change in record.diff_against(older).changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        rows.append({"record": record, "changes": changes})
    return rows


def wants_history(request) -> bool:
    return request.method == "GET" and request.GET.get("fragment") == FRAGMENT


def history_fragment(request, obj) -> TemplateResponse:
    """The rows of the panel alone, for ``hx-get`` when the panel is opened."""
    return TemplateResponse(request, "_partials/history_rows.html", {"rows": history_rows(obj)})
