"""The audit trail: every change of a business record is on its detail page (who, when, what).

The panel is folded on the page and its rows come from ``?fragment=history`` on the same URL, so
the page costs no history query and the fragment is refused to whoever the page is refused to.
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logistics.roles import Role
from logistics.tests.factories import RoomFactory, member
from repairs.tests.factories import RepairFactory

pytestmark = pytest.mark.django_db


def history_queries(ctx) -> int:
    return sum('_historical' in q["sql"] for q in ctx.captured_queries)  # e.g. "logistics_historicalroom"


def test_room_edit_shows_who_changed_which_field_from_what_to_what(client, school):
    room = RoomFactory(school=school, name="音乐室", number="401")
    staff = member(Role.LOGISTICS_STAFF, school, full_name="李干事")
    client.force_login(staff)
    response = client.post(f"/rooms/{room.pk}/edit/", {"building": room.building_id, "name": "合唱室", "number": "401", "kind": "special"})
    assert response.status_code == 302
    page = client.get(f"/rooms/{room.pk}/").content.decode()
    panel = page[page.index('data-testid="history"'):]
    assert f'hx-get="/rooms/{room.pk}/?fragment=history"' in panel and "李干事" not in panel  # folded: fetched when opened
    rows = client.get(f"/rooms/{room.pk}/?fragment=history").content.decode()
    assert "<html" not in rows and 'data-testid="history-rows"' in rows
    assert "李干事" in rows and "名称" in rows and "<del>音乐室</del> → 合唱室" in rows
    # Without script: the link writes the rows into the page itself, open.
    shown = client.get(f"/rooms/{room.pk}/?show_history=1").content.decode()
    assert "<del>音乐室</del> → 合唱室" in shown[shown.index('data-testid="history"'):] and "<details" in shown


def test_the_page_reads_no_history_and_the_fragment_one_query_for_one_change_or_twenty(client, school):
    room = RoomFactory(school=school, name="教室0")
    client.force_login(member(Role.TEACHER, school))

    def queries(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries), history_queries(ctx)

    page, fragment = queries(f"/rooms/{room.pk}/"), queries(f"/rooms/{room.pk}/?fragment=history")
    assert page[1] == 0 and fragment[1] == 1
    for i in range(1, 21):
        room.name = f"教室{i}"
        room.save()
    assert queries(f"/rooms/{room.pk}/") == page and queries(f"/rooms/{room.pk}/?fragment=history") == fragment


def test_the_fragment_is_refused_to_whoever_the_page_is_refused_to(client, school, other_school):
    """A teacher opens only their own tickets: another's ticket, page or history, is 404; a room of
    another school too; a parent (no role for rooms) gets 403."""
    mine = member(Role.TEACHER, school)
    theirs = RepairFactory(school=school, reporter=member(Role.TEACHER, school))
    own = RepairFactory(school=school, reporter=mine)
    elsewhere = RoomFactory(school=other_school)
    client.force_login(mine)
    for path in (theirs.get_absolute_url(), f"/rooms/{elsewhere.pk}/"):
        assert client.get(path).status_code == 404
        assert client.get(path + "?fragment=history").status_code == 404
        assert client.get(path + "?show_history=1").status_code == 404
    assert client.get(own.get_absolute_url() + "?fragment=history").status_code == 200
    client.force_login(member(Role.PARENT, school))
    assert client.get(own.get_absolute_url() + "?fragment=history").status_code in (403, 404)


@pytest.mark.parametrize("view", ["assets.views.AssetDetailView", "assets.views_stocktake.StocktakeDetailView",
                                  "assets.views_store.StoreItemDetailView", "logistics.views.RoomDetailView",
                                  "repairs.views.RepairDetailView", "safety.views.hazards.HazardDetailView",
                                  "procurement.views.purchases.PurchaseDetailView", "canteen.views.menus.DishDetailView",
                                  "canteen.views.menus.MenuDetailView", "canteen.views.accounts.AccountDetailView",
                                  "canteen.views.safety.ReceivingDetailView"])
def test_every_page_with_the_panel_answers_its_fragment(view):
    """The panel's rows come from the view it is on: a page showing the panel must answer ?fragment=history."""
    from importlib import import_module

    module, name = view.rsplit(".", 1)
    cls = getattr(import_module(module), name)
    assert cls.history_panel is True
    template = cls.template_name or f"{cls.model._meta.app_label}/{cls.model._meta.model_name}_detail.html"
    from django.template.loader import get_template

    assert "history_panel" in get_template(template).template.source
