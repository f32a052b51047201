"""Template helpers available in every template (registered as builtins)."""
from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.roles import can as can_do

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, capability, school=None):
    """``{% can "repairs.dispatch" repair.school as may_dispatch %}``."""
    request = context.get("request")
    if request is None:
        return False
    return can_do(request.user, capability, school=school or request.school)


@register.simple_tag(takes_context=True)
def querystring_replace(context, **kwargs):
    """The current query string with some keys replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"


def csrf_input(request) -> str:
    """The hidden CSRF field of a form that a row helper writes in Python (as ``{% csrf_token %}``)."""
    from django.middleware.csrf import get_token
    from django.utils.html import escape

    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">'


@register.filter
def yuan(value):
    """Format a Decimal as CNY: ¥1,234.50."""
    if value is None or value == "":
        return "—"
    return f"¥{value:,.2f}"


@register.filter
def time_left(deadline):
    """"3 h 20 min left" or "overdue 2 d 4 h" for a deadline."""
    if not deadline:
        return ""
    delta = deadline - timezone.now()
    seconds = int(abs(delta.total_seconds()))
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        span = _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    elif hours:
        span = _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    else:
        span = _("%(m)d min") % {"m": minutes}
    if delta.total_seconds() < 0:
        return _("overdue %(span)s") % {"span": span}
    return _("%(span)s left") % {"span": span}


@register.inclusion_tag("_partials/history.html", takes_context=True)
def history_panel(context, obj, limit=20):
    """The audit trail of ``obj`` (django-simple-history), folded: opening it fetches the rows from
    the page's own URL with ``?fragment=history`` (``logistics.history``: the view's object checks
    apply); ``?show_history=1`` writes them into the page, for a browser without script."""
    from logistics.history import history_rows

    request = context.get("request")
    shown = request is not None and bool(request.GET.get("show_history"))
    return {"request": request, "open": shown, "rows": history_rows(obj, limit) if shown else None}


# Widgets ``form_fields`` writes itself (with single selects, textareas and checkboxes); a form with
# any other (radios, files, multiple selects) is rendered by crispy-forms as a whole, so it looks the
# same either way.
_PLAIN_INPUTS = ("text", "number", "email", "date", "datetime-local", "time", "tel", "url", "password", "search", "hidden")


def _plain(widget) -> bool:
    from django import forms

    if isinstance(widget, forms.Select):
        return not widget.allow_multiple_selected and not isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))
    if isinstance(widget, (forms.Textarea, forms.CheckboxInput)):
        return True
    return isinstance(widget, forms.widgets.Input) and getattr(widget, "input_type", "") in _PLAIN_INPUTS


def _attrs(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html``: ``name="value"``, a bare name for True, nothing for False."""
    from django.utils.html import conditional_escape

    return "".join(f" {k}" if v is True else f' {k}="{conditional_escape(v)}"' for k, v in attrs.items() if v is not False)


def widget_html(bf, css: str) -> str:
    """``bf.as_widget(attrs={"class": css})`` for an input, textarea or checkbox, written in Python
    (the same markup as Django's widget templates, which cost two template renders per field)."""
    from django import forms
    from django.utils.html import conditional_escape

    widget = bf.field.widget
    if bf.field.localize:
        widget.is_localized = True
    attrs = bf.build_widget_attrs({"class": css} if css else {}, widget)
    if bf.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bf.auto_id)
    w = widget.get_context(bf.html_name, bf.value(), attrs)["widget"]
    if isinstance(widget, forms.Textarea):
        return f'<textarea name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>\n{conditional_escape(w["value"]) if w["value"] else ""}</textarea>'
    value = "" if w["value"] is None else f' value="{conditional_escape(w["value"])}"'
    return f'<input type="{conditional_escape(w["type"])}" name="{conditional_escape(w["name"])}"{value}{_attrs(w["attrs"])}>'


def field_control(bf, invalid: str = "", *, size: str = "") -> str | None:
    """A field's ``<select>`` (written from its choices) or input (``widget_html``) with Bootstrap's
    class; None for a select with option groups, which this does not write."""
    from html import escape

    from django import forms
    from django.forms.utils import flatatt

    widget = bf.field.widget
    if not isinstance(widget, forms.Select):
        return widget_html(bf, f"form-control{size and f' form-control-{size}'}{invalid}")
    attrs = widget.build_attrs(widget.attrs, {"name": bf.html_name, "id": bf.auto_id})
    attrs["class"] = f"form-select{size and f' form-select-{size}'}{invalid}"
    if bf.field.required:
        attrs["required"] = True
    if bf.field.disabled:
        attrs["disabled"] = True
    field = bf.field
    choices = getattr(field, "choices", None)
    if isinstance(choices, forms.models.ModelChoiceIterator):
        # the rows in one plain query: the iterator would COUNT them first (its truth value) and read
        # them through a server-side cursor (DECLARE … FETCH … CLOSE on PostgreSQL)
        choices = ([("", field.empty_label)] if field.empty_label is not None else []) + [choices.choice(o) for o in choices.queryset]
    else:
        choices = list(widget.choices if choices is None else choices)  # a Select on a non-choice field: its own
    if any(isinstance(label, (list, tuple)) for _v, label in choices):
        return None
    value = bf.value()
    chosen = "" if value is None else str(value)
    options = []
    for v, label in choices:
        v = "" if v is None else str(v)
        options.append(f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(str(label))}</option>')
    return f"<select{flatatt(attrs)}>{''.join(options)}</select>"


@register.simple_tag
def filter_cells(form, cell: str = "col-6 col-md-3"):
    """A filter form's fields as Bootstrap grid cells (small label, control, errors), built in
    Python like ``form_fields``; a field this cannot write is rendered by its widget template."""
    from html import escape

    from django.utils.safestring import mark_safe

    out = []
    for bf in form:
        control = field_control(bf, " is-invalid" if bf.errors else "")
        errors = "".join(f'<div class="invalid-feedback d-block">{escape(str(e))}</div>' for e in bf.errors)
        out.append(f'<div class="{escape(cell)}"><label class="form-label small mb-0" for="{bf.auto_id}">{escape(str(bf.label))}</label>'
                   f'{control if control is not None else bf}{errors}</div>')
    return mark_safe("".join(out))  # noqa: S308 - labels, options, attributes and errors escaped


@register.simple_tag
def form_fields(form):
    """A form's fields as Bootstrap 5 markup (label, widget, help, errors — what crispy's field
    template writes), built in Python: an open ticket's page offers up to eight small forms, and
    crispy's templates (a template per ``<option>`` of a select, two per input) cost more than the
    rest of the page. Selects are written from their choices, inputs, textareas and checkboxes as
    Django's widget templates write them; any other widget sends the whole form through crispy."""
    from html import escape

    from django import forms
    from django.utils.safestring import mark_safe

    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    if not all(_plain(bf.field.widget) for bf in form):
        return as_crispy_form(form)
    out = [f'<div class="alert alert-danger py-2">{escape(str(e))}</div>' for e in form.non_field_errors()]
    for bf in form.hidden_fields():
        out.append(widget_html(bf, ""))
    for bf in form.visible_fields():
        widget = bf.field.widget
        invalid = " is-invalid" if bf.errors else ""
        mark = '<span class="asteriskField">*</span>' if bf.field.required else ""
        help_text = f'<div id="{bf.auto_id}_helptext" class="form-text">{escape(str(bf.help_text))}</div>' if bf.help_text else ""
        errors = (f'<div id="{bf.auto_id}_error" class="invalid-feedback d-block">'
                  + "".join(f"<strong>{escape(str(e))}</strong> " for e in bf.errors).rstrip() + "</div>") if bf.errors else ""
        label = f'{escape(str(bf.label))}{mark}'
        required = " requiredField" if bf.field.required else ""
        if isinstance(widget, forms.CheckboxInput):  # crispy's: the box, then its label
            out.append(f'<div class="mb-3"><div id="div_{bf.auto_id}" class="form-check">{widget_html(bf, f"checkboxinput form-check-input{invalid}")}'
                       f'<label for="{bf.auto_id}" class="form-check-label{required}">{label}</label>{help_text}{errors}</div></div>')
            continue
        html = field_control(bf, invalid)
        if html is None:  # option groups: crispy's
            return as_crispy_form(form)
        out.append(f'<div id="div_{bf.auto_id}" class="mb-3"><label class="form-label{required}" '
                   f'for="{bf.auto_id}">{label}</label>{html}{help_text}{errors}</div>')
    return mark_safe("".join(out))  # noqa: S308 - labels, help, errors, options and attributes escaped


@register.simple_tag(takes_context=True)
def notification_rows(context, notes, empty_text):
    """The notification list's entries from plain values (``NotificationListView``): each a one-button
    form that marks it read and opens its page; unread ones bold with a "new" badge."""
    from django.urls import reverse
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    csrf = csrf_input(context["request"])
    new = escape(_("new"))
    base = reverse("notification_open", args=[0])[: -len("0/open/")]  # one reverse per page
    out = []
    for n in notes:
        action = f"{base}{n['pk']}/open/"
        unread = not n["read_at"]
        where = f' · {escape(n["school__name"])}' if n["school__name"] else ""
        out.append(f'<form method="post" action="{action}" class="list-group-item list-group-item-action p-0">{csrf}'
                   f'<button class="btn w-100 text-start py-2 px-3{" fw-semibold" if unread else ""}" data-testid="notification">'
                   f'{f"""<span class="badge text-bg-danger me-1">{new}</span>""" if unread else ""}{escape(n["text"])}'
                   f'<div class="small text-muted fw-normal">{timezone.localtime(n["created_at"]):%Y-%m-%d %H:%M}{where}</div></button></form>')
    return mark_safe("\n".join(out)) if out else empty_state(empty_text)  # noqa: S308 - every value is escaped above


def empty_state(text) -> str:
    """The "nothing here" block of an empty list (``_partials/empty.html``), for the row helpers."""
    from django.template.loader import render_to_string

    return render_to_string("_partials/empty.html", {"text": text})


# --- {% memo %}: fragments rendered once per process ---------------------------------------

MEMO: dict[tuple, str] = {}
MEMO_MAX = 4096  # distinct fragments kept; past it the memo starts afresh (a safety net, not a working size)


def memoized(key: tuple, build) -> str:
    """``build()`` the first time ``key`` is asked for in this process's current language and URL
    prefix, the same string afterwards (``{% memo %}`` and menus built in Python)."""
    from django.urls import get_script_prefix
    from django.utils.translation import get_language

    key = (get_language(), get_script_prefix(), *key)
    try:
        return MEMO[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable value: build, don't keep
        return build()
    if len(MEMO) >= MEMO_MAX:
        MEMO.clear()
    html = MEMO[key] = build()
    return html


class MemoNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        key = (self.name.resolve(context), *(v.resolve(context) for v in self.values))
        return memoized(key, lambda: self.nodelist.render(context))


@register.tag
def memo(parser, token):
    """``{% memo "assets_nav" may_manage see_store %}…{% endmemo %}``: the fragment is rendered
    once per process for each language, URL prefix and set of the listed values, and copied
    afterwards. Only for markup that is a function of those alone (links from ``{% url %}``,
    ``{% translate %}``, ``{% static %}``): whatever else the fragment reads must be listed.

    The app menus and the top bar render 15–25 links on every page; copied, they cost nothing."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% memo %} needs a name")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])


def forget_memo(**kwargs) -> None:
    """Templates changed (the development server's reloader): render the fragments afresh."""
    MEMO.clear()
