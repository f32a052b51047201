"""Ingredients, dishes and weekly menus."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, TemplateView

from canteen import forms as f
from canteen.choices import MENU_STATUS_BADGE, MenuStatus
from canteen.models import (
    Dish,
    Ingredient,
    MenuItem,
    WeekMenu,
)
from canteen.nutrition import menu_summary, present
from canteen.services import menus
from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from canteen.views.base import PAGE, ServiceFormView, _apply_errors


# --- ingredients and dishes ----------------------------------------------------------------

class IngredientListView(SchoolScopedMixin, ListView):
    model = Ingredient
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        qs = super().get_queryset().order_by("school", "group", "name")
        q = self.request.GET.get("q", "").strip()
        return qs.filter(name__icontains=q) if q else qs


class IngredientCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.IngredientForm
    title = gettext_lazy("New ingredient")
    success_url = reverse_lazy("canteen:ingredient_list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("New ingredient")
        return ctx

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "name"}
        obj = menus.add_ingredient(school=self.request.school, by=self.request.user, name=form.cleaned_data["name"], **data)
        self.success_message = _("Ingredient added.")
        return obj


class DishListView(SchoolScopedMixin, ListView):
    model = Dish
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        return super().get_queryset().annotate(n_parts=Count("parts")).order_by("name", "pk")


class DishDetailView(SchoolScopedMixin, DetailView):
    history_panel = True
    model = Dish
    capability = "canteen.view"

    def get_context_data(self, **kwargs):
        from canteen.nutrition import dish_totals

        ctx = super().get_context_data(**kwargs)
        ctx["parts"] = self.object.parts.select_related("ingredient")
        from canteen.nutrition import labelled, nutrient_labels

        ctx["totals"] = totals = dish_totals(self.object)
        ctx["per_serving"] = labelled(totals.rounded())
        ctx["unknown_labels"] = [nutrient_labels()[n] for n in sorted(totals.unknown)]
        return ctx


class DishCreateView(SchoolScopedMixin, TemplateView):
    """New dish, or (with a pk) a change of an existing one: name and ingredients with grams."""

    capability = "canteen.manage"
    template_name = "canteen/dish_form.html"
    dish = None

    def get_dish(self):
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        dish = self.get_dish()
        initial = [{"ingredient": p.ingredient_id, "grams": p.grams} for p in dish.parts.all()] if dish else []
        ctx.setdefault("form", f.DishForm(initial={"name": dish.name, "note": dish.note} if dish else None))
        ctx.setdefault("formset", f.DishPartFormSet(initial=initial, form_kwargs={"school": self.request.school}))
        ctx["dish"] = dish
        return ctx

    def post(self, request, *args, **kwargs):
        form = f.DishForm(request.POST)
        formset = f.DishPartFormSet(request.POST, form_kwargs={"school": request.school})
        if form.is_valid() and formset.is_valid():
            parts = [(r["ingredient"], r["grams"]) for r in formset.cleaned_data if r.get("ingredient")]
            try:
                dish = menus.save_dish(school=request.school, by=request.user, name=form.cleaned_data["name"], note=form.cleaned_data["note"], parts=parts, dish=self.get_dish())
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Dish saved."))
                return HttpResponseRedirect(dish.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


# --- weekly menus --------------------------------------------------------------------------

class DishUpdateView(DishCreateView):
    def get_dish(self):
        if self.dish is None:
            self.dish = get_object_or_404(Dish.objects.for_user(self.request.user), pk=self.kwargs["dish_pk"])
            if not can(self.request.user, "canteen.manage", school=self.dish.school):
                raise PermissionDenied("canteen.manage")
        return self.dish


class MenuListView(SchoolScopedMixin, ListView):
    model = WeekMenu
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        return super().get_queryset().defer("nutrition_snapshot")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        school = self.request.school
        next_week = menus.monday_of(timezone.localdate()) + dt.timedelta(days=7)
        conf = menus.settings_for(school)
        ctx.update(next_week=next_week, late=menus.is_menu_late(school, next_week, conf=conf), deadline=menus.publish_deadline(school, next_week, conf=conf),
                   may_manage=can(self.request.user, "canteen.manage", school=school), detail_prefix=reverse("canteen:menu_list"))
        return ctx


class MenuCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.MenuCreateForm
    title = gettext_lazy("New weekly menu")
    success_url = reverse_lazy("canteen:menu_list")

    def perform(self, form):
        self.success_message = _("Menu created; add the dishes of each meal.")
        return menus.create_menu(school=self.request.school, week_start=form.cleaned_data["week_start"], by=self.request.user)


WEEK_FRAGMENT_VERSION = 1
WEEK_FRAGMENT_SECONDS = 7 * 24 * 3600


def week_rows(menu, conf) -> dict:
    """{"rows", "reference"} of a menu for ``_week.html``: the approved snapshot of a frozen week,
    the live computation of a draft (a fixed number of queries either way)."""
    return present(menu_summary(menu, meals=conf.meals(), age_group=conf.age_group))


def week_block(menu, conf, *, request=None, detail: bool = False, editable: bool = False) -> dict:
    """{"html", "reference"} of a week's grid. An approved or published week is frozen (its
    snapshot never changes once taken), so its rendering is cached per language; a draft is
    computed and rendered each time."""
    key = None
    if not editable and menu.status != MenuStatus.DRAFT and menu.nutrition_snapshot and menu.approved_at:
        stamp = int(menu.approved_at.timestamp() * 1000)
        key = f"canteen:week:v{WEEK_FRAGMENT_VERSION}:{menu.pk}:{stamp}:{get_language()}:{int(detail)}"
        html = cache.get(key)
        if html is not None:
            return {"html": mark_safe(html), "reference": present({"days": [], "reference": menu.nutrition_snapshot["reference"]})["reference"]}  # noqa: S308
    week = week_rows(menu, conf)
    html = render_to_string("canteen/_week.html", {"rows": week["rows"], "editable": editable, "show_day_detail": detail}, request=request)
    if key:
        cache.set(key, str(html), WEEK_FRAGMENT_SECONDS)
    return {"html": html, "reference": week["reference"]}


class MenuDetailView(SchoolScopedMixin, DetailView):
    history_panel = True
    model = WeekMenu
    capability = "canteen.view"

    def get_queryset(self):
        return super().get_queryset().select_related("school")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        menu = self.object
        conf = menus.settings_for(menu.school)
        editable = menu.status == MenuStatus.DRAFT and can(self.request.user, "canteen.manage", school=menu.school)
        week = week_block(menu, conf, request=self.request, detail=True, editable=editable)
        ctx.update(
            may_copy=can(self.request.user, "canteen.manage", school=menu.school),
            copy_to=max(menus.monday_of(timezone.localdate()) + dt.timedelta(days=7), menu.week_start + dt.timedelta(days=7)),
            week_html=week["html"], reference=week["reference"], badges=MENU_STATUS_BADGE, editable=editable,
            item_form=f.MenuItemForm(school=menu.school, meals=conf.meals(), initial={"day": menu.week_start}) if editable else None,
            events=menu.events.select_related("by"), deadline=menus.publish_deadline(menu.school, menu.week_start, conf=conf),
        )
        return ctx


class MenuItemAddView(ObjectActionView):
    model = WeekMenu
    capability = "canteen.manage"
    form_class = f.MenuItemForm

    def get_form_kwargs(self):
        return {"school": self.object.school}

    def perform(self, menu, form):
        menus.add_menu_item(menu, by=self.request.user, **form.cleaned_data)
        return _("Dish added to the menu.")


class MenuItemRemoveView(ObjectActionView):
    model = MenuItem
    capability = "canteen.manage"

    def get_success_url(self):
        return self.object.menu.get_absolute_url()

    def perform(self, item, form):
        menus.remove_menu_item(item, by=self.request.user)
        return _("Dish removed from the menu.")


class MenuApproveView(ObjectActionView):
    model = WeekMenu
    capability = "canteen.approve_menu"

    def perform(self, menu, form):
        menus.approve_menu(menu, by=self.request.user)
        return _("Menu approved.")


class MenuCopyView(ObjectActionView):
    """Start another week's draft from this week's dishes."""

    model = WeekMenu
    capability = "canteen.manage"
    form_class = f.MenuCreateForm

    def perform(self, menu, form):
        self.new = menus.copy_menu(menu, week_start=form.cleaned_data["week_start"], by=self.request.user)
        return _("Draft created from this week's dishes; change what differs.")

    def get_success_url(self):
        return getattr(self, "new", self.object).get_absolute_url()


class MenuReturnView(ObjectActionView):
    """An approver sends an approved, unpublished week back to draft, with a reason."""

    model = WeekMenu
    capability = "canteen.approve_menu"
    form_class = f.ReasonForm

    def perform(self, menu, form):
        menus.return_menu(menu, by=self.request.user, note=form.cleaned_data["reason"])
        return _("Menu sent back to draft.")


class MenuPublishView(ObjectActionView):
    model = WeekMenu
    capability = "canteen.manage"

    def perform(self, menu, form):
        _menu, late = menus.publish_menu(menu, by=self.request.user)
        if late:
            messages.warning(self.request, _("Published after the deadline."))
        return _("Menu published to parents.")


class MenuReviseView(ObjectActionView):
    model = WeekMenu
    capability = "canteen.manage"
    form_class = f.ReasonForm

    def perform(self, menu, form):
        self.new = menus.revise_menu(menu, by=self.request.user, reason=form.cleaned_data["reason"])
        return _("New revision created; parents keep seeing the published one until it is published.")

    def get_success_url(self):
        return getattr(self, "new", self.object).get_absolute_url()
