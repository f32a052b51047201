import datetime as dt
import io
import subprocess

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from logistics.roles import Role
from safety import services
from safety.models import Drill
from safety.selectors import monthly_report
from safety.tests.factories import HazardFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _month(school):
    plan = PlanFactory(school=school, name="每日校园巡视", starts_on=dt.date(2026, 10, 1))
    services.generate_inspections(today=dt.date(2026, 10, 31))
    for ins in plan.inspections.order_by("due_date")[:20]:
        ins.status = "submitted"
        ins.save()
    HazardFactory(school=school, found_on=dt.date(2026, 10, 3), deadline=dt.date(2026, 10, 6), status="verified",
                  rectified_at=dt.datetime(2026, 10, 5, 3, tzinfo=dt.UTC))
    HazardFactory(school=school, found_on=dt.date(2026, 10, 10), deadline=dt.date(2026, 10, 13))
    HazardFactory(school=school, found_on=dt.date(2026, 11, 2), deadline=dt.date(2026, 11, 5))
    Drill.objects.create(school=school, held_on=dt.date(2026, 10, 15), kind="消防疏散演练", participants=860, recorded_by=plan.responsible)
    Drill.objects.create(school=school, held_on=dt.date(2026, 11, 15), kind="防震演练", participants=800, recorded_by=plan.responsible)


@time_machine.travel(dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC))
def test_month_figures_equal_db_counts(school):
    _month(school)
    t = monthly_report(school, 2026, 10)["totals"]
    assert (t["due"], t["done"], t["found"], t["rectified"], t["overdue"], t["drills"]) == (31, 20, 2, 1, 1, 1)


@time_machine.travel(dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC))
def test_pdf_has_chinese_headings_counts_and_embedded_cjk_font(login_as, school, tmp_path):
    _month(school)
    client = login_as(Role.LOGISTICS_DIRECTOR)
    r = client.get(reverse("safety:report_month") + "?year=2026&month=10&format=pdf")
    assert r["Content-Type"] == "application/pdf"
    path = tmp_path / "r.pdf"
    path.write_bytes(r.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "安全" in text and "每日校园巡视" in text and "消防疏散演练" in text and "防震演练" not in text
    assert "31" in text and "20" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts and " yes " in fonts


@time_machine.travel(dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC))
def test_excel_and_page(login_as, school):
    _month(school)
    client = login_as(Role.PRINCIPAL)
    r = client.get(reverse("safety:report_month") + "?year=2026&month=10&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    values = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert values == [31, 20, 2, 1, 1, 1, 1]  # due, done, found, rectified, verified, overdue, drills
    page = client.get(reverse("safety:report_month") + "?year=2026&month=10")
    assert page.status_code == 200 and "每日校园巡视" in page.content.decode()


def test_report_forbidden_for_staff(login_as):
    assert login_as(Role.LOGISTICS_STAFF).get(reverse("safety:report_month")).status_code == 403


@time_machine.travel(dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC))
def test_report_rows_name_each_plan_and_its_area_in_name_order(login_as, school):
    """One row per plan, by name: the plan's name and area (a room, a building, the whole school in
    the reader's language) and its month — the cells of the days due, done or missed."""
    from logistics.tests.factories import BuildingFactory

    room_plan = PlanFactory(school=school, name="乙 教室巡视", starts_on=dt.date(2026, 10, 1))
    PlanFactory(school=school, name="甲 实验楼巡视", room=None, building=BuildingFactory(school=school, name="实验楼"),
                starts_on=dt.date(2026, 10, 1))
    PlanFactory(school=school, name="丙 全校巡视", room=None, building=None, starts_on=dt.date(2026, 10, 1))
    services.generate_inspections(today=dt.date(2026, 10, 31))
    first = room_plan.inspections.order_by("due_date").first()
    first.status = "submitted"
    first.save()
    rows = monthly_report(school, 2026, 10)["rows"]
    assert [(r["plan"].name, r["plan"].area, r["due"], r["done"]) for r in rows] == sorted([
        ("乙 教室巡视", str(room_plan.room), 31, 1), ("甲 实验楼巡视", "实验楼", 31, 0), ("丙 全校巡视", "全校", 31, 0)])
    room_row = next(r for r in rows if r["plan"].pk == room_plan.pk)
    assert room_row["days"][:2] == ["done", "missed"] and len(room_row["days"]) == 31
    client = login_as(Role.PRINCIPAL)
    page = client.get(reverse("safety:report_month") + "?year=2026&month=10").content.decode()
    assert '乙 教室巡视<div class="fw-normal text-body-secondary">' + str(room_plan.room) in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("safety:report_month") + "?year=2026&month=10").content.decode()
    assert '丙 全校巡视<div class="fw-normal text-body-secondary">Whole school</div>' in page
