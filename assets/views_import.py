"""Excel import: upload → preview (good rows, bad rows with reasons) → confirm imports all good rows or nothing."""
import hashlib
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from logistics.scoping import SchoolScopedMixin

from . import importer

SESSION_KEY = "assets_import"
PREVIEW_ROWS = 200  # good rows shown in the preview (all bad rows are shown)
KEEP_SECONDS = 2 * 60 * 60


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Register workbook (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is too large."))
        data = f.read()
        if not data.startswith(b"PK"):
            raise ValidationError(_("This is not an .xlsx workbook."))
        return data


def _cache_key(token: str) -> str:
    return f"assets:import:{token}"


def _keep(token: str, value: dict) -> bool:
    try:
        cache.set(_cache_key(token), value, KEEP_SECONDS)
        return True
    except Exception:  # noqa: BLE001 - e.g. a cache server refusing or timing out on a large value
        return False


class ImportView(SchoolScopedMixin, View):
    """The workbook and its parsed rows wait in the shared cache (not in the session, which every
    request of the user would load) under a token kept in the session, until confirmed."""

    capability = "assets.import"
    template_name = "assets/import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": UploadForm(), "title": _("Import a register")})

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        school = request.school
        form = UploadForm(request.POST, request.FILES)
        ctx = {"form": form, "title": _("Import a register")}
        if form.is_valid():
            data = form.cleaned_data["file"]
            try:
                rows, errors = importer.parse_workbook(data, school)
            except ValidationError as exc:
                form.add_error("file", exc)
                return render(request, self.template_name, ctx)
            token = uuid.uuid4().hex
            kept = {"school": school.pk, "user": request.user.pk, "data": data, "digest": hashlib.sha256(data).hexdigest()}
            if not _keep(token, {**kept, "rows": rows}) and not _keep(token, kept):  # too large with the rows: the workbook only
                form.add_error("file", _("The preview could not be kept on the server; please try again."))
                return render(request, self.template_name, ctx)
            request.session[SESSION_KEY] = token
            ctx.update(rows=rows[:PREVIEW_ROWS], good_count=len(rows), more=max(0, len(rows) - PREVIEW_ROWS), errors=errors,
                       preview=True, file_name=getattr(request.FILES.get("file"), "name", ""))
        return render(request, self.template_name, ctx)

    def confirm(self, request):
        school = request.school
        token = request.session.get(SESSION_KEY)
        stored = cache.get(_cache_key(token)) if token else None
        if not stored or stored["school"] != school.pk or stored["user"] != request.user.pk:
            messages.error(request, _("The preview has expired. Upload the workbook again."))
            return redirect("assets:asset_import")
        rows = stored.get("rows")
        if rows is None:  # parsed again from the workbook kept with it
            rows, _errors = importer.parse_workbook(stored["data"], school)
        try:
            n = importer.import_rows(school, rows, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join([str(_("Nothing was imported:")), *exc.messages]))
            return redirect("assets:asset_import")
        cache.delete(_cache_key(token))
        request.session.pop(SESSION_KEY, None)
        messages.success(request, _("Imported %(n)s assets.") % {"n": n})
        return redirect("assets:asset_list")
