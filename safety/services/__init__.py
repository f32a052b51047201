"""Safety business rules, one module per sub-domain; callers import from here:

- ``plans``: schedules, setting plans up, generating the inspections due (with catch-up)
- ``inspections``: recording items, submitting once (then immutable)
- ``hazards``: one-click repair ticket, rectification with evidence, the director's verification
- ``gate``: the visitor register and emergency drills
- ``reminders``: the beat job (``sweep``) (reminders, escalation director → principal), set-wise and idempotent
"""
from safety.services.common import check_image, local_today
from safety.services.gate import inside_at, record_drill, register_visitor, visitor_out
from safety.services.hazards import (
    PRINCIPAL_AFTER_DAYS,
    create_repair_for_hazard,
    rectify_hazard,
    repair_rooms,
    update_hazard,
    verify_hazard,
)
from safety.services.inspections import record_item, submit_inspection
from safety.services.plans import (
    CATCH_UP_DAYS,
    create_plan,
    generate_inspections,
    members_who_inspect,
    period_of,
    term_start,
    update_plan,
)
from safety.services.reminders import OVERDUE_DAYS, escalate_overdue, remind, sweep

__all__ = [
    "CATCH_UP_DAYS", "OVERDUE_DAYS", "PRINCIPAL_AFTER_DAYS", "check_image", "create_plan", "create_repair_for_hazard",
    "escalate_overdue", "generate_inspections", "inside_at", "local_today", "members_who_inspect", "period_of",
    "record_drill", "record_item", "rectify_hazard", "register_visitor", "remind", "repair_rooms", "submit_inspection",
    "sweep", "term_start", "update_hazard", "update_plan", "verify_hazard", "visitor_out",
]
