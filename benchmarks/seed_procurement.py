"""Procurement: 5,000 purchase requests for the big school in every state, with items, quotes,
approval steps and signed approvals, and their events; budget lines per year. Bulk-inserted."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

BATCH = 5_000


def seed(ctx):
    from django.utils import timezone

    from logistics.roles import Role
    from procurement.models import ApprovalStep, BudgetLine, PurchaseApproval, PurchaseEvent, PurchaseItem, PurchaseRequest, Quote

    rng = random.Random(5)
    big, users = ctx["big"], ctx["users"]
    staff, director, principal, accountant = (users[r] for r in (Role.LOGISTICS_STAFF, Role.LOGISTICS_DIRECTOR, Role.PRINCIPAL, Role.ACCOUNTANT))
    now = timezone.now()
    this_year = timezone.localdate().year
    lines = BudgetLine.objects.bulk_create(
        [BudgetLine(school=big, year=y, code=f"L{k}", name=f"预算{k}", category=cat, amount=Decimal("500000"))
         for y in range(this_year - 4, this_year + 1) for k, cat in enumerate(["办公用品", "维修材料", "设备", "食堂", "其他"])]
    )
    by_year = {}
    for line in lines:
        by_year.setdefault(line.year, []).append(line)
    states = ["reimbursed"] * 10 + ["received"] * 2 + ["ordered"] * 2 + ["approved", "rejected", "submitted", "submitted", "draft"]
    order_of = ["draft", "submitted", "approved", "ordered", "received", "reimbursed"]
    n = ctx["sizes"]["purchases"]
    requests = []
    for i in range(n):
        age = dt.timedelta(days=(n - i) * 1460 / n)
        status = rng.choice(states) if age.days < 400 else rng.choice(["reimbursed"] * 8 + ["rejected"])
        when = now - age
        year = max(this_year - 4, when.year)
        requests.append(PurchaseRequest(
            school=big, title=f"采购申请{i:05d}", reason="教学/后勤需要", budget_line=rng.choice(by_year[year]),
            requester=rng.choice([staff, director, users[Role.CANTEEN_MANAGER]]), status=status,
            submitted_at=when if status != "draft" else None,
            decided_at=when + dt.timedelta(days=1) if status not in ("draft", "submitted") else None,
            ordered_at=when + dt.timedelta(days=2) if status in ("ordered", "received", "reimbursed") else None,
            received_at=when + dt.timedelta(days=5) if status in ("received", "reimbursed") else None,
            invoice_number=f"FP{i:08d}" if status == "reimbursed" else "",
            paid_on=(when + dt.timedelta(days=7)).date() if status == "reimbursed" else None,
            reimbursed_by=accountant if status == "reimbursed" else None,
        ))
    requests = PurchaseRequest.objects.bulk_create(requests, batch_size=BATCH)
    items, quotes, steps, events = [], [], [], []
    for pr in requests:
        total = Decimal(0)
        for k in range(rng.randint(1, 5)):
            qty, price = Decimal(rng.randint(1, 20)), Decimal(rng.choice([15, 80, 300, 1200, 4500]))
            total += qty * price
            items.append(PurchaseItem(purchase=pr, name=f"物品{k}", quantity=qty, unit="个", unit_price=price,
                                      received_quantity=qty if pr.status in ("received", "reimbursed") else Decimal(0)))
        pr.total = total
        if pr.status == "reimbursed":
            pr.invoice_amount = total
        if total >= 10_000:
            for q in range(3):
                quotes.append(Quote(purchase=pr, supplier=f"供应商{q}", amount=total + q * 100, chosen=q == 0))
        if pr.status == "draft":
            events.append(PurchaseEvent(purchase=pr, kind="created", to_status="draft", by=pr.requester))
            continue
        kinds = ["director"] + (["principal"] if total >= 5_000 else [])
        for order, kind in enumerate(kinds, start=1):
            decided = pr.status not in ("submitted",)
            st = ("rejected" if pr.status == "rejected" and order == len(kinds) else "approved") if decided else "pending"
            steps.append(ApprovalStep(purchase=pr, order=order, kind=kind, status=st))
        events.append(PurchaseEvent(purchase=pr, kind="created", to_status="draft", by=pr.requester))
        events.append(PurchaseEvent(purchase=pr, kind="submitted", from_status="draft", to_status="submitted", by=pr.requester))
        reached = order_of.index(pr.status) if pr.status in order_of else 1
        prev = "submitted"
        for st in order_of[2:reached + 1]:
            events.append(PurchaseEvent(purchase=pr, kind=st if st != "received" else "received", from_status=prev, to_status=st, by=director))
            prev = st
        if pr.status == "rejected":
            events.append(PurchaseEvent(purchase=pr, kind="rejected", from_status="submitted", to_status="rejected", by=director))
    PurchaseRequest.objects.bulk_update(requests, ["total", "invoice_amount"], batch_size=BATCH)
    PurchaseItem.objects.bulk_create(items, batch_size=BATCH)
    Quote.objects.bulk_create(quotes, batch_size=BATCH)
    steps = ApprovalStep.objects.bulk_create(steps, batch_size=BATCH)
    PurchaseApproval.objects.bulk_create(
        [PurchaseApproval(purchase_id=s.purchase_id, step=s, by=director if s.kind == "director" else principal, decision=s.status)
         for s in steps if s.status != "pending"], batch_size=BATCH)
    PurchaseEvent.objects.bulk_create(events, batch_size=BATCH)
    ctx["ids"]["purchase"] = next(p.pk for p in reversed(requests) if p.status == "reimbursed")
    ctx["ids"]["purchase_pending"] = next((p.pk for p in reversed(requests) if p.status == "submitted"), requests[-1].pk)
