"""Excel import from messy Chinese workbooks: preview with per-row errors, then all good rows or nothing."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from assets import importer
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


def test_import_all_or_nothing_and_creates_rooms(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    good, _ = importer.parse_workbook(messy_workbook(GOOD), school)
    # between the preview and the confirmation someone registers OLD-002 by hand: the whole import is refused
    taken = AssetFactory(school=school, number="OLD-002")
    with pytest.raises(ValidationError):
        importer.import_rows(school, good, by=staff)
    assert Asset.objects.count() == 1 and not Room.objects.filter(name="计算机教室").exists()
    taken.delete()
    assert importer.import_rows(school, good, by=staff) == 3
    imported = Asset.objects.get(number="OLD-001")
    assert imported.room.name == "计算机教室" and imported.department.name == "教务处"
    assert imported.custodian.full_name == "王老师" and not imported.custodian.is_active  # new person: inactive account
    assert imported.history.get().history_user == staff  # the history row says who imported it
    assert Asset.objects.get(number="OLD-002").status == "idle"
    desks = Asset.objects.get(name="课桌")
    assert desks.number.startswith(f"SY{dt.date.today().year}") and desks.original_value == Decimal("12000.00")


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


def test_import_costs_the_same_queries_for_20_or_300_rows(school, make_member):
    """Bulk: one number reservation, batched inserts, history copied by the database — no query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.seed_assets import build_register_workbook
    from logistics.tests.factories import RoomFactory

    staff = make_member(Role.LOGISTICS_STAFF, full_name="李干事")
    RoomFactory(school=school, name="物理实验室")
    for code in ("A02010105", "A02021004", "A05040403", "A02091104", "A02061804", "A02100702"):
        category(code)

    def run(n, seed):
        Asset.objects.filter(number__startswith="IMP").delete()
        data = build_register_workbook(n, rooms=["物理实验室"], people=["李干事"], seed=seed)
        good, errors = importer.parse_workbook(data, school)
        assert errors == [] and len(good) == n
        with CaptureQueriesContext(connection) as ctx:
            assert importer.import_rows(school, good, by=staff) == n
        return len(ctx.captured_queries)

    run(5, 1)  # the departments of the file are created the first time
    assert run(20, 2) == run(300, 3)
    assert Asset.objects.filter(school=school, number__startswith="IMP").count() == 300
    assert Asset.history.model.objects.filter(number__startswith="IMP", history_type="+").count() >= 300
