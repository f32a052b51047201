import pytest

from canteen import demo
from canteen.models import MealSample, MenuItem, MonthAccount, Receiving, WeekMenu
from canteen.selectors import month_account
from logistics.tests.factories import member

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_has_a_closed_published_month(school):
    roles = {"canteen": "canteen_manager", "director": "logistics_director", "staff": "logistics_staff", "accountant": "accountant", "parent": "parent"}
    users = {name: member(role, school) for name, role in roles.items()}
    demo.seed(school=school, users=users)
    counts = [m.objects.count() for m in (WeekMenu, MenuItem, Receiving, MealSample, MonthAccount)]
    demo.seed(school=school, users=users)
    assert [m.objects.count() for m in (WeekMenu, MenuItem, Receiving, MealSample, MonthAccount)] == counts
    closed = MonthAccount.objects.get(closed_at__isnull=False)
    figures = month_account(school, closed.year, closed.month)
    assert figures["closed"] and figures["published"] and figures["food_cost"] > 0
    assert counts[0] == 3 and counts[2] > 100
