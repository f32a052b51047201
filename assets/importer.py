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
        return Decimal(str(v)).quantize(Decimal("0.01"))
    text = _clean(v).replace("¥", "").replace("￥", "").replace(",", "").replace("，", "").replace("元", "")
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValueError(str(format_lazy(_("“{}” is not an amount"), v))) from exc


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


def _unmerge(ws) -> list[list]:
    """Rows as lists, with each merged range's value copied into all its cells."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
                    rows[r - 1][c - 1] = value
    return rows


def parse_workbook(data: bytes, school) -> tuple[list[dict], list[tuple[int, str]]]:
    from openpyxl import load_workbook

    from .models import Asset, Category

    try:
        ws = load_workbook(io.BytesIO(data), data_only=True).active
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's error
        raise ValidationError(_("This is not an .xlsx workbook.")) from exc
    rows = _unmerge(ws)
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
            rec.update(unit_price=price, original_value=value if value is not None else price * qty,
                       acquisition_date=_date(get("acquisition_date")))
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


@transaction.atomic
def import_rows(school, rows: list[dict], *, by) -> int:
    """All rows or none: any failure rolls the whole import back."""
    from logistics.models import Department, Membership, Room, User

    from . import services

    rooms = {r.name: r for r in Room.objects.filter(school=school)}
    depts = {d.name: d for d in Department.objects.filter(school=school)}
    people = {u.full_name or u.username: u for u in User.objects.filter(memberships__school=school)}
    for rec in rows:
        room = rooms.get(rec["room"]) if rec["room"] else None
        if rec["room"] and room is None:
            room = rooms[rec["room"]] = Room.objects.create(school=school, name=rec["room"])
        dept = depts.get(rec["department"]) if rec["department"] else None
        if rec["department"] and dept is None:
            dept = depts[rec["department"]] = Department.objects.create(school=school, name=rec["department"])
        person = people.get(rec["person"]) if rec["person"] else None
        if rec["person"] and person is None:
            base = f"imp-{school.code}-{len(people) + 1}"
            person = User.objects.create(username=base, full_name=rec["person"], is_active=False)
            Membership.objects.create(user=person, school=school, role="teacher")
            people[rec["person"]] = person
        services.register_asset(
            school=school, name=rec["name"], category_code=rec["category_code"], unit_price=rec["unit_price"], by=by,
            room=room, acquisition_date=rec["acquisition_date"], spec=rec["spec"], unit=rec["unit"], department=dept,
            custodian=person, number=rec["number"] or None, status=rec["status"], original_value=rec["original_value"],
        )
    return len(rows)
