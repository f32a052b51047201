import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from canteen.choices import MenuStatus, ReceivingStatus
from canteen.models import MealSample, MonthAccount, Survey
from canteen.services import menus
from canteen.tests.factories import (
    DishFactory,
    FeedbackFactory,
    IngredientFactory,
    DishIngredientFactory,
    MealSampleFactory,
    MonthAccountFactory,
    ReceivingFactory,
    SupplierFactory,
    WeekMenuFactory,
)
from logistics.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "canteen:menu_list", "canteen:dish_list", "canteen:ingredient_list", "canteen:supplier_list", "canteen:receiving_list",
    "canteen:sample_list", "canteen:disinfection_list", "canteen:certificate_list", "canteen:account_list",
    "canteen:menu_create", "canteen:dish_create", "canteen:ingredient_create", "canteen:supplier_create", "canteen:receiving_create",
    "canteen:sample_create", "canteen:disinfection_create", "canteen:certificate_create", "canteen:account_create",
    "canteen:parent_home", "canteen:feedback_list", "canteen:accompanied_list", "canteen:survey_list", "canteen:survey_create",
    "canteen:settings_edit", "canteen:closeup_list", "canteen:training_list", "canteen:training_create", "canteen:reference_list",
    "canteen:reference_create",
]


def _this_monday():
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def _objects(school):
    menu = WeekMenuFactory(school=school, week_start=_this_monday())
    dish = DishFactory(school=school)
    DishIngredientFactory(dish=dish)
    menu.items.create(day=_this_monday(), meal="lunch", dish=dish)
    return {
        "canteen:menu_detail": menu, "canteen:dish_detail": dish, "canteen:receiving_detail": ReceivingFactory(school=school),
        "canteen:account_detail": MonthAccountFactory(school=school),
    }


@pytest.mark.parametrize("name", LIST_URLS)
def test_every_page_renders_for_the_canteen_manager(login_as, name):
    c = login_as("canteen_manager")
    from logistics.models import Membership

    Membership.objects.create(user=c.user, school=Membership.objects.get(user=c.user).school, role="accountant")
    assert c.get(reverse(name)).status_code == 200


def test_detail_pages_render_and_other_school_is_404(login_as, school, other_school):
    c = login_as("canteen_manager")
    MembershipFactory(user=c.user, school=school, role="accountant")
    for name, obj in _objects(school).items():
        assert c.get(reverse(name, args=[obj.pk])).status_code == 200, name
    for name, obj in _objects(other_school).items():
        assert c.get(reverse(name, args=[obj.pk])).status_code == 404, name


def test_anonymous_goes_to_login(client):
    r = client.get(reverse("canteen:menu_list"))
    assert r.status_code == 302 and "login" in r["Location"]


@pytest.mark.parametrize("name", ["canteen:menu_list", "canteen:receiving_list", "canteen:sample_create", "canteen:account_list"])
def test_parent_and_teacher_are_refused_staff_pages(login_as, name):
    assert login_as("parent").get(reverse(name)).status_code == 403
    assert login_as("teacher").get(reverse(name)).status_code == 403


def test_wrong_role_on_object_and_action_is_403(login_as, school):
    objs = _objects(school)
    parent = login_as("parent")
    assert parent.get(reverse("canteen:menu_detail", args=[objs["canteen:menu_detail"].pk])).status_code == 403
    manager = login_as("canteen_manager")
    assert manager.post(reverse("canteen:account_close", args=[objs["canteen:account_detail"].pk])).status_code == 403
    assert manager.post(reverse("canteen:menu_approve", args=[objs["canteen:menu_detail"].pk])).status_code == 403


def test_actions_are_post_only(login_as, school):
    objs = _objects(school)
    c = login_as("logistics_director")
    assert c.get(reverse("canteen:menu_approve", args=[objs["canteen:menu_detail"].pk])).status_code == 405


def _publish(school, week_start, dish_name):
    manager, director = UserFactory(), UserFactory()
    MembershipFactory(user=manager, school=school, role="canteen_manager")
    MembershipFactory(user=director, school=school, role="logistics_director")
    menu = menus.create_menu(school=school, week_start=week_start, by=manager)
    menus.add_menu_item(menu, day=week_start, meal="lunch", dish=DishFactory(school=school, name=dish_name), by=manager)
    menus.approve_menu(menu, by=director)
    menus.publish_menu(menu, by=manager)
    return menu


def test_parent_sees_only_published_menus_and_accounts_of_own_school(login_as, school, other_school):
    monday = _this_monday()
    _publish(school, monday, "红烧鸡腿")
    draft = WeekMenuFactory(school=school, week_start=monday + dt.timedelta(days=7))
    draft.items.create(day=draft.week_start, meal="lunch", dish=DishFactory(school=school, name="草稿菜"))
    _publish(other_school, monday, "别校菜")
    now = timezone.now()
    MonthAccountFactory(school=school, year=2026, month=9, income_entered=Decimal("111111"), closed_at=now, published_at=now, food_cost_closed=Decimal("80000"))
    MonthAccountFactory(school=school, year=2026, month=10, income_entered=Decimal("222222"), closed_at=now, food_cost_closed=Decimal("1"))
    MonthAccountFactory(school=other_school, year=2026, month=9, income_entered=Decimal("333333"), closed_at=now, published_at=now, food_cost_closed=Decimal("1"))

    page = login_as("parent").get(reverse("canteen:parent_home")).content.decode()
    assert "红烧鸡腿" in page
    assert "草稿菜" not in page and "别校菜" not in page
    assert "111,111" in page or "111111" in page
    assert "222" not in page.split('id="accounts"')[1].split("Weekly")[0] or "222,222" not in page
    assert "222,222" not in page and "222222" not in page
    assert "333,333" not in page and "333333" not in page
    assert 'data-chart="canteen-chart"' in page and 'id="canteen-chart"' in page


def test_sample_create_keeps_input_and_shows_error_below_125(login_as, school):
    c = login_as("canteen_manager")
    dish = DishFactory(school=school)
    url = reverse("canteen:sample_create")
    r = c.post(url, {"day": timezone.localdate().isoformat(), "meal": "lunch", "dish": dish.pk, "weight_g": "100", "fridge_temp_c": "4"})
    assert r.status_code == 200 and 'value="100"' in r.content.decode()
    assert not MealSample.objects.exists()
    r = c.post(url, {"day": timezone.localdate().isoformat(), "meal": "lunch", "dish": dish.pk, "weight_g": "150", "fridge_temp_c": "4"})
    assert r.status_code == 302 and MealSample.objects.get().taken_by == c.user


def test_closed_month_edit_via_view_is_refused(login_as, school):
    c = login_as("accountant")
    acc = MonthAccountFactory(school=school, closed_at=timezone.now(), food_cost_closed=Decimal("0"))
    c.post(reverse("canteen:account_edit", args=[acc.pk]), {"students": 1, "days": 1, "price_per_day": "1", "other_cost": "0"})
    acc.refresh_from_db()
    assert acc.students == 500


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("canteen:receiving_list", lambda s, n: ReceivingFactory.create_batch(n, school=s, supplier=SupplierFactory(school=s))),
        ("canteen:sample_list", lambda s, n: [MealSampleFactory(school=s, dish=DishFactory(school=s)) for _ in range(n)]),
        ("canteen:menu_list", lambda s, n: [WeekMenuFactory(school=s, week_start=dt.date(2025, 1, 6) + dt.timedelta(weeks=i + n * 2)) for i in range(n)]),
        ("canteen:account_list", lambda s, n: [MonthAccountFactory(school=s, year=2000 + n, month=i + 1) for i in range(n)]),
        ("canteen:feedback_list", lambda s, n: [FeedbackFactory(school=s) for _ in range(n)]),
        ("canteen:dish_list", lambda s, n: [DishIngredientFactory(dish=DishFactory(school=s)) for _ in range(n)]),
        ("canteen:ingredient_list", lambda s, n: [IngredientFactory(school=s) for _ in range(n)]),
        ("canteen:supplier_list", lambda s, n: SupplierFactory.create_batch(n, school=s)),
        ("canteen:survey_list", lambda s, n: [Survey.objects.create(school=s, term=f"{n}-{i}") for i in range(n)]),
    ],
)
def test_list_query_count_does_not_grow(login_as, school, django_assert_max_num_queries, name, make):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login_as("canteen_manager")
    MembershipFactory(user=c.user, school=school, role="accountant")
    c.get(reverse(name))  # warm the per-session caches
    counts = []
    for n in (2, 12):
        make(school, n)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse(name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_school_sets_its_menu_deadline_and_meals(login_as, school):
    c = login_as("canteen_manager")
    data = {"serves_breakfast": "", "serves_lunch": "on", "serves_dinner": "", "price_breakfast": "3", "price_lunch": "9.50", "price_dinner": "7",
            "age_group": "9-11", "menu_deadline_weekday": "3", "breakfast_end": "08:00", "lunch_end": "12:30", "dinner_end": "18:30"}
    assert c.post(reverse("canteen:settings_edit"), {**data, "serves_lunch": ""}).status_code == 200  # no meal at all: refused
    assert c.post(reverse("canteen:settings_edit"), {**data, "food_safety_officer": c.user.pk}).status_code == 302
    assert menus.settings_for(school).food_safety_officer == c.user
    deadline = timezone.localtime(menus.publish_deadline(school, dt.date(2026, 11, 30)))
    assert deadline.date() == dt.date(2026, 11, 26)  # Thursday before
    from canteen.nutrition import reference_for

    assert reference_for(school)["energy_kcal"] == Decimal("2000")  # 9-11: (2100 + 1900) / 2


def test_closeup_check_recorded_once_a_day_from_the_page(login_as, school):
    from canteen.models import CloseUpCheck

    c = login_as("canteen_manager")
    ok = {"gas_off": "on", "power_off": "on", "water_off": "on", "doors_locked": "on"}
    r = c.post(reverse("canteen:closeup_create"), {"gas_off": "on", "power_off": "on"})
    assert r.status_code == 200 and not CloseUpCheck.objects.exists()  # problem without a note
    assert c.post(reverse("canteen:closeup_create"), ok).status_code == 302
    assert c.post(reverse("canteen:closeup_create"), ok).status_code == 200
    assert CloseUpCheck.objects.count() == 1


def test_delivery_recorded_with_certificate_checked_by_content_then_signed_by_another(login_as, school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from canteen.models import Receiving

    supplier = SupplierFactory(school=school)
    first, second = login_as("canteen_manager"), login_as("logistics_staff")
    data = {"supplier": supplier.pk, "received_on": timezone.localdate().isoformat(), "item": "大米", "quantity": "20", "unit": "kg",
            "unit_price": "4.50", "shelf_life_days": "180", "batch": "B1"}
    fake = SimpleUploadedFile("cert.pdf", b"not really a pdf", content_type="application/pdf")
    r = first.post(reverse("canteen:receiving_create"), {**data, "certificate": fake})
    assert r.status_code == 200 and "PDF" in r.content.decode() and 'value="B1"' in r.content.decode()
    good = SimpleUploadedFile("cert.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    assert first.post(reverse("canteen:receiving_create"), {**data, "certificate": good}).status_code == 302
    rec = Receiving.objects.get()
    assert rec.amount == Decimal("90.00")
    first.post(reverse("canteen:receiving_sign", args=[rec.pk]))
    rec.refresh_from_db()
    assert rec.status == ReceivingStatus.PENDING  # the same person cannot sign twice
    second.post(reverse("canteen:receiving_sign", args=[rec.pk]))
    rec.refresh_from_db()
    assert rec.status == ReceivingStatus.ACCEPTED and rec.signed_by == second.user


def test_dish_created_and_changed_from_the_form(login_as, school, other_school):
    from canteen.models import Dish, Ingredient

    c = login_as("canteen_manager")
    rice = Ingredient.objects.get(school__isnull=True, code="012401x")
    form = {"name": "米饭", "note": "", "form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "20",
            "form-0-ingredient": rice.pk, "form-0-grams": "", "form-1-ingredient": "", "form-1-grams": ""}
    r = c.post(reverse("canteen:dish_create"), form)
    assert r.status_code == 200 and not Dish.objects.exists()  # grams missing: error shown, input kept
    assert c.post(reverse("canteen:dish_create"), {**form, "form-0-grams": "150"}).status_code == 302
    dish = Dish.objects.get()
    assert c.get(reverse("canteen:dish_update", args=[dish.pk])).status_code == 200
    c.post(reverse("canteen:dish_update", args=[dish.pk]), {**form, "name": "大米饭", "form-0-grams": "200"})
    dish.refresh_from_db()
    assert dish.name == "大米饭" and dish.parts.get().grams == Decimal("200")
    theirs = DishFactory(school=other_school)
    assert c.get(reverse("canteen:dish_update", args=[theirs.pk])).status_code == 404
    assert login_as("accountant").get(reverse("canteen:dish_update", args=[dish.pk])).status_code == 403


def test_parent_page_query_count_does_not_grow_with_menus_and_accounts(login_as, school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login_as("parent")
    menu = _publish(school, _this_monday(), "米饭")
    c.get(reverse("canteen:parent_home"))
    counts = []
    for n in (1, 5):
        for i in range(n):
            dish = DishFactory(school=school)
            DishIngredientFactory(dish=dish)
            menu.items.create(day=_this_monday() + dt.timedelta(days=i % 5), meal="lunch", dish=dish)
            MonthAccountFactory(school=school, year=2010 + n, month=i + 1, closed_at=timezone.now(), published_at=timezone.now(), food_cost_closed=Decimal("1"))
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("canteen:parent_home")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_receiving_list_filters_by_status_and_item(login_as, school):
    c = login_as("canteen_manager")
    ReceivingFactory(school=school, item="面粉")
    ReceivingFactory(school=school, item="鸡蛋", status=ReceivingStatus.ACCEPTED)
    page = c.get(reverse("canteen:receiving_list"), {"status": "accepted"}).content.decode()
    assert "鸡蛋" in page and "面粉" not in page
    page = c.get(reverse("canteen:receiving_list"), {"item": "面"}).content.decode()
    assert "面粉" in page and "鸡蛋" not in page


def test_receiving_rows_and_the_filter_keep_what_was_asked(login_as, school):
    from logistics.tests.factories import UserFactory

    c = login_as("canteen_manager")
    rec = ReceivingFactory(school=school, item="大米<新>", amount=Decimal("1234.50"), status=ReceivingStatus.ACCEPTED, committee_member=UserFactory())
    page = c.get(reverse("canteen:receiving_list"), {"status": "accepted", "received_from": "2020-01-01"}).content.decode()
    row = page.split(f'href="{rec.get_absolute_url()}"', 1)[1].split("</tr>", 1)[0]
    assert row.startswith(">大米&lt;新&gt;</a>") and rec.supplier.name in row and "¥1,234.50" in row
    from canteen.choices import RECEIVING_STATUS_BADGE

    assert f'<span class="badge text-bg-{RECEIVING_STATUS_BADGE[ReceivingStatus.ACCEPTED]}">{ReceivingStatus.ACCEPTED.label}</span>' in row
    assert 'class="bi bi-people"' in row  # a parents' committee member was there
    assert '<option value="accepted" selected>' in page and 'name="received_from" value="2020-01-01"' in page
    bad = c.get(reverse("canteen:receiving_list"), {"received_from": "not a day"}).content.decode()
    assert 'name="received_from" value="not a day"' in bad and "is-invalid" in bad and "invalid-feedback" in bad
    empty = c.get(reverse("canteen:receiving_list"), {"item": "没有这种东西"}).content.decode()
    assert "empty-state" in empty


def test_open_month_accounts_cost_the_deliveries_of_their_own_month(school):
    """The food cost of each open month: accepted deliveries of that month only, across a year end,
    the same as each account's own food_cost (one query for the page)."""
    from canteen.selectors import account_figures, account_rows
    from canteen.tests.factories import MonthAccountFactory

    december = MonthAccountFactory(school=school, year=2025, month=12)
    january = MonthAccountFactory(school=school, year=2026, month=1)
    for day, amount, status in [(dt.date(2025, 11, 30), "5", ReceivingStatus.ACCEPTED), (dt.date(2025, 12, 1), "10", ReceivingStatus.ACCEPTED),
                                (dt.date(2025, 12, 31), "20", ReceivingStatus.ACCEPTED), (dt.date(2026, 1, 1), "40", ReceivingStatus.ACCEPTED),
                                (dt.date(2026, 1, 31), "80", ReceivingStatus.PENDING), (dt.date(2026, 2, 1), "160", ReceivingStatus.ACCEPTED)]:
        ReceivingFactory(school=school, received_on=day, amount=Decimal(amount), status=status)
    rows = dict(account_rows([december, january]))
    assert rows[december]["food_cost"] == Decimal("30.00") and rows[january]["food_cost"] == Decimal("40.00")
    assert [rows[a]["food_cost"] for a in (december, january)] == [account_figures(a)["food_cost"] for a in (december, january)]
