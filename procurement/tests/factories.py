from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from logistics.tests.factories import SchoolFactory, UserFactory
from procurement.models import BudgetLine, PurchaseItem, PurchaseRequest, Quote


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    school = factory.SubFactory(SchoolFactory)
    year = 2026
    code = factory.Sequence(lambda n: f"B{n:03d}")
    name = factory.Sequence(lambda n: f"办公用品{n}")
    category = "办公用品"
    amount = Decimal("100000")


class PurchaseRequestFactory(DjangoModelFactory):
    class Meta:
        model = PurchaseRequest

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"采购粉笔{n}")
    reason = "教学需要"
    budget_line = factory.SubFactory(BudgetLineFactory, school=factory.SelfAttribute("..school"))
    requester = factory.SubFactory(UserFactory)


class PurchaseItemFactory(DjangoModelFactory):
    class Meta:
        model = PurchaseItem

    purchase = factory.SubFactory(PurchaseRequestFactory)
    name = "粉笔"
    spec = "白色 50支/盒"
    quantity = Decimal("10")
    unit = "盒"
    unit_price = Decimal("20")


class QuoteFactory(DjangoModelFactory):
    class Meta:
        model = Quote

    purchase = factory.SubFactory(PurchaseRequestFactory)
    supplier = factory.Sequence(lambda n: f"供应商{n}")
    amount = Decimal("1000")
