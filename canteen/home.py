"""Home-page cards of the canteen: the manager's to-dos, the parent's (and teacher's) meals today
and latest account. A fixed number of queries whatever the data: the manager's card 4
(missing samples, deliveries to sign with their count, the school's deadline, next week's menu),
the parent's 2."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canteen import selectors
from canteen.choices import Meal, ReceivingStatus
from canteen.models import Receiving
from canteen.services.menus import is_menu_late, monday_of, settings_for
from logistics.home import HomeCard, HomeItem, first_rows
from logistics.roles import Role, can, has_role

LIMIT = 5


def _manager_card(request) -> HomeCard:
    school = request.school
    today = timezone.localdate()
    items = []
    for meal, dishes in selectors.missing_samples(school, today).items():
        items.append(HomeItem(label=_("%(meal)s: %(n)s samples missing") % {"meal": Meal(meal).label, "n": len(dishes)}, url=reverse("canteen:sample_list"), badge=_("sample"), badge_class="danger"))
    pending, n_pending = first_rows(
        Receiving.objects.filter(school=school, status=ReceivingStatus.PENDING).exclude(checked_by=request.user).order_by("received_on", "pk"), LIMIT
    )
    for r in pending:
        items.append(HomeItem(label=_("Sign: %(item)s (%(date)s)") % {"item": r.item, "date": r.received_on.strftime("%m-%d")}, url=r.get_absolute_url(), badge=_("to sign"), badge_class="warning"))
    next_week = monday_of(today) + dt.timedelta(days=7)
    if is_menu_late(school, next_week, conf=settings_for(school)):
        items.insert(0, HomeItem(label=_("Next week's menu is late"), url=reverse("canteen:menu_list"), badge=_("late"), badge_class="danger"))
    count = len(items) - len(pending) + n_pending
    return HomeCard(title=_("Canteen today"), items=items, count=count, url=reverse("canteen:sample_list"), icon="egg-fried", order=20, empty_text=_("Samples taken, deliveries signed, menu on time."))


def _signer_card(request) -> HomeCard:
    """Logistics staff sign deliveries as the second person: what waits for them (1 query)."""
    pending, count = first_rows(
        Receiving.objects.filter(school=request.school, status=ReceivingStatus.PENDING).exclude(checked_by=request.user).order_by("received_on", "pk"), LIMIT
    )
    items = [HomeItem(label=_("Sign: %(item)s (%(date)s)") % {"item": r.item, "date": r.received_on.strftime("%m-%d")}, url=r.get_absolute_url(),
                      badge=_("to sign"), badge_class="warning") for r in pending]
    return HomeCard(title=_("Deliveries to sign"), items=items, count=count, url=reverse("canteen:receiving_list") + "?status=pending",
                    icon="clipboard-check", order=25, empty_text=_("No delivery waits for your signature."))


def _meals_card(request) -> HomeCard:
    school = request.school
    today = timezone.localdate()
    served = selectors.published_dishes_of_day(school, today)[:8]
    items = [HomeItem(label=f"{Meal(meal).label} · {name}", url=reverse("canteen:parent_home")) for meal, name in served]
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
    elif can(request.user, "canteen.sign_receiving", school=school):
        result.append(_signer_card(request))
    if has_role(request.user, Role.PARENT, school=school) or has_role(request.user, Role.TEACHER, school=school):
        result.append(_meals_card(request))
    return result
