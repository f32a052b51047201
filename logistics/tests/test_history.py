"""The audit trail: every change of a business record is on its detail page (who, when, what)."""
import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from logistics.roles import Role
from logistics.tests.factories import RoomFactory, member

pytestmark = pytest.mark.django_db


def test_room_edit_shows_who_changed_which_field_from_what_to_what(client, school):
    room = RoomFactory(school=school, name="音乐室", number="401")
    staff = member(Role.LOGISTICS_STAFF, school, full_name="李干事")
    client.force_login(staff)
    response = client.post(f"/rooms/{room.pk}/edit/", {"building": room.building_id, "name": "合唱室", "number": "401", "kind": "special"})
    assert response.status_code == 302
    page = client.get(f"/rooms/{room.pk}/").content.decode()
    panel = page[page.index('data-testid="history"'):]
    assert "李干事" in panel and "名称" in panel
    assert "<del>音乐室</del> → 合唱室" in panel


def test_history_panel_costs_the_same_queries_for_one_change_or_twenty(client, school):
    room = RoomFactory(school=school, name="教室0")
    client.force_login(member(Role.TEACHER, school))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/rooms/{room.pk}/").status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for i in range(1, 21):
        room.name = f"教室{i}"
        room.save()
    assert queries() == one
