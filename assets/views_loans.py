"""Borrowing and keys: lend, return, open/overdue loans, my loans."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from logistics.models import person_columns
from logistics.scoping import ObjectActionView, SchoolScopedMixin

from . import services
from .forms import LendForm
from .models import Asset, Loan
from .paging import PAGE, IdsFirstPaginator
from .views_base import ObjectFormView
from .views_damage import WrittenOffRefusalMixin


class LendView(WrittenOffRefusalMixin, ObjectFormView):
    model = Asset
    capability = "assets.lend"
    form_class = LendForm
    title = _("Lend")
    submit_label = _("Lend")
    help_text = _("A key is lent like any other asset. The borrower is reminded every day once the due date has passed.")
    action = "assets.lend_asset"

    def refusal(self, obj):
        if obj.loans.filter(returned_at__isnull=True).exists():
            return _("This asset is already lent out.")
        return super().refusal(obj)

    def form_extra(self):
        return {"school": self.object.school}

    def perform(self, obj, form):
        d = form.cleaned_data
        loan = services.lend_asset(obj, borrower=d["borrower"], due_date=d["due_date"], note=d["note"], by=self.request.user)
        return _("Lent to %(person)s until %(due)s.") % {"person": loan.borrower, "due": loan.due_date.isoformat()}


class ReturnView(ObjectActionView):
    model = Loan
    capability = "assets.lend"

    def get_success_url(self):
        from django.urls import reverse

        if self.request.POST.get("back") == "list":
            return reverse("assets:loan_list")
        return self.object.get_absolute_url()

    def perform(self, obj, form):
        services.return_asset(obj, by=self.request.user)
        return _("Returned.")


# What a loan row shows (``assets_tags.loan_rows``), as plain values: 25 loans × 3 objects cost more than the query.
LOAN_COLUMNS = ("pk", "asset_id", "asset__number", "asset__name", "due_date", "returned_at", *person_columns("borrower"))


class LoanPaginator(IdsFirstPaginator):
    columns = LOAN_COLUMNS


class LoanListView(SchoolScopedMixin, ListView):
    """Open loans of the school; ``?overdue=1`` shows only the overdue ones."""

    model = Loan
    capability = "assets.lend"
    paginator_class = LoanPaginator  # one query per page (keys from an index, rows joined, total alongside)
    paginate_by = PAGE
    template_name = "assets/loan_list.html"

    def get_queryset(self):
        qs = super().get_queryset().filter(returned_at__isnull=True).order_by("due_date", "id")
        if self.request.GET.get("overdue"):
            qs = qs.filter(due_date__lt=timezone.localdate())
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Loans and keys"), today=timezone.localdate(), mine=False, **kwargs)


class MyLoanListView(SchoolScopedMixin, ListView):
    model = Loan
    capability = "assets.borrow"
    paginator_class = LoanPaginator  # one query per page (keys from an index, rows joined, total alongside)
    paginate_by = PAGE
    template_name = "assets/loan_list.html"

    def get_queryset(self):
        return super().get_queryset().filter(borrower=self.request.user).order_by("-lent_at")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("My loans"), today=timezone.localdate(), mine=True, **kwargs)
