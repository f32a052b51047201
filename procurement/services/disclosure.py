"""The monthly finance disclosure (财务公开): versions that are never replaced, published by the
accountant, generated for every school by the monthly sweep."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.roles import Role, require
from logistics.services import notify_role
from logistics.workflow import claim


def generate_disclosure(school, *, year: int, month: int, by=None):
    """Render the month's disclosure as a NEW version (earlier versions are kept untouched)."""
    from django.core.files.base import ContentFile
    from django.db.models import Max

    from procurement.models import Disclosure
    from procurement.reports import build_disclosure

    if by is not None:
        require(by, "procurement.publish_disclosure", school=school)
    ctx, full, parent = build_disclosure(school, year, month)
    totals = {"purchases": str(ctx["purchase_total"]), "repairs": str(ctx["repair_total"]),
              "grand": str(ctx["grand_total"]), "count": len(ctx["purchases"])}
    if ctx["canteen"]:
        totals["canteen_profit"] = str(ctx["canteen"]["profit"])
    with transaction.atomic():
        version = (Disclosure.objects.filter(school=school, year=year, month=month)
                   .aggregate(v=Max("version"))["v"] or 0) + 1
        d = Disclosure(school=school, year=year, month=month, version=version, totals=totals, generated_by=by)
        name = f"{school.code}-{year}-{month:02d}-v{version}"
        d.file.save(f"{name}.pdf", ContentFile(full), save=False)
        d.parent_file.save(f"{name}-parent.pdf", ContentFile(parent), save=False)
        d.save()
    notify_role(school, Role.ACCOUNTANT, text=gettext_lazy("A monthly finance disclosure is ready to publish."),
                url=d.get_absolute_url(), key=f"procurement:disclosure:{d.pk}")
    return d


@transaction.atomic
def publish_disclosure(disclosure, *, by):
    """The accountant publishes one version; published versions are never changed."""
    from procurement.models import Disclosure

    require(by, "procurement.publish_disclosure", school=disclosure.school)
    if not claim(Disclosure, disclosure.pk, where={"published_at__isnull": True},
                 set={"published_at": timezone.now(), "published_by": by}):
        raise ValidationError(_("This report is already published."))
    disclosure.refresh_from_db()
    return disclosure


def generate_missing_disclosures(today=None) -> int:
    """Last month's report for every school that has none yet (safe to run hourly, twice, or on two
    workers at once: each school is generated under a lock on its row, and checked again inside it)."""
    from logistics.models import School
    from procurement.models import Disclosure

    today = today or timezone.localdate()
    last = today.replace(day=1) - timezone.timedelta(days=1)
    done = set(Disclosure.objects.filter(year=last.year, month=last.month).values_list("school_id", flat=True))
    made = 0
    for school_id in School.objects.exclude(pk__in=done).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            school = School.objects.select_for_update().get(pk=school_id)  # the other worker waits here
            if Disclosure.objects.filter(school=school, year=last.year, month=last.month).exists():
                continue  # made by another worker since the list was read
            generate_disclosure(school, year=last.year, month=last.month)
        made += 1
    return made
