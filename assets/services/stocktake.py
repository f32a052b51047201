"""Stocktake (清点/盘点): frozen expected list, marking on a phone, surplus, close, the director confirms."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from logistics.roles import Role, require
from logistics.services import notify_role
from logistics.workflow import move

from ..choices import ASSET_TRANSITIONS, STOCKTAKE_TRANSITIONS, AssetStatus, LineResult, StocktakeStatus
from ..models import Asset, Stocktake, StocktakeLine, StocktakeSurplus, WriteOff
from .common import record_history, refuse

CLOSED_IS_FINAL = _("This stocktake is closed; its results can no longer change.")
CONFIRMED_IS_FINAL = _("This stocktake is confirmed; it can no longer change.")


@transaction.atomic
def start_stocktake(school, *, name, by, rooms=None) -> Stocktake:
    """Freeze the expected list: every asset not written off (in the given rooms, else the whole school)."""
    require(by, "assets.stocktake", school=school)
    rooms = list(rooms or [])
    if any(r.school_id != school.pk for r in rooms):
        raise ValidationError({"rooms": _("It belongs to another school.")})
    st = Stocktake(school=school, name=(name or "").strip() or str(timezone.localdate()), started_by=by)
    st._history_user = by
    st.save()
    st.rooms.set(rooms)
    # lines numbered in asset-number order: the count's pages are then ranges of the line index
    assets = Asset.objects.filter(school=school).exclude(status=AssetStatus.WRITTEN_OFF).order_by("number", "pk")
    if rooms:
        assets = assets.filter(room__in=rooms)
    lines = StocktakeLine.objects.bulk_create(
        (StocktakeLine(stocktake=st, asset_id=pk, expected_room_id=room_id)
         for pk, room_id in assets.values_list("pk", "room_id").iterator(chunk_size=2000)),
        batch_size=1000,
    )
    st.expected_count = len(lines)
    Stocktake.objects.filter(pk=st.pk).update(expected_count=st.expected_count)
    return st


def _require_open(st: Stocktake, *, by, action: str) -> Stocktake:
    current = Stocktake.objects.get(pk=st.pk)
    if current.status != StocktakeStatus.OPEN:
        refuse(current, by=by, action=action,
               message=CONFIRMED_IS_FINAL if current.status == StocktakeStatus.CONFIRMED else CLOSED_IS_FINAL)
    return current


@transaction.atomic
def mark_line(line, *, result, by, found_room=None):
    st = Stocktake.objects.get(pk=line.stocktake_id)
    require(by, "assets.stocktake", school=st.school)
    _require_open(st, by=by, action="assets.mark_line")
    if result not in LineResult.values or result == LineResult.PENDING:
        raise ValidationError({"result": _("Choose a result.")})
    if result == LineResult.WRONG_ROOM:
        if found_room is None or found_room.school_id != st.school_id:
            raise ValidationError({"found_room": _("Say in which room it was found.")})
    else:
        found_room = None
    line.result, line.found_room, line.marked_by, line.marked_at = result, found_room, by, timezone.now()
    line.save(update_fields=["result", "found_room", "marked_by", "marked_at"])
    return line


def mark_found_by_scan(asset: Asset, *, by) -> int:
    """Opening an asset's QR link during open stocktakes: its pending lines become 'found'."""
    require(by, "assets.stocktake", school=asset.school)
    return StocktakeLine.objects.filter(
        asset=asset, result=LineResult.PENDING, stocktake__status=StocktakeStatus.OPEN
    ).update(result=LineResult.FOUND, marked_by=by, marked_at=timezone.now())


@transaction.atomic
def record_surplus(st: Stocktake, *, name, by, room=None, note=""):
    require(by, "assets.stocktake", school=st.school)
    _require_open(st, by=by, action="assets.record_surplus")
    if not (name or "").strip():
        raise ValidationError({"name": _("Say what was found.")})
    if room is not None and room.school_id != st.school_id:
        raise ValidationError({"room": _("It belongs to another school.")})
    return StocktakeSurplus.objects.create(stocktake=st, name=name.strip(), room=room, note=(note or "").strip(), by=by)


@transaction.atomic
def close_stocktake(st: Stocktake, *, by) -> Stocktake:
    """Counting ends; unchecked lines count as missing in the report. The director is asked to confirm."""
    require(by, "assets.stocktake", school=st.school)
    _require_open(st, by=by, action="assets.close_stocktake")
    move(st, StocktakeStatus.CLOSED, transitions=STOCKTAKE_TRANSITIONS)
    record_history(st, by=by, reason="closed", fields=["status", "updated_at"])
    notify_role(st.school, Role.LOGISTICS_DIRECTOR, text=format_lazy(_("Stocktake “{name}” is closed: please confirm."), name=st.name),
                url=reverse("assets:stocktake_detail", args=[st.pk]), key=f"assets:stocktake-closed:{st.pk}")
    return st


@transaction.atomic
def confirm_stocktake(st: Stocktake, *, by) -> dict:
    """The director confirms: wrong room → the asset moves; damaged → under repair; missing (or unchecked) →
    a write-off request for the director. Applied once; assets written off meanwhile are left as they are."""
    require(by, "assets.confirm_stocktake", school=st.school)
    current = Stocktake.objects.get(pk=st.pk)
    if current.status == StocktakeStatus.CONFIRMED:
        refuse(current, by=by, action="assets.confirm_stocktake", message=CONFIRMED_IS_FINAL)
    move(st, StocktakeStatus.CONFIRMED, transitions=STOCKTAKE_TRANSITIONS, extra={"confirmed_by": by, "confirmed_at": timezone.now()})
    record_history(st, by=by, reason="confirmed", fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    applied = {"moved": 0, "damaged": 0, "missing": 0}
    reason = f"stocktake {st.pk}"
    lines = (st.lines.select_related("asset").exclude(result=LineResult.FOUND)
             .exclude(asset__status=AssetStatus.WRITTEN_OFF).order_by("pk"))
    for line in lines.iterator(chunk_size=500):
        asset = line.asset
        if line.result == LineResult.WRONG_ROOM:
            asset.room = line.found_room
            record_history(asset, by=by, reason=reason, fields=["room", "updated_at"])
            applied["moved"] += 1
        elif line.result == LineResult.DAMAGED and AssetStatus.UNDER_REPAIR in ASSET_TRANSITIONS.get(asset.status, ()):
            move(asset, AssetStatus.UNDER_REPAIR, transitions=ASSET_TRANSITIONS)
            record_history(asset, by=by, reason=reason, fields=["status", "updated_at"])
            applied["damaged"] += 1
        elif line.result in (LineResult.MISSING, LineResult.PENDING) and AssetStatus.TO_WRITE_OFF in ASSET_TRANSITIONS.get(asset.status, ()):
            previous = move(asset, AssetStatus.TO_WRITE_OFF, transitions=ASSET_TRANSITIONS)
            record_history(asset, by=by, reason=reason, fields=["status", "updated_at"])
            WriteOff.objects.create(asset=asset, previous_status=previous, requested_by=by,
                                    reason=str(format_lazy(_("Missing at stocktake “{name}”."), name=st.name)))
            applied["missing"] += 1
    if applied["missing"]:
        notify_role(st.school, Role.LOGISTICS_DIRECTOR,
                    text=format_lazy(_("Write-offs to approve after stocktake “{name}”: {n}."), name=st.name, n=applied["missing"]),
                    url=reverse("assets:writeoff_list"), key=f"assets:stocktake-writeoffs:{st.pk}")
    return applied
