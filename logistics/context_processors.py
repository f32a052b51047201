from django.conf import settings

from logistics.home import nav_items
from logistics.selectors import schools_for, unread_count


def logistics(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"brand_name": settings.SITE_NAME}
    return {
        "brand_name": settings.SITE_NAME,
        "current_school": request.school,
        "my_schools": lambda: list(schools_for(user)),  # evaluated only by the school switcher
        "unread_notifications": unread_count(user),
        "nav_items": nav_items(request),
    }
