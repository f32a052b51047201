import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from canteen.tests.factories import ReceivingFactory
from logistics.home import HomeCard

pytestmark = pytest.mark.django_db


def test_manager_home_card_lists_receiving_to_sign_with_fixed_queries(login_as, school):
    from canteen.home import cards
    from django.test import RequestFactory

    c = login_as("canteen_manager")
    warm = RequestFactory().get("/")
    warm.user, warm.school = c.user, school
    cards(warm)
    counts = []
    for n in (1, 4):
        ReceivingFactory.create_batch(n, school=school, item="面粉")
        req = RequestFactory().get("/")
        req.user, req.school = c.user, school
        with CaptureQueriesContext(connection) as ctx:
            result = cards(req)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert isinstance(result[0], HomeCard) and any("面粉" in i.label for i in result[0].items)


def test_parent_home_shows_the_canteen_card_and_nav(login_as):
    c = login_as("parent")
    page = c.get(reverse("home")).content.decode()
    assert reverse("canteen:parent_home") in page
    assert reverse("canteen:menu_list") not in page
