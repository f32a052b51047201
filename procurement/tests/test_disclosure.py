import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from logistics.roles import Role
from procurement import services
from procurement.models import Disclosure
from procurement.tests.factories import BudgetLineFactory, PurchaseRequestFactory

pytestmark = pytest.mark.django_db


def paid(school, amount, day, category="办公用品"):
    line = BudgetLineFactory(school=school, category=category)
    return PurchaseRequestFactory(school=school, budget_line=line, status="reimbursed", total=Decimal(amount),
                                  invoice_amount=Decimal(amount), paid_on=day, title=f"采购{amount}")


def pdf_text(field, tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(field.read())
    field.seek(0)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout, path


def _amount_after(label, text):
    """The ¥ amount printed after ``label`` on the same line of the extracted text."""
    line = next(ln for ln in text.splitlines() if label in ln)
    return Decimal(re.findall(r"¥\s*(-?[\d,]+\.\d{2})", line.split(label, 1)[1])[0].replace(",", ""))


def test_disclosure_pdf_has_chinese_headings_embedded_cjk_font_and_db_totals(school, make_member, tmp_path):
    from django.db.models import Sum

    from canteen.tests.factories import MonthAccountFactory
    from procurement.models import PurchaseRequest
    from repairs.models import Repair
    from repairs.tests.factories import RepairFactory

    from procurement.models import ApprovalStep, PurchaseApproval

    big = paid(school, "1234.50", dt.date(2026, 10, 3), "教学设备")
    for order, (kind, role, name) in enumerate((("director", Role.LOGISTICS_DIRECTOR, "王主任"),
                                                ("principal", Role.PRINCIPAL, "李校长")), start=1):
        step = ApprovalStep.objects.create(purchase=big, order=order, kind=kind, status="approved")
        PurchaseApproval.objects.create(purchase=big, step=step, by=make_member(role, full_name=name), decision="approved")
    paid(school, "100.25", dt.date(2026, 10, 30))
    paid(school, "999", dt.date(2026, 11, 1))  # next month: excluded
    tz = timezone.get_current_timezone()
    for cost, day in (("80.00", 5), ("45.50", 31)):
        RepairFactory(school=school, status="closed", material_cost=Decimal(cost), other_cost=Decimal("10"),
                      done_at=dt.datetime(2026, 10, day, 22, 30, tzinfo=tz))
    MonthAccountFactory(school=school, year=2026, month=10, students=100, days=20, price_per_day=Decimal("10"),
                        other_cost=Decimal("1500"))
    d = services.generate_disclosure(school, year=2026, month=10)
    assert d.file.read(4) == b"%PDF"
    d.file.seek(0)
    text, path = pdf_text(d.file, tmp_path)
    assert "财务公开" in text and "按类别支出" in text and "伙食账" in text and "维修费用" in text
    first = next(ln for ln in text.splitlines() if "采购1234.50" in ln)
    assert "王主任" in first and "李校长" in first  # each purchase with its approvers

    purchases = PurchaseRequest.objects.filter(school=school, paid_on__year=2026, paid_on__month=10).aggregate(
        s=Sum("invoice_amount"))["s"]
    repairs = Repair.objects.filter(school=school, done_at__year=2026, done_at__month=10).aggregate(
        m=Sum("material_cost"), o=Sum("other_cost"))
    repair_total = repairs["m"] + repairs["o"]
    assert (purchases, repair_total) == (Decimal("1334.75"), Decimal("145.50"))  # the data above, as the DB sums it
    assert _amount_after("采购合计", text) == purchases
    assert _amount_after("维修合计", text) == repair_total
    assert _amount_after("支出总计", text) == purchases + repair_total
    assert _amount_after("收入", text) == Decimal("20000.00")
    assert "999" not in text
    assert d.totals["purchases"] == str(purchases) and d.totals["grand"] == str(purchases + repair_total)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [ln for ln in fonts.splitlines() if "CJK" in ln]
    assert cjk and all(" yes " in ln for ln in cjk)  # embedded (and subset)
    assert "Type 3" not in fonts

    parent_text, parent_path = pdf_text(d.parent_file, tmp_path)
    assert "食堂财务公开" in parent_text and "采购合计" not in parent_text
    assert _amount_after("收入", parent_text) == Decimal("20000.00")
    parent_fonts = subprocess.run(["pdffonts", str(parent_path)], capture_output=True, text=True, check=True).stdout
    assert any("CJK" in ln and " yes " in ln for ln in parent_fonts.splitlines())


def test_regenerating_makes_new_version_and_publishing_is_final(school, make_member):
    acc = make_member(Role.ACCOUNTANT)
    d1 = services.generate_disclosure(school, year=2026, month=10, by=acc)
    services.publish_disclosure(d1, by=acc)
    d2 = services.generate_disclosure(school, year=2026, month=10, by=acc)
    assert (d1.version, d2.version) == (1, 2)
    assert Disclosure.objects.filter(school=school, year=2026, month=10).count() == 2
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        services.publish_disclosure(d1, by=acc)
    with pytest.raises(PermissionDenied):
        services.publish_disclosure(d2, by=make_member(Role.TEACHER))


def test_monthly_sweep_is_idempotent_and_catches_up(school, other_school):
    assert services.generate_missing_disclosures(today=dt.date(2026, 11, 5)) == 2
    assert services.generate_missing_disclosures(today=dt.date(2026, 11, 5)) == 0
    assert Disclosure.objects.filter(year=2026, month=10).count() == 2


def test_beat_entry_exists():
    entry = settings.CELERY_BEAT_SCHEDULE["procurement-monthly-disclosures"]
    assert entry["task"] == "procurement.tasks.generate_monthly_disclosures"
    assert entry["schedule"] <= 3600


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_real_worker_produces_the_file(celery_worker_process, school):
    from procurement.tasks import generate_monthly_disclosures

    result = generate_monthly_disclosures.delay()
    assert result.get(timeout=120) >= 1
    d = Disclosure.objects.get(school=school)
    assert d.file.read(4) == b"%PDF"
    # the worker had warmed WeasyPrint up when it started, before it took the task
    from tests.processes import worker_log

    log = worker_log(celery_worker_process)
    assert "WeasyPrint warmed up" in log
    assert log.index("WeasyPrint warmed up") < log.index(f"generate_monthly_disclosures[{result.id}] received")


def test_teachers_see_published_reports_and_parents_the_parent_version(school, other_school, login_as, make_member,
                                                                      django_capture_on_commit_callbacks):
    from django.urls import reverse

    acc = make_member(Role.ACCOUNTANT)
    draft_report = services.generate_disclosure(school, year=2026, month=9, by=acc)
    published = services.publish_disclosure(services.generate_disclosure(school, year=2026, month=10, by=acc), by=acc)
    teacher = login_as(Role.TEACHER)
    page = teacher.get(reverse("procurement:disclosure_list")).content.decode()
    assert reverse("procurement:disclosure_download", args=[published.pk]) in page
    assert reverse("procurement:disclosure_download", args=[draft_report.pk]) not in page
    assert teacher.get(reverse("procurement:disclosure_download", args=[draft_report.pk])).status_code == 404
    full = b"".join(teacher.get(reverse("procurement:disclosure_download", args=[published.pk])).streaming_content)
    parent = login_as(Role.PARENT)
    parent_pdf = b"".join(parent.get(reverse("procurement:disclosure_download", args=[published.pk])).streaming_content)
    assert parent_pdf.startswith(b"%PDF") and parent_pdf != full
    published.parent_file.open("rb")
    assert parent_pdf == published.parent_file.read()
    staff_parent = b"".join(teacher.get(reverse("procurement:disclosure_download", args=[published.pk]) + "?part=parent")
                            .streaming_content)
    assert staff_parent == parent_pdf  # staff can download the version parents get
    assert teacher.post(reverse("procurement:disclosure_generate"), {"year": 2026, "month": 8}).status_code == 403
    assert teacher.post(reverse("procurement:disclosure_publish", args=[draft_report.pk])).status_code == 403
    theirs = services.generate_disclosure(other_school, year=2026, month=10)
    assert teacher.get(reverse("procurement:disclosure_download", args=[theirs.pk])).status_code == 404
    c = login_as(Role.ACCOUNTANT)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs eagerly after the commit
        c.post(reverse("procurement:disclosure_generate"), {"year": 2026, "month": 8})
    assert Disclosure.objects.filter(school=school, month=8).count() == 1
    c.post(reverse("procurement:disclosure_publish", args=[draft_report.pk]))
    draft_report.refresh_from_db()
    assert draft_report.published_at is not None
