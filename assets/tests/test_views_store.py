"""Store-room pages: permissions (403/404) and a fixed number of queries."""
import pytest
from django.urls import reverse

from assets import services
from assets.tests.factories import StoreItemFactory
from logistics.roles import Role

pytestmark = pytest.mark.django_db


def test_store_list_query_count_does_not_grow(login_as, school, django_assert_num_queries):
    client = login_as(Role.LOGISTICS_STAFF)
    StoreItemFactory(school=school)
    url = reverse("assets:storeitem_list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    StoreItemFactory.create_batch(30, school=school)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_store_item_other_school_is_404_and_wrong_role_403(login_as, school, other_school, make_member):
    client = login_as(Role.LOGISTICS_STAFF)
    item = StoreItemFactory(school=school)
    services.receive_stock(item, quantity=3, by=client.user)
    assert client.get(reverse("assets:storeitem_detail", args=[item.pk])).status_code == 200
    other = StoreItemFactory(school=other_school)
    assert client.get(reverse("assets:storeitem_detail", args=[other.pk])).status_code == 404
    parent = login_as(Role.PARENT)
    assert parent.get(reverse("assets:storeitem_list")).status_code == 403
    assert parent.get(reverse("assets:storeitem_detail", args=[item.pk])).status_code == 403
