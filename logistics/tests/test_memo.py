"""{% memo %}: a fragment is rendered once per language, URL prefix and listed values, and the
menus that use it (the top bar, the app menus) still show each person what their roles allow."""
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from logistics.roles import Role
from logistics.templatetags import logistics_tags
from logistics.tests.factories import member


@pytest.fixture(autouse=True)
def fresh_memo():
    logistics_tags.MEMO.clear()
    yield
    logistics_tags.MEMO.clear()


class Counter:
    def __init__(self):
        self.calls = 0

    def __str__(self):
        self.calls += 1
        return str(self.calls)


TEMPLATE = Template('{% load i18n %}{% memo "t" flag %}<a href="{% url "home" %}">{% translate "Home" %}</a> {{ counter }} {{ flag }}{% endmemo %}')


def test_a_fragment_is_rendered_once_then_copied():
    counter = Counter()
    first = TEMPLATE.render(Context({"counter": counter, "flag": True}))
    second = TEMPLATE.render(Context({"counter": counter, "flag": True}))
    assert first == second and counter.calls == 1


def test_each_listed_value_and_each_language_has_its_own_copy():
    counter = Counter()
    with translation.override("zh-hans"):
        zh = TEMPLATE.render(Context({"counter": counter, "flag": True}))
        other_flag = TEMPLATE.render(Context({"counter": counter, "flag": False}))
    with translation.override("en"):
        en = TEMPLATE.render(Context({"counter": counter, "flag": True}))
    assert "首页" in zh and "True" in zh and "False" in other_flag and "Home" in en
    assert counter.calls == 3


def test_an_unhashable_value_is_rendered_every_time():
    counter = Counter()
    for _ in range(2):
        TEMPLATE.render(Context({"counter": counter, "flag": ["not", "hashable"]}))
    assert counter.calls == 2


def test_the_memo_starts_afresh_when_full(monkeypatch):
    monkeypatch.setattr(logistics_tags, "MEMO_MAX", 3)
    for n in range(5):
        TEMPLATE.render(Context({"counter": Counter(), "flag": n}))
    assert 0 < len(logistics_tags.MEMO) <= 3


def test_template_changes_forget_the_copies():
    TEMPLATE.render(Context({"counter": Counter(), "flag": 1}))
    from django.utils.autoreload import file_changed

    file_changed.send(sender=None, file_path=Path(settings.BASE_DIR) / "templates" / "base.html")
    assert logistics_tags.MEMO == {}


def test_the_top_bar_and_the_app_menu_follow_the_roles_on_memoized_pages(client, school):
    """The same pages, one person after another: each sees the links of their own roles, the
    active link of the page they are on, in their language."""
    inbox, stats = reverse("repairs:repair_list"), reverse("repairs:repair_stats")
    client.force_login(member(Role.LOGISTICS_DIRECTOR, school))
    director = client.get(reverse("repairs:repair_mine")).content.decode()
    assert f'href="{inbox}"' in director and f'href="{stats}"' in director
    client.force_login(member(Role.TEACHER, school))
    teacher = client.get(reverse("repairs:repair_mine")).content.decode()
    assert f'href="{inbox}"' not in teacher and f'href="{stats}"' not in teacher  # not the director's copy
    assert reverse("repairs:repair_create") in teacher
    report = reverse("repairs:repair_create")
    assert f'class="nav-link active" href="{report}"' in client.get(report).content.decode()  # the page it is on
    home = client.get("/").content.decode()
    assert 'class="nav-link active" href="/"' in home and f'class="nav-link" href="{report}"' in home
    client.cookies["django_language"] = "en"
    assert "Report a fault" in client.get(reverse("repairs:repair_mine")).content.decode()


def test_the_canteen_menu_is_copied_but_only_shown_to_who_may_see_it(client, school):
    client.force_login(member(Role.CANTEEN_MANAGER, school))
    manager = client.get(reverse("canteen:sample_list")).content.decode()
    assert f'href="{reverse("canteen:survey_list")}"' in manager
    client.force_login(member(Role.PARENT, school))
    parent = client.get(reverse("canteen:parent_home")).content.decode()
    assert f'href="{reverse("canteen:sample_list")}"' not in parent
