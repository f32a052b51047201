"""``makemessages`` for this project: one catalogue per app, and a completeness check.

Each domain app keeps its own catalogue in ``<app>/locale/zh_Hans/LC_MESSAGES/django.po``,
holding the strings of ``<app>/`` *and* of ``templates/<app>/``; everything else (the core,
``templates/base.html``, ``templates/_partials/`` …) goes to ``locale/``. So several people can
translate several apps at once without touching one shared file.

    manage.py i18n                 # update every catalogue (then translate, then compilemessages)
    manage.py i18n --app repairs   # update only the repairs catalogue
    manage.py i18n --check         # fail if any user-facing string lacks a Chinese translation
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.makemessages import Command as MakeMessagesCommand

LANG = "zh_Hans"
IGNORE = [".venv/*", "venv/*", "var/*", "staticfiles/*", "static/vendor/*", "media/*", "node_modules/*", "benchmarks/out/*", "*/tests/*", "conftest.py"]


def owner_of(path: Path) -> str:
    rel = path.resolve().relative_to(Path(settings.BASE_DIR).resolve()).parts
    if rel and rel[0] in settings.DOMAIN_APPS:
        return rel[0]
    if len(rel) > 1 and rel[0] == "templates" and rel[1] in settings.DOMAIN_APPS:
        return rel[1]
    return "logistics"


def catalogue_dir(owner: str, base: Path | None = None) -> Path:
    base = base or Path(settings.BASE_DIR)
    return base / owner / "locale" if owner in settings.DOMAIN_APPS else base / "locale"


class Command(MakeMessagesCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--app", action="append", dest="only_apps", default=[], help="Only this app's catalogue.")
        parser.add_argument("--check", action="store_true", help="Report untranslated strings; change nothing.")

    def handle(self, *args, **options):
        self.only_apps = set(options.pop("only_apps") or [])
        check = options.pop("check")
        options["locale"] = [LANG]
        options["ignore_patterns"] = list(options.get("ignore_patterns") or []) + IGNORE
        options["no_obsolete"] = True
        options["add_location"] = "file"
        options["domain"] = "django"
        options["extensions"] = ["html", "txt", "py"]
        self.scratch = Path(tempfile.mkdtemp(prefix="i18n-check-")) if check else None
        try:
            if self.scratch:
                for owner in ["logistics", *settings.DOMAIN_APPS]:
                    src = catalogue_dir(owner) / LANG / "LC_MESSAGES" / "django.po"
                    dst = catalogue_dir(owner, self.scratch) / LANG / "LC_MESSAGES" / "django.po"
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    if src.exists():
                        shutil.copy(src, dst)
            super().handle(*args, **options)
            if self.scratch:
                self.report_missing()
        finally:
            if self.scratch:
                shutil.rmtree(self.scratch, ignore_errors=True)

    def find_files(self, root):
        files = []
        for f in super().find_files(root):
            owner = owner_of(Path(f.dirpath) / f.file)
            if self.only_apps and owner not in self.only_apps:
                continue
            locale_dir = catalogue_dir(owner, self.scratch)
            locale_dir.mkdir(parents=True, exist_ok=True)
            files.append(self.translatable_file_class(f.dirpath, f.file, str(locale_dir)))
        self.locale_paths = sorted({f.locale_dir for f in files})
        return files

    def report_missing(self):
        missing = []
        for po in sorted(self.scratch.rglob("django.po")):
            for flag in ("--untranslated", "--only-fuzzy"):
                out = subprocess.run(["msgattrib", flag, "--no-obsolete", "--no-location", str(po)], capture_output=True, text=True, check=True).stdout
                msgids = [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
                owner = po.relative_to(self.scratch).parts[0]
                missing += [f"{owner}: {line[6:]}{' (fuzzy)' if flag == '--only-fuzzy' else ''}" for line in msgids]
        if missing:
            raise CommandError("Strings without a Chinese translation:\n" + "\n".join(missing))
        self.stdout.write("Every user-facing string has a Chinese translation.")
