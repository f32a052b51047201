from django.conf import settings

from logistics.home import nav_groups, nav_items
from logistics.selectors import switchable_schools, unread_count_for_request


def logistics(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"brand_name": settings.SITE_NAME}
    items = nav_items(request)
    return {
        "brand_name": settings.SITE_NAME,
        "current_school": request.school,
        "my_schools": lambda: switchable_schools(request),  # evaluated only by the school switcher
        "unread_notifications": unread_count_for_request(request),
        "nav_items": items,
        "nav_groups": nav_groups(items),
        # what the top bar's menu is a function of ({% memo %} in base.html)
        "nav_key": (tuple(i["url"] for i in items), tuple(i["url"] for i in items if i["active"]), request.path == "/"),
    }
