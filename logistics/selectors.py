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


def unread_count_for_request(request) -> int:
    """``unread_count`` of the signed-in person, counted once per request (bell and home card)."""
    if not hasattr(request, "_unread_count"):
        request._unread_count = unread_count(request.user)
    return request._unread_count


def switchable_schools(request) -> list:
    """The schools the selector offers; no query when the person belongs to one school only."""
    user = request.user
    if not user.is_superuser and len(school_ids_for(user)) <= 1:
        return [request.school] if request.school is not None else []
    return list(schools_for(user))


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("school", "district")
