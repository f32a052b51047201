import os
import shutil

import pytest
from django.core.management import call_command


def test_every_user_facing_string_has_a_chinese_translation():
    """Extracts every string marked for translation (Python and templates) into scratch copies of
    the catalogues and fails, listing them, if any lacks a zh-hans translation."""
    if not shutil.which("xgettext"):
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs GNU gettext (installed by the setup command)")
    call_command("i18n", "--check", verbosity=0)


def test_settings_are_chinese_first_in_shanghai(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
