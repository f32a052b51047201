"""Home-page cards of the assets app; each card costs one query (rows and count together)."""
from __future__ import annotations

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.home import HomeCard, HomeItem, first_rows
from logistics.roles import can

from .choices import StocktakeStatus, WriteOffStatus
from .models import Loan, Stocktake, StoreItem, WriteOff

LIMIT = 5


def cards(request) -> list[HomeCard]:
    school, user = request.school, request.user
    today = timezone.localdate()
    result = []
    if can(user, "assets.store_manage", school=school):
        low = StoreItem.objects.filter(school=school, is_active=True, stock__lte=F("low_stock_threshold")).order_by("name")
        low_rows, low_count = first_rows(low, LIMIT)
        result.append(HomeCard(
            title=_("Low stock"), icon="box-seam", order=40, count=low_count, url=reverse("assets:storeitem_list") + "?low=1",
            empty_text=_("Every item is above its threshold."),
            items=[HomeItem(label=str(i), url=reverse("assets:storeitem_detail", args=[i.pk]), badge=f"{i.stock:g} {i.unit}",
                            badge_class="danger") for i in low_rows],
        ))
    if can(user, "assets.lend", school=school):
        overdue = Loan.objects.filter(asset__school=school, returned_at__isnull=True, due_date__lt=today).select_related("asset", "borrower").order_by("due_date")
        overdue_rows, overdue_count = first_rows(overdue, LIMIT)
        result.append(HomeCard(
            title=_("Overdue loans"), icon="key", order=41, count=overdue_count, url=reverse("assets:loan_list") + "?overdue=1",
            empty_text=_("Nothing overdue."),
            items=[HomeItem(label=f"{l.asset.name} · {l.borrower}", url=l.asset.get_absolute_url(), badge=l.due_date.isoformat(),
                            badge_class="danger") for l in overdue_rows],
        ))
    if can(user, "assets.stocktake", school=school):
        open_st = Stocktake.objects.filter(school=school).exclude(status=StocktakeStatus.CONFIRMED).order_by("-created_at")
        open_rows, open_count = first_rows(open_st, LIMIT)
        result.append(HomeCard(
            title=_("Open stocktakes"), icon="clipboard-check", order=42, count=open_count, url=reverse("assets:stocktake_list"),
            empty_text=_("No stocktake under way."),
            items=[HomeItem(label=s.name, url=s.get_absolute_url(), badge=s.get_status_display()) for s in open_rows],
        ))
    if can(user, "assets.approve_writeoff", school=school):
        waiting = WriteOff.objects.filter(school=school, status=WriteOffStatus.PENDING).select_related("asset").order_by("created_at")
        waiting_rows, waiting_count = first_rows(waiting, LIMIT)
        result.append(HomeCard(
            title=_("Write-offs waiting for you"), icon="trash", order=30, count=waiting_count, url=reverse("assets:writeoff_list"),
            empty_text=_("No write-off to decide."),
            items=[HomeItem(label=str(w.asset), url=reverse("assets:writeoff_list")) for w in waiting_rows],
        ))
    if can(user, "assets.borrow", school=school):
        mine = Loan.objects.filter(asset__school=school, borrower=user, returned_at__isnull=True).select_related("asset").order_by("due_date")
        mine_rows, mine_count = first_rows(mine, LIMIT)
        result.append(HomeCard(
            title=_("My loans"), icon="key", order=60, count=mine_count, url=reverse("assets:loan_mine"),
            empty_text=_("You have nothing on loan."),
            items=[HomeItem(label=l.asset.name, url=reverse("assets:loan_mine"), badge=l.due_date.isoformat(),
                            badge_class="danger" if l.due_date < today else "secondary") for l in mine_rows],
        ))
    return result
