import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from logistics.roles import Role
from procurement import services
from procurement.choices import AttachmentKind, PurchaseStatus, StepKind
from procurement.models import ApprovalPolicy, PurchaseApproval, PurchaseEvent
from procurement.tests.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%minimal\n"


def draft(school, requester, *, price="20", qty="10", line=None):
    line = line or BudgetLineFactory(school=school)
    return services.create_purchase(
        school=school, by=requester, title="粉笔", reason="教学需要", budget_line=line,
        items=[{"name": "粉笔", "spec": "白色", "quantity": Decimal(qty), "unit": "盒", "unit_price": Decimal(price)}],
    )


def with_quotes(p, by, amounts=("1200", "1100", "1300"), chosen=1):
    for i, a in enumerate(amounts):
        services.add_quote(p, by=by, supplier=f"供应商{i}", amount=Decimal(a), chosen=(i == chosen))


def test_total_is_computed_from_items(school, make_member):
    p = draft(school, make_member(Role.LOGISTICS_STAFF), price="12.50", qty="4")
    services.add_item(p, by=p.requester, name="板擦", quantity=Decimal("2"), unit="个", unit_price=Decimal("5"))
    p.refresh_from_db()
    assert p.total == Decimal("60.00")


def test_small_purchase_director_only(school, make_member):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    p = draft(school, staff)
    services.submit_purchase(p, by=staff)
    assert [s.kind for s in p.steps.all()] == [StepKind.DIRECTOR]
    services.approve_purchase(p, by=director)
    p.refresh_from_db()
    assert p.status == PurchaseStatus.APPROVED
    assert not p.needs_principal()
    kinds = list(PurchaseEvent.objects.filter(purchase=p).values_list("kind", flat=True))
    assert kinds == ["created", "submitted", "approved"]


def test_purchase_over_threshold_needs_three_quotes_before_submission(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    p = draft(school, staff, price="100", qty="12")  # 1200
    with pytest.raises(ValidationError, match="quotes"):
        services.submit_purchase(p, by=staff)
    with_quotes(p, staff, chosen=2)  # not the cheapest
    with pytest.raises(ValidationError, match="cheapest"):
        services.submit_purchase(p, by=staff)
    p.quote_justification = "售后更好"
    p.save()
    services.submit_purchase(p, by=staff)
    assert p.status == PurchaseStatus.SUBMITTED


def test_purchase_over_threshold_waits_for_principal(school, make_member):
    staff, director, principal = (make_member(r) for r in (Role.LOGISTICS_STAFF, Role.LOGISTICS_DIRECTOR, Role.PRINCIPAL))
    p = draft(school, staff, price="100", qty="12")
    with_quotes(p, staff)
    services.submit_purchase(p, by=staff)
    services.approve_purchase(p, by=director)
    p.refresh_from_db()
    assert p.status == PurchaseStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.approve_purchase(p, by=make_member(Role.LOGISTICS_DIRECTOR))
    services.approve_purchase(p, by=principal)
    p.refresh_from_db()
    assert p.status == PurchaseStatus.APPROVED
    assert p.needs_principal()


def test_collective_needs_minutes_and_tender(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    p = draft(school, staff, price="60000", qty="1", line=BudgetLineFactory(school=school, amount=Decimal("500000")))
    with_quotes(p, staff, amounts=("60000", "61000", "62000"), chosen=0)
    with pytest.raises(ValidationError) as exc:
        services.submit_purchase(p, by=staff)
    assert any("minutes" in m for m in exc.value.messages)
    assert any("tender" in m for m in exc.value.messages)
    services.add_attachment(p, by=staff, kind=AttachmentKind.MINUTES,
                            file=SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf"))
    p.tender_record = "公开招标，三家投标"
    p.save()
    services.submit_purchase(p, by=staff)
    assert [s.kind for s in p.steps.all()] == [StepKind.DIRECTOR, StepKind.PRINCIPAL, StepKind.COLLECTIVE]


def test_attachment_type_is_checked_by_content(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    p = draft(school, staff)
    with pytest.raises(ValidationError):
        services.add_attachment(p, by=staff, kind=AttachmentKind.OTHER,
                                file=SimpleUploadedFile("fake.pdf", b"not a pdf", content_type="application/pdf"))


def test_path_is_fixed_at_submission(school, make_member):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    p = draft(school, staff, price="50", qty="10")  # 500
    services.submit_purchase(p, by=staff)
    policy = ApprovalPolicy.for_school(school)
    policy.principal_threshold = Decimal("100")
    policy.save()
    services.approve_purchase(p, by=director)
    p.refresh_from_db()
    assert p.status == PurchaseStatus.APPROVED


def test_over_budget_needs_principal(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    p = draft(school, staff, price="50", qty="10", line=BudgetLineFactory(school=school, amount=Decimal("300")))
    services.submit_purchase(p, by=staff)
    assert p.over_budget
    assert [s.kind for s in p.steps.all()] == [StepKind.DIRECTOR, StepKind.PRINCIPAL]


def test_nobody_approves_own_request(school, make_member):
    director = make_member(Role.LOGISTICS_DIRECTOR)
    p = draft(school, director)
    services.submit_purchase(p, by=director)
    with pytest.raises(ValidationError, match="someone else"):
        services.approve_purchase(p, by=director)


def test_approver_of_one_step_cannot_sign_the_next(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    both = make_member(Role.LOGISTICS_DIRECTOR)
    from logistics.tests.factories import MembershipFactory

    MembershipFactory(user=both, school=school, role=Role.PRINCIPAL)
    p = draft(school, staff, price="100", qty="12")
    with_quotes(p, staff)
    services.submit_purchase(p, by=staff)
    services.approve_purchase(p, by=both)
    with pytest.raises(ValidationError):
        services.approve_purchase(p, by=both)


def test_rejection_needs_reason_and_ends_request(school, make_member):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    p = draft(school, staff)
    services.submit_purchase(p, by=staff)
    with pytest.raises(ValidationError):
        services.reject_purchase(p, by=director, note=" ")
    services.reject_purchase(p, by=director, note="库存充足")
    p.refresh_from_db()
    assert p.status == PurchaseStatus.REJECTED


def test_approval_record_is_immutable(school, make_member):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    p = draft(school, staff)
    services.submit_purchase(p, by=staff)
    approval = services.approve_purchase(p, by=director, note="同意")
    approval.note = "改"
    with pytest.raises(ValidationError):
        approval.save()
    with pytest.raises(ValidationError):
        approval.delete()
    assert PurchaseApproval.objects.get(pk=approval.pk).note == "同意"


def test_submitted_request_cannot_be_edited(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    p = draft(school, staff)
    services.submit_purchase(p, by=staff)
    with pytest.raises(ValidationError):
        services.add_item(p, by=staff, name="x", quantity=Decimal("1"), unit="个", unit_price=Decimal("1"))


def test_receiving_signed_by_two_people_and_reimbursed(school, make_member):
    staff, staff2, director, acc = (make_member(r) for r in (Role.LOGISTICS_STAFF, Role.LOGISTICS_STAFF,
                                                            Role.LOGISTICS_DIRECTOR, Role.ACCOUNTANT))
    p = draft(school, staff)
    services.submit_purchase(p, by=staff)
    services.approve_purchase(p, by=director)
    services.order_purchase(p, by=staff)
    item = p.items.get()
    with pytest.raises(ValidationError):
        services.record_receipt(p, by=staff, quantities={item.pk: "11"})
    services.record_receipt(p, by=staff, quantities={item.pk: "10"})
    with pytest.raises(ValidationError, match="two different"):
        services.countersign_receipt(p, by=staff)
    services.countersign_receipt(p, by=staff2)
    p.refresh_from_db()
    item.refresh_from_db()
    assert p.status == PurchaseStatus.RECEIVED and item.received_quantity == Decimal("10")
    invoice = SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.reimburse_purchase(p, by=acc, invoice_number="", invoice_amount=Decimal("200"),
                                    paid_on=dt.date(2026, 11, 20), invoice_file=invoice)
    from logistics.tests.factories import MembershipFactory

    MembershipFactory(user=staff, school=school, role=Role.ACCOUNTANT)  # also the accountant: still not their own
    staff = type(staff).objects.get(pk=staff.pk)
    with pytest.raises(ValidationError, match="own request"):
        services.reimburse_purchase(p, by=staff, invoice_number="No.123", invoice_amount=Decimal("200"),
                                    paid_on=dt.date(2026, 11, 20), invoice_file=invoice)
    services.reimburse_purchase(p, by=acc, invoice_number="No.123", invoice_amount=Decimal("200"),
                                paid_on=dt.date(2026, 11, 20), invoice_file=invoice)
    p.refresh_from_db()
    assert p.status == PurchaseStatus.REIMBURSED and p.paid_on == dt.date(2026, 11, 20)


@pytest.mark.parametrize("status", [PurchaseStatus.DRAFT, PurchaseStatus.REJECTED, PurchaseStatus.REIMBURSED])
def test_cannot_order_from_wrong_status(school, make_member, status):
    staff = make_member(Role.LOGISTICS_STAFF)
    p = draft(school, staff)
    p.status = status
    p.save()
    with pytest.raises(ValidationError):
        services.order_purchase(p, by=staff)


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_only_one_signs(postgres, school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    d1, d2 = make_member(Role.LOGISTICS_DIRECTOR), make_member(Role.LOGISTICS_DIRECTOR)
    p = draft(school, staff)
    services.submit_purchase(p, by=staff)
    barrier = threading.Barrier(2)
    results = []

    def sign(user):
        from procurement.models import PurchaseRequest

        try:
            mine = PurchaseRequest.objects.get(pk=p.pk)
            barrier.wait(timeout=5)
            services.approve_purchase(mine, by=user)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(u,)) for u in (d1, d2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert PurchaseApproval.objects.filter(purchase=p).count() == 1
    assert PurchaseEvent.objects.filter(purchase=p, kind="approved").count() == 1
