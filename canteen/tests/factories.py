"""Factories for the canteen's tests, on top of the shared core's."""
import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from canteen import models as m
from canteen.choices import Meal
from logistics.tests.factories import SchoolFactory, UserFactory


class IngredientFactory(DjangoModelFactory):
    class Meta:
        model = m.Ingredient

    school = None
    name = factory.Sequence(lambda n: f"食材{n}")
    energy_kcal = Decimal("100")
    protein_g = Decimal("10")
    fat_g = Decimal("2")
    carbohydrate_g = Decimal("10")
    calcium_mg = Decimal("20")
    iron_mg = Decimal("1")
    vitamin_a_ug = Decimal("10")
    vitamin_c_mg = Decimal("5")


class DishFactory(DjangoModelFactory):
    class Meta:
        model = m.Dish

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"菜品{n}")


class DishIngredientFactory(DjangoModelFactory):
    class Meta:
        model = m.DishIngredient

    dish = factory.SubFactory(DishFactory)
    ingredient = factory.SubFactory(IngredientFactory)
    grams = Decimal("100")


class WeekMenuFactory(DjangoModelFactory):
    class Meta:
        model = m.WeekMenu

    school = factory.SubFactory(SchoolFactory)
    week_start = factory.LazyFunction(lambda: (lambda d: d - dt.timedelta(days=d.weekday()) + dt.timedelta(days=7))(timezone.localdate()))
    created_by = factory.SubFactory(UserFactory)


class SupplierFactory(DjangoModelFactory):
    class Meta:
        model = m.Supplier

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"供应商{n}")
    licence_number = factory.Sequence(lambda n: f"JY1{n:013d}")
    licence_expiry = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))


class ReceivingFactory(DjangoModelFactory):
    class Meta:
        model = m.Receiving

    school = factory.SubFactory(SchoolFactory)
    supplier = factory.SubFactory(SupplierFactory, school=factory.SelfAttribute("..school"))
    received_on = factory.LazyFunction(timezone.localdate)
    item = "大米"
    quantity = Decimal("10")
    unit_price = Decimal("5.00")
    amount = Decimal("50.00")
    checked_by = factory.SubFactory(UserFactory)


class MealSampleFactory(DjangoModelFactory):
    class Meta:
        model = m.MealSample

    school = factory.SubFactory(SchoolFactory)
    day = factory.LazyFunction(timezone.localdate)
    meal = Meal.LUNCH
    dish = factory.SubFactory(DishFactory, school=factory.SelfAttribute("..school"))
    weight_g = Decimal("150")
    fridge_temp_c = Decimal("4")
    taken_at = factory.LazyFunction(timezone.now)
    taken_by = factory.SubFactory(UserFactory)


class MonthAccountFactory(DjangoModelFactory):
    class Meta:
        model = m.MonthAccount

    school = factory.SubFactory(SchoolFactory)
    year = 2026
    month = 10
    students = 500
    days = 20
    price_per_day = Decimal("12.00")
    other_cost = Decimal("0")


class FeedbackFactory(DjangoModelFactory):
    class Meta:
        model = m.Feedback

    school = factory.SubFactory(SchoolFactory)
    author = factory.SubFactory(UserFactory)
    text = "饭菜偏咸"
    reply = "已调整"
    replied_by = factory.SubFactory(UserFactory)
    replied_at = factory.LazyFunction(timezone.now)
