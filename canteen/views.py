"""Screens of the canteen: thin views over services and selectors."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from canteen import forms as f
from canteen import selectors
from canteen.filters import ReceivingFilter
from canteen.choices import MENU_STATUS_BADGE, RECEIVING_STATUS_BADGE, Meal, MenuStatus, ReceivingStatus, SurveyStatus
from canteen.models import (
    AccompaniedMeal,
    CloseUpCheck,
    DisinfectionLog,
    Dish,
    Feedback,
    HealthCertificate,
    Ingredient,
    MealSample,
    MenuItem,
    MonthAccount,
    NutrientReference,
    Receiving,
    Supplier,
    Survey,
    SurveyResponse,
    TrainingRecord,
    WeekMenu,
)
from canteen.nutrition import REFERENCE_NUTRIENTS, menu_nutrition
from canteen.services import accounts, feedback, menus, safety, surveys
from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin, pop_kept_input

PAGE = 25


def _apply_errors(form, exc: ValidationError):
    for msg in exc.messages:
        form.add_error(None, msg)


class ServiceFormView(SchoolScopedMixin, FormView):
    """A create form whose valid input goes to one service; a refusal is shown on the form."""

    template_name = "canteen/form.html"
    title = ""
    success_message = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "school" in self.form_class.__init__.__code__.co_varnames:
            kwargs["school"] = self.request.school
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, cancel_url=self.get_cancel_url(), **kwargs)

    def get_cancel_url(self):
        return self.success_url

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        if getattr(self, "object", None) is not None and hasattr(self.object, "get_absolute_url"):
            return self.object.get_absolute_url()
        return str(self.success_url)


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


# --- receiving -----------------------------------------------------------------------------

class SupplierListView(SchoolScopedMixin, ListView):
    model = Supplier
    capability = "canteen.view"
    paginate_by = PAGE


class SupplierCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.SupplierForm
    title = _("New supplier")
    success_url = reverse_lazy("canteen:supplier_list")

    def perform(self, form):
        form.instance.school = self.request.school
        self.success_message = _("Supplier saved.")
        return form.save()


class ReceivingListView(SchoolScopedMixin, ListView):
    model = Receiving
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        qs = super().get_queryset().select_related("supplier", "checked_by", "signed_by")
        self.filterset = ReceivingFilter(self.request.GET, queryset=qs)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(badges=RECEIVING_STATUS_BADGE, filter=self.filterset, **kwargs)


class ReceivingCreateView(ServiceFormView):
    capability = "canteen.sign_receiving"
    form_class = f.ReceivingForm
    title = _("Record a delivery")
    success_url = reverse_lazy("canteen:receiving_list")

    def perform(self, form):
        d = form.cleaned_data
        self.success_message = _("Delivery recorded; a second person must sign it.")
        return safety.record_receiving(school=self.request.school, by=self.request.user, **{k: d[k] for k in f.ReceivingForm.Meta.fields})


class ReceivingDetailView(SchoolScopedMixin, DetailView):
    model = Receiving
    capability = "canteen.view"

    def get_context_data(self, **kwargs):
        kept = pop_kept_input(self.request, reverse("canteen:receiving_reject", args=[self.object.pk])) or {}
        return super().get_context_data(badges=RECEIVING_STATUS_BADGE, retention_end=safety.retention_end(self.object), kept=kept, **kwargs)


class ReceivingSignView(ObjectActionView):
    model = Receiving
    capability = "canteen.sign_receiving"

    def perform(self, rec, form):
        safety.sign_receiving(rec, by=self.request.user)
        return _("Delivery accepted.")


class ReceivingRejectView(ObjectActionView):
    model = Receiving
    capability = "canteen.sign_receiving"
    form_class = f.ReasonForm

    def perform(self, rec, form):
        safety.reject_receiving(rec, by=self.request.user, reason=form.cleaned_data["reason"])
        return _("Delivery rejected.")


class ReceivingDeleteView(ObjectActionView):
    model = Receiving
    capability = "canteen.manage"

    def perform(self, rec, form):
        safety.delete_receiving(rec, by=self.request.user)
        return _("Record deleted.")

    def get_success_url(self):
        if Receiving.objects.filter(pk=self.object.pk).exists():
            return self.object.get_absolute_url()
        return reverse("canteen:receiving_list")


# --- samples, disinfection, certificates, accompanied meals --------------------------------

class SampleListView(SchoolScopedMixin, ListView):
    """Today's dashboard: meals of the published menu still missing a sample, then all samples."""

    model = MealSample
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        return super().get_queryset().select_related("dish", "taken_by", "discarded_by")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        missing = selectors.missing_samples(self.request.school, today)
        return super().get_context_data(
            today=today, missing=[(m, Meal(m).label, dishes) for m, dishes in missing.items()], now=timezone.now(), **kwargs
        )


class SampleCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.SampleForm
    title = _("Record a meal sample")
    success_url = reverse_lazy("canteen:sample_list")

    def get_initial(self):
        initial = super().get_initial()
        for key in ("meal", "dish"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        return initial

    def perform(self, form):
        self.success_message = _("Sample recorded.")
        return safety.record_sample(school=self.request.school, by=self.request.user, **form.cleaned_data)


class SampleDiscardView(ObjectActionView):
    model = MealSample
    capability = "canteen.manage"

    def perform(self, sample, form):
        safety.discard_sample(sample, by=self.request.user)
        return _("Sample discarded.")


class DisinfectionListView(SchoolScopedMixin, ListView):
    model = DisinfectionLog
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        return super().get_queryset().select_related("method", "by", "redone_by")


class DisinfectionCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.DisinfectionForm
    title = _("Record a disinfection batch")
    success_url = reverse_lazy("canteen:disinfection_list")

    def perform(self, form):
        redo = None
        if self.request.GET.get("redo"):
            redo = get_object_or_404(DisinfectionLog.objects.for_school(self.request.school), pk=self.request.GET["redo"])
        log = safety.record_disinfection(school=self.request.school, by=self.request.user, redo_of=redo, **form.cleaned_data)
        if log.below_minimum:
            messages.warning(self.request, _("Below the minimum for this method: disinfect this batch again."))
        self.success_message = _("Disinfection recorded.")
        return log


class CertificateListView(SchoolScopedMixin, ListView):
    model = HealthCertificate
    capability = "canteen.view"
    paginate_by = PAGE

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(today=today, warn_until=today + dt.timedelta(days=30), **kwargs)


class CertificateCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.CertificateForm
    title = _("New health certificate")
    success_url = reverse_lazy("canteen:certificate_list")

    def perform(self, form):
        form.instance.school = self.request.school
        self.success_message = _("Health certificate saved.")
        form.save()
        return None


class AccompaniedMealListView(SchoolScopedMixin, ListView):
    model = AccompaniedMeal
    capability = "canteen.parent_view"
    paginate_by = PAGE

    def get_queryset(self):
        qs = super().get_queryset().select_related("companion")
        if not can(self.request.user, "canteen.view", school=self.request.school):
            qs = qs.filter(companion=self.request.user)
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_record=safety.may_accompany(self.request.user, self.request.school),
            may_follow_up=can(self.request.user, "canteen.manage", school=self.request.school), **kwargs
        )


class AccompaniedMealCreateView(ServiceFormView):
    capability = "canteen.parent_view"
    form_class = f.AccompaniedMealForm
    title = _("Record an accompanied meal")
    success_url = reverse_lazy("canteen:accompanied_list")

    def perform(self, form):
        try:
            obj = safety.record_accompanied_meal(school=self.request.school, by=self.request.user, **form.cleaned_data)
        except PermissionDenied:
            raise
        self.success_message = _("Accompanied meal recorded.")
        return obj

    def get_success_url(self):
        return str(self.success_url)


class CommitteeReceivingView(SchoolScopedMixin, ListView):
    """Parents' committee: the last two weeks' deliveries, to record the checks they took part in."""

    model = Receiving
    capability = "canteen.parent_view"
    paginate_by = PAGE
    template_name = "canteen/committee_receiving.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.school and not safety.is_parent_committee(request.user, request.school):
            raise PermissionDenied("canteen.parent_committee")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        since = timezone.localdate() - dt.timedelta(days=14)
        return super().get_queryset().filter(received_on__gte=since).select_related("supplier", "committee_member")


class CommitteeCheckView(ObjectActionView):
    model = Receiving
    capability = "canteen.parent_view"
    form_class = f.CommitteeCheckForm

    def get_success_url(self):
        return reverse("canteen:committee_receiving")

    def perform(self, rec, form):
        safety.record_committee_check(rec, by=self.request.user, remarks=form.cleaned_data["remarks"])
        return _("Your check is recorded.")


# --- accounts ------------------------------------------------------------------------------

class AccountListView(SchoolScopedMixin, ListView):
    model = MonthAccount
    capability = "canteen.accounts"
    paginate_by = PAGE

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = selectors.account_rows(ctx["object_list"])
        return ctx


class AccountCreateView(ServiceFormView):
    capability = "canteen.accounts"
    form_class = f.AccountForm
    title = _("Open a month account")
    success_url = reverse_lazy("canteen:account_list")

    def perform(self, form):
        d = dict(form.cleaned_data)
        year, month = d.pop("year"), d.pop("month")
        if MonthAccount.objects.filter(school=self.request.school, year=year, month=month).exists():
            raise ValidationError(_("This month already has an account."))
        self.success_message = _("Month account saved.")
        return accounts.open_month(school=self.request.school, year=year, month=month, by=self.request.user, **d)


class AccountDetailView(SchoolScopedMixin, DetailView):
    model = MonthAccount
    capability = "canteen.accounts"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["figures"] = selectors.account_figures(self.object)
        if not self.object.is_closed:
            ctx["form"] = f.AccountEditForm(instance=self.object)
        return ctx


class AccountEditView(ObjectActionView):
    model = MonthAccount
    capability = "canteen.accounts"

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = f.AccountEditForm(request.POST, instance=MonthAccount.objects.get(pk=self.object.pk))
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    messages.error(request, f"{form.fields[field].label}: {error}" if field in form.fields else error)
            return HttpResponseRedirect(self.object.get_absolute_url())
        try:
            accounts.update_month(self.object, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("Month account saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class AccountCloseView(ObjectActionView):
    model = MonthAccount
    capability = "canteen.close_month"

    def perform(self, account, form):
        accounts.close_month(account, by=self.request.user)
        return _("Month closed; its account is now frozen.")


class AccountPublishView(ObjectActionView):
    model = MonthAccount
    capability = "canteen.close_month"

    def perform(self, account, form):
        accounts.publish_month(account, by=self.request.user)
        return _("Month account published to parents.")


# --- parents and feedback ------------------------------------------------------------------

class ParentHomeView(SchoolScopedMixin, TemplateView):
    """What parents see: this and next week's published menus, prices, published accounts."""

    capability = "canteen.parent_view"
    template_name = "canteen/parent_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        school = self.request.school
        monday = menus.monday_of(timezone.localdate())
        weeks = []
        for start, label in ((monday, _("This week")), (monday + dt.timedelta(days=7), _("Next week"))):
            menu = selectors.published_menu(school, start)
            nutrition = menu_nutrition(menu) if menu else None
            weeks.append({"label": label, "start": start, "menu": menu, "rows": _menu_grid(menu, nutrition) if menu else []})
        conf = menus.settings_for(school)
        conf = type(conf).objects.select_related("food_safety_officer", "food_safety_director").get(pk=conf.pk)
        accts = list(reversed(selectors.published_accounts(school, limit=12)))
        chart = {
            "type": "bar",
            "data": {
                "labels": [str(a) for a, _fig in accts],
                "datasets": [
                    {"label": str(_("Income")), "data": [float(fig["income"]) for _a, fig in accts]},
                    {"label": str(_("Food cost")), "data": [float(fig["food_cost"]) for _a, fig in accts]},
                    {"label": str(_("Profit or loss")), "data": [float(fig["profit"]) for _a, fig in accts]},
                ],
            },
            "options": {"responsive": True, "maintainAspectRatio": False},
        }
        ctx.update(
            weeks=weeks, prices=[(Meal(m).label, conf.price_of(m)) for m in conf.meals()], accounts=list(reversed(accts)), chart=chart,
            summary=selectors.feedback_week_summary(school, monday - dt.timedelta(days=7)),
            is_committee=safety.is_parent_committee(self.request.user, school), conf=conf,
        )
        return ctx


class FeedbackListView(SchoolScopedMixin, ListView):
    """The canteen manager sees all feedback; everyone else sees their own and the replies."""

    model = Feedback
    capability = "canteen.parent_view"
    paginate_by = PAGE

    def get_queryset(self):
        qs = super().get_queryset().select_related("author", "replied_by")
        if not can(self.request.user, "canteen.reply_feedback", school=self.request.school):
            qs = qs.filter(author=self.request.user)
        return qs

    def get_context_data(self, **kwargs):
        monday = menus.monday_of(timezone.localdate())
        return super().get_context_data(
            summary=selectors.feedback_week_summary(self.request.school, monday), reply_form=f.ReplyForm(), form=f.FeedbackForm(), **kwargs
        )


class FeedbackCreateView(ServiceFormView):
    capability = "canteen.feedback"
    form_class = f.FeedbackForm
    title = _("Feedback to the canteen")
    success_url = reverse_lazy("canteen:feedback_list")

    def perform(self, form):
        self.success_message = _("Thank you; the canteen will reply.")
        return feedback.submit_feedback(school=self.request.school, by=self.request.user, **form.cleaned_data)


class FeedbackReplyView(ObjectActionView):
    model = Feedback
    capability = "canteen.reply_feedback"
    form_class = f.ReplyForm

    def perform(self, fb, form):
        feedback.reply_feedback(fb, by=self.request.user, reply=form.cleaned_data["reply"])
        return _("Reply sent.")


# --- satisfaction surveys ------------------------------------------------------------------

class SurveyListView(SchoolScopedMixin, ListView):
    """Open surveys to answer and published results; the canteen manager sees every survey."""

    model = Survey
    capability = "canteen.parent_view"
    paginate_by = PAGE

    def get_queryset(self):
        qs = super().get_queryset()
        self.manager = can(self.request.user, "canteen.manage", school=self.request.school)
        return qs if self.manager else qs.filter(status__in=[SurveyStatus.OPEN, SurveyStatus.PUBLISHED])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        answered = set(SurveyResponse.objects.filter(respondent=self.request.user, survey__in=ctx["object_list"]).values_list("survey_id", flat=True))
        results = selectors.survey_results_many([s.pk for s in ctx["object_list"]])
        ctx["rows"] = [
            (s, results[s.pk] if (s.status == SurveyStatus.PUBLISHED or self.manager) else None, s.pk in answered)
            for s in ctx["object_list"]
        ]
        ctx.update(manager=self.manager, answer_form=f.SurveyAnswerForm(), open_form=f.SurveyOpenForm())
        return ctx


class SurveyOpenView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.SurveyOpenForm
    title = _("Open a satisfaction survey")
    success_url = reverse_lazy("canteen:survey_list")

    def perform(self, form):
        self.success_message = _("Survey opened to parents and teachers.")
        surveys.open_survey(school=self.request.school, by=self.request.user, term=form.cleaned_data["term"])
        return None


class SurveyAnswerView(ObjectActionView):
    model = Survey
    capability = "canteen.parent_view"
    form_class = f.SurveyAnswerForm

    def get_success_url(self):
        return reverse("canteen:survey_list")

    def perform(self, survey, form):
        surveys.answer_survey(survey, by=self.request.user, **form.cleaned_data)
        return _("Thank you for your answers.")


class SurveyCloseView(ObjectActionView):
    model = Survey
    capability = "canteen.manage"

    def get_success_url(self):
        return reverse("canteen:survey_list")

    def perform(self, survey, form):
        surveys.close_survey(survey, by=self.request.user)
        return _("Survey closed.")


class SurveyPublishView(SurveyCloseView):
    def perform(self, survey, form):
        surveys.publish_survey(survey, by=self.request.user)
        return _("Results published to parents and teachers.")


# --- school settings and daily records -----------------------------------------------------

class SettingsEditView(SchoolScopedMixin, FormView):
    """Meals served, prices, pupils' age group, menu deadline, meal end times, the named officers."""

    capability = "canteen.manage"
    form_class = f.CanteenSettingsForm
    template_name = "canteen/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(school=self.request.school, instance=menus.settings_for(self.request.school))
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Canteen settings"), cancel_url=reverse("canteen:menu_list"), **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Settings saved."))
        return HttpResponseRedirect(reverse("canteen:settings_edit"))


class CloseUpListView(SchoolScopedMixin, ListView):
    model = CloseUpCheck
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        return super().get_queryset().select_related("by")

    def get_context_data(self, **kwargs):
        done = CloseUpCheck.objects.filter(school=self.request.school, day=timezone.localdate()).exists()
        return super().get_context_data(form=f.CloseUpForm(), done_today=done, **kwargs)


class CloseUpCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.CloseUpForm
    title = _("Close-of-day check")
    success_url = reverse_lazy("canteen:closeup_list")

    def perform(self, form):
        safety.record_closeup(school=self.request.school, by=self.request.user, day=timezone.localdate(), **form.cleaned_data)
        self.success_message = _("Close-of-day check recorded.")
        return None


class TrainingListView(SchoolScopedMixin, ListView):
    model = TrainingRecord
    capability = "canteen.view"
    paginate_by = PAGE


class TrainingCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.TrainingForm
    title = _("New training record")
    success_url = reverse_lazy("canteen:training_list")

    def perform(self, form):
        form.instance.school = self.request.school
        form.save()
        self.success_message = _("Training record saved.")
        return None


class ReferenceListView(SchoolScopedMixin, ListView):
    model = NutrientReference
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        return super().get_queryset().order_by("school", "age_group", "sex")


class ReferenceCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.ReferenceForm
    title = _("School reference intake")
    success_url = reverse_lazy("canteen:reference_list")

    def perform(self, form):
        form.instance.school = self.request.school
        form.save()
        self.success_message = _("Reference saved; it now takes precedence for that age group.")
        return None


class AccompaniedFollowUpView(ObjectActionView):
    model = AccompaniedMeal
    capability = "canteen.manage"
    form_class = f.FollowUpForm

    def get_success_url(self):
        return reverse("canteen:accompanied_list")

    def perform(self, record, form):
        safety.follow_up_accompanied_meal(record, by=self.request.user, follow_up=form.cleaned_data["follow_up"])
        return _("Follow-up recorded.")
