"""Budget lines per year (who may set them, never below what is committed) and the approval policy
(the principal's; requests in flight keep their path)."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from logistics.roles import Role
from procurement import services
from procurement.choices import PurchaseStatus, StepKind
from procurement.models import ApprovalPolicy, BudgetLine
from procurement.tests.factories import BudgetLineFactory, PurchaseRequestFactory

pytestmark = pytest.mark.django_db


def test_accountant_sets_budget_lines_and_the_rules_hold(school, other_school, make_member):
    acc = make_member(Role.ACCOUNTANT)
    line = services.save_budget_line(school, by=acc, year=2026, code="JX01", name="教学设备", category="设备",
                                     amount="80000")
    assert (line.school, line.amount) == (school, Decimal("80000.00"))
    with pytest.raises(ValidationError) as exc:
        services.save_budget_line(school, by=acc, year=2026, code="JX01", name="重复", category="设备", amount="1")
    assert "code" in exc.value.error_dict
    PurchaseRequestFactory(school=school, budget_line=line, status=PurchaseStatus.APPROVED, total=Decimal("30000"))
    with pytest.raises(ValidationError) as exc:
        services.save_budget_line(school, by=acc, line=line, year=2026, code="JX01", name="教学设备", category="设备",
                                  amount="20000")
    assert "amount" in exc.value.error_dict
    services.save_budget_line(school, by=acc, line=line, year=2026, code="JX01", name="教学设备", category="设备",
                              amount="30000")
    with pytest.raises(PermissionDenied):
        services.save_budget_line(school, by=make_member(Role.LOGISTICS_STAFF), year=2026, code="X", name="x",
                                  category="x", amount="1")
    with pytest.raises(ValidationError):
        services.save_budget_line(other_school, by=make_member(Role.ACCOUNTANT, other_school), line=line, year=2026,
                                  code="JX01", name="x", category="x", amount="1")


def test_budget_screens_keep_input_on_error_and_check_roles(school, other_school, login_as):
    acc = login_as(Role.ACCOUNTANT)
    BudgetLineFactory(school=school, year=2026, code="BG01")
    data = {"year": "2026", "code": "BG01", "name": "办公用品（追加）", "category": "办公", "amount": "5000"}
    r = acc.post(reverse("procurement:budgetline_create"), data)
    assert r.status_code == 200 and "办公用品（追加）" in r.content.decode()
    assert r.context["form"].errors["code"]
    r = acc.post(reverse("procurement:budgetline_create"), {**data, "code": "BG02"})
    assert r.status_code == 302 and BudgetLine.objects.filter(school=school, code="BG02").exists()
    theirs = BudgetLineFactory(school=other_school)
    assert acc.get(reverse("procurement:budgetline_update", args=[theirs.pk])).status_code == 404
    assert login_as(Role.LOGISTICS_STAFF).get(reverse("procurement:budgetline_create")).status_code == 403


def test_policy_change_applies_to_new_requests_only(school, login_as, make_member):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    line = BudgetLineFactory(school=school)

    def submitted():
        p = services.create_purchase(school=school, by=staff, title="椅子", reason="r", budget_line=line,
                                     items=[{"name": "椅子", "quantity": Decimal("5"), "unit": "把", "unit_price": Decimal("100")}])
        services.submit_purchase(p, by=staff)
        return p

    before = submitted()  # ¥500: the director alone
    principal = login_as(Role.PRINCIPAL)
    r = principal.post(reverse("procurement:policy_edit"), {"principal_threshold": "400", "collective_threshold": "300",
                                                            "min_quotes": "2"})
    assert r.status_code == 200 and r.context["form"].errors["collective_threshold"]
    r = principal.post(reverse("procurement:policy_edit"), {"principal_threshold": "400", "collective_threshold": "30000",
                                                            "min_quotes": "0"})
    assert r.context["form"].errors["min_quotes"]
    r = principal.post(reverse("procurement:policy_edit"), {"principal_threshold": "400", "collective_threshold": "30000",
                                                            "min_quotes": "2"})
    assert r.status_code == 302
    policy = ApprovalPolicy.objects.get(school=school)
    assert (policy.principal_threshold, policy.min_quotes) == (Decimal("400"), 2)
    services.approve_purchase(before, by=director)
    before.refresh_from_db()
    assert before.status == PurchaseStatus.APPROVED  # its path was fixed at submission
    p = services.create_purchase(school=school, by=staff, title="椅子", reason="r", budget_line=line,
                                 items=[{"name": "椅子", "quantity": Decimal("5"), "unit": "把", "unit_price": Decimal("100")}])
    with translation.override("en"), pytest.raises(ValidationError, match="2 supplier quotes"):
        services.submit_purchase(p, by=staff)  # (a request above switched the active language)
    assert login_as(Role.ACCOUNTANT).get(reverse("procurement:policy_edit")).status_code == 403


def test_budget_line_remaining_shows_on_the_new_request_form(school, login_as):
    line = BudgetLineFactory(school=school, amount=Decimal("1000"), name="卫生用品")
    PurchaseRequestFactory(school=school, budget_line=line, status=PurchaseStatus.SUBMITTED, total=Decimal("250"))
    page = login_as(Role.LOGISTICS_STAFF).get(reverse("procurement:purchase_create")).content.decode()
    assert "卫生用品" in page and "750.00" in page


def test_over_budget_at_submission_adds_the_principal(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    line = BudgetLineFactory(school=school, amount=Decimal("600"))
    PurchaseRequestFactory(school=school, budget_line=line, status=PurchaseStatus.REIMBURSED, total=Decimal("300"))
    p = services.create_purchase(school=school, by=staff, title="t", reason="r", budget_line=line,
                                 items=[{"name": "x", "quantity": Decimal("4"), "unit": "个", "unit_price": Decimal("100")}])
    services.submit_purchase(p, by=staff)
    assert p.over_budget and [s.kind for s in p.steps.all()] == [StepKind.DIRECTOR, StepKind.PRINCIPAL]
