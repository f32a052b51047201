import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from canteen.choices import MenuStatus
from canteen.models import MenuEvent, WeekMenu
from canteen.services import menus
from canteen.tests.factories import DishFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def people(make_member):
    return {"manager": make_member("canteen_manager"), "director": make_member("logistics_director")}


def _published(school, people):
    menu = menus.create_menu(school=school, week_start=MONDAY, by=people["manager"])
    menus.add_menu_item(menu, day=MONDAY, meal="lunch", dish=DishFactory(school=school), by=people["manager"])
    menus.approve_menu(menu, by=people["director"])
    menus.publish_menu(menu, by=people["manager"])
    return menu


def test_published_week_is_frozen_and_changes_need_an_audited_revision(school, people):
    menu = _published(school, people)
    with pytest.raises(ValidationError):
        menus.add_menu_item(menu, day=MONDAY, meal="lunch", dish=DishFactory(school=school), by=people["manager"])
    with pytest.raises(ValidationError):
        menus.remove_menu_item(menu.items.first(), by=people["manager"])
    with pytest.raises(ValidationError):
        menus.revise_menu(menu, by=people["manager"], reason=" ")

    new = menus.revise_menu(menu, by=people["manager"], reason="供应商缺货")
    assert new.revision == 2 and new.status == MenuStatus.DRAFT and new.items.count() == 1
    menus.add_menu_item(new, day=MONDAY, meal="breakfast", dish=DishFactory(school=school), by=people["manager"])
    menus.approve_menu(new, by=people["director"])
    menus.publish_menu(new, by=people["manager"])
    menu.refresh_from_db()
    assert menu.status == MenuStatus.SUPERSEDED
    assert WeekMenu.objects.filter(week_start=MONDAY, status=MenuStatus.PUBLISHED).get() == new
    assert MenuEvent.objects.filter(menu=new, note="供应商缺货").exists()


def test_only_approvers_approve_and_empty_menu_is_refused(school, people):
    menu = menus.create_menu(school=school, week_start=MONDAY, by=people["manager"])
    with pytest.raises(ValidationError):
        menus.approve_menu(menu, by=people["director"])
    menus.add_menu_item(menu, day=MONDAY, meal="lunch", dish=DishFactory(school=school), by=people["manager"])
    with pytest.raises(PermissionDenied):
        menus.approve_menu(menu, by=people["manager"])
    with pytest.raises(ValidationError):
        menus.publish_menu(menu, by=people["manager"])  # draft cannot skip approval


def test_menu_item_rules(school, other_school, people):
    menu = menus.create_menu(school=school, week_start=MONDAY, by=people["manager"])
    with pytest.raises(ValidationError):
        menus.add_menu_item(menu, day=MONDAY + dt.timedelta(days=7), meal="lunch", dish=DishFactory(school=school), by=people["manager"])
    with pytest.raises(ValidationError):
        menus.add_menu_item(menu, day=MONDAY, meal="dinner", dish=DishFactory(school=school), by=people["manager"])  # not served by default
    with pytest.raises(ValidationError):
        menus.add_menu_item(menu, day=MONDAY, meal="lunch", dish=DishFactory(school=other_school), by=people["manager"])
    with pytest.raises(ValidationError):
        menus.create_menu(school=school, week_start=MONDAY + dt.timedelta(days=1), by=people["manager"])


def test_deadline_is_friday_before_by_default_and_late_flag(school, people):
    deadline = timezone.localtime(menus.publish_deadline(school, MONDAY))
    assert deadline.date() == dt.date(2026, 11, 27) and deadline.weekday() == 4
    before = timezone.make_aware(dt.datetime(2026, 11, 27, 12, 0))
    after = timezone.make_aware(dt.datetime(2026, 11, 28, 8, 0))
    assert menus.is_menu_late(school, MONDAY, now=before) is False
    assert menus.is_menu_late(school, MONDAY, now=after) is True
    s = menus.settings_for(school)
    s.menu_deadline_weekday = 5
    s.save()
    assert menus.is_menu_late(school, MONDAY, now=after) is False
    _published(school, people)
    assert menus.is_menu_late(school, MONDAY, now=after + dt.timedelta(days=1)) is False


def test_dish_needs_positive_grams_and_own_ingredients(school, other_school, people):
    from canteen.tests.factories import IngredientFactory

    with pytest.raises(ValidationError):
        menus.save_dish(school=school, by=people["manager"], name="x", parts=[])
    with pytest.raises(ValidationError):
        menus.save_dish(school=school, by=people["manager"], name="x", parts=[(IngredientFactory(), Decimal("0"))])
    with pytest.raises(ValidationError):
        menus.save_dish(school=school, by=people["manager"], name="x", parts=[(IngredientFactory(school=other_school), Decimal("10"))])
    own = menus.add_ingredient(school=school, by=people["manager"], name="自制酱", energy_kcal=Decimal("500"), protein_g=Decimal("1"), fat_g=Decimal("1"), carbohydrate_g=Decimal("1"))
    assert own.energy_flag  # 500 vs 17 → flagged


def test_a_week_is_copied_to_a_new_draft_on_the_same_weekdays(school, people, login_as):
    source = _published(school, people)
    target = dt.date(2026, 12, 14)
    c = login_as("canteen_manager")
    r = c.post(f"/canteen/menus/{source.pk}/copy/", {"week_start": target.isoformat()})
    copy = WeekMenu.objects.get(school=school, week_start=target)
    assert r.status_code == 302 and r["Location"] == copy.get_absolute_url()
    assert copy.status == MenuStatus.DRAFT and copy.created_by == c.user
    assert [(i.day, i.meal, i.dish_id) for i in copy.items.all()] == [(target, "lunch", source.items.get().dish_id)]
    assert "2026-11-30" in MenuEvent.objects.get(menu=copy).note
    assert source.items.count() == 1 and WeekMenu.objects.get(pk=source.pk).status == MenuStatus.PUBLISHED
    with pytest.raises(ValidationError):
        menus.copy_menu(source, week_start=target, by=people["manager"])  # that week has a menu already
    with pytest.raises(ValidationError):
        menus.copy_menu(source, week_start=dt.date(2026, 12, 16), by=people["manager"])  # not a Monday
    assert login_as("accountant").post(f"/canteen/menus/{source.pk}/copy/", {"week_start": "2026-12-21"}).status_code == 403
