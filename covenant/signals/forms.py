"""Forms of the signals pages. The public form is plain HTML that works without JavaScript;
the services do the real checks (the form only parses)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from covenant.signals import conf


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _help_files() -> str:
    return _("Photos (JPEG, PNG) or PDF documents, at most %(n)d files of %(mb)d MB each.") % {
        "n": conf.MAX_ATTACHMENTS,
        "mb": conf.MAX_ATTACHMENT_BYTES // (1024 * 1024),
    }


class ReportForm(forms.Form):
    location_text = forms.CharField(
        label=_("Name and address of the location"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As precisely as you can: factory name, street, area, city."),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    themes = forms.MultipleChoiceField(
        label=_("What is it about?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, to whom, who did it. Do not write your own name here."),
    )
    since = forms.DateField(
        label=_("Since when?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Approximately is fine."),
    )
    workers_affected = forms.IntegerField(
        label=_("How many workers are affected?"), required=False, min_value=1, max_value=10_000_000
    )
    attachments = MultipleFileField(label=_("Files (optional)"))
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    reporter_contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        max_length=500,
        required=False,
        help_text=_("Phone, e-mail or messenger, or an organisation that can pass on messages."),
    )
    identity_shareable = forms.BooleanField(
        label=_("The companies may know my name and contact"),
        required=False,
        help_text=_(
            "Leave this unticked and only the secretariat sees who you are. The companies "
            "then receive the report without your name or contact."
        ),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)
    pow_challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    pow_solution = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(
        self,
        *args: Any,
        themes: list[tuple[str, str]],
        countries: list[tuple[str, str]],
        unlisted: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        theme_field = self.fields["themes"]
        country_field = self.fields["country"]
        assert isinstance(theme_field, forms.MultipleChoiceField)
        assert isinstance(country_field, forms.ChoiceField)
        theme_field.choices = themes
        country_field.choices = [("", _("— choose —")), *countries]
        self.fields["attachments"].help_text = _help_files()
        if not unlisted:
            del self.fields["location_text"]
            del self.fields["country"]
        else:
            self.fields["location_text"].required = True


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ReporterAddForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer or new information"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label=_("Files (optional)"))
