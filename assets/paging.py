"""Paginating the big lists (the register has 20,000 rows in a large school) at a fixed, small cost."""
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import IntegerField, Subquery
from django.utils.functional import cached_property

# Rows per page of every assets list, as in the other apps (repairs, canteen): 25 fit a phone's
# stacked table, and a page renders in half the time of the 50 the register showed before.
PAGE = 25


class SubqueryCount(Subquery):
    """``(SELECT COUNT(*) FROM (<queryset>))`` as a column: the total rides along with a page's rows."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


class IdsFirstPaginator(Paginator):
    """One query per page: the page's keys picked from an index, only those rows joined, the total with them.

    ``ORDER BY … LIMIT 50 OFFSET 15000`` over a five-table join makes the database build and sort
    15,050 joined rows to return 50. Here a page is
    ``SELECT …, (SELECT COUNT(*) …) FROM … WHERE id IN (SELECT id … ORDER BY … LIMIT 50 OFFSET n) ORDER BY …``:
    the inner select and the count are index-only scans (e.g. on ``(school, -created_at, -id)``)
    and only 50 rows are joined, so a page costs the same on page 1 and page 300, whatever the
    size of the table. ``load(ids, total)`` turns the sliced id subquery and the count subquery
    into ``(rows, total)``; a page past the end falls back to a plain count and the last page.
    """

    def __init__(self, object_list, per_page, *args, load=None, remember_count=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if self.orphans:
            raise ValueError("IdsFirstPaginator does not join orphans to the last page")
        self.load = load or self._load_objects
        # ``remember_count(count)``: the list's total from a cache, ``count()`` run only when it is not
        # there (e.g. ``cached_per_school``, dropped on any change in the school). Counting 20,000
        # entries of an index is most of what PostgreSQL does for a page of the register.
        self.remember_count = remember_count

    # With ``columns``, a page is those plain values (dicts) rather than model objects: a list
    # row that shows five columns of three joined tables need not build three objects.
    columns = None

    def _load_objects(self, ids, total):
        """The queryset's own objects (its joins and order) for the page's ids, the total alongside."""
        rows = self.object_list.filter(pk__in=ids)
        if total is not None:
            rows = rows.annotate(page_total=total)
        if self.columns:
            rows = list(rows.values(*self.columns, *(["page_total"] if total is not None else [])))
            return rows, (rows[0]["page_total"] if rows and total is not None else None)
        rows = list(rows)
        return rows, (rows[0].page_total if rows and total is not None else None)

    @cached_property
    def count(self):
        return self.object_list.count()

    def _rows(self, number, *, with_total=True):
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom:bottom + self.per_page]
        return self.load(ids, SubqueryCount(self.object_list.order_by().values("pk")) if with_total else None)

    def page(self, number):
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if self.remember_count is not None and "count" not in self.__dict__:
            self.__dict__["count"] = self.remember_count(self.object_list.count)
        if "count" in self.__dict__:  # already counted (e.g. for ?page=last), or remembered
            number = self.validate_number(number)
            return self._get_page(self._rows(number, with_total=False)[0], number, self)
        rows, total = self._rows(number)
        if rows:
            self.__dict__["count"] = total
            return self._get_page(rows, number, self)
        self.__dict__["count"] = self.object_list.count()
        if number == 1 and self.allow_empty_first_page:
            return self._get_page([], 1, self)
        raise EmptyPage(self.error_messages["no_results"])
