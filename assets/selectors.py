"""Reads of the assets app shared with other apps and the views."""
from decimal import Decimal

from django.db.models import QuerySet

from logistics.home import cached_per_school
from logistics.models import PERSON_FIELDS, defer_people, person_label, room_label

from .models import Asset, StoreItem


def store_items(school) -> QuerySet[StoreItem]:
    """Active store-room items of a school, for pickers (e.g. materials drawn by a repair)."""
    return StoreItem.objects.filter(school=school, is_active=True).order_by("name", "spec")


def assets_of(school) -> QuerySet[Asset]:
    return Asset.objects.filter(school=school).select_related("category", "room", "department", "custodian")


def open_loans(school):
    from .models import Loan

    return Loan.objects.filter(asset__school=school, returned_at__isnull=True).select_related("asset", "borrower")


def overdue_loans(school, today=None):
    from django.utils import timezone

    return open_loans(school).filter(due_date__lt=today or timezone.localdate())


class RegisterRow:
    """One line of the register list: plain values, no model instances (50 rows × 5 joined models
    would cost more than the rest of the page)."""

    __slots__ = ("pk", "number", "name", "is_fixed", "status", "status_label", "badge", "original_value", "category",
                 "room", "custodian")

    def __init__(self, v: dict):
        from .choices import ASSET_STATUS_BADGE, AssetClass, AssetStatus

        self.pk, self.number, self.name = v["pk"], v["number"], v["name"]
        self.is_fixed = v["asset_class"] == AssetClass.FIXED
        self.status = v["status"]
        self.status_label = AssetStatus(v["status"]).label if v["status"] in AssetStatus.values else v["status"]
        self.badge = ASSET_STATUS_BADGE.get(v["status"], "secondary")
        self.original_value = v["original_value"]
        self.category = v["category__name"]
        self.room = room_label(v["room__building__name"], v["room__number"], v["room__name"])
        self.custodian = person_label(v["custodian__full_name"], v["custodian__first_name"], v["custodian__last_name"],
                                      v["custodian__username"])


REGISTER_ORDER = ("-created_at", "-id")


def register_rows(ids, total=None) -> tuple[list[RegisterRow], int | None]:
    """The rows of a page of the register and, with ``total`` (a count subquery), the size of the whole
    list: one query (``ids``: the page's primary keys or a sliced id subquery)."""
    qs = Asset.objects.filter(pk__in=ids).order_by(*REGISTER_ORDER)
    if total is not None:
        qs = qs.annotate(total=total)
    values = qs.values(
        "pk", "number", "name", "asset_class", "status", "original_value", "category__name", "room__name", "room__number",
        "room__building__name", "custodian__full_name", "custodian__first_name", "custodian__last_name", "custodian__username",
        *(["total"] if total is not None else []),
    )
    found = list(values)
    return [RegisterRow(v) for v in found], (found[0]["total"] if found and total is not None else None)


class StocktakeRow:
    """One line of a stocktake page: plain values, the rooms named from the school's room labels
    (a line joining its asset and two rooms with their buildings cost PostgreSQL more to plan than
    to run, and six model instances a row)."""

    __slots__ = ("pk", "asset_id", "asset", "expected_room", "result", "result_label", "found_room")

    def __init__(self, v: dict, labels: dict, rooms: dict):
        self.pk, self.asset_id, self.result = v["pk"], v["asset_id"], v["result"]
        self.asset = f"{v['asset__number']} {v['asset__name']}"  # as Asset.__str__
        self.result_label = labels.get(v["result"], v["result"])
        self.expected_room = rooms.get(v["expected_room_id"], "")
        self.found_room = rooms.get(v["found_room_id"], "") if v["found_room_id"] else ""


def stocktake_rows(ids, total=None, *, rooms: dict) -> tuple[list[StocktakeRow], int | None]:
    """A page of stocktake lines (``ids``: a sliced id subquery) and, with ``total``, the list's size:
    one query; ``rooms``: the school's ``room_labels``."""
    from .choices import LineResult
    from .models import StocktakeLine

    qs = StocktakeLine.objects.filter(pk__in=ids).order_by("pk")
    if total is not None:
        qs = qs.annotate(total=total)
    found = list(qs.values("pk", "asset_id", "result", "expected_room_id", "found_room_id", "asset__number", "asset__name",
                           *(["total"] if total is not None else [])))
    labels = {value: str(label) for value, label in LineResult.choices}
    return [StocktakeRow(v, labels, rooms) for v in found], (found[0]["total"] if found and total is not None else None)


def filter_choices(school) -> tuple[list, list]:
    """(rooms, people) choices of the register filter, cached (two light queries when not)."""
    return cached_per_school("filter-choices", school, lambda: (room_choices(school), people_choices(school)))


def room_labels(school) -> dict[int, str]:
    """{room id: label} of every room of the school, cached on its own (without the people of the
    filter choices: a page that names rooms need not unpickle every member of a large school)."""
    return cached_per_school("room-labels", school, lambda: dict(room_choices(school)))


def room_choices(school) -> list[tuple[int, str]]:
    """(pk, label) of the school's rooms for a filter, in one light query (no model instances)."""
    from logistics.models import Room

    rows = Room.objects.filter(school=school).order_by("name", "pk").values_list("pk", "building__name", "number", "name")
    return [(pk, room_label(b, n, name)) for pk, b, n, name in rows]


def people_choices(school) -> list[tuple[int, str]]:
    """(pk, name) of the school's members for a filter, in one light query."""
    from logistics.models import User

    rows = (User.objects.filter(memberships__school=school).order_by("full_name", "username", "pk")
            .values_list("pk", "full_name", "username").distinct())
    return [(pk, full or username) for pk, full, username in rows]


# --- who holds what ---------------------------------------------------------------------------

def _held(key: str, **where):
    """(count, fixed-asset value) of the live assets whose ``key`` is the outer row, as two correlated
    subqueries: each reads one room's (person's) entries of a holding index, so a page of 50 rooms
    never joins and sorts the rooms' thousands of assets."""
    from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from .choices import AssetClass, AssetStatus

    live = Asset.objects.filter(**{key: OuterRef("pk")}, **where).exclude(status=AssetStatus.WRITTEN_OFF).order_by()
    n = live.values(key).annotate(c=Count(key)).values("c")
    value = live.filter(asset_class=AssetClass.FIXED).values(key).annotate(v=Sum("original_value")).values("v")
    money = DecimalField(max_digits=14, decimal_places=2)
    return Coalesce(Subquery(n), Value(0)), Coalesce(Subquery(value, output_field=money), Value(0), output_field=money)


def rooms_holding(school):
    """The school's rooms that hold at least one asset not written off, by name."""
    from django.db.models import Exists, OuterRef

    from logistics.models import Room

    from .choices import AssetStatus

    held = Asset.objects.filter(room=OuterRef("pk")).exclude(status=AssetStatus.WRITTEN_OFF)
    return Room.objects.filter(school=school).filter(Exists(held)).order_by("name", "pk")


def holdings_by_room(ids, total=None):
    """(rooms of the page with ``n`` assets and fixed-asset ``value``, number of rooms) in one query."""
    from logistics.models import Room

    n, value = _held("room")
    qs = defer_people(Room.objects.filter(pk__in=ids).select_related("building"), "custodian").annotate(n=n, value=value).order_by("name", "pk")
    if total is not None:
        qs = qs.annotate(total=total)
    rooms = list(qs)
    return rooms, (rooms[0].total if rooms and total is not None else None)


def people_holding(school):
    """Members of the school responsible for at least one of its assets not written off, by name."""
    from django.db.models import Exists, OuterRef

    from logistics.models import User

    from .choices import AssetStatus

    held = Asset.objects.filter(school=school, custodian=OuterRef("pk")).exclude(status=AssetStatus.WRITTEN_OFF)
    return User.objects.filter(Exists(held)).order_by("full_name", "username", "pk")


def holdings_by_person(school, ids, total=None):
    from logistics.models import User

    n, value = _held("custodian", school=school)
    qs = (User.objects.filter(pk__in=ids).only(*PERSON_FIELDS)
          .annotate(n=n, value=value).order_by("full_name", "username", "pk"))
    if total is not None:
        qs = qs.annotate(total=total)
    people = list(qs)
    return people, (people[0].total if people and total is not None else None)


# --- the store-room ledger -------------------------------------------------------------------------

def ledger_summary(item) -> tuple[Decimal, int]:
    """An item's ledger in one grouped query: (receipts − issues, number of lines).

    The item's page compares the balance with the stock and pages its ledger by the count."""
    from django.db.models import Count, Sum

    from .models import StockMove, signed_quantity

    balance, lines = Decimal("0"), 0
    for kind, total, n in StockMove.objects.filter(item=item).order_by().values_list("kind").annotate(Sum("quantity"), Count("pk")):
        balance += signed_quantity(kind, total)
        lines += n
    return balance, lines


STOCK_MOVE_COLUMNS = ("kind", "quantity", "balance_after", "department__name", "repair_id", "purchase_id", "note", "created_at")


def stock_move_values(moves):
    """A page of ledger lines as the plain values its rows show (``assets_tags.stock_move_rows``)."""
    from logistics.models import person_columns

    return moves.values(*STOCK_MOVE_COLUMNS, *person_columns("by"))


def ledger_balance(item) -> Decimal:
    """Receipts minus issues of one item, from its ledger lines (one query)."""
    return ledger_summary(item)[0]


def with_ledger_totals(items):
    """Store items with ``received`` and ``issued``: the sums of their ledger lines, as two subqueries."""
    from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from .choices import MoveKind
    from .models import StockMove

    qty = DecimalField(max_digits=14, decimal_places=2)

    def total(kind):
        moves = StockMove.objects.filter(item=OuterRef("pk"), kind=kind).order_by().values("item")
        return Coalesce(Subquery(moves.annotate(t=Sum("quantity")).values("t"), output_field=qty), Value(Decimal("0")),
                        output_field=qty)

    return items.annotate(received=total(MoveKind.RECEIPT), issued=total(MoveKind.ISSUE))


def ledger_mismatches(school) -> list:
    """Items whose stock differs from their ledger (receipts − issues): [(item, ledger balance)], one query.

    Stock only changes together with a ledger line in the same transaction, so this is empty
    unless someone changed the database by hand; the item's page says so when it is not."""
    items = with_ledger_totals(StoreItem.objects.filter(school=school)).order_by("name", "spec")
    return [(i, i.received - i.issued) for i in items if i.stock != i.received - i.issued]
