from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django.views.i18n import set_language as django_set_language

from logistics import services
from logistics.paging import rows_paginator
from logistics.forms import RoomForm
from logistics.home import home_cards
from logistics.middleware import SESSION_KEY
from logistics.models import Notification, Room, defer_people
from logistics.roles import Role, roles_in, school_ids_for
from logistics.idempotency import OneSubmissionMixin
from logistics.scoping import SchoolScopedMixin


@login_required
def home(request):
    roles = sorted(roles_in(request.user, request.school)) if request.school else []
    labels = dict(Role.choices)
    return render(
        request,
        "logistics/home.html",
        {"cards": home_cards(request), "role_labels": [labels[r] for r in roles]},
    )


class NotificationListView(SchoolScopedMixin, ListView):
    model = Notification
    paginate_by = 25
    # a page is plain values, what an entry shows (``logistics_tags.notification_rows``)
    paginator_class = rows_paginator(lambda qs: qs.values("pk", "text", "read_at", "created_at", "school__name"))

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)


@login_required
@require_POST
def notification_open(request, pk):
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(note)
    target = note.url or reverse("notification_list")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notification_list")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_all_read(request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notification_list")


@login_required
@require_POST
def switch_school(request):
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        school_id = None
    if school_id not in school_ids_for(request.user) and not request.user.is_superuser:
        raise PermissionDenied
    request.session[SESSION_KEY] = school_id
    return redirect("home")


@require_POST
def set_language(request):
    """Django's set_language, remembering the choice on the user for e-mails and notifications."""
    response = django_set_language(request)
    lang = request.POST.get("language")
    if request.user.is_authenticated and lang in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=request.user.pk).update(language=lang)
    return response


class RoomListView(SchoolScopedMixin, ListView):
    model = Room
    capability = "core.view"
    paginate_by = 25  # as every list of the apps: a phone's stacked table

    def get_queryset(self):
        return defer_people(super().get_queryset().select_related("building"), "custodian")


class RoomDetailView(SchoolScopedMixin, DetailView):
    history_panel = True
    model = Room
    capability = "core.view"

    def get_queryset(self):
        return super().get_queryset().select_related("building", "custodian", "school")


class RoomCreateView(OneSubmissionMixin, SchoolScopedMixin, CreateView):
    model = Room
    form_class = RoomForm
    capability = "core.manage_rooms"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "school": self.request.school}

    def form_valid(self, form):
        form.instance.school = self.request.school
        messages.success(self.request, _("Room saved."))
        return super().form_valid(form)


class RoomUpdateView(SchoolScopedMixin, UpdateView):
    model = Room
    form_class = RoomForm
    capability = "core.manage_rooms"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "school": self.object.school}

    def form_valid(self, form):
        messages.success(self.request, _("Room saved."))
        return super().form_valid(form)
