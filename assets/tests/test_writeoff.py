"""Write-off: request → director decides once; damage through the pages."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assets import services
from assets.choices import AssetStatus, WriteOffStatus
from assets.models import Asset, DamageRecord, WriteOff
from assets.tests.factories import AssetFactory
from logistics.models import Notification
from logistics.roles import Role

pytestmark = pytest.mark.django_db


def test_writeoff_needs_director_and_is_decided_once(school, make_member):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    asset = AssetFactory(school=school, status=AssetStatus.IDLE)
    with pytest.raises(ValidationError):
        services.request_writeoff(asset, reason=" ", by=staff)
    w = services.request_writeoff(asset, reason="主板烧毁，无维修价值", by=staff)
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.TO_WRITE_OFF
    assert Notification.objects.filter(recipient=director).count() == 1
    with pytest.raises(PermissionDenied):
        services.decide_writeoff(w, approve=True, by=staff)
    services.decide_writeoff(w, approve=True, by=director)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.WRITTEN_OFF and Asset.objects.filter(pk=asset.pk).exists()  # kept in history
    with pytest.raises(ValidationError):  # the decision is immutable
        services.decide_writeoff(WriteOff.objects.get(pk=w.pk), approve=False, by=director, note="改主意")
    with pytest.raises(ValidationError):
        services.update_asset(asset, by=staff, name="改名")


def test_rejected_writeoff_puts_the_asset_back(school, make_member):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    asset = AssetFactory(school=school, status=AssetStatus.IDLE)
    w = services.request_writeoff(asset, reason="老旧", by=staff)
    with pytest.raises(ValidationError):
        services.decide_writeoff(w, approve=False, by=director, note="")
    services.decide_writeoff(w, approve=False, by=director, note="还能用")
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.IDLE
    assert WriteOff.objects.get(pk=w.pk).status == WriteOffStatus.REJECTED


def test_damage_and_writeoff_pages(login_as, school, other_school, make_member):
    staff = login_as(Role.LOGISTICS_STAFF)
    teacher = make_member(Role.TEACHER)
    asset = AssetFactory(school=school, current_value=Decimal("800"))
    staff.post(reverse("assets:damage_create", args=[asset.pk]), {"cause": "deliberate", "liable_person": teacher.pk})
    record = DamageRecord.objects.get()
    assert record.amount == Decimal("1600.00") and record.discipline_referral
    page = staff.get(reverse("assets:asset_detail", args=[asset.pk])).content.decode()
    assert "1,600.00" in page or "1600.00" in page
    staff.post(reverse("assets:damage_amount", args=[record.pk]), {"amount": "300", "reason": "家长已修复部分"})
    record.refresh_from_db()
    assert record.amount == Decimal("300.00")
    staff.post(reverse("assets:writeoff_request", args=[asset.pk]), {"reason": "损坏严重"})
    w = WriteOff.objects.get()
    assert staff.post(reverse("assets:writeoff_approve", args=[w.pk])).status_code == 403
    director = login_as(Role.LOGISTICS_DIRECTOR)
    assert director.get(reverse("assets:writeoff_list")).status_code == 200
    director.post(reverse("assets:writeoff_approve", args=[w.pk]))
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.WRITTEN_OFF
    other = AssetFactory(school=other_school)
    assert director.post(reverse("assets:writeoff_request", args=[other.pk]), {"reason": "x"}).status_code == 404
