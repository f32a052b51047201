import pytest


@pytest.fixture(autouse=True)
def canteen_reference_data(request):
    """The national tables come from a data migration; a transactional test elsewhere flushes
    them from a reused test database, so put back whatever is missing (idempotent)."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db") if "transactional_db" not in request.fixturenames else None
    from canteen.composition import load_reference_data
    from canteen.models import DisinfectionMethod, Ingredient, NutrientReference

    if not (DisinfectionMethod.objects.exists() and Ingredient.objects.filter(school__isnull=True).exists()):
        load_reference_data(Ingredient, NutrientReference, DisinfectionMethod)
