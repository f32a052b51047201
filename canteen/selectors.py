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

    return WeekMenu.objects.filter(school=school, week_start=week_start, status=MenuStatus.PUBLISHED).defer("nutrition_snapshot").order_by("-revision").first()


def published_menus(school, week_starts) -> dict:
    """{week start: current published revision} for several weeks in one query."""
    from canteen.choices import MenuStatus
    from canteen.models import WeekMenu

    found = {}
    for menu in WeekMenu.objects.filter(school=school, week_start__in=list(week_starts), status=MenuStatus.PUBLISHED).order_by("week_start", "revision"):
        found[menu.week_start] = menu  # the highest revision wins
    return found


def published_dishes_of_day(school, day: dt.date) -> list[tuple[str, str]]:
    """[(meal, dish name)] of the day as published (from the week's approved snapshot; 1 query)."""
    from canteen.models import MenuItem

    menu = published_menus(school, [day - dt.timedelta(days=day.weekday())]).get(day - dt.timedelta(days=day.weekday()))
    if menu is None:
        return []
    if menu.nutrition_snapshot:
        for row in menu.nutrition_snapshot["days"]:
            if row["day"] == day.isoformat():
                return [(m["meal"], d["name"]) for m in row["meals"] if m["data"] for d in m["data"]["dishes"]]
        return []
    return [(i.meal, i.dish.name) for i in MenuItem.objects.filter(menu=menu, day=day).select_related("dish").order_by("meal", "pk")]


def parent_settings(school):
    """The canteen settings with the named food-safety officer and director (one query; defaults
    when the school has not set anything yet)."""
    from canteen.models import CanteenSettings

    conf = CanteenSettings.objects.filter(school=school).select_related("food_safety_officer", "food_safety_director").first()
    return conf or CanteenSettings(school=school)


def missing_samples(school, day: dt.date) -> dict[str, list]:
    """{meal: [dish, …]} of the day's published menu that have no retained sample (1 query)."""
    return missing_samples_by_school([day], schools=[school]).get((school.pk, day), {})


def missing_samples_by_school(days, *, schools=None) -> dict[tuple, dict[str, list]]:
    """{(school id, day): {meal: [dish, …]}} for the published menus of ``days`` (of ``schools``,
    default every school): dishes without a retained sample, in one query however many schools.

    A week has at most one published revision at a time (publishing supersedes the older one)."""
    from django.db.models import Exists, F, OuterRef, Q

    from canteen.choices import MenuStatus
    from canteen.models import MealSample, MenuItem

    taken = MealSample.objects.filter(school=OuterRef("menu__school"), day=OuterRef("day"), meal=OuterRef("meal"), dish=OuterRef("dish"))
    on_days = Q()
    for day in days:
        on_days |= Q(menu__week_start=day - dt.timedelta(days=day.weekday()), day=day)
    items = MenuItem.objects.filter(on_days, menu__status=MenuStatus.PUBLISHED)
    if schools is not None:
        items = items.filter(menu__school__in=schools)
    items = (items.filter(~Exists(taken)).annotate(school_ref=F("menu__school_id")).select_related("dish")
             .order_by("menu__school_id", "day", "meal", "pk"))
    missing: dict[tuple, dict[str, list]] = {}
    for item in items:
        missing.setdefault((item.school_ref, item.day), {}).setdefault(item.meal, []).append(item.dish)
    return missing


def served_today(school, day: dt.date) -> bool:
    from canteen.choices import MenuStatus
    from canteen.models import MenuItem

    return MenuItem.objects.filter(menu__school=school, menu__week_start=day - dt.timedelta(days=day.weekday()), menu__status=MenuStatus.PUBLISHED, day=day).exists()


def current_certificates(school=None):
    """Each worker's latest health certificate (an older one replaced by a renewal is not current),
    of ``school`` or, with None, of every school (the sweep)."""
    from django.db.models import Exists, OuterRef

    from canteen.models import HealthCertificate

    renewed = HealthCertificate.objects.filter(school=OuterRef("school"), staff_name=OuterRef("staff_name"), expires_on__gt=OuterRef("expires_on"))
    certificates = HealthCertificate.objects.all() if school is None else HealthCertificate.objects.filter(school=school)
    return certificates.filter(~Exists(renewed))


def expiring_certificates(school, *, today: dt.date, days: int = 30):
    """Current certificates that expire within ``days`` (or have expired): a renewed one no longer
    warns. ``school=None``: of every school."""
    return current_certificates(school).filter(expires_on__lte=today + dt.timedelta(days=days)).order_by("expires_on")


def batches_to_redo(school):
    """Disinfection batches below the minimum that have not been disinfected again."""
    from canteen.models import DisinfectionLog

    return DisinfectionLog.objects.filter(school=school, below_minimum=True, redone_by__isnull=True).select_related("method")


def feedback_week_summary(school, monday: dt.date) -> dict:
    """每周公示: counts of the week's feedback by kind and how many were answered (1 query)."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from canteen.choices import FeedbackKind
    from canteen.models import Feedback

    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min))
    rows = (Feedback.objects.filter(school=school, created_at__gte=start, created_at__lt=end).order_by()
            .values_list("kind").annotate(n=Count("pk"), answered=Count("replied_at"), students=Count("pk", filter=Q(from_student=True))))
    summary = {"monday": monday, "total": 0, "answered": 0, "from_students": 0, **{k: 0 for k in FeedbackKind.values}}
    for kind, n, answered, students in rows:
        summary[kind] = n
        summary["total"] += n
        summary["answered"] += answered
        summary["from_students"] += students
    return summary


def account_rows(accounts) -> list[tuple]:
    """(account, figures) for a page of month accounts of one school, in two queries at most."""
    from django.db.models.functions import ExtractMonth, ExtractYear

    accounts = list(accounts)
    open_ = [a for a in accounts if a.food_cost_closed is None]
    costs = {}
    if open_:
        # the open months as one date range: the (school, received_on, status) index reads just
        # those deliveries (``received_on__year__in`` is a function of the column: every delivery)
        first = min(dt.date(a.year, a.month, 1) for a in open_)
        last = max(dt.date(a.year, a.month, 1) for a in open_)
        rows = (
            Receiving.objects.filter(school_id=open_[0].school_id, status=ReceivingStatus.ACCEPTED,
                                     received_on__gte=first, received_on__lt=(last + dt.timedelta(days=32)).replace(day=1))
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
