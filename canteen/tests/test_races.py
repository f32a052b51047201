"""Races proven on PostgreSQL: two threads, each with its own connection."""
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from canteen.choices import ReceivingStatus
from canteen.models import MonthAccount, Receiving
from canteen.services import accounts, safety
from canteen.tests.factories import ReceivingFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait()
            call()
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


def test_two_signers_at_once_only_one_signs(postgres, school, make_member):
    checker, a, b = make_member("canteen_manager"), make_member("logistics_staff"), make_member("logistics_director")
    rec = ReceivingFactory(school=school, checked_by=checker, certificate=SimpleUploadedFile("c.pdf", b"%PDF-1.4"))
    results = _race(
        lambda: safety.sign_receiving(Receiving.objects.get(pk=rec.pk), by=a),
        lambda: safety.reject_receiving(Receiving.objects.get(pk=rec.pk), by=b, reason="破损"),
    )
    assert results == ["ok", "refused"]
    assert Receiving.objects.get(pk=rec.pk).status in (ReceivingStatus.ACCEPTED, ReceivingStatus.REJECTED)


def test_month_closed_twice_at_once_closes_once(postgres, school, make_member):
    acct, director = make_member("accountant"), make_member("logistics_director")
    account = accounts.open_month(school=school, year=2026, month=3, by=acct, students=10, days=2, price_per_day=Decimal("5"))
    results = _race(
        lambda: accounts.close_month(MonthAccount.objects.get(pk=account.pk), by=acct),
        lambda: accounts.close_month(MonthAccount.objects.get(pk=account.pk), by=director),
    )
    assert results == ["ok", "refused"]


def test_correction_and_signature_at_once_never_sign_unseen_content(postgres, school, make_member):
    """The first checker corrects the quantity while the second signs what they opened: one of
    the two is refused — the signature never lands on content the signer did not see."""
    checker, signer = make_member("canteen_manager"), make_member("logistics_staff")
    for _round in range(3):
        rec = ReceivingFactory(school=school, checked_by=checker, certificate=SimpleUploadedFile("c.pdf", b"%PDF-1.4"))
        seen = Receiving.objects.get(pk=rec.pk).updated_at
        results = _race(
            lambda: safety.update_receiving(Receiving.objects.get(pk=rec.pk), by=checker, quantity=Decimal("99")),
            lambda: safety.sign_receiving(Receiving.objects.get(pk=rec.pk), by=signer, seen=seen),
        )
        assert results == ["ok", "refused"]
        final = Receiving.objects.get(pk=rec.pk)
        assert (final.status, final.quantity) in ((ReceivingStatus.ACCEPTED, Decimal("10.00")), (ReceivingStatus.PENDING, Decimal("99.00")))


def test_the_sweep_on_two_workers_at_once_notifies_once(postgres, school, make_member):
    import datetime as dt

    from django.utils import timezone

    from canteen.models import HealthCertificate
    from canteen.services.sweep import sweep_school
    from logistics.models import Notification

    manager = make_member("canteen_manager")
    today = timezone.localdate()
    HealthCertificate.objects.create(school=school, staff_name="王师傅", number="J1", issued_on=today - dt.timedelta(days=300),
                                     expires_on=today + dt.timedelta(days=10))
    sent = []
    _race(*[lambda: sent.append(sweep_school(school)) for _ in range(2)])
    texts = list(Notification.objects.filter(recipient=manager).values_list("text", flat=True))
    assert sum(1 for t in texts if "王师傅" in t) == 1 and sum(sent) == len(texts)
