from django.utils.translation import gettext_lazy as _

from logistics.home import NavItem

NAV = [
    NavItem("assets:asset_list", _("Property register"), "assets.view", "archive"),
    NavItem("assets:storeitem_list", _("Store room"), "assets.store_view", "box-seam"),
    NavItem("assets:loan_mine", _("My loans"), "assets.borrow", "key"),
]
