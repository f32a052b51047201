import pytest

from logistics.roles import Role
from procurement import demo
from procurement.choices import PurchaseStatus
from procurement.models import BudgetLine, Disclosure, PurchaseApproval, PurchaseEvent, PurchaseRequest

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_is_idempotent(school, make_member):
    roles = {"staff": Role.LOGISTICS_STAFF, "staff2": Role.LOGISTICS_STAFF, "director": Role.LOGISTICS_DIRECTOR,
             "principal": Role.PRINCIPAL, "accountant": Role.ACCOUNTANT, "canteen": Role.CANTEEN_MANAGER}
    users = {name: make_member(role) for name, role in roles.items()}
    demo.seed(school=school, users=users)
    counts = [m.objects.count() for m in (BudgetLine, PurchaseRequest, PurchaseApproval, PurchaseEvent, Disclosure)]
    demo.seed(school=school, users=users)
    assert counts == [m.objects.count() for m in (BudgetLine, PurchaseRequest, PurchaseApproval, PurchaseEvent, Disclosure)]
    assert set(PurchaseRequest.objects.values_list("status", flat=True)) == set(PurchaseStatus.values)
    assert PurchaseRequest.objects.filter(quotes__isnull=False).distinct().count() == 1
    assert Disclosure.objects.get().published_at is not None
