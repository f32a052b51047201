"""Pages of the canteen for each role: parents (disclosures, cached school part), teachers, the
supplier register, health-certificate renewals, the sample dashboard."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from canteen import selectors
from canteen.models import HealthCertificate, Supplier
from canteen.services import menus
from canteen.tests.factories import DishFactory, FeedbackFactory, MealSampleFactory, SupplierFactory
from logistics.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _monday():
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def _people(school):
    manager, director = UserFactory(), UserFactory()
    MembershipFactory(user=manager, school=school, role="canteen_manager")
    MembershipFactory(user=director, school=school, role="logistics_director")
    return manager, director


def _publish(school, dish_name, *, week_start=None):
    manager, director = _people(school)
    menu = menus.create_menu(school=school, week_start=week_start or _monday(), by=manager)
    menus.add_menu_item(menu, day=timezone.localdate(), meal="lunch", dish=DishFactory(school=school, name=dish_name), by=manager)
    menus.approve_menu(menu, by=director)
    menus.publish_menu(menu, by=manager)
    return menu


def test_parent_page_leads_to_the_published_disclosures_only(login_as, school, other_school):
    from procurement.models import Disclosure

    now = timezone.now()
    Disclosure.objects.create(school=school, year=2026, month=10, file="d.pdf", parent_file="p.pdf", published_at=now)
    Disclosure.objects.create(school=school, year=2026, month=11, file="d2.pdf", parent_file="p2.pdf")
    Disclosure.objects.create(school=other_school, year=2026, month=9, file="o.pdf", parent_file="op.pdf", published_at=now)
    parent = login_as("parent")
    page = parent.get(reverse("canteen:parent_home")).content.decode()
    assert f'href="{reverse("procurement:disclosure_list")}"' in page
    download = {d.month: reverse("procurement:disclosure_download", args=[d.pk]) for d in Disclosure.objects.all()}
    assert download[10] in page  # published, this school
    assert download[11] not in page and download[9] not in page  # not published; another school
    listing = parent.get(reverse("procurement:disclosure_list")).content.decode()
    assert "2026-10" in listing and "2026-11" not in listing and "2026-09" not in listing


def test_parent_page_school_part_is_cached_and_rebuilt_after_a_change(login_as, school, settings, client):
    settings.HOME_CACHE_SECONDS = 60
    parent = login_as("parent")
    menu = _publish(school, "红烧鸡腿")
    assert "红烧鸡腿" in parent.get(reverse("canteen:parent_home")).content.decode()
    manager = login_as("canteen_manager")
    director = login_as("logistics_director")
    assert manager.post(reverse("canteen:menu_revise", args=[menu.pk]), {"reason": "鸡腿缺货"}).status_code == 302
    revision = menu.__class__.objects.get(week_start=menu.week_start, revision=2)
    item = revision.items.get()
    manager.post(reverse("canteen:menu_item_remove", args=[item.pk]))
    manager.post(reverse("canteen:menu_item_add", args=[revision.pk]), {"day": timezone.localdate().isoformat(), "meal": "lunch",
                                                                          "dish": DishFactory(school=school, name="清蒸鱼").pk})
    assert "红烧鸡腿" in parent.get(reverse("canteen:parent_home")).content.decode()  # the revision is not published yet
    director.post(reverse("canteen:menu_approve", args=[revision.pk]))
    manager.post(reverse("canteen:menu_publish", args=[revision.pk]))
    page = parent.get(reverse("canteen:parent_home")).content.decode()
    assert "清蒸鱼" in page and "红烧鸡腿" not in page


def test_weekly_summary_counts_last_weeks_feedback_by_kind(school):
    monday = _monday() - dt.timedelta(days=7)
    at = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=2), dt.time(10)))
    for kind, replied in (("complaint", True), ("complaint", False), ("praise", False), ("suggestion", True)):
        fb = FeedbackFactory(school=school, kind=kind, reply="好" if replied else "", replied_at=at if replied else None)
        fb.__class__.objects.filter(pk=fb.pk).update(created_at=at)
    FeedbackFactory(school=school, kind="complaint")  # this week: not in last week's summary
    summary = selectors.feedback_week_summary(school, monday)
    assert (summary["total"], summary["complaint"], summary["praise"], summary["suggestion"], summary["answered"]) == (4, 2, 1, 1, 2)


@pytest.mark.parametrize("role", ["parent", "teacher"])
def test_parents_and_teachers_see_todays_published_meals_on_their_home(login_as, school, role):
    _publish(school, "番茄炒蛋")
    page = login_as(role).get(reverse("home")).content.decode()
    assert "番茄炒蛋" in page


def test_supplier_licence_renewed_by_the_manager_only(login_as, school, other_school):
    supplier = SupplierFactory(school=school, licence_expiry=timezone.localdate() + dt.timedelta(days=10))
    c = login_as("canteen_manager")
    page = c.get(reverse("canteen:supplier_list")).content.decode()
    assert "即将到期" in page or "Expires soon" in page
    url = reverse("canteen:supplier_update", args=[supplier.pk])
    data = {"name": supplier.name, "licence_number": "JY9999", "licence_expiry": "", "contact": "王经理"}
    r = c.post(url, data)
    assert r.status_code == 200 and 'value="JY9999"' in r.content.decode()  # missing expiry: input kept
    assert c.post(url, {**data, "licence_expiry": "2029-12-31"}).status_code == 302
    supplier.refresh_from_db()
    assert supplier.licence_expiry == dt.date(2029, 12, 31) and supplier.history.count() == 2
    assert login_as("accountant").get(url).status_code == 403
    theirs = SupplierFactory(school=other_school)
    assert c.get(reverse("canteen:supplier_update", args=[theirs.pk])).status_code == 404
    assert Supplier.objects.get(pk=theirs.pk).licence_number == theirs.licence_number


def test_a_renewed_health_certificate_no_longer_warns(school):
    today = timezone.localdate()
    old = HealthCertificate.objects.create(school=school, staff_name="李师傅", number="A1", issued_on=today - dt.timedelta(days=360),
                                           expires_on=today + dt.timedelta(days=5))
    other = HealthCertificate.objects.create(school=school, staff_name="王阿姨", number="B1", issued_on=today - dt.timedelta(days=360),
                                             expires_on=today + dt.timedelta(days=20))
    assert list(selectors.expiring_certificates(school, today=today)) == [old, other]
    HealthCertificate.objects.create(school=school, staff_name="李师傅", number="A2", issued_on=today, expires_on=today + dt.timedelta(days=365))
    assert list(selectors.expiring_certificates(school, today=today)) == [other]


def test_sample_dashboard_keeps_samples_48_hours_and_offers_discard_after(login_as, school):
    c = login_as("canteen_manager")
    fresh = MealSampleFactory(school=school, taken_at=timezone.now() - dt.timedelta(hours=2))
    old = MealSampleFactory(school=school, day=timezone.localdate() - dt.timedelta(days=3), taken_at=timezone.now() - dt.timedelta(hours=60))
    page = c.get(reverse("canteen:sample_list")).content.decode()
    assert reverse("canteen:sample_discard", args=[old.pk]) in page
    assert reverse("canteen:sample_discard", args=[fresh.pk]) not in page
    assert timezone.localtime(fresh.keep_until).strftime("%m-%d %H:%M") in page
    assert fresh.keep_until - fresh.taken_at == dt.timedelta(hours=48) and Decimal(fresh.weight_g) >= 125


@pytest.mark.parametrize("name", ["canteen:receiving_create", "canteen:disinfection_create", "canteen:sample_create", "canteen:supplier_create"])
def test_form_titles_follow_the_language_of_the_request(login_as, name):
    c = login_as("canteen_manager")
    c.cookies["django_language"] = "en"
    english = c.get(reverse(name)).content.decode()
    c.cookies["django_language"] = "zh-hans"
    chinese = c.get(reverse(name)).content.decode()
    title = {"canteen:receiving_create": ("Record a delivery", "登记验收"), "canteen:disinfection_create": ("Record a disinfection batch", "登记消毒批次"),
             "canteen:sample_create": ("Record a meal sample", "登记留样"), "canteen:supplier_create": ("New supplier", "新增供应商")}[name]
    assert f"<h1 class=\"h4 mb-3\">{title[0]}</h1>" in english and f"<h1 class=\"h4 mb-3\">{title[1]}</h1>" in chinese
    if name != "canteen:supplier_create":  # the forms with a select: its blank choice in the page's language
        assert "- Select an option -" in english and "- 请选择 -" in chinese and "- Select an option -" not in chinese


def test_redisinfection_form_names_the_batch_and_prefills_it(login_as, school):
    from canteen.models import DisinfectionLog, DisinfectionMethod

    c = login_as("canteen_manager")
    method = DisinfectionMethod.objects.get(code="chlorine")
    flagged = DisinfectionLog.objects.create(school=school, method=method, batch="汤勺", seconds=300, concentration_mg_l=Decimal("200"),
                                             done_at=timezone.now(), by=c.user, below_minimum=True)
    url = reverse("canteen:disinfection_create") + f"?redo={flagged.pk}"
    page = c.get(url).content.decode()
    assert "汤勺" in page and "250" in page  # the batch, and the national minimum shown with the method
    assert c.post(url, {"method": method.pk, "batch": "汤勺", "seconds": "300", "concentration_mg_l": "260"}).status_code == 302
    assert DisinfectionLog.objects.get(redo_of=flagged).below_minimum is False
    assert not selectors.batches_to_redo(school).exists()


def test_logistics_staff_find_the_delivery_on_their_home_open_it_and_sign(login_as, school):
    from canteen.choices import ReceivingStatus
    from canteen.tests.factories import ReceivingFactory

    manager, staff = login_as("canteen_manager"), login_as("logistics_staff")
    rec = ReceivingFactory(school=school, checked_by=manager.user, item="面粉", certificate="canteen/certificates/c.pdf")
    home = staff.get(reverse("home")).content.decode()
    assert "面粉" in home and rec.get_absolute_url() in home
    page = staff.get(rec.get_absolute_url()).content.decode()
    assert reverse("canteen:receiving_sign", args=[rec.pk]) in page
    assert reverse("canteen:menu_list") not in page  # no canteen navigation they could not use
    assert staff.get(reverse("canteen:receiving_list")).status_code == 200
    assert staff.get(reverse("canteen:menu_list")).status_code == 403
    staff.post(reverse("canteen:receiving_sign", args=[rec.pk]))
    rec.refresh_from_db()
    assert rec.status == ReceivingStatus.ACCEPTED and rec.signed_by == staff.user


def test_edit_forms_give_date_inputs_iso_values_in_every_language(login_as, school):
    """<input type="date"> shows nothing (and the form cannot be sent) unless its value is YYYY-MM-DD."""
    from canteen.tests.factories import ReceivingFactory

    c = login_as("canteen_manager")
    rec = ReceivingFactory(school=school, checked_by=c.user, received_on=dt.date(2026, 11, 30), production_date=dt.date(2026, 11, 29))
    supplier = rec.supplier
    for lang in ("zh-hans", "en"):
        c.cookies["django_language"] = lang
        page = c.get(reverse("canteen:receiving_update", args=[rec.pk])).content.decode()
        assert 'name="received_on" value="2026-11-30"' in page and 'name="production_date" value="2026-11-29"' in page
        page = c.get(reverse("canteen:supplier_update", args=[supplier.pk])).content.decode()
        assert f'name="licence_expiry" value="{supplier.licence_expiry:%Y-%m-%d}"' in page


def test_pages_of_a_school_without_canteen_settings_write_nothing(login_as, school):
    from canteen.models import CanteenSettings

    c = login_as("logistics_director")
    for name in ("canteen:menu_list", "canteen:settings_edit", "canteen:parent_home", "canteen:sample_list"):
        assert c.get(reverse(name)).status_code == 200
    menu = menus.create_menu(school=school, week_start=_monday(), by=c.user)
    assert c.get(reverse("canteen:menu_detail", args=[menu.pk])).status_code == 200
    assert c.get(reverse("home")).status_code == 200
    assert not CanteenSettings.objects.filter(school=school).exists()  # defaults shown, nothing saved by a GET
    data = {"serves_breakfast": "on", "serves_lunch": "on", "price_breakfast": "3", "price_lunch": "8", "price_dinner": "7", "age_group": "12-14",
            "menu_deadline_weekday": "4", "breakfast_end": "08:00", "lunch_end": "13:00", "dinner_end": "18:30"}
    assert c.post(reverse("canteen:settings_edit"), data).status_code == 302
    assert CanteenSettings.objects.get(school=school).price_lunch == Decimal("8")


def test_todays_missing_samples_are_read_once_and_afresh_after_a_sample(login_as, make_member, school, settings):
    """With the cache on (as in production): what today's published menu still lacks is worked out
    once, and again after the school's data changes (recording a sample is a POST)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.HOME_CACHE_SECONDS = 60
    cache.clear()
    manager, director = make_member("canteen_manager"), make_member("logistics_director")
    today = timezone.localdate()
    menu = menus.create_menu(school=school, week_start=today - dt.timedelta(days=today.weekday()), by=manager)
    dish = DishFactory(school=school, name="番茄炒蛋")
    menus.add_menu_item(menu, day=today, meal="lunch", dish=dish, by=manager)
    menus.approve_menu(menu, by=director)
    menus.publish_menu(menu, by=manager)
    c = login_as("canteen_manager")

    def dashboard():
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(reverse("canteen:sample_list"))
        menu_reads = sum("canteen_menuitem" in q["sql"] for q in ctx.captured_queries)
        return [d.name for _m, _label, dishes in response.context["missing"] for d in dishes], response.context["served"], menu_reads

    assert dashboard() == (["番茄炒蛋"], True, 1)
    assert dashboard() == (["番茄炒蛋"], True, 0)  # kept
    response = c.post(reverse("canteen:sample_create"), {"day": today.isoformat(), "meal": "lunch", "dish": dish.pk, "weight_g": "130",
                                                         "fridge_temp_c": "4", "taken_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302, response.content.decode()[:500]
    missing, served, reads = dashboard()
    assert missing == [] and served and reads >= 1  # worked out afresh
    cache.clear()


def test_sample_list_is_counted_once_until_the_school_changes(login_as, school, settings):
    """With the cache on (as in production) the list of samples is counted once, for every page,
    and counted afresh after any change in the school; the rows are always read afresh."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canteen.models import MealSample

    settings.HOME_CACHE_SECONDS = 60
    cache.clear()
    c = login_as("canteen_manager")
    dish = DishFactory(school=school, name="清蒸鱼")
    today = timezone.localdate()

    def sample(days_ago):
        MealSample.objects.create(school=school, day=today - dt.timedelta(days=days_ago), meal="lunch", dish=dish,
                                  weight_g=130, fridge_temp_c=4, taken_at=timezone.now(), taken_by=c.user)

    for n in range(27):
        sample(n + 3)

    def seen(page=1):
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(reverse("canteen:sample_list"), {"page": page})
        counts = sum("COUNT(" in q["sql"] and "canteen_mealsample" in q["sql"] for q in ctx.captured_queries)
        return response.context["paginator"].count, len(response.context["object_list"]), counts

    assert seen() == (27, 25, 1)
    assert seen() == (27, 25, 0) and seen(2) == (27, 2, 0)  # kept, for every page
    assert c.post(reverse("canteen:sample_create"), {}).status_code == 200  # any POST of a member (even refused)
    sample(1)
    assert c.post(reverse("canteen:sample_create"), {}).status_code == 200
    assert seen(2) == (28, 3, 1)  # counted afresh
    cache.clear()
