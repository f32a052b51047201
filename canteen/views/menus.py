"""Ingredients, dishes and weekly menus."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from canteen import forms as f
from canteen.choices import MENU_STATUS_BADGE, Meal, MenuStatus
from canteen.models import (
    Dish,
    Ingredient,
    MenuItem,
    WeekMenu,
)
from canteen.nutrition import REFERENCE_NUTRIENTS, menu_nutrition
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
    title = _("New ingredient")
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

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        next_week = menus.monday_of(timezone.localdate()) + dt.timedelta(days=7)
        ctx.update(badges=MENU_STATUS_BADGE, form=f.MenuCreateForm(initial={"week_start": next_week}), next_week=next_week,
                   late=menus.is_menu_late(self.request.school, next_week), deadline=menus.publish_deadline(self.request.school, next_week))
        return ctx


class MenuCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.MenuCreateForm
    title = _("New weekly menu")
    success_url = reverse_lazy("canteen:menu_list")

    def perform(self, form):
        self.success_message = _("Menu created; add the dishes of each meal.")
        return menus.create_menu(school=self.request.school, week_start=form.cleaned_data["week_start"], by=self.request.user)


def _menu_grid(menu, nutrition):
    conf = menus.settings_for(menu.school)
    days = [menu.week_start + dt.timedelta(days=i) for i in range(7)]
    rows = []
    from canteen.nutrition import labelled

    for day in days:
        info = nutrition["days"].get(day)
        if info is not None:
            info["pct_labelled"] = labelled(info["check"]["pct"])
        if info is None and day.weekday() >= 5:
            continue
        meals = []
        for meal in conf.meals():
            m = (info or {}).get("meals", {}).get(meal)
            meals.append({"meal": meal, "label": Meal(meal).label, "data": m})
        rows.append({"day": day, "meals": meals, "info": info})
    return rows


class MenuDetailView(SchoolScopedMixin, DetailView):
    model = WeekMenu
    capability = "canteen.view"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        menu = self.object
        nutrition = menu_nutrition(menu)
        ctx.update(
            rows=_menu_grid(menu, nutrition), reference=nutrition["reference"], nutrients=REFERENCE_NUTRIENTS, badges=MENU_STATUS_BADGE,
            item_form=f.MenuItemForm(school=menu.school, initial={"day": menu.week_start}), events=menu.events.select_related("by"),
            deadline=menus.publish_deadline(menu.school, menu.week_start), revise_form=f.ReasonForm(),
            editable=menu.status == MenuStatus.DRAFT and can(self.request.user, "canteen.manage", school=menu.school),
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
