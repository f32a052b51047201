"""Monthly canteen accounts (伙食盈亏): edit while open, close (日清月结), publish to parents."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canteen.models import MonthAccount
from canteen.selectors import food_cost
from logistics.audit import refused
from logistics.roles import require
from logistics.workflow import claim

EDITABLE = ("students", "days", "price_per_day", "income_entered", "other_cost", "note")


def _check_open(account: MonthAccount, *, by, action: str) -> None:
    """A closed month (日清月结) refuses every change; the database decides, not a stale object."""
    if account.is_closed or MonthAccount.objects.filter(pk=account.pk, closed_at__isnull=False).exists():
        raise refused(_("This month is closed; its account can no longer be changed."), obj=account, by=by, action=action)


@transaction.atomic
def open_month(*, school, year: int, month: int, by, **values) -> MonthAccount:
    """Start (or return) a month's account, with the given figures if it is new."""
    require(by, "canteen.accounts", school=school)
    if not 1 <= month <= 12:
        raise ValidationError(_("Month must be between 1 and 12."))
    account, created = MonthAccount.objects.get_or_create(school=school, year=year, month=month, defaults={k: v for k, v in values.items() if k in EDITABLE})
    if not created and values:
        account = update_month(account, by=by, **values)
    return account


@transaction.atomic
def update_month(account: MonthAccount, *, by, **values) -> MonthAccount:
    """Change the figures of an open month; a closed month refuses."""
    require(by, "canteen.accounts", school=account.school)
    _check_open(account, by=by, action="canteen.account_edit")
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValidationError(_("“%(field)s” cannot be changed here.") % {"field": name})
        if name in ("price_per_day", "income_entered", "other_cost") and value is not None and Decimal(value) < 0:
            raise ValidationError(_("Amounts cannot be negative."))
        setattr(account, name, value)
    account.save()
    return account


@transaction.atomic
def close_month(account: MonthAccount, *, by) -> MonthAccount:
    """Close the month: the food cost is frozen as it stands; nothing can change afterwards."""
    require(by, "canteen.close_month", school=account.school)
    cost = food_cost(account.school, account.year, account.month)
    now = timezone.now()
    if not claim(MonthAccount, account.pk, where={"closed_at__isnull": True}, set={"closed_at": now, "closed_by": by, "food_cost_closed": cost}):
        raise refused(_("This month is already closed."), obj=account, by=by, action="canteen.account_close")
    account.refresh_from_db()
    return account


@transaction.atomic
def publish_month(account: MonthAccount, *, by) -> MonthAccount:
    """Publish a closed month's account to parents."""
    require(by, "canteen.close_month", school=account.school)
    if not account.is_closed:
        raise ValidationError(_("Close the month before publishing its account."))
    if not claim(MonthAccount, account.pk, where={"published_at__isnull": True}, set={"published_at": timezone.now()}):
        raise ValidationError(_("This month's account is already published."))
    account.refresh_from_db()
    return account


def refuse_if_month_closed(school, day, *, by=None, obj=None, action: str = "canteen.receiving") -> None:
    """Records that feed a month's account (receiving) cannot be added to or changed in a closed month."""
    closed = MonthAccount.objects.filter(school=school, year=day.year, month=day.month, closed_at__isnull=False).first()
    if closed is not None:
        raise refused(_("%(year)s-%(month)02d is closed; records of that month can no longer be changed.") % {"year": day.year, "month": day.month},
                      obj=obj or closed, by=by, action=action, school=school)
