"""Factories of the assets app, built on the shared core's."""
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from assets.categories import load_national_categories
from assets.choices import AssetClass, AssetStatus
from assets.models import Asset, Category, StoreItem
from logistics.tests.factories import SchoolFactory


def category(code="A02010105"):
    """A national category; reloads the table if a transactional test elsewhere flushed it."""
    if not Category.objects.filter(school=None, code=code).exists():
        load_national_categories(Category)
    return Category.objects.get(school=None, code=code)


class AssetFactory(DjangoModelFactory):
    class Meta:
        model = Asset

    school = factory.SubFactory(SchoolFactory)
    number = factory.Sequence(lambda n: f"T{n:06d}")
    name = factory.Sequence(lambda n: f"台式计算机{n}")
    category = factory.LazyFunction(category)
    unit = "台"
    unit_price = Decimal("4500.00")
    original_value = factory.SelfAttribute("unit_price")
    current_value = factory.SelfAttribute("unit_price")
    asset_class = AssetClass.FIXED
    status = AssetStatus.IN_USE


class StoreItemFactory(DjangoModelFactory):
    class Meta:
        model = StoreItem

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"灯管{n}")
    spec = "T8 18W"
    unit = "支"
    unit_price = Decimal("12.50")
    stock = Decimal("0")
    low_stock_threshold = Decimal("5")
