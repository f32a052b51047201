"""Reads of the shared core."""
from __future__ import annotations

from django.contrib.auth import get_user_model

from logistics.models import Membership, Notification, School
from logistics.roles import school_ids_for


def members_with_role(school, role: str):
    """Active users holding ``role`` in ``school``."""
    User = get_user_model()
    return User.objects.filter(is_active=True, memberships__school=school, memberships__role=role).distinct().order_by("pk")


def members_of(school, roles=None):
    User = get_user_model()
    qs = User.objects.filter(is_active=True, memberships__school=school)
    if roles:
        qs = qs.filter(memberships__role__in=list(roles))
    return qs.distinct().order_by("full_name", "username")


def schools_for(user):
    if user.is_superuser:
        return School.objects.all()
    return School.objects.filter(pk__in=school_ids_for(user))


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("school", "district")
