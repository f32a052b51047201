"""Pagination shared by the apps' lists (the big ones have their own: ``assets.paging``, ``repairs.paging``)."""
from django.core.paginator import Paginator


class RowsPaginator(Paginator):
    """Counts the list's own queryset and fetches each page's slice as ``rows(queryset)``.

    A list row often shows a column or two of joined tables (``qs.values("dish__name", …)``); counted
    through those joins, a 10,000-row list cost PostgreSQL a join per row just to learn the number of
    pages. Here the count reads the plain, filtered queryset and only the page's 25 rows are joined."""

    rows = None  # queryset → what a page holds (e.g. its values with the joined columns)

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
