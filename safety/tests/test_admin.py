import pytest

from logistics.tests.factories import UserFactory
from safety.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_plans(client, school):
    plan = PlanFactory(school=school, name="每日放学关门检查")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/safety/inspectionplan/")
    assert page.status_code == 200 and plan.name in page.content.decode()
