"""The principal's dashboard: figures equal the lists they link to, a fixed number of queries at
two sizes, and the shared cache (dropped by procurement writes, short-lived for the other apps)."""
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logistics.roles import Role
from procurement import services
from procurement.selectors import DASHBOARD_TTL, dashboard_cache_key, published_disclosures
from procurement.tests.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def submit(school, staff, *, price="100", qty="5", line=None, quotes=False):
    p = services.create_purchase(school=school, by=staff, title="桌椅", reason="新班", budget_line=line or BudgetLineFactory(school=school),
                                 items=[{"name": "桌", "quantity": Decimal(qty), "unit": "张", "unit_price": Decimal(price)}])
    if quotes:
        for i, a in enumerate(("2000", "2100", "2200")):
            services.add_quote(p, by=staff, supplier=f"S{i}", amount=Decimal(a), chosen=i == 0)
    services.submit_purchase(p, by=staff)
    return p


def pks_listed(html):
    return {int(n) for n in re.findall(r'href="/procurement/(\d+)/"', html)}


def test_figures_equal_the_lists_they_link_to(school, login_as, make_member, django_capture_on_commit_callbacks):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    line = BudgetLineFactory(school=school, year=timezone.localdate().year, amount=Decimal("50000"), name="教学设备")
    with django_capture_on_commit_callbacks(execute=True):
        small = submit(school, staff, line=line)
        big = submit(school, staff, price="200", qty="10", line=line, quotes=True)
        services.approve_purchase(big, by=director)  # now waits for the principal
    principal = login_as(Role.PRINCIPAL)
    r = principal.get(reverse("procurement:dashboard"))
    ctx, html = r.context, r.content.decode()
    assert (ctx["waiting"], ctx["waiting_all"], ctx["spent_month"]) == (1, 2, Decimal("2500"))
    assert (ctx["budget"], ctx["used"], ctx["remaining"]) == (Decimal("50000"), Decimal("2500"), Decimal("47500"))
    for name, url in ctx["urls"].items():
        if url:
            assert f'href="{url}"' in html.replace("&amp;", "&"), name
            assert principal.get(url).status_code == 200, name
    assert pks_listed(principal.get(ctx["urls"]["waiting"]).content.decode()) == {big.pk}
    assert pks_listed(principal.get(ctx["urls"]["waiting_all"]).content.decode()) == {small.pk, big.pk}
    month_page = principal.get(ctx["urls"]["spent_month"]).content.decode()
    assert pks_listed(month_page) == {small.pk, big.pk}
    assert 'data-chart="budget-chart"' in html and 'id="budget-chart"' in html
    assert login_as(Role.TEACHER).get(reverse("procurement:dashboard")).status_code == 403


def test_query_count_is_fixed_at_two_sizes_and_the_cache_is_used(school, login_as, make_member,
                                                                 django_capture_on_commit_callbacks):
    staff = make_member(Role.LOGISTICS_STAFF)
    year = timezone.localdate().year
    principal = login_as(Role.PRINCIPAL)
    url = reverse("procurement:dashboard")
    with django_capture_on_commit_callbacks(execute=True):
        submit(school, staff, line=BudgetLineFactory(school=school, year=year))
    with CaptureQueriesContext(connection) as small:
        principal.get(url)
    with CaptureQueriesContext(connection) as cached:
        principal.get(url)
    assert len(cached) < len(small)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            submit(school, staff, line=BudgetLineFactory(school=school, year=year))
    cache.clear()
    with CaptureQueriesContext(connection) as big:
        r = principal.get(url)
    assert len(big) == len(small)
    assert r.context["waiting_all"] == 7 and len(r.context["lines"]) == 7


def test_a_submission_drops_the_cached_figures_at_once(school, login_as, make_member,
                                                       django_capture_on_commit_callbacks):
    staff = make_member(Role.LOGISTICS_STAFF)
    line = BudgetLineFactory(school=school, year=timezone.localdate().year)
    principal = login_as(Role.PRINCIPAL)
    assert principal.get(reverse("procurement:dashboard")).context["spent_month"] == 0
    assert cache.get(dashboard_cache_key(school.pk)) is not None and DASHBOARD_TTL <= 300
    with django_capture_on_commit_callbacks(execute=True):
        submit(school, staff, line=line)
    assert cache.get(dashboard_cache_key(school.pk)) is None
    assert principal.get(reverse("procurement:dashboard")).context["spent_month"] == Decimal("500")


def test_published_disclosures_selector_for_parents_and_staff(school, other_school, make_member):
    acc = make_member(Role.ACCOUNTANT)
    draft = services.generate_disclosure(school, year=2026, month=9, by=acc)
    oct1 = services.publish_disclosure(services.generate_disclosure(school, year=2026, month=10, by=acc), by=acc)
    oct2 = services.publish_disclosure(services.generate_disclosure(school, year=2026, month=10, by=acc), by=acc)
    nov = services.publish_disclosure(services.generate_disclosure(school, year=2026, month=11, by=acc), by=acc)
    services.publish_disclosure(services.generate_disclosure(other_school, year=2026, month=11), by=make_member(
        Role.ACCOUNTANT, other_school))
    assert list(published_disclosures(school, audience="staff")) == [nov, oct2, oct1]
    assert list(published_disclosures(school, audience="parent")) == [nov, oct2]
    assert draft not in published_disclosures(school, audience="staff")
    with pytest.raises(ValueError):
        published_disclosures(school, audience="everyone")
