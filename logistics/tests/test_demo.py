import pytest
from django.apps import apps
from django.core.management import call_command

from logistics.demo import DEMO_USERS
from logistics.models import Membership, User
from logistics.roles import Role

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("logistics", "assets", "repairs", "canteen", "safety", "procurement")


def _row_counts() -> dict[str, int]:
    """Rows of every model of the project (audit-history tables aside: re-saving a setting with
    the same values may add a history row, which changes nothing a user sees)."""
    return {m._meta.label: m._default_manager.count() for name in PROJECT_APPS for m in apps.get_app_config(name).get_models()
            if not m.__name__.startswith("Historical")}


def test_seed_demo_gives_every_role_a_user_and_a_second_run_adds_nothing_anywhere():
    call_command("seed_demo")
    first = _row_counts()
    assert first["repairs.Repair"] and first["assets.Asset"] and first["safety.Hazard"]  # each app added its demo
    call_command("seed_demo")
    second = _row_counts()
    assert second == first, {k: (first[k], second[k]) for k in first if first[k] != second[k]}
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert {u for u, _n, _r in DEMO_USERS} <= set(User.objects.values_list("username", flat=True))
