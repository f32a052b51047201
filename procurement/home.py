"""Home-page cards of procurement: approvals waiting, reimbursements and disclosures for the
accountant, the requester's own open requests. Each card costs a fixed number of queries."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from logistics.home import HomeCard, HomeItem, first_rows
from logistics.roles import can
from procurement.choices import OPEN_STATUSES, PURCHASE_STATUS_BADGE, PurchaseStatus
from procurement.models import Disclosure, PurchaseRequest
from procurement.selectors import awaiting_my_signature


def _items(rows):
    return [HomeItem(label=f"#{p.pk} {p.title} · ¥{p.total}", url=p.get_absolute_url(),
                     badge=p.get_status_display(), badge_class=PURCHASE_STATUS_BADGE.get(p.status, "secondary"))
            for p in rows]


def cards(request) -> list[HomeCard]:
    school, user = request.school, request.user
    if school is None:
        return []
    out = []
    if can(user, "procurement.approve_small", school=school) or can(user, "procurement.approve_large", school=school):
        qs = awaiting_my_signature(school, user)
        rows, count = first_rows(qs.order_by("submitted_at", "pk"))
        out.append(HomeCard(title=_("Purchases waiting for my approval"), items=_items(rows), count=count,
                            url=reverse("procurement:purchase_list") + "?status=submitted", icon="pen", order=15,
                            empty_text=_("Nothing waits for your approval.")))
    if can(user, "procurement.reimburse", school=school):
        qs = PurchaseRequest.objects.for_school(school).filter(status=PurchaseStatus.RECEIVED)
        rows, count = first_rows(qs.order_by("received_at", "pk"))
        items = _items(rows)
        drafts = list(Disclosure.objects.for_school(school).filter(published_at__isnull=True)
                      .order_by("-year", "-month", "-version")[:3])
        items += [HomeItem(label=_("Disclosure %(m)s to publish") % {"m": str(d)},
                           url=reverse("procurement:disclosure_list"), badge=_("to publish"), badge_class="warning")
                  for d in drafts]
        out.append(HomeCard(title=_("To reimburse and publish"), items=items, count=count + len(drafts),
                            url=reverse("procurement:purchase_list") + "?status=received", icon="cash-coin", order=25,
                            empty_text=_("No reimbursements or reports waiting.")))
    if can(user, "procurement.request", school=school):
        qs = PurchaseRequest.objects.for_school(school).filter(requester=user,
                                                                status__in=OPEN_STATUSES | {PurchaseStatus.DRAFT})
        rows, count = first_rows(qs.order_by("-updated_at", "-pk"))
        out.append(HomeCard(title=_("My purchase requests"), items=_items(rows), count=count,
                            url=reverse("procurement:purchase_list") + "?mine=true", icon="cart", order=40,
                            empty_text=_("No open purchase requests.")))
    return out
