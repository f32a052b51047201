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


class WithRadio(forms.Form):
    pick = forms.ChoiceField(label="Pick", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


class Inputs(forms.Form):
    name = forms.CharField(label="Name", max_length=20, initial='say "hi" & <go>', disabled=True)
    qty = forms.DecimalField(label="Qty", max_digits=6, decimal_places=2, min_value=0, localize=True)
    when = forms.DateTimeField(label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local", "data-x": "1"}))
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    mail = forms.EmailField(label="Mail", required=False, help_text="we write to it")
    agree = forms.BooleanField(label="Agree", required=False)
    secret = forms.CharField(widget=forms.HiddenInput, initial="k")


def render(form) -> str:
    return Template("{% form_fields form %}").render(Context({"form": form}))


def test_a_bound_form_keeps_the_choice_the_text_and_shows_each_error_once():
    html = render(Small(data={"who": "2", "note": "x" * 11, "day": "", "token": "t"}))
    assert '<option value="2" selected>乙 &amp; 丙</option>' in html and '<option value="1">' in html
    assert 'label class="form-label requiredField" for="id_who">Who &lt;b&gt;<span class="asteriskField">*</span>' in html
    assert 'value="' + "x" * 11 + '"' in html and 'class="form-control is-invalid"' in html
    assert html.count("invalid-feedback") == 2  # note too long, day required; who is fine
    assert '<div id="id_note_helptext" class="form-text">at most 10</div>' in html and 'aria-describedby="id_note_helptext' in html and 'type="date"' in html
    assert '<input type="hidden" name="token" value="t"' in html and 'for="id_token"' not in html
    assert 'class="form-select"' in html and "required" in html.split("<select", 1)[1].split(">", 1)[0]


def test_any_other_widget_goes_through_crispy():
    html = render(WithRadio())
    assert 'class="form-check-input"' in html and 'type="radio"' in html and 'id="div_id_pick"' in html  # crispy's radios


def test_a_checkbox_is_written_as_crispy_writes_it():
    html = render(WithCheckbox(data={}))
    assert html.startswith('<div class="mb-3"><div id="div_id_sure" class="form-check"><input type="checkbox" name="sure" '
                           'class="checkboxinput form-check-input is-invalid" required aria-invalid="true"')
    assert '<label for="id_sure" class="form-check-label requiredField">Sure<span class="asteriskField">*</span></label>' in html
    assert 'id="id_sure_error" class="invalid-feedback' in html
    assert " checked" in render(WithCheckbox(data={"sure": "on"}))


def test_each_widget_is_the_markup_django_writes(settings):
    """widget_html against Django's own templates, unbound and bound (with errors), in both languages."""
    from django.utils import translation

    from logistics.templatetags.logistics_tags import widget_html

    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            for form in (Inputs(), Inputs(data={"qty": "1234.5", "when": "bad", "note": "a\n<b>", "mail": "x", "agree": "on"})):
                for bf in form:
                    css = "" if bf.is_hidden else "form-control is-invalid" if bf.errors else "form-control"
                    assert widget_html(bf, css) == bf.as_widget(attrs={"class": css} if css else {}), bf.name


def test_a_select_on_a_number_field_offers_its_widget_choices():
    class Hours(forms.Form):
        hours = forms.IntegerField(label="Hours", widget=forms.Select(choices=[(24, "一天"), (48, "两天")]))

    html = render(Hours(initial={"hours": 48}))
    assert '<option value="24">一天</option><option value="48" selected>两天</option>' in html


def test_a_model_choice_is_read_in_one_query(db, django_assert_num_queries):
    from logistics.models import Department
    from logistics.tests.factories import SchoolFactory

    school = SchoolFactory()
    first, second = Department.objects.create(school=school, name="教务处"), Department.objects.create(school=school, name="总务处")

    class Pick(forms.Form):
        department = forms.ModelChoiceField(queryset=Department.objects.filter(school=school).order_by("name"), label="部门")

    with django_assert_num_queries(1):
        html = render(Pick(initial={"department": second.pk}))
    assert f'<option value="">{Pick().fields["department"].empty_label}</option><option value="{second.pk}"' in html
    assert f'<option value="{second.pk}" selected>总务处</option>' in html and f'<option value="{first.pk}">教务处</option>' in html


def test_a_model_choice_given_a_list_of_choices_offers_that_list(db):
    from logistics.models import Department

    class Pick(forms.Form):
        department = forms.ModelChoiceField(queryset=Department.objects.none(), label="部门")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["department"].choices = [("", "—"), ("7", "后勤处")]

    assert '<option value="" selected>—</option><option value="7">后勤处</option>' in render(Pick())  # as Django's Select
