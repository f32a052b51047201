import pytest
from django.core.management import call_command

from logistics.demo import DEMO_USERS
from logistics.models import Membership, Room, User
from logistics.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_every_role_a_user_and_can_run_twice():
    call_command("seed_demo")
    counts = (User.objects.count(), Membership.objects.count(), Room.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Membership.objects.count(), Room.objects.count()) == counts
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert {u for u, _n, _r in DEMO_USERS} <= set(User.objects.values_list("username", flat=True))
