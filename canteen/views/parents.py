"""Parents' view, feedback and satisfaction surveys."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from canteen import forms as f, selectors
from canteen.choices import Meal, SurveyStatus
from canteen.models import Feedback, Survey, SurveyResponse
from canteen.services import feedback, menus, safety, surveys
from logistics.home import data_version
from logistics.roles import Role, can, roles_in
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from canteen.views.base import PAGE, ServiceFormView
from canteen.views.menus import week_block


# --- parents and feedback ------------------------------------------------------------------

PARENT_PAGE_VERSION = 1


class ParentHomeView(SchoolScopedMixin, TemplateView):
    """What parents see: this and next week's published menus, prices, published accounts, the
    finance disclosures and the weekly feedback summary. The part every parent of the school sees
    alike is cached like the home cards: per school, language and week, dropped whenever the
    school's data changes (``logistics.home.data_version``)."""

    capability = "canteen.parent_view"
    template_name = "canteen/parent_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        school = self.request.school
        ctx.update(
            school_part=self.school_part(school),
            is_committee=safety.is_parent_committee(self.request.user, school),
            may_feedback=can(self.request.user, "canteen.feedback", school=school),
        )
        return ctx

    def school_part(self, school) -> str:
        monday = menus.monday_of(timezone.localdate())
        seconds = getattr(settings, "HOME_CACHE_SECONDS", 0)
        key = None
        if seconds:
            try:
                key = f"canteen:parent:v{PARENT_PAGE_VERSION}:{school.pk}:{get_language()}:{monday}:{data_version(school.pk)}"
                html = cache.get(key)
            except Exception:  # the cache is down: the page still works, without it
                key, html = None, None
            if html is not None:
                return mark_safe(html)  # noqa: S308 - our own rendering, cached
        html = render_to_string("canteen/_parent_school.html", self.school_context(school, monday))
        if key:
            try:
                cache.set(key, str(html), seconds)
            except Exception:
                pass
        return html

    def school_context(self, school, monday) -> dict:
        conf = selectors.parent_settings(school)
        starts = ((monday, _("This week")), (monday + dt.timedelta(days=7), _("Next week")))
        published = selectors.published_menus(school, [start for start, _label in starts])
        weeks = []
        for start, label in starts:
            menu = published.get(start)
            weeks.append({"label": label, "start": start, "menu": menu, "html": week_block(menu, conf)["html"] if menu else ""})
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
        from procurement.selectors import published_disclosures  # the finance disclosures are procurement's

        disclosures = [(d, reverse("procurement:disclosure_download", args=[d.pk])) for d in published_disclosures(school, audience="parent")[:6]]
        return {
            "disclosures": disclosures,
            "weeks": weeks, "prices": [(Meal(m).label, conf.price_of(m)) for m in conf.meals()], "accounts": list(reversed(accts)),
            "chart": chart, "conf": conf, "summary": selectors.feedback_week_summary(school, monday - dt.timedelta(days=7)),
        }


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
    title = gettext_lazy("Feedback to the canteen")
    success_url = reverse_lazy("canteen:feedback_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_teacher": Role.TEACHER in roles_in(self.request.user, self.request.school)}

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
    title = gettext_lazy("Open a satisfaction survey")
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
