"""Folded filter forms on long lists: the form is written into the page only when a filter is in use
(or ``?show_filter=1``, without script); otherwise opening "Filter" fetches it with ``?fragment=filter``."""
from __future__ import annotations

# Query keys that are not filters: the page, and the switches of the folded form.
SWITCHES = ("page", "fragment", "show_filter")


def filters_of(request):
    """The request's query without the page and the switches (a copy)."""
    query = request.GET.copy()
    for key in SWITCHES:
        query.pop(key, None)
    return query


def folded_filter(request, *, in_use: bool) -> dict:
    """``filter_open`` and ``filter_query`` (the filters, ready for ``?{{ filter_query }}fragment=filter``)."""
    encoded = filters_of(request).urlencode()
    return {"filter_open": in_use or bool(request.GET.get("show_filter")), "filter_query": encoded + "&" if encoded else ""}
