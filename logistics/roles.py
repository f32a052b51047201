"""Who may do what: the one place that says it.

Roles come from ``Membership(user, school, role)``. A capability names one thing a person can
do ("repairs.dispatch"); ``CAPABILITIES`` maps each capability to the roles that hold it.
Views (``capability = "..."``), services (``require(...)``) and templates
(``{% can "..." school as x %}``) all ask ``can()``; nothing else decides.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    LOGISTICS_STAFF = "logistics_staff", _("Logistics staff")
    REPAIRER = "repairer", _("Repairer")
    LOGISTICS_DIRECTOR = "logistics_director", _("Logistics director")
    CANTEEN_MANAGER = "canteen_manager", _("Canteen manager")
    ACCOUNTANT = "accountant", _("Accountant")
    PRINCIPAL = "principal", _("Principal")
    GUARD = "guard", _("Guard")
    PARENT = "parent", _("Parent")
    DISTRICT_OFFICER = "district_officer", _("District officer")


T, STAFF, REP, DIR, CAN, ACC, PRI, GUA, PAR, DIS = (
    Role.TEACHER,
    Role.LOGISTICS_STAFF,
    Role.REPAIRER,
    Role.LOGISTICS_DIRECTOR,
    Role.CANTEEN_MANAGER,
    Role.ACCOUNTANT,
    Role.PRINCIPAL,
    Role.GUARD,
    Role.PARENT,
    Role.DISTRICT_OFFICER,
)
ALL_ROLES = frozenset(Role)
SCHOOL_STAFF = frozenset({T, STAFF, REP, DIR, CAN, ACC, PRI, GUA})  # everyone employed by the school
OFFICE = frozenset({STAFF, DIR})  # the logistics office itself
LEADERS = frozenset({DIR, PRI})

# Each app owns its section; keep the names <app>.<verb>.
CAPABILITIES: dict[str, frozenset[str]] = {
    # --- core ---
    "core.view": ALL_ROLES,
    "core.manage_rooms": OFFICE,
    "core.dashboard": frozenset({PRI, DIR, DIS}),
    # --- assets ---
    "assets.view": frozenset({STAFF, DIR, PRI, ACC, DIS}),
    "assets.manage": OFFICE,
    "assets.import": OFFICE,
    "assets.lend": OFFICE,
    "assets.borrow": SCHOOL_STAFF,  # see own loans
    "assets.stocktake": OFFICE,
    "assets.confirm_stocktake": frozenset({DIR}),
    "assets.damage": OFFICE,
    "assets.approve_writeoff": frozenset({DIR}),
    "assets.store_view": frozenset({STAFF, DIR, REP, CAN, ACC, PRI, DIS}),
    "assets.store_manage": OFFICE,
    "assets.requisition": SCHOOL_STAFF,
    # --- repairs ---
    "repairs.report": SCHOOL_STAFF,
    "repairs.view_all": frozenset({STAFF, DIR, PRI, DIS}),
    "repairs.take": OFFICE,
    "repairs.dispatch": OFFICE,
    "repairs.handover": OFFICE,
    "repairs.work": frozenset({REP, STAFF, DIR}),
    "repairs.configure": frozenset({DIR}),
    "repairs.stats": frozenset({DIR, PRI, DIS}),
    "repairs.plan_maintenance": OFFICE,
    # --- canteen ---
    "canteen.view": frozenset({CAN, DIR, PRI, ACC, DIS}),
    "canteen.manage": frozenset({CAN, DIR}),
    "canteen.approve_menu": frozenset({DIR, PRI}),
    "canteen.sign_receiving": frozenset({CAN, DIR, STAFF}),
    "canteen.view_receiving": frozenset({CAN, DIR, PRI, ACC, DIS, STAFF}),  # the second signer opens what they sign
    "canteen.accounts": frozenset({CAN, ACC, DIR}),
    "canteen.close_month": frozenset({ACC, DIR}),
    "canteen.parent_view": ALL_ROLES,
    "canteen.feedback": frozenset({PAR, T}),
    "canteen.reply_feedback": frozenset({CAN, DIR}),
    # --- safety ---
    "safety.view": frozenset({STAFF, DIR, PRI, DIS, GUA}),
    "safety.inspect": frozenset({STAFF, DIR, GUA}),
    "safety.manage_plans": OFFICE,
    "safety.verify_hazard": frozenset({DIR}),
    "safety.visitors": frozenset({GUA, STAFF, DIR}),
    "safety.reports": frozenset({DIR, PRI, DIS}),
    # --- procurement ---
    "procurement.view": frozenset({STAFF, DIR, PRI, ACC, DIS}),
    "procurement.request": frozenset({STAFF, DIR, CAN}),
    "procurement.approve_small": frozenset({DIR}),
    "procurement.approve_large": frozenset({PRI}),
    "procurement.receive": frozenset({STAFF, DIR, ACC, CAN}),
    "procurement.reimburse": frozenset({ACC}),
    "procurement.budget": frozenset({ACC, DIR, PRI}),
    "procurement.policy": frozenset({PRI}),
    "procurement.publish_disclosure": frozenset({ACC}),
    "procurement.view_disclosure": ALL_ROLES,
}

# Roles that may only read; a capability outside this set is never given to them, whatever
# the table says (a district officer audits, it does not act in a school).
READ_ONLY_ROLES = frozenset({DIS})
READ_CAPABILITIES = frozenset(
    {
        "core.view",
        "core.dashboard",
        "assets.view",
        "assets.store_view",
        "repairs.view_all",
        "repairs.stats",
        "canteen.view",
        "canteen.view_receiving",
        "canteen.parent_view",
        "safety.view",
        "safety.reports",
        "procurement.view",
        "procurement.view_disclosure",
    }
)


def _membership_cache(user) -> dict:
    """Load the user's memberships once per request (cached on the user object)."""
    cache = user.__dict__.get("_membership_cache")
    if cache is None:
        from logistics.models import Membership, School

        by_school: dict[int, set[str]] = {}
        districts: set[int] = set()
        for school_id, district_id, role in Membership.objects.filter(user=user).values_list(
            "school_id", "district_id", "role"
        ):
            if role == DIS and district_id:
                districts.add(district_id)
            elif school_id:
                by_school.setdefault(school_id, set()).add(role)
        district_schools: set[int] = set()
        if districts:
            district_schools = set(School.objects.filter(district_id__in=districts).values_list("pk", flat=True))
            for sid in district_schools:
                by_school.setdefault(sid, set()).add(DIS)
        cache = {"by_school": by_school}
        user.__dict__["_membership_cache"] = cache
    return cache


def forget_roles(user) -> None:
    """Drop the cached memberships (after a membership changes in the same request)."""
    user.__dict__.pop("_membership_cache", None)


def school_ids_for(user) -> list[int]:
    """Primary keys of every school the user may see."""
    if not user.is_authenticated:
        return []
    return sorted(_membership_cache(user)["by_school"])


def roles_in(user, school) -> frozenset[str]:
    if school is None or not user.is_authenticated:
        return frozenset()
    school_id = school if isinstance(school, int) else school.pk
    return frozenset(_membership_cache(user)["by_school"].get(school_id, ()))


def can(user, capability: str, *, school) -> bool:
    """True when the user holds, in that school, a role that has the capability."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    allowed = CAPABILITIES[capability]
    for role in roles_in(user, school):
        if role in allowed and (role not in READ_ONLY_ROLES or capability in READ_CAPABILITIES):
            return True
    return False


def require(user, capability: str, *, school) -> None:
    """Raise PermissionDenied unless ``can(user, capability, school=school)``."""
    if not can(user, capability, school=school):
        raise PermissionDenied(capability)


def has_role(user, role: str, *, school) -> bool:
    return role in roles_in(user, school)
