"""Excel import from messy Chinese workbooks: preview with per-row errors, then all good rows or nothing."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from assets import importer, services
from assets.models import Asset
from assets.tests.factories import AssetFactory, category
from logistics.models import Room
from logistics.roles import Role

pytestmark = pytest.mark.django_db

HEADER = ["资产编号", "资产名称", " 资产分类代码 ", "规格型号", "计量单位", "数量", "单价", "原值/金额", "取得日期", "使用部门", "使用人", "存放地点", "使用状况"]


def messy_workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["示范实验学校固定资产明细表"])
    ws.merge_cells("A1:M1")  # title row across the sheet
    ws.append(["填报单位：总务处", None, None, None, None, None, None, None, "2026年11月"])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    ["OLD-001", "台式计算机", "A02010105", "联想M720", "台", 1, 4500, 4500, dt.datetime(2019, 3, 5), "教务处", "王老师", "计算机教室", "在用"],
    ["OLD-002", " 投影仪 ", "A02091104", "", "台", 1, "¥1,234.50", "¥1,234.50", "2019年03月05日", "教务处", "", "多媒体教室", "闲置"],
    [None, None, None, None, None, None, None, None, None, None, None, None, None],  # blank row
    ["", "课桌", "A05040403", "", "套", 40, "", "¥12,000.00", "2019/03/05", "", "", "一年级1班", ""],
]
BAD = [
    ["OLD-003", "", "A02010105", "", "台", 1, 100, 100, "", "", "", "", ""],  # missing name
    ["OLD-004", "打印机", "A02021004", "", "台", 1, -5, -5, "", "", "", "", ""],  # negative amount
    ["OLD-001", "重复", "A02010105", "", "台", 1, 100, 100, "", "", "", "", ""],  # duplicate number
    ["OLD-005", "奇怪的东西", "Z99", "", "台", 1, 100, 100, "", "", "", "", ""],  # unknown category
    ["OLD-006", "电脑", "A02010105", "", "台", 1, 100, 100, "去年", "", "", "", ""],  # bad date
]
TOTAL = [["合计", None, None, None, None, 42, None, "¥17,734.50", None, None, None, None, None]]


@pytest.fixture(autouse=True)
def categories(db):
    category()


def test_parse_messy_workbook_reports_each_bad_row(school):
    with translation.override("en"):
        good, errors = importer.parse_workbook(messy_workbook(GOOD + BAD + TOTAL), school)
    assert [g["name"] for g in good] == ["台式计算机", "投影仪", "课桌"]
    assert good[1]["unit_price"] == Decimal("1234.50") and good[1]["acquisition_date"] == dt.date(2019, 3, 5)
    assert good[0]["acquisition_date"] == dt.date(2019, 3, 5) and good[2]["acquisition_date"] == dt.date(2019, 3, 5)
    assert good[2]["unit_price"] == Decimal("300.00") and good[2]["original_value"] == Decimal("12000.00")
    assert [line for line, _ in errors] == [8, 9, 10, 11, 12]  # title 1, note 2, header 3, rows from 4, blank 6
    reasons = " ".join(r for _, r in errors)
    for word in ("资产名称", "negative", "OLD-001", "Z99", "去年"):
        assert word in reasons


def test_number_already_in_register_is_a_duplicate(school):
    AssetFactory(school=school, number="OLD-001")
    good, errors = importer.parse_workbook(messy_workbook(GOOD[:1]), school)
    assert good == [] and len(errors) == 1


def test_import_all_or_nothing_and_creates_rooms(school, make_member, monkeypatch):
    staff = make_member(Role.LOGISTICS_STAFF)
    good, _ = importer.parse_workbook(messy_workbook(GOOD), school)
    real = importer.import_rows
    original_register = services.register_asset
    calls = {"n": 0}

    def failing(**kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return original_register(**kw)

    monkeypatch.setattr("assets.services.register_asset", failing)
    with pytest.raises(RuntimeError):
        real(school, good, by=staff)
    assert Asset.objects.count() == 0 and not Room.objects.filter(name="计算机教室").exists()
    monkeypatch.setattr("assets.services.register_asset", original_register)
    assert real(school, good, by=staff) == 3
    assert Asset.objects.get(number="OLD-001").room.name == "计算机教室"
    assert Asset.objects.get(number="OLD-002").status == "idle"


def test_import_pages_preview_then_confirm(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    upload = SimpleUploadedFile("台账.xlsx", messy_workbook(GOOD + BAD + TOTAL))
    response = client.post(reverse("assets:asset_import"), {"file": upload})
    assert response.status_code == 200 and len(response.context["errors"]) == 5
    assert Asset.objects.count() == 0  # preview writes nothing
    client.post(reverse("assets:asset_import"), {"confirm": "1"})
    assert Asset.objects.count() == 3
    bad = client.post(reverse("assets:asset_import"), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert bad.context["form"].errors
    assert login_as(Role.TEACHER).get(reverse("assets:asset_import")).status_code == 403
