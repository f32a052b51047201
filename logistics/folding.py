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


def remembered_total(request, name: str, count):
    """The size of a filtered list as this person sees it (``count()``), counted once until anything
    in the school changes (``cached_per_school``): the same for every page of the list. A digest of
    the filters keys it, so nothing typed into a filter becomes part of a cache key."""
    import hashlib

    from logistics.home import cached_per_school

    query = sorted((k, v) for k, values in filters_of(request).lists() for v in values)
    digest = hashlib.sha256(repr(query).encode()).hexdigest()[:24]
    return cached_per_school(f"{name}-total:{request.user.pk}:{digest}", request.school, count)
