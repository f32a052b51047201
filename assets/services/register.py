"""The register: numbering, fixed vs low-value, registering (one, n identical, or many at once), editing."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from logistics.models import Membership, School
from logistics.roles import require

from ..choices import AssetClass, AssetStatus
from ..models import Asset, AssetCounter, AssetSettings, Category
from .common import money, refuse

BATCH = 1000


# --- numbering and classification -----------------------------------------------------------

def reserve_numbers(school: School, count: int, *, year: int | None = None) -> list[str]:
    """``count`` consecutive numbers: prefix (school code) + year + 5-digit sequence.

    The per-school-per-year counter row is bumped with one ``UPDATE ... SET last = last + count``:
    the database serialises two such updates on the row, so two people registering at once never
    get the same number, and a batch of 20,000 costs one update.
    """
    year = year or timezone.localdate().year
    counter = AssetCounter.objects.filter(school=school, year=year)
    if not counter.exists():
        try:
            with transaction.atomic():
                AssetCounter.objects.create(school=school, year=year)
        except IntegrityError:
            pass  # someone else created it a moment ago
    with transaction.atomic():
        counter.update(last=F("last") + count)
        last = counter.values_list("last", flat=True).get()
    return [f"{school.code}{year}{n:05d}" for n in range(last - count + 1, last + 1)]


def next_asset_number(school: School, *, year: int | None = None) -> str:
    return reserve_numbers(school, 1, year=year)[0]


def settings_for(school: School) -> AssetSettings:
    obj, _created = AssetSettings.objects.get_or_create(school=school)
    return obj


def classify(*, school: School, category: Category, unit_price, rules: AssetSettings | None = None) -> str:
    """Fixed asset or low-value item, by the school's thresholds (special equipment has its own)."""
    rules = rules or settings_for(school)
    threshold = rules.special_threshold if category.special_equipment else rules.fixed_threshold
    return AssetClass.FIXED if unit_price >= threshold else AssetClass.LOW_VALUE


def categories_of(school: School) -> dict[str, Category]:
    """Code → category available to the school; the school's own category wins over a national one."""
    table: dict[str, Category] = {}
    for c in Category.objects.available_to(school).order_by("school_id"):
        if c.code not in table or c.school_id == school.pk:
            table[c.code] = c
    return table


def category_by_code(school: School, code: str, *, table: dict | None = None) -> Category:
    code = (code or "").strip()
    found = (table if table is not None else categories_of(school)).get(code)
    if found is None:
        raise ValidationError({"category_code": format_lazy(_("Unknown category code “{}”."), code)})
    return found


@transaction.atomic
def create_category(school: School, *, code, name, by, parent_code="", special_equipment=False) -> Category:
    """A school's own category, extending the national table (e.g. a sub-category of a national code)."""
    require(by, "assets.manage", school=school)
    code, name, parent_code = (code or "").strip().upper(), (name or "").strip(), (parent_code or "").strip().upper()
    if not code or not name:
        raise ValidationError(_("Enter the code and the name."))
    if len(code) > 20 or any(ch.isspace() for ch in code):
        raise ValidationError({"code": _("A code has at most 20 characters and no spaces.")})
    if Category.objects.available_to(school).filter(code=code).exists():
        raise ValidationError({"code": format_lazy(_("Category code “{}” already exists."), code)})
    parent = Category.objects.available_to(school).filter(code=parent_code).first() if parent_code else None
    if parent_code and parent is None:
        raise ValidationError({"parent_code": format_lazy(_("Unknown category code “{}”."), parent_code)})
    return Category.objects.create(
        school=school, code=code, name=name, parent_code=parent_code, level=(parent.level + 1) if parent else 1,
        special_equipment=bool(special_equipment) or bool(parent and parent.special_equipment),
    )


@transaction.atomic
def update_settings(school: School, *, by, fixed_threshold, special_threshold) -> AssetSettings:
    require(by, "assets.manage", school=school)
    rules = settings_for(school)
    rules.fixed_threshold = money(fixed_threshold, field="fixed_threshold")
    rules.special_threshold = money(special_threshold, field="special_threshold")
    rules._history_user = by
    rules.save()
    return rules


# --- registering ----------------------------------------------------------------------------

def _new_asset(school, *, table, rules, name, category_code, unit_price, room=None, acquisition_date=None,
               funding_source="", spec="", unit="", department=None, custodian=None, note="", number=None,
               status=AssetStatus.IN_USE, original_value=None, purchase_ref="", purchase_id=None) -> Asset:
    """Check one card's fields and build it (unsaved, no number yet unless given)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the asset's name.")})
    category = category_by_code(school, category_code, table=table)
    price = money(unit_price, field="unit_price")
    value = price if original_value in (None, "") else money(original_value, field="original_value")
    for label, obj in (("room", room), ("department", department)):
        if obj is not None and obj.school_id != school.pk:
            raise ValidationError({label: _("It belongs to another school.")})
    if status not in AssetStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if isinstance(acquisition_date, datetime.datetime):
        acquisition_date = acquisition_date.date()
    if acquisition_date and acquisition_date > timezone.localdate():
        raise ValidationError({"acquisition_date": _("The acquisition date is in the future.")})
    return Asset(
        school=school, number=(number or "").strip(), name=name, category=category, spec=(spec or "").strip(),
        unit=(unit or "").strip(), unit_price=price, original_value=value, current_value=value,
        asset_class=classify(school=school, category=category, unit_price=price, rules=rules),
        acquisition_date=acquisition_date, funding_source=(funding_source or "").strip(), status=status, room=room,
        department=department, custodian=custodian, note=(note or "").strip(), purchase_ref=(purchase_ref or "")[:200],
        purchase_id=purchase_id,
    )


def _save_new(school, assets: list[Asset], *, by, reason: str) -> list[Asset]:
    """Numbers for the cards without one, duplicate and membership checks, one bulk insert with history."""
    from simple_history.utils import bulk_create_with_history

    given = [a.number for a in assets if a.number]
    if len(given) != len(set(given)):
        raise ValidationError({"number": _("The same asset number appears twice.")})
    taken = set()
    for start in range(0, len(given), BATCH):
        taken |= set(Asset.objects.filter(school=school, number__in=given[start:start + BATCH]).values_list("number", flat=True))
    if taken:
        raise ValidationError({"number": format_lazy(_("Asset number {} is already used."), ", ".join(sorted(taken)[:5]))})
    people = {a.custodian_id for a in assets if a.custodian_id}
    if people:
        members = set(Membership.objects.filter(school=school, user_id__in=people).values_list("user_id", flat=True))
        if people - members:
            raise ValidationError({"custodian": _("The responsible person is not a member of this school.")})
    missing = [a for a in assets if not a.number]
    if missing:
        for a, number in zip(missing, reserve_numbers(school, len(missing)), strict=True):
            a.number = number
    if len(assets) == 1:  # the usual case: a plain insert, so the row and its history get their ids
        asset = assets[0]
        asset._history_user, asset._change_reason = by, reason
        asset.save()
        return assets
    created = Asset.objects.bulk_create(assets, batch_size=BATCH)
    if any(a.pk is None for a in created):  # a database that cannot return ids: simple-history's own way
        return bulk_create_with_history(assets, Asset, batch_size=BATCH, default_user=by, default_change_reason=reason)
    _copy_into_history([a.pk for a in created], by=by, reason=reason)
    return created


def _copy_into_history(ids: list[int], *, by, reason: str) -> None:
    """The "created" history rows of freshly inserted assets, copied by the database itself.

    ``INSERT INTO <history> (<fields>, history_…) SELECT <fields>, … FROM assets_asset WHERE id IN …``:
    what ``bulk_create_with_history`` does row by row in Python (half the time of a 20,000-row
    import), in one statement per batch. The column list comes from the historical model, so a
    field added to ``Asset`` is copied too.
    """
    from django.db import connection

    history = Asset.history.model
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    columns = [f.column for f in history._meta.concrete_fields if f.name not in own]
    q = connection.ops.quote_name
    target = ", ".join([*(q(c) for c in columns), q("history_date"), q("history_change_reason"), q("history_type"),
                        q("history_user_id")])
    source = ", ".join(f"a.{q(c)}" for c in columns)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            batch = ids[start:start + BATCH]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"INSERT INTO {q(history._meta.db_table)} ({target}) "  # noqa: S608 - names from the model, values bound
                f"SELECT {source}, %s, %s, %s, %s FROM {q(Asset._meta.db_table)} a WHERE a.{q('id')} IN ({marks})",
                [now, reason[:100], "+", getattr(by, "pk", None), *batch],
            )


@transaction.atomic
def register_asset(*, school, by, **fields) -> Asset:
    """Register one card: the number is generated (unless given), fixed vs low-value follows the school's
    thresholds. ``fields``: name, category_code, unit_price (required), spec, unit, original_value,
    acquisition_date, funding_source, room, department, custodian, note, number, status,
    purchase_ref, purchase_id."""
    require(by, "assets.manage", school=school)
    asset = _new_asset(school, table=categories_of(school), rules=settings_for(school), **fields)
    return _save_new(school, [asset], by=by, reason="registered")[0]


@transaction.atomic
def register_assets(*, school, by, quantity: int, **fields) -> list[Asset]:
    """Register ``quantity`` identical items, one card and consecutive number each (e.g. a received
    purchase line of 30 computers). Same fields as ``register_asset``; ``number`` cannot be given."""
    require(by, "assets.manage", school=school)
    try:
        count = int(quantity)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"quantity": _("Assets are counted in whole units.")}) from exc
    if count != quantity or count < 1:
        raise ValidationError({"quantity": _("Assets are counted in whole units.")})
    if fields.get("number"):
        raise ValidationError({"number": _("Numbers are generated when several items are registered at once.")})
    table, rules = categories_of(school), settings_for(school)
    template = _new_asset(school, table=table, rules=rules, **fields)
    assets = [_new_asset(school, table=table, rules=rules, **fields) for _n in range(count)] if count > 1 else [template]
    return _save_new(school, assets, by=by, reason="registered")


@transaction.atomic
def register_many(*, school, by, records: list[dict], reason: str = "imported") -> list[Asset]:
    """Register many different cards at once (the Excel import): every record is checked first, then one
    counter bump and bulk inserts. Any bad record refuses the whole batch."""
    require(by, "assets.manage", school=school)
    table, rules = categories_of(school), settings_for(school)
    assets = []
    for index, record in enumerate(records, start=1):
        try:
            assets.append(_new_asset(school, table=table, rules=rules, **record))
        except ValidationError as exc:
            raise ValidationError(format_lazy(_("Record {n}: {error}"), n=index, error="; ".join(exc.messages))) from exc
    return _save_new(school, assets, by=by, reason=reason)


# --- editing --------------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "name", "category", "spec", "unit", "unit_price", "original_value", "acquisition_date", "funding_source", "room",
    "department", "custodian", "note",
)
WRITTEN_OFF_IS_FINAL = _("A written-off asset is kept as it was and cannot be edited.")


def refuse_if_written_off(asset: Asset, *, by, action: str) -> None:
    status = Asset.objects.filter(pk=asset.pk).values_list("status", flat=True).first() or asset.status
    if status == AssetStatus.WRITTEN_OFF:
        refuse(asset, by=by, action=action, message=WRITTEN_OFF_IS_FINAL)


@transaction.atomic
def update_asset(asset: Asset, *, by, **values) -> Asset:
    """Edit the card (not the number or status); the class follows the new price and category."""
    require(by, "assets.manage", school=asset.school)
    refuse_if_written_off(asset, by=by, action="assets.update_asset")
    old_original, old_current = asset.original_value, asset.current_value
    for name, value in values.items():
        if name not in EDITABLE_FIELDS:
            raise ValidationError(format_lazy(_("“{}” cannot be changed here."), name))
        setattr(asset, name, value)
    for label in ("room", "department"):
        obj = getattr(asset, label)
        if obj is not None and obj.school_id != asset.school_id:
            raise ValidationError({label: _("It belongs to another school.")})
    if asset.category.school_id not in (None, asset.school_id):
        raise ValidationError({"category": _("It belongs to another school.")})
    if asset.custodian_id and not Membership.objects.filter(school=asset.school, user_id=asset.custodian_id).exists():
        raise ValidationError({"custodian": _("The responsible person is not a member of this school.")})
    if not (asset.name or "").strip():
        raise ValidationError({"name": _("Enter the asset's name.")})
    asset.unit_price = money(asset.unit_price, field="unit_price")
    asset.original_value = (
        asset.unit_price if asset.original_value in (None, "") else money(asset.original_value, field="original_value")
    )
    if old_current == old_original:  # no valuation of its own yet: the current value follows the original
        asset.current_value = asset.original_value
    asset.asset_class = classify(school=asset.school, category=asset.category, unit_price=asset.unit_price)
    asset._history_user = by
    asset.save()
    return asset
