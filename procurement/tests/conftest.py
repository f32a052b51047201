import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are matched in English; the catalogue itself is tested by test_i18n."""
    with translation.override("en"):
        yield
