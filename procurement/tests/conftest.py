import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are matched in English; the catalogue itself is tested by test_i18n."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _asset_categories(request):
    """The national asset category table, which receiving registers assets against (a
    transactional test elsewhere may have flushed the migration's rows)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from assets.tests.factories import category

    category()
