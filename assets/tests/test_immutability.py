"""Final records refuse every edit, through services and pages alike, and each refusal is logged
to ``logistics.audit``: written-off assets, confirmed stocktakes, decided write-offs."""
import datetime
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assets import services
from assets.choices import AssetStatus, DamageCause, LineResult, StocktakeStatus, WriteOffStatus
from assets.models import Asset, DamageRecord, Loan, Stocktake, StocktakeSurplus, WriteOff
from assets.tests.factories import AssetFactory, category
from logistics.roles import Role
from logistics.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories(db):
    category()


def refusals(caplog, action):
    return [r for r in caplog.records if r.name == "logistics.audit" and getattr(r, "action", "") == action]


def written_off(school, staff, director):
    asset = AssetFactory(school=school, name="旧投影仪", current_value=Decimal("900"))
    w = services.request_writeoff(asset, reason="灯泡损坏无法维修", by=staff)
    services.decide_writeoff(w, approve=True, by=director)
    return Asset.objects.get(pk=asset.pk), WriteOff.objects.get(pk=w.pk)


def test_written_off_asset_refuses_every_service_and_logs(school, make_member, caplog):
    staff, director, teacher = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR), make_member(Role.TEACHER)
    asset, _w = written_off(school, staff, director)
    record = DamageRecord.objects.create(asset=asset, cause=DamageCause.ACCIDENTAL, liable_person=teacher, value_basis=900,
                                         proposed_amount=900, amount=900, by=staff)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    attempts = {
        "assets.update_asset": lambda: services.update_asset(asset, by=staff, name="改名"),
        "assets.lend_asset": lambda: services.lend_asset(asset, borrower=teacher, due_date=tomorrow, by=staff),
        "assets.record_damage": lambda: services.record_damage(asset, cause=DamageCause.NATURAL, liable_person=None, by=staff),
        "assets.change_damage_amount": lambda: services.change_damage_amount(record, amount="1", reason="减免", by=staff),
        "assets.request_writeoff": lambda: services.request_writeoff(asset, reason="再报废一次", by=staff),
    }
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        for action, attempt in attempts.items():
            with pytest.raises(ValidationError):
                attempt()
            [line] = refusals(caplog, action)
            assert line.user == staff.username and line.school_id == school.pk and line.object == f"assets.Asset:{asset.pk}"
    fresh = Asset.objects.get(pk=asset.pk)
    assert fresh.name == "旧投影仪" and fresh.status == AssetStatus.WRITTEN_OFF
    assert not Loan.objects.exists() and DamageRecord.objects.get().amount == Decimal("900.00")
    assert WriteOff.objects.count() == 1


def test_written_off_asset_pages_refuse_and_keep_the_card(login_as, school, make_member, caplog):
    client = login_as(Role.LOGISTICS_STAFF)
    asset, _w = written_off(school, client.user, make_member(Role.LOGISTICS_DIRECTOR))
    card = client.get(reverse("assets:asset_detail", args=[asset.pk])).content.decode()
    assert reverse("assets:asset_update", args=[asset.pk]) not in card  # no edit button
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        for name in ("asset_update", "asset_lend", "damage_create", "writeoff_request"):
            response = client.get(reverse(f"assets:{name}", args=[asset.pk]), follow=True)
            assert response.redirect_chain[-1][0] == asset.get_absolute_url()
            assert any("报废" in str(m) for m in response.context["messages"])
        response = client.post(reverse("assets:asset_update", args=[asset.pk]),
                               {"name": "偷偷改名", "category": asset.category_id, "unit_price": "1"})
        assert response.status_code == 200 and "偷偷改名" in response.content.decode()  # refused, input kept
    assert len(refusals(caplog, "assets.update_asset")) == 2
    assert refusals(caplog, "assets.lend_asset") and refusals(caplog, "assets.record_damage")
    assert Asset.objects.get(pk=asset.pk).name == asset.name


def test_decided_write_off_cannot_be_decided_again(login_as, school, make_member, caplog):
    staff = make_member(Role.LOGISTICS_STAFF)
    director = login_as(Role.LOGISTICS_DIRECTOR)
    asset = AssetFactory(school=school)
    w = services.request_writeoff(asset, reason="老化", by=staff)
    services.decide_writeoff(w, approve=False, by=director.user, note="还能用")
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        with pytest.raises(ValidationError):
            services.decide_writeoff(WriteOff.objects.get(pk=w.pk), approve=True, by=director.user)
        response = director.post(reverse("assets:writeoff_approve", args=[w.pk]), follow=True)
    assert any("已经决定" in str(m) or "already decided" in str(m) for m in response.context["messages"])
    assert len(refusals(caplog, "assets.decide_writeoff")) == 2
    w.refresh_from_db()
    assert w.status == WriteOffStatus.REJECTED and Asset.objects.get(pk=asset.pk).status == AssetStatus.IN_USE


def test_confirmed_stocktake_refuses_changes(login_as, school, make_member, caplog):
    client = login_as(Role.LOGISTICS_STAFF)
    staff, director = client.user, make_member(Role.LOGISTICS_DIRECTOR)
    room = RoomFactory(school=school)
    AssetFactory.create_batch(2, school=school, room=room)
    st = services.start_stocktake(school, name="期末", by=staff)
    line = st.lines.first()
    services.mark_line(line, result=LineResult.FOUND, by=staff)
    services.close_stocktake(st, by=staff)
    services.confirm_stocktake(Stocktake.objects.get(pk=st.pk), by=director)
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        with pytest.raises(ValidationError):
            services.mark_line(line, result=LineResult.MISSING, by=staff)
        with pytest.raises(ValidationError):
            services.record_surplus(st, name="多出来的椅子", by=staff)
        with pytest.raises(ValidationError):
            services.close_stocktake(st, by=staff)
        with pytest.raises(ValidationError):
            services.confirm_stocktake(Stocktake.objects.get(pk=st.pk), by=director)
        client.post(reverse("assets:stocktakeline_mark", args=[line.pk]), {"result": "missing"})
        client.post(reverse("assets:stocktake_surplus", args=[st.pk]), {"name": "多出来的椅子"})
        assert client.get(reverse("assets:stocktakeline_wrong_room", args=[line.pk])).status_code == 302
    for action in ("assets.mark_line", "assets.record_surplus", "assets.close_stocktake", "assets.confirm_stocktake"):
        assert refusals(caplog, action), action
    assert st.lines.get(pk=line.pk).result == LineResult.FOUND and not StocktakeSurplus.objects.exists()
    assert Stocktake.objects.get(pk=st.pk).status == StocktakeStatus.CONFIRMED


def test_status_changes_are_in_the_asset_history_with_who(school, make_member):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    asset = services.register_asset(school=school, name="钢琴", category_code="A02010105", unit_price="12000", by=staff)
    w = services.request_writeoff(asset, reason="音板开裂", by=staff)
    services.decide_writeoff(w, approve=True, by=director)
    rows = list(Asset.history.model.objects.filter(id=asset.pk).order_by("history_date", "history_id"))
    assert [(r.status, r.history_user_id) for r in rows] == [
        (AssetStatus.IN_USE, staff.pk), (AssetStatus.TO_WRITE_OFF, staff.pk), (AssetStatus.WRITTEN_OFF, director.pk),
    ]
