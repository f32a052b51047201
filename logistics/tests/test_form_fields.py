"""form_fields: small forms written in Python look like crispy's, keep what was typed and its errors,
and any widget it does not write sends the whole form through crispy."""
from django import forms
from django.template import Context, Template


class Small(forms.Form):
    who = forms.ChoiceField(label="Who <b>", choices=[("", "—"), ("1", "甲"), ("2", "乙 & 丙")])
    note = forms.CharField(label="Note", required=False, help_text="at most 10", max_length=10)
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class WithCheckbox(forms.Form):
    sure = forms.BooleanField(label="Sure")


def render(form) -> str:
    return Template("{% form_fields form %}").render(Context({"form": form}))


def test_a_bound_form_keeps_the_choice_the_text_and_shows_each_error_once():
    html = render(Small(data={"who": "2", "note": "x" * 11, "day": "", "token": "t"}))
    assert '<option value="2" selected>乙 &amp; 丙</option>' in html and '<option value="1">' in html
    assert 'label class="form-label requiredField" for="id_who">Who &lt;b&gt;<span class="asteriskField">*</span>' in html
    assert 'value="' + "x" * 11 + '"' in html and 'class="form-control is-invalid"' in html
    assert html.count("invalid-feedback") == 2  # note too long, day required; who is fine
    assert '<div class="form-text">at most 10</div>' in html and 'type="date"' in html
    assert '<input type="hidden" name="token" value="t"' in html and 'for="id_token"' not in html
    assert 'class="form-select"' in html and "required" in html.split("<select", 1)[1].split(">", 1)[0]


def test_any_other_widget_goes_through_crispy():
    html = render(WithCheckbox())
    assert 'class="form-check"' in html and 'id="div_id_sure"' in html  # crispy's checkbox markup
