"""The school's annual budget lines (预算) and its approval policy (审批权限)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from logistics.roles import require
from procurement.models import ApprovalPolicy, BudgetLine
from procurement.selectors import forget_dashboard


def _amount(value, *, field) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError({field: _("Enter a valid amount.")}) from exc
    if amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    return amount


@transaction.atomic
def save_budget_line(school, *, by, line: BudgetLine | None = None, year: int, code: str, name: str, category: str,
                     amount) -> BudgetLine:
    """Create a budget line or change one. A line cannot be set below what is already committed
    on it (submitted or later), and it stays in its school."""
    from procurement.selectors import budget_used

    require(by, "procurement.budget", school=school)
    if line is not None and line.school_id != school.pk:
        raise ValidationError(_("The budget line belongs to another school."))
    code, name, category = (code or "").strip(), (name or "").strip(), (category or "").strip()
    amount = _amount(amount, field="amount")
    errors = {}
    if not code:
        errors["code"] = _("Enter a code.")
    if not name:
        errors["name"] = _("Enter a name.")
    if not category:
        errors["category"] = _("Enter the spending category.")
    if not 2000 <= int(year) <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    clash = BudgetLine.objects.filter(school=school, year=year, code=code)
    if line is not None:
        clash = clash.exclude(pk=line.pk)
        used = budget_used(line)
        if amount < used:
            errors["amount"] = _("¥%(used)s is already committed on this line; the amount cannot be lower.") % {
                "used": used}
        if int(year) != line.year and line.purchases.exists():
            errors["year"] = _("Requests use this line: its year cannot change.")
    if code and clash.exists():
        errors["code"] = _("This code is already used for that year.")
    if errors:
        raise ValidationError(errors)
    line = line or BudgetLine(school=school)
    line.year, line.code, line.name, line.category, line.amount = int(year), code, name, category, amount
    line.save()
    transaction.on_commit(lambda: forget_dashboard(school))
    return line


@transaction.atomic
def update_policy(school, *, by, principal_threshold, collective_threshold, min_quotes) -> ApprovalPolicy:
    """Change the school's thresholds. Requests already submitted keep the path they were given."""
    require(by, "procurement.policy", school=school)
    principal = _amount(principal_threshold, field="principal_threshold")
    collective = _amount(collective_threshold, field="collective_threshold")
    errors = {}
    if collective <= principal:
        errors["collective_threshold"] = _("The collective-decision amount must be above the principal's.")
    try:
        quotes = int(min_quotes)
    except (TypeError, ValueError):
        quotes = 0
    if not 1 <= quotes <= 10:
        errors["min_quotes"] = _("Between 1 and 10 quotes.")
    if errors:
        raise ValidationError(errors)
    policy = ApprovalPolicy.for_school(school)
    policy.principal_threshold, policy.collective_threshold, policy.min_quotes = principal, collective, quotes
    policy.save()
    return policy
