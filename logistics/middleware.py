"""Sets ``request.school``: the school the user is working in now (chosen in the navbar)."""
from django.utils import translation

SESSION_KEY = "school_id"


def current_school(request):
    user = request.user
    if not user.is_authenticated:
        return None
    from logistics.models import School
    from logistics.roles import school_ids_for

    ids = school_ids_for(user)
    wanted = request.session.get(SESSION_KEY)
    if user.is_superuser and not ids:
        school = School.objects.filter(pk=wanted).first() if wanted else None
        return school or School.objects.order_by("pk").first()
    if not ids:
        return None
    pk = wanted if wanted in ids else ids[0]
    return School.objects.select_related("district").get(pk=pk)


class LanguageMiddleware:
    """Chinese unless the person chose otherwise: the language cookie (set by the switcher), else
    the user's saved language (applied by CurrentSchoolMiddleware), else LANGUAGE_CODE. The
    browser's Accept-Language is deliberately ignored: a school's system speaks Chinese first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        lang = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class CurrentSchoolMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = current_school(request)
        user = getattr(request, "user", None)
        # A signed-in user's saved language applies unless they chose one in this browser.
        if user is not None and user.is_authenticated and not request.COOKIES.get("django_language"):
            if user.language and user.language != translation.get_language():
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before anything else (first in MIDDLEWARE).

    A load balancer probes each instance by its address, over plain HTTP: those requests carry
    a Host that is not in ALLOWED_HOSTS and no HTTPS, so behind the other middleware they would
    get a 400 or a redirect instead of the instance's health. No session, no user: cheap."""

    PATHS = {"/healthz": "healthz", "/readyz": "readyz"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = self.PATHS.get(request.path_info)
        if name is None:
            return self.get_response(request)
        from logistics import health

        return getattr(health, name)(request)
