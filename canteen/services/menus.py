"""Dishes and weekly menus: plan, approve, publish by the deadline; published weeks are frozen and
changed only through a new, audited revision."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canteen.choices import MENU_TRANSITIONS, Meal, MenuStatus
from canteen.models import CanteenSettings, Dish, DishIngredient, Ingredient, MenuEvent, MenuItem, WeekMenu
from logistics.audit import refused
from logistics.roles import require
from logistics.workflow import move


def settings_for(school) -> CanteenSettings:
    """The school's canteen settings, or the defaults (unsaved) until the school saves its own:
    reading them never writes (GET pages call this)."""
    return CanteenSettings.objects.filter(school=school).first() or CanteenSettings(school=school)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def publish_deadline(school, week_start: dt.date, *, conf: CanteenSettings | None = None) -> dt.datetime:
    """End of the deadline day in the week before (default: the Friday before)."""
    weekday = (conf or settings_for(school)).menu_deadline_weekday
    day = week_start - dt.timedelta(days=7) + dt.timedelta(days=min(int(weekday), 6))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def is_menu_late(school, week_start: dt.date, *, now=None, conf: CanteenSettings | None = None) -> bool:
    """True when the deadline has passed and the week has no published menu."""
    now = now or timezone.now()
    if now <= publish_deadline(school, week_start, conf=conf):
        return False
    return not WeekMenu.objects.filter(school=school, week_start=week_start, status=MenuStatus.PUBLISHED).exists()


def _event(menu, *, by, frm, to, note=""):
    MenuEvent.objects.create(menu=menu, by=by, from_status=frm, to_status=to, note=note[:300])


# --- ingredients and dishes ----------------------------------------------------------------

def add_ingredient(*, school, by, name: str, **values) -> Ingredient:
    """A school's own ingredient (values per 100 g edible part; empty = unknown)."""
    require(by, "canteen.manage", school=school)
    from canteen.composition import energy_flag

    ing = Ingredient(school=school, name=name, source=_("entered by the school"), **values)
    ing.energy_flag = energy_flag(ing.energy_kcal, ing.protein_g, ing.fat_g, ing.carbohydrate_g)
    ing.full_clean()
    ing.save()
    return ing


@transaction.atomic
def save_dish(*, school, by, name: str, parts: list[tuple[Ingredient, Decimal]], dish: Dish | None = None, note: str = "") -> Dish:
    """Create or change a dish with its ingredients (grams per serving of edible part)."""
    require(by, "canteen.manage", school=school)
    if not parts:
        raise ValidationError(_("A dish needs at least one ingredient."))
    for ing, grams in parts:
        if ing.school_id not in (None, school.pk):
            raise ValidationError(_("Unknown ingredient."))
        if Decimal(grams) <= 0:
            raise ValidationError(_("Grams per serving must be more than 0."))
    if dish is None:
        dish = Dish.objects.create(school=school, name=name, note=note)
    else:
        dish.name, dish.note = name, note
        dish.save()
        dish.parts.all().delete()
    DishIngredient.objects.bulk_create([DishIngredient(dish=dish, ingredient=i, grams=Decimal(g)) for i, g in parts])
    return dish


# --- weekly menus --------------------------------------------------------------------------

@transaction.atomic
def create_menu(*, school, week_start: dt.date, by) -> WeekMenu:
    require(by, "canteen.manage", school=school)
    if week_start.weekday() != 0:
        raise ValidationError(_("A weekly menu starts on a Monday."))
    if WeekMenu.objects.filter(school=school, week_start=week_start).exists():
        raise ValidationError(_("This week already has a menu; open it, or make a new revision of the published one."))
    menu = WeekMenu.objects.create(school=school, week_start=week_start, created_by=by)
    _event(menu, by=by, frm="", to=MenuStatus.DRAFT)
    return menu


@transaction.atomic
def copy_menu(source: WeekMenu, *, week_start: dt.date, by) -> WeekMenu:
    """A new draft for another week with the dishes of ``source`` on the same weekdays and meals
    (planning from a week that worked is quicker than dish by dish); meals the school no longer
    serves are left out."""
    menu = create_menu(school=source.school, week_start=week_start, by=by)
    shift = week_start - source.week_start
    served = set(settings_for(source.school).meals())
    MenuItem.objects.bulk_create(
        [MenuItem(menu=menu, day=i.day + shift, meal=i.meal, dish_id=i.dish_id) for i in source.items.all() if i.meal in served]
    )
    MenuEvent.objects.filter(menu=menu).update(note=_("copied from the week of %(week)s") % {"week": source.week_start})
    return menu


def _check_editable(menu: WeekMenu, *, by, action: str) -> None:
    """Only a draft changes (the status is read from the database, not from a stale object)."""
    current = WeekMenu.objects.filter(pk=menu.pk).values_list("status", flat=True).first()
    if current != MenuStatus.DRAFT:
        raise refused(_("Only a draft menu can be changed; a published week needs a new revision."), obj=menu, by=by, action=action)


def approved_snapshot(menu: WeekMenu) -> dict:
    """The week's dishes and nutrition as they are now, to keep with an approved menu."""
    from canteen.nutrition import live_summary

    conf = settings_for(menu.school)
    return live_summary(menu, meals=conf.meals(), age_group=conf.age_group)


@transaction.atomic
def add_menu_item(menu: WeekMenu, *, day: dt.date, meal: str, dish: Dish, by) -> MenuItem:
    require(by, "canteen.manage", school=menu.school)
    _check_editable(menu, by=by, action="canteen.menu_item_add")
    if not menu.week_start <= day < menu.week_start + dt.timedelta(days=7):
        raise ValidationError(_("The day is not in this menu's week."))
    if meal not in settings_for(menu.school).meals():
        raise ValidationError(_("The canteen does not serve %(meal)s.") % {"meal": Meal(meal).label})
    if dish.school_id != menu.school_id:
        raise ValidationError(_("Unknown dish."))
    return MenuItem.objects.create(menu=menu, day=day, meal=meal, dish=dish)


@transaction.atomic
def remove_menu_item(item: MenuItem, *, by) -> None:
    require(by, "canteen.manage", school=item.menu.school)
    _check_editable(item.menu, by=by, action="canteen.menu_item_remove")
    item.delete()


@transaction.atomic
def approve_menu(menu: WeekMenu, *, by, note: str = "") -> WeekMenu:
    require(by, "canteen.approve_menu", school=menu.school)
    if not menu.items.exists():
        raise ValidationError(_("An empty menu cannot be approved."))
    _check_editable(menu, by=by, action="canteen.menu_approve")
    # What is approved is frozen now: dishes, their nutrition and the reference of the day.
    frm = move(menu, MenuStatus.APPROVED, transitions=MENU_TRANSITIONS,
               extra={"approved_by": by, "approved_at": timezone.now(), "nutrition_snapshot": approved_snapshot(menu)})
    _event(menu, by=by, frm=frm, to=MenuStatus.APPROVED, note=note)
    return menu


@transaction.atomic
def return_menu(menu: WeekMenu, *, by, note: str) -> WeekMenu:
    """Send an approved menu back to draft (e.g. a dish is not available)."""
    require(by, "canteen.approve_menu", school=menu.school)
    if menu.status != MenuStatus.APPROVED:
        raise refused(_("Only an approved, unpublished menu can be sent back."), obj=menu, by=by, action="canteen.menu_return")
    frm = move(menu, MenuStatus.DRAFT, transitions=MENU_TRANSITIONS, extra={"approved_by": None, "approved_at": None, "nutrition_snapshot": None})
    _event(menu, by=by, frm=frm, to=MenuStatus.DRAFT, note=note)
    return menu


@transaction.atomic
def publish_menu(menu: WeekMenu, *, by) -> tuple[WeekMenu, bool]:
    """Publish an approved menu; returns (menu, late). A previous published revision is superseded."""
    require(by, "canteen.manage", school=menu.school)
    late = timezone.now() > publish_deadline(menu.school, menu.week_start)
    if menu.status != MenuStatus.APPROVED:
        raise refused(_("Only an approved menu can be published."), obj=menu, by=by, action="canteen.menu_publish")
    older = list(WeekMenu.objects.filter(school=menu.school, week_start=menu.week_start, status=MenuStatus.PUBLISHED).exclude(pk=menu.pk))
    extra = {"published_at": timezone.now()}
    if not menu.nutrition_snapshot:  # approved before snapshots existed
        extra["nutrition_snapshot"] = approved_snapshot(menu)
    frm = move(menu, MenuStatus.PUBLISHED, transitions=MENU_TRANSITIONS, extra=extra)
    _event(menu, by=by, frm=frm, to=MenuStatus.PUBLISHED, note=_("published after the deadline") if late else "")
    for old in older:
        move(old, MenuStatus.SUPERSEDED, transitions=MENU_TRANSITIONS)
        _event(old, by=by, frm=MenuStatus.PUBLISHED, to=MenuStatus.SUPERSEDED, note=_("replaced by revision %(n)s") % {"n": menu.revision})
    return menu, late


@transaction.atomic
def revise_menu(menu: WeekMenu, *, by, reason: str) -> WeekMenu:
    """A new draft revision of a published week, with its items copied; the reason is recorded."""
    require(by, "canteen.manage", school=menu.school)
    if menu.status != MenuStatus.PUBLISHED:
        raise ValidationError(_("Only a published menu is revised; change the draft directly."))
    if not reason.strip():
        raise ValidationError(_("Say why the published menu changes."))
    if WeekMenu.objects.filter(school=menu.school, week_start=menu.week_start, status__in=[MenuStatus.DRAFT, MenuStatus.APPROVED]).exists():
        raise ValidationError(_("A revision of this week is already being prepared."))
    last = WeekMenu.objects.filter(school=menu.school, week_start=menu.week_start).order_by("-revision").first()
    new = WeekMenu.objects.create(school=menu.school, week_start=menu.week_start, revision=last.revision + 1, reason=reason, created_by=by)
    MenuItem.objects.bulk_create([MenuItem(menu=new, day=i.day, meal=i.meal, dish_id=i.dish_id) for i in menu.items.all()])
    _event(new, by=by, frm="", to=MenuStatus.DRAFT, note=reason)
    _event(menu, by=by, frm=MenuStatus.PUBLISHED, to=MenuStatus.PUBLISHED, note=_("revision %(n)s started: %(reason)s") % {"n": new.revision, "reason": reason})
    return new
