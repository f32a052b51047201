"""Frozen records: approved/published menus, signed deliveries and closed months refuse every
change, through the services and the views, and each refusal is written to logistics.audit."""
import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from canteen.choices import MenuStatus, ReceivingStatus
from canteen.models import Ingredient, MonthAccount, Receiving
from canteen.nutrition import menu_summary
from canteen.services import accounts, menus, safety
from canteen.tests.factories import DishFactory, DishIngredientFactory, IngredientFactory, MonthAccountFactory, ReceivingFactory, SupplierFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 certificate"


def _monday():
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


@pytest.fixture
def people(make_member):
    return {"manager": make_member("canteen_manager"), "director": make_member("logistics_director"),
            "staff": make_member("logistics_staff"), "accountant": make_member("accountant")}


def _published(school, people, dish, week_start=None):
    menu = menus.create_menu(school=school, week_start=week_start or _monday(), by=people["manager"])
    menus.add_menu_item(menu, day=menu.week_start, meal="lunch", dish=dish, by=people["manager"])
    menus.approve_menu(menu, by=people["director"])
    menus.publish_menu(menu, by=people["manager"])
    return menu


def _audit(caplog, action):
    return [r for r in caplog.records if r.name == "logistics.audit" and getattr(r, "action", None) == action]


# --- menus -------------------------------------------------------------------------------------

def test_published_week_keeps_dishes_and_nutrition_as_approved_when_a_dish_changes(school, people, login_as):
    rice = Ingredient.objects.get(school__isnull=True, code="012401x")  # 116 kcal per 100 g
    dish = menus.save_dish(school=school, by=people["manager"], name="米饭", parts=[(rice, Decimal("200"))])
    menu = _published(school, people, dish)
    before = menu_summary(menu, meals=["lunch"])
    lunch = before["days"][0]["meals"][1]["data"] if before["days"][0]["meals"][0]["data"] is None else before["days"][0]["meals"][0]["data"]
    assert lunch["totals"]["energy_kcal"] == "232.0" and lunch["dishes"][0]["name"] == "米饭"

    menus.save_dish(school=school, by=people["manager"], name="杂粮饭", parts=[(rice, Decimal("300"))], dish=dish)
    menu.refresh_from_db()
    assert menu_summary(menu, meals=["lunch"]) == before  # the published week is frozen as approved
    page = login_as("parent").get(reverse("canteen:parent_home")).content.decode()
    assert "米饭" in page and "杂粮饭" not in page and "232.0" in page and "348.0" not in page

    draft = menus.create_menu(school=school, week_start=_monday() + dt.timedelta(days=7), by=people["manager"])
    menus.add_menu_item(draft, day=draft.week_start, meal="lunch", dish=dish, by=people["manager"])
    live = menu_summary(draft, meals=["lunch"])
    live_lunch = next(m["data"] for m in live["days"][0]["meals"] if m["data"])
    assert live_lunch["totals"]["energy_kcal"] == "348.0" and live_lunch["dishes"][0]["name"] == "杂粮饭"  # drafts are live


def test_sent_back_menu_is_live_again_and_reapproval_freezes_the_new_state(school, people):
    ing = IngredientFactory(energy_kcal=Decimal("100"))
    dish = DishFactory(school=school)
    part = DishIngredientFactory(dish=dish, ingredient=ing, grams=Decimal("100"))
    menu = menus.create_menu(school=school, week_start=_monday() + dt.timedelta(days=7), by=people["manager"])
    menus.add_menu_item(menu, day=menu.week_start, meal="lunch", dish=dish, by=people["manager"])
    menus.approve_menu(menu, by=people["director"])
    assert menu.nutrition_snapshot is not None
    menus.return_menu(menu, by=people["director"], note="换菜")
    menu.refresh_from_db()
    assert menu.status == MenuStatus.DRAFT and menu.nutrition_snapshot is None
    part.grams = Decimal("250")
    part.save()
    menus.approve_menu(menu, by=people["director"])
    menu.refresh_from_db()
    energies = [m["data"]["totals"]["energy_kcal"] for m in menu.nutrition_snapshot["days"][0]["meals"] if m["data"]]
    assert energies == ["250.0"]


@pytest.mark.parametrize("status", [MenuStatus.APPROVED, MenuStatus.PUBLISHED])
def test_adding_or_removing_a_dish_of_an_approved_or_published_menu_is_refused_and_logged(school, people, status, caplog):
    dish = DishFactory(school=school)
    menu = menus.create_menu(school=school, week_start=_monday(), by=people["manager"])
    item = menus.add_menu_item(menu, day=menu.week_start, meal="lunch", dish=dish, by=people["manager"])
    menus.approve_menu(menu, by=people["director"])
    if status == MenuStatus.PUBLISHED:
        menus.publish_menu(menu, by=people["manager"])
    caplog.set_level(logging.WARNING, logger="logistics.audit")
    with pytest.raises(ValidationError):
        menus.add_menu_item(menu, day=menu.week_start, meal="lunch", dish=DishFactory(school=school), by=people["manager"])
    with pytest.raises(ValidationError):
        menus.remove_menu_item(item, by=people["manager"])
    assert menu.items.count() == 1
    add, remove = _audit(caplog, "canteen.menu_item_add"), _audit(caplog, "canteen.menu_item_remove")
    assert len(add) == 1 and len(remove) == 1
    assert add[0].object == f"canteen.WeekMenu:{menu.pk}" and add[0].user == people["manager"].username and add[0].school_id == school.pk


def test_published_menu_edit_through_the_views_is_refused_and_logged(school, people, login_as, caplog):
    dish = DishFactory(school=school)
    menu = _published(school, people, dish)
    item = menu.items.get()
    c = login_as("canteen_manager")
    caplog.set_level(logging.WARNING, logger="logistics.audit")
    r = c.post(reverse("canteen:menu_item_add", args=[menu.pk]), {"day": menu.week_start.isoformat(), "meal": "lunch", "dish": dish.pk})
    assert r.status_code == 302
    c.post(reverse("canteen:menu_item_remove", args=[item.pk]))
    assert menu.items.count() == 1
    assert _audit(caplog, "canteen.menu_item_add") and _audit(caplog, "canteen.menu_item_remove")
    page = c.get(reverse("canteen:menu_detail", args=[menu.pk])).content.decode()
    assert reverse("canteen:menu_item_add", args=[menu.pk]) not in page  # no form on a frozen week
    assert reverse("canteen:menu_item_remove", args=[item.pk]) not in page


# --- receiving ---------------------------------------------------------------------------------

def test_pending_delivery_is_corrected_then_signed_and_final(school, people, login_as, caplog):
    supplier = SupplierFactory(school=school)
    rec = safety.record_receiving(school=school, by=people["manager"], supplier=supplier, received_on=timezone.localdate(),
                                  item="大米", quantity=Decimal("10"), unit_price=Decimal("4.00"))
    with pytest.raises(ValidationError):
        safety.sign_receiving(rec, by=people["staff"])  # no certificate yet
    rec = safety.update_receiving(rec, by=people["manager"], quantity=Decimal("12"), certificate=SimpleUploadedFile("c.pdf", PDF))
    assert rec.amount == Decimal("48.00") and rec.certificate
    safety.sign_receiving(rec, by=people["staff"])
    caplog.set_level(logging.WARNING, logger="logistics.audit")
    for attempt in (
        lambda: safety.update_receiving(rec, by=people["manager"], quantity=Decimal("1")),
        lambda: safety.sign_receiving(rec, by=people["director"]),
        lambda: safety.reject_receiving(rec, by=people["director"], reason="晚了"),
    ):
        with pytest.raises(ValidationError):
            attempt()
    rec.refresh_from_db()
    assert rec.status == ReceivingStatus.ACCEPTED and rec.quantity == Decimal("12.00") and rec.signed_by == people["staff"]
    actions = {r.action for r in caplog.records if r.name == "logistics.audit"}
    assert {"canteen.receiving_edit", "canteen.receiving_sign", "canteen.receiving_reject"} <= actions


def test_delivery_form_corrects_a_pending_record_and_refuses_a_signed_one(school, login_as, caplog):
    first, second = login_as("canteen_manager"), login_as("logistics_staff")
    supplier = SupplierFactory(school=school)
    rec = ReceivingFactory(school=school, supplier=supplier, checked_by=first.user)
    url = reverse("canteen:receiving_update", args=[rec.pk])
    assert "大米" in first.get(url).content.decode()
    data = {"supplier": supplier.pk, "received_on": rec.received_on.isoformat(), "item": "粳米", "quantity": "-1", "unit": "kg",
            "unit_price": "5.00", "shelf_life_days": "180", "batch": "B7"}
    r = first.post(url, data)
    assert r.status_code == 200 and 'value="B7"' in r.content.decode()  # refused, input kept
    r = first.post(url, {**data, "quantity": "20", "certificate": SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf")})
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.item == "粳米" and rec.amount == Decimal("100.00") and rec.batch == "B7" and rec.certificate
    assert second.post(reverse("canteen:receiving_sign", args=[rec.pk])).status_code == 302
    caplog.set_level(logging.WARNING, logger="logistics.audit")
    r = first.get(url)
    assert r.status_code == 302 and r["Location"] == rec.get_absolute_url()
    r = first.post(url, {**data, "quantity": "99"})
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.quantity == Decimal("20.00") and rec.status == ReceivingStatus.ACCEPTED
    assert len(_audit(caplog, "canteen.receiving_edit")) == 2
    page = first.get(rec.get_absolute_url()).content.decode()
    assert url not in page  # no correction button on a signed record


def test_deleting_before_the_retention_end_is_refused_and_logged(school, people, caplog):
    rec = ReceivingFactory(school=school, received_on=dt.date(2025, 3, 1), shelf_life_days=30)
    caplog.set_level(logging.WARNING, logger="logistics.audit")
    with pytest.raises(ValidationError):
        safety.delete_receiving(rec, by=people["manager"], today=dt.date(2027, 2, 28))
    assert Receiving.objects.filter(pk=rec.pk).exists() and _audit(caplog, "canteen.receiving_delete")
    safety.delete_receiving(rec, by=people["manager"], today=dt.date(2027, 3, 1))
    assert not Receiving.objects.filter(pk=rec.pk).exists()


# --- closed months ----------------------------------------------------------------------------

def test_closed_month_refuses_its_account_and_its_deliveries_and_logs_each(school, people, caplog):
    supplier = SupplierFactory(school=school, licence_expiry=dt.date(2030, 1, 1))
    pending = ReceivingFactory(school=school, supplier=supplier, received_on=dt.date(2026, 10, 5), certificate="canteen/certificates/x.pdf")
    account = accounts.open_month(school=school, year=2026, month=10, by=people["accountant"], students=100, days=20, price_per_day=Decimal("10"))
    accounts.close_month(account, by=people["accountant"])
    caplog.set_level(logging.WARNING, logger="logistics.audit")
    with pytest.raises(ValidationError):
        accounts.update_month(account, by=people["accountant"], other_cost=Decimal("5"))
    with pytest.raises(ValidationError):
        safety.record_receiving(school=school, by=people["manager"], supplier=supplier, received_on=dt.date(2026, 10, 20), item="油",
                                quantity=Decimal("1"), unit_price=Decimal("1"))
    with pytest.raises(ValidationError):
        safety.sign_receiving(pending, by=people["staff"])
    with pytest.raises(ValidationError):
        safety.update_receiving(pending, by=people["manager"], quantity=Decimal("2"))
    with pytest.raises(ValidationError):
        accounts.close_month(account, by=people["accountant"])
    actions = [r.action for r in caplog.records if r.name == "logistics.audit"]
    assert actions == ["canteen.account_edit", "canteen.receiving_create", "canteen.receiving_sign", "canteen.receiving_edit", "canteen.account_close"]
    assert MonthAccount.objects.get(pk=account.pk).other_cost == Decimal("0")


def test_closed_month_edit_through_the_view_is_refused_logged_and_shows_no_form(login_as, school, caplog):
    c = login_as("accountant")
    acc = MonthAccountFactory(school=school, closed_at=timezone.now(), food_cost_closed=Decimal("0"))
    caplog.set_level(logging.WARNING, logger="logistics.audit")
    r = c.post(reverse("canteen:account_edit", args=[acc.pk]), {"students": 1, "days": 1, "price_per_day": "1", "other_cost": "0"}, follow=True)
    assert "已结账" in r.content.decode() or "closed" in r.content.decode()
    acc.refresh_from_db()
    assert acc.students == 500 and _audit(caplog, "canteen.account_edit")
    assert reverse("canteen:account_edit", args=[acc.pk]) not in c.get(acc.get_absolute_url()).content.decode()


def test_signing_a_delivery_changed_since_it_was_opened_is_refused(school, login_as):
    first, second = login_as("canteen_manager"), login_as("logistics_staff")
    rec = ReceivingFactory(school=school, checked_by=first.user, certificate="canteen/certificates/c.pdf")
    page = second.get(rec.get_absolute_url()).content.decode()
    seen = page.split('name="seen" value="')[1].split('"')[0]
    safety.update_receiving(rec, by=first.user, quantity=Decimal("25"))  # changed meanwhile
    r = second.post(reverse("canteen:receiving_sign", args=[rec.pk]), {"seen": seen}, follow=True)
    rec.refresh_from_db()
    assert rec.status == ReceivingStatus.PENDING and "再核对" in r.content.decode() or "check it again" in r.content.decode()
    fresh = second.get(rec.get_absolute_url()).content.decode().split('name="seen" value="')[1].split('"')[0]
    second.post(reverse("canteen:receiving_sign", args=[rec.pk]), {"seen": fresh})
    rec.refresh_from_db()
    assert rec.status == ReceivingStatus.ACCEPTED and rec.quantity == Decimal("25.00")
