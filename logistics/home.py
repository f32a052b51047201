"""Home page to-do cards and navigation, filled in by each domain app.

An app adds ``<app>/home.py`` with ``def cards(request) -> list[HomeCard]`` (return only the
cards the user's roles call for, each costing a fixed number of queries) and ``<app>/nav.py``
with ``NAV = [NavItem(...)]``. The core collects them in ``settings.DOMAIN_APPS`` order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from logistics.roles import can


@dataclass
class HomeItem:
    label: str
    url: str = ""
    badge: str = ""  # short text shown at the right, e.g. "overdue" or a time
    badge_class: str = "secondary"  # Bootstrap colour


@dataclass
class HomeCard:
    title: str
    items: list[HomeItem] = field(default_factory=list)
    count: int | None = None
    url: str = ""  # "see all"
    empty_text: str = ""
    icon: str = "list-check"
    order: int = 50  # lower comes first


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    capability: str
    icon: str = "circle"


def _app_module(app: str, name: str):
    try:
        return import_module(f"{app}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{app}.{name}":
            return None
        raise


def notification_card(request) -> HomeCard | None:
    """The latest unread notifications (one query), shown first when there are any."""
    from django.utils.translation import gettext as _

    from logistics.models import Notification

    unread = list(Notification.objects.filter(recipient=request.user, read_at__isnull=True).order_by("-created_at", "-pk")[:5])
    if not unread:
        return None
    return HomeCard(
        title=_("Unread notifications"),
        items=[HomeItem(label=n.text, url=reverse("notification_list"), badge=f"{n.created_at:%m-%d}") for n in unread],
        url=reverse("notification_list"),
        icon="bell",
        order=0,
    )


def home_cards(request) -> list[HomeCard]:
    result: list[HomeCard] = [card] if (card := notification_card(request)) else []
    for app in settings.DOMAIN_APPS:
        module = _app_module(app, "home")
        if module is not None and request.school is not None:
            result.extend(module.cards(request))
    return sorted(result, key=lambda c: c.order)


def nav_items(request) -> list[dict]:
    """Navigation entries the user's roles in the current school may use."""
    items = []
    school = request.school
    if school is None:
        return items
    for app in settings.DOMAIN_APPS:
        module = _app_module(app, "nav")
        for item in getattr(module, "NAV", []) if module else []:
            if can(request.user, item.capability, school=school):
                try:
                    url = reverse(item.url_name)
                except NoReverseMatch:
                    continue
                items.append({"url": url, "label": item.label, "icon": item.icon, "app": app,
                              "active": request.path.startswith(url) and url != "/"})
    return items
