"""Borrowing and keys: one open loan per asset, return, overdue list, idempotent reminder sweep."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assets import selectors, services, tasks
from assets.models import Loan
from assets.tests.factories import AssetFactory, category
from logistics.models import Notification
from logistics.roles import Role

pytestmark = pytest.mark.django_db


def _key(school):
    return AssetFactory(school=school, name="物理实验室钥匙", category=category("KEY"))


def test_cannot_lend_twice_at_once_and_return_frees_it(school, make_member):
    staff, t1, t2 = make_member(Role.LOGISTICS_STAFF), make_member(Role.TEACHER), make_member(Role.TEACHER)
    key = _key(school)
    due = timezone.localdate() + datetime.timedelta(days=1)
    loan = services.lend_asset(key, borrower=t1, due_date=due, by=staff)
    with pytest.raises(ValidationError):
        services.lend_asset(key, borrower=t2, due_date=due, by=staff)
    services.return_asset(loan, by=staff)
    with pytest.raises(ValidationError):
        services.return_asset(Loan.objects.get(pk=loan.pk), by=staff)
    services.lend_asset(key, borrower=t2, due_date=due, by=staff)
    assert Loan.objects.filter(asset=key).count() == 2


def test_lend_rules(school, other_school, make_member):
    staff, teacher = make_member(Role.LOGISTICS_STAFF), make_member(Role.TEACHER)
    outsider = make_member(Role.TEACHER, other_school)
    key = _key(school)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.lend_asset(key, borrower=teacher, due_date=tomorrow, by=teacher)
    with pytest.raises(ValidationError):
        services.lend_asset(key, borrower=outsider, due_date=tomorrow, by=staff)
    with pytest.raises(ValidationError):
        services.lend_asset(key, borrower=teacher, due_date=timezone.localdate() - datetime.timedelta(days=1), by=staff)


def test_sweep_reminds_overdue_borrowers_once_a_day(school, make_member):
    staff, teacher, punctual = make_member(Role.LOGISTICS_STAFF), make_member(Role.TEACHER), make_member(Role.TEACHER)
    today = timezone.localdate()
    late = Loan.objects.create(asset=_key(school), borrower=teacher, lent_by=staff, due_date=today - datetime.timedelta(days=2))
    Loan.objects.create(asset=_key(school), borrower=punctual, lent_by=staff, due_date=today)
    assert list(selectors.overdue_loans(school)) == [late]
    assert tasks.sweep() == {"overdue_reminded": 1}
    assert tasks.sweep() == {"overdue_reminded": 0}  # twice → nothing twice
    assert Notification.objects.filter(recipient=teacher).count() == 1
    assert not Notification.objects.filter(recipient=punctual).exists()
    # next day: the late one again, and the one due today is now late too
    assert services.remind_overdue_loans(today=today + datetime.timedelta(days=1)) == 2


def test_overdue_reminders_take_the_same_statements_for_one_loan_as_for_many(school, other_school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    today = timezone.localdate()
    late = today - datetime.timedelta(days=3)
    Loan.objects.create(asset=_key(school), borrower=make_member(Role.TEACHER), lent_by=staff, due_date=late)
    with CaptureQueriesContext(connection) as one:
        assert services.remind_overdue_loans(today=today) == 1
    for s in (school, other_school) * 6:
        Loan.objects.create(asset=_key(s), borrower=make_member(Role.TEACHER, s), lent_by=staff, due_date=late)
    with CaptureQueriesContext(connection) as many:
        assert services.remind_overdue_loans(today=today) == 12  # the first one was reminded already today
    assert len(many) == len(one) <= 4, [q["sql"][:100] for q in many.captured_queries]


def test_loan_pages(login_as, school, other_school, make_member):
    client = login_as(Role.LOGISTICS_STAFF)
    teacher = make_member(Role.TEACHER)
    key = _key(school)
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    client.post(reverse("assets:asset_lend", args=[key.pk]), {"borrower": teacher.pk, "due_date": due})
    response = client.post(reverse("assets:asset_lend", args=[key.pk]), {"borrower": teacher.pk, "due_date": due}, follow=True)
    assert "已借出" in response.content.decode() or "already lent" in response.content.decode()
    assert Loan.objects.filter(asset=key).count() == 1
    url = reverse("assets:loan_list")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(10):
        Loan.objects.create(asset=_key(school), borrower=teacher, lent_by=client.user, due_date=timezone.localdate())
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).context["paginator"].count == 11
    assert len(big.captured_queries) == len(small.captured_queries)
    other_loan = Loan.objects.create(asset=_key(other_school), borrower=teacher, lent_by=client.user, due_date=timezone.localdate())
    assert client.post(reverse("assets:loan_return", args=[other_loan.pk])).status_code == 404
    tclient = login_as(Role.TEACHER)
    assert tclient.get(url).status_code == 403
    assert tclient.get(reverse("assets:loan_mine")).status_code == 200
    assert tclient.post(reverse("assets:loan_return", args=[Loan.objects.filter(asset=key).get().pk])).status_code == 403


def test_loan_rows_show_the_asset_borrower_due_date_and_state(login_as, school, make_member):
    client = login_as(Role.LOGISTICS_STAFF)
    teacher = make_member(Role.TEACHER, full_name="李<老师>")
    today = timezone.localdate()
    late = Loan.objects.create(asset=_key(school), borrower=teacher, lent_by=client.user, due_date=today - datetime.timedelta(days=2))
    soon = Loan.objects.create(asset=_key(school), borrower=teacher, lent_by=client.user, due_date=today + datetime.timedelta(days=2))
    page = client.get(reverse("assets:loan_list")).content.decode()
    assert f'<a href="{late.asset.get_absolute_url()}">{late.asset.number} {late.asset.name}</a>' in page
    assert "李&lt;老师&gt;" in page and f"{late.due_date:%Y-%m-%d}" in page
    late_row = page.split(late.asset.number, 1)[1].split("</tr>", 1)[0]
    soon_row = page.split(soon.asset.number, 1)[1].split("</tr>", 1)[0]
    assert "text-bg-danger" in late_row and "text-bg-primary" in soon_row
    assert f'action="{reverse("assets:loan_return", args=[late.pk])}"' in late_row and 'name="csrfmiddlewaretoken"' in late_row
    teacher_client = login_as(Role.TEACHER)
    teacher_client.force_login(teacher)
    mine = teacher_client.get(reverse("assets:loan_mine")).content.decode()
    assert f"{soon.asset.number} {soon.asset.name}</td>" in mine and "loan_return" not in mine and "/return/" not in mine
