"""Borrowing and keys (借还, 钥匙管理): lend until a due date, return, remind overdue borrowers."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from logistics.roles import require

from ..choices import AssetStatus
from ..models import Asset, Loan
from .register import refuse_if_written_off


@transaction.atomic
def lend_asset(asset: Asset, *, borrower, due_date, by, note="") -> Loan:
    """Lend to a person until ``due_date``; the unique open-loan constraint refuses a second loan."""
    require(by, "assets.lend", school=asset.school)
    refuse_if_written_off(asset, by=by, action="assets.lend_asset")
    if asset.status in (AssetStatus.TO_WRITE_OFF, AssetStatus.UNDER_REPAIR):
        raise ValidationError(_("This asset cannot be lent in its present state."))
    if borrower is None or not borrower.memberships.filter(school=asset.school).exists():
        raise ValidationError({"borrower": _("The borrower is not a member of this school.")})
    if due_date is None or due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date is in the past.")})
    try:
        with transaction.atomic():
            loan = Loan(asset=asset, borrower=borrower, due_date=due_date, lent_by=by, note=(note or "").strip())
            loan._history_user = by
            loan.save()
            return loan
    except IntegrityError as exc:
        raise ValidationError(_("This asset is already lent out.")) from exc


@transaction.atomic
def return_asset(loan: Loan, *, by) -> Loan:
    require(by, "assets.lend", school=loan.asset.school)
    now = timezone.now()
    if not Loan.objects.filter(pk=loan.pk, returned_at__isnull=True).update(returned_at=now, returned_to=by):
        raise ValidationError(_("This loan is already closed."))
    loan.returned_at, loan.returned_to = now, by
    loan._history_user, loan._change_reason = by, "returned"
    loan.save(update_fields=["returned_at", "returned_to"])
    return loan


def remind_overdue_loans(*, today=None) -> int:
    """Remind each overdue borrower once per loan per day (dedupe key); the office sees the list.

    Two statements however many loans and schools (the overdue loans, one INSERT of the notices
    through the shared ``send_notices``); a second run, or a second worker, sends nothing twice."""
    from logistics.services import notice, send_notices

    today = today or timezone.localdate()
    overdue = Loan.objects.filter(returned_at__isnull=True, due_date__lt=today).select_related("asset", "borrower")
    url = reverse("assets:loan_mine")  # the borrower's own list: a teacher may not open the register's card
    with transaction.atomic():
        return send_notices([
            notice(loan.borrower, school_id=loan.asset.school_id, key=f"assets:loan-overdue:{loan.pk}:{today.isoformat()}", url=url,
                   text=format_lazy(_("Please return {asset}: it was due on {due}."), asset=loan.asset, due=loan.due_date.isoformat()))
            for loan in overdue
        ])
