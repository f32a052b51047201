"""Pagination that never counts 100,000 rows.

Django's ``Paginator`` runs ``COUNT(*)`` over the whole filtered list before it shows page 1;
over a big school's ten years of tickets that count costs more than the page itself. This one
counts at most ``cap`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``) and learns whether
there is a next page by fetching one row more than it shows. The page then says the truth:
"page 3 of 7" when the list is short, "page 3 of many" (and "more than 1,000") when it is not.
Any page number can be opened, even beyond the cap; a page past the end is a 404, as in Django.
"""
from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

COUNT_CAP = 1000


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self._more = more

    def has_next(self) -> bool:
        return self._more

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        if not self._more:
            raise EmptyPage(_("That page contains no results"))
        return self.number + 1

    def start_index(self) -> int:
        if not self.object_list:
            return 0
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CappedPaginator(Paginator):
    """``count`` is exact up to ``cap``; above it ``capped`` is True and the UI says "many"."""

    cap = COUNT_CAP

    def __init__(self, *args, remember_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        # ``remember_count(count)``: the capped count from a cache, ``count()`` run only when it is
        # not there (``logistics.folding.remembered_total``: every page of a list, until the school changes).
        self.remember_count = remember_count

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if not hasattr(qs, "order_by"):
            return min(len(qs), self.cap + 1)
        counted = lambda: qs.order_by()[: self.cap + 1].count()  # noqa: E731
        return self.remember_count(counted) if self.remember_count else counted()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def validate_number(self, number) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    # From this offset on, the page's ids are picked first (an index-only scan, in a subquery) and
    # only their rows joined: PostgreSQL otherwise joins every skipped row before dropping it (page
    # 500 of the inbox: 112 ms → a few ms). Nearer pages slice the joined query itself.
    deferred_join_from = 250
    # What a page fetches of its slice (e.g. ``qs.values(...)`` with the joined columns a row shows);
    # the count and the ids of a deep page read the list's own queryset, which joins nothing.
    rows = None

    def page(self, number) -> CappedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        qs = self.object_list
        fetch = self.rows or (lambda q: q)
        if bottom >= self.deferred_join_from and hasattr(qs, "values_list"):
            # One statement: ``… WHERE id IN (SELECT id … ORDER BY … LIMIT 26 OFFSET n) ORDER BY …``
            # (the ids first, from the index alone; then only those rows joined).
            rows = list(fetch(qs.filter(pk__in=qs.values("pk")[bottom : bottom + self.per_page + 1])))
        else:
            rows = list(fetch(qs)[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class CappedPaginationMixin:
    """For a ``ListView``: the capped paginator and the repairs pagination partial's context."""

    paginator_class = CappedPaginator
