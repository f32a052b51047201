"""Excel import: upload → preview (good rows, bad rows with reasons) → confirm imports all good rows or nothing."""
import base64

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from logistics.scoping import SchoolScopedMixin

from . import importer

SESSION_KEY = "assets_import"


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


class ImportView(SchoolScopedMixin, View):
    capability = "assets.import"
    template_name = "assets/import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": UploadForm(), "title": _("Import a register")})

    def post(self, request):
        school = request.school
        if "confirm" in request.POST:
            stored = request.session.get(SESSION_KEY)
            if not stored or stored["school"] != school.pk:
                messages.error(request, _("Upload the workbook again."))
                return redirect("assets:asset_import")
            rows, _errors = importer.parse_workbook(base64.b64decode(stored["data"]), school)
            try:
                n = importer.import_rows(school, rows, by=request.user)
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
                return redirect("assets:asset_import")
            del request.session[SESSION_KEY]
            messages.success(request, _("Imported %(n)s assets.") % {"n": n})
            return redirect("assets:asset_list")
        form = UploadForm(request.POST, request.FILES)
        ctx = {"form": form, "title": _("Import a register")}
        if form.is_valid():
            data = form.cleaned_data["file"]
            try:
                rows, errors = importer.parse_workbook(data, school)
            except ValidationError as exc:
                form.add_error("file", exc)
                return render(request, self.template_name, ctx)
            request.session[SESSION_KEY] = {"school": school.pk, "data": base64.b64encode(data).decode()}
            ctx.update(rows=rows, errors=errors, preview=True)
        return render(request, self.template_name, ctx)
