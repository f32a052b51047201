from decimal import Decimal

import pytest
from django.test import RequestFactory

from logistics.roles import Role
from procurement import services
from procurement.home import cards
from procurement.tests.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db


def _request(user, school):
    """A fresh user object each time, so no cached membership hides a query."""
    r = RequestFactory().get("/")
    r.user, r.school = type(user).objects.get(pk=user.pk), school
    return r


def _submitted(school, staff, n):
    line = BudgetLineFactory(school=school)
    for i in range(n):
        p = services.create_purchase(school=school, by=staff, title=f"t{i}", reason="r", budget_line=line,
                                     items=[{"name": "x", "quantity": Decimal("1"), "unit": "个", "unit_price": Decimal("10")}])
        services.submit_purchase(p, by=staff)


def test_director_card_lists_approvals_with_fixed_queries(school, make_member, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    _submitted(school, staff, 2)
    with CaptureQueriesContext(connection) as small:
        out = cards(_request(director, school))
    assert out[0].count == 2
    _submitted(school, staff, 7)
    with django_assert_num_queries(len(small)):
        out = cards(_request(director, school))
    assert out[0].count == 9 and len(out[0].items) == 5
    mine = cards(_request(staff, school))
    assert mine[0].count == 9


def test_teacher_gets_no_procurement_cards(school, make_member):
    assert cards(_request(make_member(Role.TEACHER), school)) == []
