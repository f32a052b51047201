"""Pagination shared by the apps' lists (the big ones have their own: ``assets.paging``, ``repairs.paging``)."""
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class RowsPaginator(Paginator):
    """Counts the list's own queryset and fetches each page's slice as ``rows(queryset)``.

    A list row often shows a column or two of joined tables (``qs.values("dish__name", …)``); counted
    through those joins, a 10,000-row list cost PostgreSQL a join per row just to learn the number of
    pages. Here the count reads the plain, filtered queryset and only the page's 25 rows are joined."""

    rows = None  # queryset → what a page holds (e.g. its values with the joined columns)

    def __init__(self, *args, remember_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        # ``remember_count(count)``: the count from a cache, ``count()`` run only when it is not there
        # (``RememberedCountMixin``).
        self.remember_count = remember_count

    @cached_property
    def count(self):
        counted = Paginator.count.func.__get__(self)  # Django's count of the list
        return self.remember_count(counted) if self.remember_count else counted()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        qs = self.rows(self.object_list) if self.rows else self.object_list
        return self._get_page(list(qs[bottom:top]), number, self)


def rows_paginator(rows):
    """A ``RowsPaginator`` class whose pages are ``rows(queryset)``: ``paginator_class = rows_paginator(f)``."""
    return type("RowsPaginatorOf", (RowsPaginator,), {"rows": staticmethod(rows)})


class RememberedCountMixin:
    """For a list that changes only through the system (requests, scheduled jobs), not with the clock:
    its size is counted once per person (and filter) and kept until anything in the school changes
    (``logistics.folding.remembered_total``), so every page view does not count the whole list again.
    Each paginator takes ``remember_count``: ``RowsPaginator``, ``assets.paging.IdsFirstPaginator``,
    ``repairs.paging.CappedPaginator``. A view whose list can change with the clock says so in
    ``keeps_count``; a view that builds its own paginator passes ``remember_count=self.remembered_count``."""

    def keeps_count(self) -> bool:
        return True

    def remembered_count(self, count):
        from logistics.folding import remembered_total

        return remembered_total(self.request, self.model._meta.label_lower, count)

    def get_paginator(self, queryset, per_page, **kwargs):
        remember = self.remembered_count if self.keeps_count() else None
        return super().get_paginator(queryset, per_page, remember_count=remember, **kwargs)
