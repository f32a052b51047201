from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("School logistics core")

    def ready(self):
        from django.utils.autoreload import file_changed

        from logistics.templatetags.logistics_tags import forget_memo

        file_changed.connect(forget_memo, dispatch_uid="logistics.forget_memo")
