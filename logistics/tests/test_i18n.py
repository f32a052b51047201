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


# Our translations Django's own catalogues outrank (its apps come first in INSTALLED_APPS) and whose
# wording is acceptable as Django has it: model field names seen in the admin and form labels.
SHADOW_ACCEPTED = {"active": "有效", "content type": "内容类型"}


def test_no_translation_of_ours_is_replaced_by_djangos():
    """A msgid without a context that Django also translates shows Django's text (the admin's
    "Filter" is 过滤器, not our 筛选): every such string carries a context, so what a user sees is
    one of our translations."""
    from pathlib import Path

    import polib
    from django.conf import settings
    from django.utils import translation

    ours: dict[str, set] = {}
    for po in sorted(Path(settings.BASE_DIR).glob("*/locale/zh_Hans/LC_MESSAGES/django.po")) + [
            Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"]:
        for entry in polib.pofile(str(po)):
            if entry.msgstr and not entry.msgctxt and not entry.obsolete and "fuzzy" not in entry.flags:
                ours.setdefault(entry.msgid, set()).add(entry.msgstr)
    assert len(ours) > 500
    with translation.override("zh-hans"):
        shadowed = {msgid: translation.gettext(msgid) for msgid, texts in ours.items() if translation.gettext(msgid) not in texts}
    assert shadowed == SHADOW_ACCEPTED
