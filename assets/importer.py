"""Excel import of an existing register: find the header under title rows, read messy cells, report bad rows.

``parse_workbook(data, school)`` → (good rows, errors [(row number, reason)]); nothing is written.
``import_rows(school, rows, by)`` writes all good rows in one transaction (rooms/departments/people
named in the file are matched by name, or created), or nothing.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .choices import AssetStatus

COLUMNS = {  # field → header variants (compared without spaces)
    "number": ["资产编号", "编号", "资产代码", "卡片编号"],
    "name": ["资产名称", "名称"],
    "category_code": ["资产分类代码", "分类代码", "资产分类", "分类编号"],
    "spec": ["规格型号", "规格", "型号"],
    "unit": ["计量单位", "单位"],
    "quantity": ["数量"],
    "unit_price": ["单价", "单价(元)", "单价（元）"],
    "original_value": ["原值", "金额", "原值/金额", "原值(元)", "原值（元）", "价值"],
    "acquisition_date": ["取得日期", "购置日期", "入账日期", "购置时间"],
    "department": ["使用部门", "部门"],
    "person": ["使用人", "责任人", "保管人"],
    "room": ["存放地点", "存放位置", "地点", "位置"],
    "status": ["使用状况", "使用状态", "状态"],
}
STATUS_WORDS = {"在用": AssetStatus.IN_USE, "闲置": AssetStatus.IDLE, "维修": AssetStatus.UNDER_REPAIR,
                "待报废": AssetStatus.TO_WRITE_OFF, "报废": AssetStatus.WRITTEN_OFF}
REQUIRED = ("name", "category_code")


def _clean(v) -> str:
    return re.sub(r"\s+", "", str(v)) if v is not None else ""


def _find_header(rows) -> tuple[int, dict]:
    for idx, row in enumerate(rows[:30]):
        found = {}
        for col, cell in enumerate(row):
            text = _clean(cell)
            for field, names in COLUMNS.items():
                if field not in found and text in names:
                    found[field] = col
        if "name" in found and len(found) >= 3:
            return idx, found
    raise ValidationError(_("No header row found: the sheet needs at least 资产名称 and two other known columns."))


def _money(v):
    if v is None or _clean(v) == "":
        return None
    if isinstance(v, (int, float, Decimal)):
        text = str(v)
    else:
        text = _clean(v).replace("¥", "").replace("￥", "").replace(",", "").replace("，", "").replace("元", "")
    try:
        amount = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation as exc:  # also 1e+26: more digits than an amount can have
        raise ValueError(str(format_lazy(_("“{}” is not an amount"), v))) from exc
    if not amount.is_finite() or abs(amount) >= Decimal("1e10"):  # NaN, or beyond the 12-digit money fields
        raise ValueError(str(format_lazy(_("“{}” is not an amount"), v)))
    return amount


def _date(v):
    if v is None or _clean(v) == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    m = re.match(r"^(\d{4})[年/.\-](\d{1,2})[月/.\-](\d{1,2})日?$", _clean(v))
    if not m:
        raise ValueError(str(format_lazy(_("“{}” is not a date"), v)))
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')


def _read_rows(data: bytes) -> list[list]:
    """The active sheet's rows as lists, each merged range's value copied into all its cells.

    Read-only (streaming) mode: about half the time of openpyxl's normal mode on a 20,000-row
    register. That mode does not expose merged ranges, so they are read from the sheet's XML.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.cell import coordinate_to_tuple

    wb = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    try:
        ws = wb.active
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        source = ws._get_source() if hasattr(ws, "_get_source") else None
        merged = MERGE_REF.findall(source.read()) if source is not None else []
        if source is not None:
            source.close()
    finally:
        wb.close()
    for first, last in merged:
        (r1, c1), (r2, c2) = coordinate_to_tuple(first.decode()), coordinate_to_tuple(last.decode())
        if r1 - 1 >= len(rows):
            continue
        value = rows[r1 - 1][c1 - 1] if c1 - 1 < len(rows[r1 - 1]) else None
        for r in range(r1, min(r2, len(rows)) + 1):
            row = rows[r - 1]
            if len(row) < c2:
                row.extend([None] * (c2 - len(row)))
            for c in range(c1, c2 + 1):
                row[c - 1] = value
    return rows


def parse_workbook(data: bytes, school) -> tuple[list[dict], list[tuple[int, str]]]:
    from .models import Asset, Category

    try:
        rows = _read_rows(data)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's error
        raise ValidationError(_("This is not an .xlsx workbook.")) from exc
    header_idx, cols = _find_header(rows)
    codes = set(Category.objects.available_to(school).values_list("code", flat=True))
    existing = set(Asset.objects.filter(school=school).values_list("number", flat=True))
    seen, good, errors = set(), [], []
    for idx in range(header_idx + 1, len(rows)):
        row, line = rows[idx], idx + 1
        get = lambda f: row[cols[f]] if f in cols and cols[f] < len(row) else None  # noqa: E731
        if all(_clean(c) == "" for c in row):
            continue
        joined = "".join(_clean(c) for c in row)
        if joined.startswith(("合计", "总计", "小计")) or _clean(get("name")) in ("合计", "总计", "小计"):
            continue
        try:
            rec = {f: _clean(get(f)) for f in ("number", "name", "category_code", "spec", "unit", "department", "person", "room")}
            rec["name"] = str(get("name") or "").strip()
            missing = [f for f in REQUIRED if not rec[f]]
            if missing:
                raise ValueError(str(format_lazy(_("missing {}"), "、".join(COLUMNS[f][0] for f in missing))))
            qty = _money(get("quantity")) or Decimal("1")
            price, value = _money(get("unit_price")), _money(get("original_value"))
            if price is None and value is not None:
                price = (value / qty).quantize(Decimal("0.01"))
            if price is None:
                raise ValueError(str(_("missing 单价")))
            if price < 0 or (value is not None and value < 0):
                raise ValueError(str(_("negative amount")))
            total = value if value is not None else price * qty
            if total >= Decimal("1e10"):  # beyond the 12-digit money field
                raise ValueError(str(format_lazy(_("“{}” is not an amount"), total)))
            rec.update(unit_price=price, original_value=total, acquisition_date=_date(get("acquisition_date")))
            status_text = _clean(get("status"))
            rec["status"] = next((s for w, s in STATUS_WORDS.items() if status_text == w), AssetStatus.IN_USE)
            if rec["category_code"] not in codes:
                raise ValueError(str(format_lazy(_("unknown category {}"), rec["category_code"])))
            if rec["number"]:
                if rec["number"] in existing or rec["number"] in seen:
                    raise ValueError(str(format_lazy(_("duplicate number {}"), rec["number"])))
                seen.add(rec["number"])
            rec["row"] = line
            good.append(rec)
        except ValueError as exc:
            errors.append((line, str(exc)))
    return good, errors


def _room_key(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


@transaction.atomic
def import_rows(school, rows: list[dict], *, by) -> int:
    """All rows or none: any failure rolls the whole import back.

    Rooms, departments and people named in the file are matched by name (a room also by its full
    name, e.g. “实验楼 301 物理实验室”), else created — people as inactive accounts. The assets go
    through ``services.register_many``: every row checked, then one number reservation and bulk
    inserts with their history rows.
    """
    import secrets

    from logistics.models import Department, Membership, Room, User
    from logistics.roles import require

    from . import services

    require(by, "assets.import", school=school)
    rooms: dict[str, Room] = {}
    for room in Room.objects.filter(school=school).select_related("building").order_by("pk"):
        rooms.setdefault(_room_key(str(room)), room)
        rooms.setdefault(_room_key(room.name), room)
    depts = {_room_key(d.name): d for d in Department.objects.filter(school=school)}
    people: dict[str, User] = {}
    for user in User.objects.filter(memberships__school=school).order_by("pk"):
        for key in (user.full_name, user.username):
            if key:
                people.setdefault(_room_key(key), user)
    records = []
    for rec in rows:
        room = dept = person = None
        if rec["room"]:
            room = rooms.get(_room_key(rec["room"]))
            if room is None:
                room = rooms[_room_key(rec["room"])] = Room.objects.create(school=school, name=rec["room"][:100])
        if rec["department"]:
            dept = depts.get(_room_key(rec["department"]))
            if dept is None:
                dept = depts[_room_key(rec["department"])] = Department.objects.create(school=school, name=rec["department"][:100])
        if rec["person"]:
            person = people.get(_room_key(rec["person"]))
            if person is None:
                person = User.objects.create(username=f"imp-{school.pk}-{secrets.token_hex(5)}", full_name=rec["person"][:100],
                                             is_active=False)
                Membership.objects.create(user=person, school=school, role="teacher")
                people[_room_key(rec["person"])] = person
        records.append({
            "name": rec["name"], "category_code": rec["category_code"], "unit_price": rec["unit_price"], "room": room,
            "acquisition_date": rec["acquisition_date"], "spec": rec["spec"], "unit": rec["unit"], "department": dept,
            "custodian": person, "number": rec["number"] or None, "status": rec["status"], "original_value": rec["original_value"],
        })
    services.register_many(school=school, by=by, records=records, reason="imported")
    return len(records)
