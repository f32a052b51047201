"""``{% safety_tabs %}``: the tabs across the safety screens, for the person's roles.

One tag built in Python rather than seven template blocks with capability checks: it is on every
safety page, and every list there counts against the performance budget (issue 9)."""
from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import pgettext_lazy

from logistics.roles import can
from logistics.templatetags.logistics_tags import memoized

register = template.Library()

# (url name, label, capability or None, url names that light the tab)
TABS = [
    ("safety:inspection_today", pgettext_lazy("safety", "My inspections"), "safety.inspect", {"inspection_today"}),
    ("safety:inspection_list", pgettext_lazy("safety", "Inspection records"), None, {"inspection_list", "inspection_detail"}),
    ("safety:hazard_list", pgettext_lazy("safety", "Hazards"), None, {"hazard_list", "hazard_detail", "hazard_update"}),
    ("safety:visitor_list", pgettext_lazy("safety", "Visitors"), "safety.visitors", {"visitor_list", "visitor_create"}),
    ("safety:plan_list", pgettext_lazy("safety", "Plans"), None, {"plan_list", "plan_create", "plan_update"}),
    ("safety:drill_list", pgettext_lazy("safety", "Drills"), None, {"drill_list", "drill_create"}),
    ("safety:report_month", pgettext_lazy("safety", "Monthly report"), "safety.reports", {"report_month"}),
]


@register.simple_tag(takes_context=True)
def safety_tabs(context):
    request = context["request"]
    current = request.resolver_match.url_name if request.resolver_match else ""
    shown = tuple(capability is None or can(request.user, capability, school=request.school) for _url, _label, capability, _names in TABS)

    def build():
        items = [(" active" if current in names else "", reverse(url), str(label))
                 for (url, label, _capability, names), show in zip(TABS, shown) if show]
        links = format_html_join("", '<li class="nav-item"><a class="nav-link text-nowrap{}" href="{}">{}</a></li>', items)
        return format_html('<ul class="nav nav-pills flex-nowrap overflow-auto mb-3 small">{}</ul>', links)

    return memoized(("safety_tabs", current, shown), build)  # the links are the same for the same tabs shown
