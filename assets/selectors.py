"""Reads of the assets app shared with other apps and the views."""
from django.db.models import QuerySet

from .models import Asset, StoreItem


def store_items(school) -> QuerySet[StoreItem]:
    """Active store-room items of a school, for pickers (e.g. materials drawn by a repair)."""
    return StoreItem.objects.filter(school=school, is_active=True).order_by("name", "spec")


def assets_of(school) -> QuerySet[Asset]:
    return Asset.objects.filter(school=school).select_related("category", "room", "department", "custodian")


def open_loans(school):
    from .models import Loan

    return Loan.objects.filter(asset__school=school, returned_at__isnull=True).select_related("asset", "borrower")


def overdue_loans(school, today=None):
    from django.utils import timezone

    return open_loans(school).filter(due_date__lt=today or timezone.localdate())
