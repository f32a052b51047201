import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from canteen.choices import ReceivingStatus
from canteen.models import DisinfectionMethod, Receiving
from canteen.selectors import batches_to_redo, missing_samples
from canteen.services import accounts, menus, safety
from canteen.tests.factories import DishFactory, MealSampleFactory, ReceivingFactory, SupplierFactory
from logistics.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdf(name="cert.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def png():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    return SimpleUploadedFile("cert.png", buf.getvalue(), content_type="image/png")


@pytest.fixture
def staff(make_member):
    return {"a": make_member("canteen_manager"), "b": make_member("logistics_staff"), "dir": make_member("logistics_director")}


def _receive(school, staff, **kw):
    args = dict(school=school, by=staff["a"], supplier=SupplierFactory(school=school), received_on=timezone.localdate(), item="大米", quantity=Decimal("20"), unit_price=Decimal("4.50"), certificate=pdf())
    args.update(kw)
    return safety.record_receiving(**args)


def test_receiving_needs_two_different_signers(school, staff):
    rec = _receive(school, staff)
    assert rec.amount == Decimal("90.00") and rec.status == ReceivingStatus.PENDING
    with pytest.raises(ValidationError):
        safety.sign_receiving(rec, by=staff["a"])
    safety.sign_receiving(rec, by=staff["b"])
    rec.refresh_from_db()
    assert rec.status == ReceivingStatus.ACCEPTED and rec.signed_by == staff["b"]
    with pytest.raises(ValidationError):
        safety.reject_receiving(rec, by=staff["dir"], reason="x")  # signed records are final


def test_rejection_needs_reason(school, staff):
    rec = _receive(school, staff)
    with pytest.raises(ValidationError):
        safety.reject_receiving(rec, by=staff["b"], reason="  ")
    safety.reject_receiving(rec, by=staff["b"], reason="包装破损")
    assert Receiving.objects.get(pk=rec.pk).reject_reason == "包装破损"


def test_expired_licence_and_fake_certificate_are_refused(school, staff):
    old = SupplierFactory(school=school, licence_expiry=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        _receive(school, staff, supplier=old)
    with pytest.raises(ValidationError):
        _receive(school, staff, certificate=SimpleUploadedFile("cert.pdf", b"MZ\x90 not a pdf", content_type="application/pdf"))
    assert _receive(school, staff, certificate=png()).certificate


def test_accepting_without_certificate_is_refused(school, staff):
    rec = _receive(school, staff, certificate=None)
    with pytest.raises(ValidationError):
        safety.sign_receiving(rec, by=staff["b"])


def test_receiving_into_closed_month_is_refused(school, staff, make_member):
    acct = make_member("accountant")
    today = timezone.localdate()
    accounts.close_month(accounts.open_month(school=school, year=today.year, month=today.month, by=acct), by=acct)
    with pytest.raises(ValidationError):
        _receive(school, staff)


def test_retention_six_months_past_shelf_life_never_under_two_years(school, staff):
    short = ReceivingFactory(school=school, received_on=dt.date(2024, 1, 10), shelf_life_days=7)
    assert safety.retention_end(short) == dt.date(2026, 1, 10)  # 2 years wins
    long = ReceivingFactory(school=school, received_on=dt.date(2024, 1, 10), production_date=dt.date(2024, 1, 1), shelf_life_days=730)
    assert safety.retention_end(long) == dt.date(2026, 6, 30)  # 2025-12-31 + 6 months
    with pytest.raises(ValidationError):
        safety.delete_receiving(short, by=staff["a"], today=dt.date(2026, 1, 9))
    with pytest.raises(ValidationError):
        safety.delete_receiving(long, by=staff["a"], today=dt.date(2026, 6, 29))
    safety.delete_receiving(short, by=staff["a"], today=dt.date(2026, 1, 10))
    assert not Receiving.objects.filter(pk=short.pk).exists()


def test_committee_member_records_a_receiving_check(school, staff, make_member):
    rec = _receive(school, staff)
    with pytest.raises(PermissionDenied):
        safety.record_committee_check(rec, by=make_member("parent"), remarks="ok")
    member = UserFactory()
    MembershipFactory(user=member, school=school, role="parent", is_parent_committee=True)
    safety.record_committee_check(rec, by=member, remarks="查看了合格证")
    assert rec.committee_member == member


def test_sample_below_125_g_refused(school, staff):
    dish = DishFactory(school=school)
    with pytest.raises(ValidationError):
        safety.record_sample(school=school, by=staff["a"], day=timezone.localdate(), meal="lunch", dish=dish, weight_g=Decimal("124.9"), fridge_temp_c=Decimal("4"))
    s = safety.record_sample(school=school, by=staff["a"], day=timezone.localdate(), meal="lunch", dish=dish, weight_g=Decimal("125"), fridge_temp_c=Decimal("4"))
    assert s.taken_by == staff["a"]


def test_sample_discard_not_before_48_hours(school, staff):
    taken = timezone.now() - dt.timedelta(hours=47, minutes=59)
    sample = MealSampleFactory(school=school, taken_at=taken)
    with pytest.raises(ValidationError):
        safety.discard_sample(sample, by=staff["b"] if False else staff["a"])
    safety.discard_sample(sample, by=staff["a"], at=taken + dt.timedelta(hours=48))
    assert sample.discarded_by == staff["a"]
    with pytest.raises(ValidationError):
        safety.discard_sample(sample, by=staff["a"], at=taken + dt.timedelta(hours=50))


def test_missing_samples_of_todays_published_menu(school, staff):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    rice, soup = DishFactory(school=school, name="米饭"), DishFactory(school=school, name="汤")
    menu = menus.create_menu(school=school, week_start=monday, by=staff["a"])
    for d in (rice, soup):
        menus.add_menu_item(menu, day=today, meal="lunch", dish=d, by=staff["a"])
    assert missing_samples(school, today) == {}  # not published: nothing expected yet
    menus.approve_menu(menu, by=staff["dir"])
    menus.publish_menu(menu, by=staff["a"])
    assert missing_samples(school, today) == {"lunch": [rice, soup]}
    MealSampleFactory(school=school, day=today, meal="lunch", dish=rice)
    assert missing_samples(school, today) == {"lunch": [soup]}


@pytest.mark.parametrize(
    ("code", "temp", "seconds", "conc", "flagged"),
    [
        ("boiling", "100", 600, None, False),
        ("boiling", "99.5", 600, None, True),
        ("boiling", "100", 599, None, True),
        ("infrared", "120", 600, None, False),
        ("infrared", "119", 900, None, True),
        ("dishwasher", "85", 40, None, False),
        ("dishwasher", "85", 39, None, True),
        ("chlorine", None, 300, "250", False),
        ("chlorine", None, 300, "200", True),
        ("chlorine", None, 240, "300", True),
    ],
)
def test_disinfection_thresholds(school, staff, code, temp, seconds, conc, flagged):
    method = DisinfectionMethod.objects.get(code=code)
    log = safety.record_disinfection(school=school, by=staff["a"], method=method, batch="1", seconds=seconds, temp_c=temp and Decimal(temp), concentration_mg_l=conc and Decimal(conc))
    assert log.below_minimum is flagged


def test_flagged_batch_needs_redisinfection(school, staff):
    method = DisinfectionMethod.objects.get(code="boiling")
    bad = safety.record_disinfection(school=school, by=staff["a"], method=method, batch="午餐1", seconds=300, temp_c=Decimal("100"))
    assert list(batches_to_redo(school)) == [bad]
    safety.record_disinfection(school=school, by=staff["a"], method=method, batch="午餐1", seconds=600, temp_c=Decimal("100"), redo_of=bad)
    assert list(batches_to_redo(school)) == []
    with pytest.raises(ValidationError):
        safety.record_disinfection(school=school, by=staff["a"], method=method, batch="午餐1", seconds=600, temp_c=Decimal("100"), redo_of=bad)


def test_closeup_check_problem_needs_note_and_once_a_day(school, staff):
    day = timezone.localdate()
    with pytest.raises(ValidationError):
        safety.record_closeup(school=school, by=staff["a"], day=day, gas_off=False, power_off=True, water_off=True, doors_locked=True)
    safety.record_closeup(school=school, by=staff["a"], day=day, gas_off=True, power_off=True, water_off=True, doors_locked=True)
    with pytest.raises(ValidationError):
        safety.record_closeup(school=school, by=staff["a"], day=day, gas_off=True, power_off=True, water_off=True, doors_locked=True)


def test_accompanied_meal_by_leader_or_committee_only(school, make_member):
    day = timezone.localdate()
    with pytest.raises(PermissionDenied):
        safety.record_accompanied_meal(school=school, by=make_member("parent"), day=day, meal="lunch", observations="ok")
    leader = safety.record_accompanied_meal(school=school, by=make_member("principal"), day=day, meal="lunch", observations="饭菜可口")
    assert leader.kind == "leader"
    member = UserFactory()
    MembershipFactory(user=member, school=school, role="parent", is_parent_committee=True)
    assert safety.record_accompanied_meal(school=school, by=member, day=day, meal="lunch", observations="份量足").kind == "parent_committee"
