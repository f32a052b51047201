from django.utils.translation import gettext_lazy as _

from logistics.home import NavItem

NAV = [
    NavItem("canteen:parent_home", _("School meals"), "canteen.parent_view", "egg-fried"),
    NavItem("canteen:menu_list", _("Canteen"), "canteen.view", "journal-text"),
    NavItem("canteen:account_list", _("Canteen accounts"), "canteen.accounts", "cash-coin"),
]
