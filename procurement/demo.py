"""Demo data of procurement: this year's budget lines, requests in every state (a large one
with three quotes), and last month's finance disclosure, published. Made through the services,
so every approval, receipt and timeline row is real. Idempotent: a second run adds nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from procurement import services
from procurement.models import BudgetLine, Disclosure, PurchaseRequest

LINES = [
    ("JX01", "教学设备购置", "教学设备", "300000"),
    ("BG01", "办公用品", "办公用品", "30000"),
    ("WX01", "校舍维修材料", "维修维护", "80000"),
    ("ST01", "食堂设备", "食堂", "60000"),
]


def _item(name, qty, unit, price, kind="consumable", **goods):
    return {"name": name, "quantity": Decimal(qty), "unit": unit, "unit_price": Decimal(price), "kind": kind, **goods}


def _invoice(number):
    """A one-page PDF standing in for the scanned invoice."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(f"invoice-{number}.pdf", b"%PDF-1.4\n% demo invoice\n", content_type="application/pdf")


def _office_room(school):
    from logistics.models import Room

    room = Room.objects.for_school(school).order_by("pk").first()
    return room or Room.objects.create(school=school, name="后勤办公室", number="101")


def seed(*, school, users):
    year = timezone.localdate().year
    lines = {}
    for code, name, category, amount in LINES:
        lines[code], _ = BudgetLine.objects.get_or_create(
            school=school, year=year, code=code, defaults={"name": name, "category": category, "amount": Decimal(amount)}
        )
    if PurchaseRequest.objects.filter(school=school).exists():
        return
    staff, staff2, director, principal = users["staff"], users["staff2"], users["director"], users["principal"]
    accountant, canteen = users["accountant"], users["canteen"]

    def make(title, by, line, items):
        return services.create_purchase(school=school, by=by, title=title, reason="教学与日常工作需要",
                                        budget_line=lines[line], items=items)

    room = _office_room(school)
    make("打印纸补充（草稿）", staff, "BG01", [_item("A4 打印纸", "20", "箱", "150")])
    p = make("粉笔与板擦", staff, "BG01", [_item("无尘粉笔", "50", "盒", "8"), _item("板擦", "20", "个", "6")])
    services.submit_purchase(p, by=staff)
    p = make("食堂餐盘", canteen, "ST01", [_item("不锈钢餐盘", "100", "个", "9")])
    services.submit_purchase(p, by=canteen)
    services.reject_purchase(p, by=director, note="库存尚可使用一学期")
    p = make("水龙头配件", staff2, "WX01", [_item("水龙头", "12", "个", "35")])
    services.submit_purchase(p, by=staff2)
    services.approve_purchase(p, by=director, note="同意")
    # A large purchase with three quotes, waiting for the principal.
    p = make("多媒体教室投影机", staff, "JX01", [_item("投影机", "4", "台", "4200", "fixed_asset",
                                                           asset_category_code="A02020000", room=room)])
    for supplier, amount, chosen in (("华信科技", "16800", True), ("博远电子", "17600", False), ("明达办公", "18200", False)):
        services.add_quote(p, by=staff, supplier=supplier, amount=Decimal(amount), chosen=chosen)
    services.submit_purchase(p, by=staff)
    services.approve_purchase(p, by=director, note="比价充分，同意")
    # Ordered, received (two signers) and reimbursed last month.
    done = []
    for title, line, items in (("消防应急灯", "WX01", [_item("应急灯", "20", "个", "45")]),
                               ("办公文件柜", "BG01", [_item("文件柜", "2", "个", "420", "fixed_asset",
                                                              asset_category_code="A05010502", room=room)])):
        p = make(title, staff, line, items)
        services.submit_purchase(p, by=staff)
        services.approve_purchase(p, by=director, note="同意")
        services.order_purchase(p, by=staff)
        services.record_receipt(p, by=staff, quantities={i.pk: i.quantity for i in p.items.all()})
        services.countersign_receipt(p, by=staff2)
        done.append(p)
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    services.reimburse_purchase(done[0], by=accountant, invoice_number="04412301", invoice_amount=done[0].total,
                                paid_on=last_month.replace(day=15), invoice_file=_invoice("04412301"))
    o = make("篮球架维修配件", staff2, "WX01", [_item("篮板", "2", "块", "380")])
    services.submit_purchase(o, by=staff2)
    services.approve_purchase(o, by=director)
    services.order_purchase(o, by=staff2)
    if not Disclosure.objects.filter(school=school, year=last_month.year, month=last_month.month).exists():
        d = services.generate_disclosure(school, year=last_month.year, month=last_month.month, by=accountant)
        services.publish_disclosure(d, by=accountant)
