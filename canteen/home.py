"""Home-page cards of the canteen: the manager's to-dos, the parent's week and latest account."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canteen import selectors
from canteen.choices import Meal, ReceivingStatus
from canteen.models import MenuItem, Receiving
from canteen.services.menus import is_menu_late, monday_of
from logistics.home import HomeCard, HomeItem
from logistics.roles import Role, can, has_role


def _manager_card(request) -> HomeCard:
    school = request.school
    today = timezone.localdate()
    items = []
    for meal, dishes in selectors.missing_samples(school, today).items():
        items.append(HomeItem(label=_("%(meal)s: %(n)s samples missing") % {"meal": Meal(meal).label, "n": len(dishes)}, url=reverse("canteen:sample_list"), badge=_("sample"), badge_class="danger"))
    pending = list(Receiving.objects.filter(school=school, status=ReceivingStatus.PENDING).exclude(checked_by=request.user).order_by("received_on", "pk")[:5])
    for r in pending:
        items.append(HomeItem(label=_("Sign: %(item)s (%(date)s)") % {"item": r.item, "date": r.received_on.strftime("%m-%d")}, url=r.get_absolute_url(), badge=_("to sign"), badge_class="warning"))
    next_week = monday_of(today) + dt.timedelta(days=7)
    if is_menu_late(school, next_week):
        items.insert(0, HomeItem(label=_("Next week's menu is late"), url=reverse("canteen:menu_list"), badge=_("late"), badge_class="danger"))
    return HomeCard(title=_("Canteen today"), items=items, count=len(items), url=reverse("canteen:sample_list"), icon="egg-fried", order=20, empty_text=_("Samples taken, deliveries signed, menu on time."))


def _parent_card(request) -> HomeCard:
    school = request.school
    today = timezone.localdate()
    menu = selectors.published_menu(school, monday_of(today))
    items = []
    if menu is not None:
        for item in MenuItem.objects.filter(menu=menu, day=today).select_related("dish").order_by("meal", "pk")[:8]:
            items.append(HomeItem(label=f"{item.get_meal_display()} · {item.dish.name}", url=reverse("canteen:parent_home")))
    latest = selectors.published_accounts(school, limit=1)
    if latest:
        account, fig = latest[0]
        items.append(HomeItem(label=_("Account %(month)s: food-cost share %(share)s%%") % {"month": account, "share": fig["food_cost_share"]}, url=reverse("canteen:parent_home") + "#accounts"))
    return HomeCard(title=_("Today's meals"), items=items, url=reverse("canteen:parent_home"), icon="egg-fried", order=30, empty_text=_("No published menu for today."))


def cards(request) -> list[HomeCard]:
    school = request.school
    result = []
    if can(request.user, "canteen.manage", school=school):
        result.append(_manager_card(request))
    if has_role(request.user, Role.PARENT, school=school):
        result.append(_parent_card(request))
    return result
