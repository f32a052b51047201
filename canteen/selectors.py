"""Reads of the canteen shared by views, home cards, tasks and other apps."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from canteen.choices import ReceivingStatus
from canteen.models import MonthAccount, Receiving

CENT = Decimal("0.01")


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def food_cost(school, year: int, month: int) -> Decimal:
    """Sum of the accepted food receiving records of the month."""
    start, end = month_bounds(year, month)
    total = Receiving.objects.filter(
        school=school, status=ReceivingStatus.ACCEPTED, received_on__gte=start, received_on__lt=end
    ).aggregate(t=Sum("amount"))["t"]
    return (total or Decimal("0")).quantize(CENT)


def account_figures(account: MonthAccount, *, cost: Decimal | None = None) -> dict:
    """Income, costs, profit and food-cost share of a month account."""
    if account.income_entered is not None:
        income = account.income_entered
    else:
        income = Decimal(account.students) * Decimal(account.days) * account.price_per_day
    income = Decimal(income).quantize(CENT)
    if account.food_cost_closed is not None:
        cost = account.food_cost_closed
    elif cost is None:
        cost = food_cost(account.school_id and account.school, account.year, account.month)
    other = account.other_cost.quantize(CENT)
    profit = (income - cost - other).quantize(CENT)
    share = (cost * 100 / income).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if income else Decimal("0.0")
    return {
        "income": income,
        "food_cost": cost.quantize(CENT),
        "other_cost": other,
        "profit": profit,
        "food_cost_share": share,
        "closed": account.is_closed,
        "published": account.is_published,
    }


def month_account(school, year, month) -> dict | None:
    """Contract for other apps: the canteen account of one month, or None if none was opened.

    Keys: income, food_cost, other_cost, profit, food_cost_share (Decimal percent of income),
    closed (bool), published (bool).
    """
    account = MonthAccount.objects.filter(school=school, year=year, month=month).first()
    if account is None:
        return None
    return account_figures(account)


def published_accounts(school, *, limit: int = 12) -> list[tuple[MonthAccount, dict]]:
    """The last published months with their figures (published months are closed, so frozen)."""
    rows = list(MonthAccount.objects.filter(school=school, published_at__isnull=False).order_by("-year", "-month")[:limit])
    return [(a, account_figures(a, cost=a.food_cost_closed or Decimal("0"))) for a in rows]


# --- menus and samples ---------------------------------------------------------------------

def published_menu(school, week_start: dt.date):
    """The current published revision of a week, or None (parents see nothing else)."""
    from canteen.choices import MenuStatus
    from canteen.models import WeekMenu

    return WeekMenu.objects.filter(school=school, week_start=week_start, status=MenuStatus.PUBLISHED).order_by("-revision").first()


def missing_samples(school, day: dt.date) -> dict[str, list]:
    """{meal: [dish, …]} of the day's published menu that have no retained sample (3 queries)."""
    from canteen.models import MealSample, MenuItem

    monday = day - dt.timedelta(days=day.weekday())
    menu = published_menu(school, monday)
    if menu is None:
        return {}
    taken = set(MealSample.objects.filter(school=school, day=day).values_list("meal", "dish_id"))
    missing: dict[str, list] = {}
    for item in MenuItem.objects.filter(menu=menu, day=day).select_related("dish").order_by("meal", "pk"):
        if (item.meal, item.dish_id) not in taken:
            missing.setdefault(item.meal, []).append(item.dish)
    return missing


def expiring_certificates(school, *, today: dt.date, days: int = 30):
    from canteen.models import HealthCertificate

    return HealthCertificate.objects.filter(school=school, expires_on__lte=today + dt.timedelta(days=days)).order_by("expires_on")


def batches_to_redo(school):
    """Disinfection batches below the minimum that have not been disinfected again."""
    from canteen.models import DisinfectionLog

    return DisinfectionLog.objects.filter(school=school, below_minimum=True, redone_by__isnull=True).select_related("method")


def feedback_week_summary(school, monday: dt.date) -> dict:
    """每周公示: counts of the week's feedback by kind and how many were answered (1 query)."""
    from django.db.models import Count, Q

    from canteen.models import Feedback

    qs = Feedback.objects.filter(school=school, created_at__date__gte=monday, created_at__date__lt=monday + dt.timedelta(days=7))
    agg = qs.aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(replied_at__isnull=False)),
        suggestion=Count("pk", filter=Q(kind="suggestion")), complaint=Count("pk", filter=Q(kind="complaint")), praise=Count("pk", filter=Q(kind="praise")),
    )
    return {"monday": monday, **agg}


def account_rows(accounts) -> list[tuple]:
    """(account, figures) for a page of month accounts of one school, in two queries at most."""
    from django.db.models.functions import ExtractMonth, ExtractYear

    accounts = list(accounts)
    open_ = [a for a in accounts if a.food_cost_closed is None]
    costs = {}
    if open_:
        years = {a.year for a in open_}
        rows = (
            Receiving.objects.filter(school_id=open_[0].school_id, status=ReceivingStatus.ACCEPTED, received_on__year__in=years)
            .annotate(y=ExtractYear("received_on"), m=ExtractMonth("received_on"))
            .values("y", "m")
            .annotate(t=Sum("amount"))
        )
        costs = {(r["y"], r["m"]): r["t"] for r in rows}
    return [(a, account_figures(a, cost=Decimal(costs.get((a.year, a.month)) or 0).quantize(CENT))) for a in accounts]


def survey_results(survey) -> dict:
    """Mean score per question (1 decimal) and the number of answers (1 query)."""
    from django.db.models import Avg, Count

    from canteen.choices import SURVEY_QUESTIONS

    agg = survey.responses.aggregate(n=Count("pk"), **{k: Avg(k) for k, _l in SURVEY_QUESTIONS})
    return {
        "count": agg["n"],
        "scores": [(label, Decimal(str(agg[k])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if agg[k] is not None else None) for k, label in SURVEY_QUESTIONS],
    }


def survey_results_many(survey_ids) -> dict:
    """{survey id: results} for a page of surveys in one query (same shape as ``survey_results``)."""
    from django.db.models import Avg, Count

    from canteen.choices import SURVEY_QUESTIONS
    from canteen.models import SurveyResponse

    rows = SurveyResponse.objects.filter(survey_id__in=list(survey_ids)).values("survey_id").annotate(n=Count("pk"), **{k: Avg(k) for k, _l in SURVEY_QUESTIONS})
    out = {sid: {"count": 0, "scores": [(label, None) for _k, label in SURVEY_QUESTIONS]} for sid in survey_ids}
    for r in rows:
        out[r["survey_id"]] = {
            "count": r["n"],
            "scores": [(label, Decimal(str(r[k])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if r[k] is not None else None) for k, label in SURVEY_QUESTIONS],
        }
    return out
