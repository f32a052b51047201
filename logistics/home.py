"""Home page to-do cards and navigation, filled in by each domain app.

An app adds ``<app>/home.py`` with ``def cards(request) -> list[HomeCard]`` (return only the
cards the user's roles call for, each costing a fixed number of queries — ``first_rows(qs)``
gives a card's rows and its count in one) and ``<app>/nav.py`` with ``NAV = [NavItem(...)]``.
The core collects them in ``settings.DOMAIN_APPS`` order.

The assembled cards are cached per person, school, language and day for
``settings.HOME_CACHE_SECONDS``, under a version of the school's data that changes whenever
something may have changed it: any non-GET request of a member of the school
(``HomeCacheMiddleware``), any Celery task that finishes (``task_postrun``), ``seed_demo``.
So a person who acted, or whose school saw an action, gets fresh cards on the next view; only
time-dependent badges ("2 h left") may be up to that many seconds old.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Window
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from logistics.roles import can

log = logging.getLogger(__name__)


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


def first_rows(qs, limit: int = 5) -> tuple[list, int]:
    """The first ``limit`` rows of ``qs`` and the number of rows it has, in one query.

    ``COUNT(*) OVER ()`` is computed over every matching row before the LIMIT, so a card needs
    one query instead of two (rows, then ``count()``). ``qs`` must not use ``distinct()``.
    """
    rows = list(qs.annotate(_first_rows_total=Window(Count("*")))[:limit])
    return rows, (rows[0]._first_rows_total if rows else 0)


def notification_card(request) -> HomeCard | None:
    """The latest unread notifications (one query, none when the bell says there are none)."""
    from django.utils.translation import gettext as _

    from logistics.models import Notification
    from logistics.selectors import unread_count_for_request

    if not unread_count_for_request(request):
        return None
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


def district_card(request) -> HomeCard | None:
    """A district officer's overview: every school of the district, with the figures each app
    gives for all of them at once (``<app>/home.py: district_figures(school_ids) -> {id: [text]}``,
    one query per app whatever the number of schools)."""
    from django.utils.translation import gettext as _

    from logistics.models import School
    from logistics.roles import Role, has_role, school_ids_for

    if request.school is None or not has_role(request.user, Role.DISTRICT_OFFICER, school=request.school):
        return None
    schools = list(School.objects.filter(pk__in=school_ids_for(request.user), district_id=request.school.district_id).order_by("name"))
    ids = [s.pk for s in schools]
    figures: dict[int, list[str]] = {pk: [] for pk in ids}
    for app in settings.DOMAIN_APPS:
        module = _app_module(app, "home")
        for pk, texts in (getattr(module, "district_figures", lambda _ids: {})(ids) if module else {}).items():
            figures.setdefault(pk, []).extend(texts)
    try:
        dashboard = reverse("procurement:dashboard")  # the figures of the school shown now
    except NoReverseMatch:
        dashboard = ""
    items = [HomeItem(label=f"{s.name} · " + ("，".join(figures[s.pk]) if figures[s.pk] else _("nothing open")),
                      url=dashboard if s.pk == request.school.pk else "",
                      badge=_("shown now") if s.pk == request.school.pk else "", badge_class="primary")
             for s in schools]
    return HomeCard(title=_("Schools of the district"), items=items, count=len(schools), icon="buildings", order=1,
                    empty_text=_("No school in the district yet."))


def _build_cards(request) -> list[HomeCard]:
    result: list[HomeCard] = [card for card in (notification_card(request), district_card(request)) if card]
    for app in settings.DOMAIN_APPS:
        module = _app_module(app, "home")
        if module is not None and request.school is not None:
            result.extend(module.cards(request))
    return sorted(result, key=lambda c: c.order)


# --- the cache of the home cards -----------------------------------------------------------------

ALL_SCHOOLS = "all"


def _version_key(school_id) -> str:
    return f"home:v:{school_id}"


def data_version(school_id) -> str:
    """The current version of a school's data (and of everything), for the cache key."""
    keys = [_version_key(ALL_SCHOOLS), _version_key(school_id)]
    found = cache.get_many(keys)
    return "-".join(str(found.get(k, 0)) for k in keys)


def data_changed(school_ids=None) -> None:
    """Something in these schools (``None``: anywhere) may have changed: drop their home cards.

    Never fails: with the cache unreachable the cards are simply built afresh (see home_cards).
    """
    if not getattr(settings, "HOME_CACHE_SECONDS", 0):
        return
    for school_id in ([ALL_SCHOOLS] if school_ids is None else school_ids):
        key = _version_key(school_id)
        try:
            try:
                cache.incr(key)
            except ValueError:  # not there (first change, or evicted): a value never used before
                cache.set(key, time.time_ns(), None)
        except Exception:  # cache down: nothing is served from it either
            log.warning("home cards: cache unreachable, version of %s not bumped", school_id, exc_info=True)
            return


def home_cards(request) -> list[HomeCard]:
    seconds = getattr(settings, "HOME_CACHE_SECONDS", 0)
    if not seconds or request.school is None:
        return _build_cards(request)
    try:
        key = ":".join(str(part) for part in (
            "home:cards", request.user.pk, request.school.pk, translation.get_language(), timezone.localdate(),
            data_version(request.school.pk),
        ))
        cards = cache.get(key)
    except Exception:  # the cache is down: the page still works, without it
        log.warning("home cards: cache unreachable", exc_info=True)
        return _build_cards(request)
    if cards is None:
        cards = _build_cards(request)
        try:
            cache.set(key, cards, seconds)
        except Exception:
            log.warning("home cards: cache unreachable", exc_info=True)
    return cards


def cached_per_school(name: str, school, build, seconds: int = 600):
    """``build()`` cached per school until any change in the school (the version the home cards use:
    bumped after every non-GET request of a member and every task), so a new room shows at once;
    at most ``seconds`` old (figures that depend on the clock, such as "overdue", pass a short life).
    Off when ``HOME_CACHE_SECONDS`` is 0 (the tests); a cache outage only costs the rebuild."""
    if not getattr(settings, "HOME_CACHE_SECONDS", 0):
        return build()
    try:
        key = f"per-school:{name}:{school.pk}:{data_version(school.pk)}"
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is down: the page still works without it
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, seconds)
        except Exception:  # noqa: BLE001
            log.warning("per-school cache unreachable", exc_info=True)
    return value


class HomeCacheMiddleware:
    """After any request that may change data (not GET/HEAD/OPTIONS) by a signed-in person, the
    home cards of every school they belong to are rebuilt on their next view."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in self.SAFE and user is not None and user.is_authenticated:
            from logistics.roles import school_ids_for

            data_changed(None if user.is_superuser else school_ids_for(user))
        return response


# Tasks that never change what a home card shows.
QUIET_TASKS = frozenset({"logistics.tasks.heartbeat", "logistics.tasks.ping", "logistics.tasks.send_notification_email"})


def task_finished(sender=None, task=None, **kwargs) -> None:
    """Celery ``task_postrun``: a scheduled sweep may have changed any school."""
    name = getattr(task or sender, "name", "")
    if name not in QUIET_TASKS:
        data_changed(None)


NAV_ENTRIES: dict[tuple, tuple] = {}  # (roles, superuser, language, URL prefix) → the entries they may use


def nav_entries(user, school) -> tuple[tuple, ...]:
    """(url, label, icon, app) of every navigation entry the user's roles in the school may use:
    a function of the roles alone, so worked out once per set of roles (and language) per process."""
    from django.urls import get_script_prefix

    from logistics.roles import roles_in

    key = (roles_in(user, school), user.is_superuser and user.is_active, translation.get_language(), get_script_prefix())
    entries = NAV_ENTRIES.get(key)
    if entries is None:
        found = []
        for app in settings.DOMAIN_APPS:
            module = _app_module(app, "nav")
            for item in getattr(module, "NAV", []) if module else []:
                if can(user, item.capability, school=school):
                    try:
                        found.append((reverse(item.url_name), str(item.label), item.icon, app))
                    except NoReverseMatch:
                        continue
        entries = NAV_ENTRIES[key] = tuple(found)
    return entries


def nav_items(request) -> list[dict]:
    """Navigation entries the user's roles in the current school may use."""
    school = request.school
    if school is None or not request.user.is_active:
        return []
    return [{"url": url, "label": label, "icon": icon, "app": app, "active": request.path.startswith(url) and url != "/"}
            for url, label, icon, app in nav_entries(request.user, school)]


# Short menu titles: each app's entries are one dropdown of the top bar (twenty links side by
# side do not fit a desktop screen in English, let alone a phone).
NAV_GROUP_LABELS = {
    "assets": gettext_lazy("Property"),
    "repairs": gettext_lazy("Repairs"),
    "safety": gettext_lazy("Safety"),
    "canteen": gettext_lazy("Canteen"),
    "procurement": gettext_lazy("Purchasing"),
}


def nav_groups(items: list[dict]) -> list[dict]:
    """``nav_items`` grouped by app: one entry per app, a dropdown when it has several links."""
    groups: dict[str, dict] = {}
    for item in items:
        group = groups.setdefault(item["app"], {"app": item["app"], "label": NAV_GROUP_LABELS.get(item["app"], item["app"]),
                                                "icon": item["icon"], "items": [], "active": False})
        group["items"].append(item)
        group["active"] = group["active"] or item["active"]
    return list(groups.values())
