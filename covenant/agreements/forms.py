from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from covenant.agreements.models import Membership, Organisation


class DateInput(forms.DateInput):
    input_type = "date"


def _year_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1990, max_value=2100)


class ApplicationForm(forms.Form):
    """Secretariat registers an application: an existing company or a new one."""

    company = forms.ModelChoiceField(
        label=_("Existing company"),
        queryset=Organisation.objects.filter(type=Organisation.Type.COMPANY),
        required=False,
    )
    new_company_name = forms.CharField(label=_("…or a new company"), max_length=200, required=False)
    new_company_city = forms.CharField(label=_("City"), max_length=100, required=False)
    applied_on = forms.DateField(
        label=_("Application date"), widget=DateInput, initial=dt.date.today
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("company")) == bool((data.get("new_company_name") or "").strip()):
            raise forms.ValidationError(
                _("Choose an existing company or type the name of a new one (not both).")
            )
        return data


class TransitionForm(forms.Form):
    effective_on = forms.DateField(
        label=_("Effective date"), widget=DateInput, initial=dt.date.today
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveForm(TransitionForm):
    sister_initiative = forms.CharField(
        label=_("Associated through a sister initiative (optional)"), max_length=200, required=False
    )


class EndForm(TransitionForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=Membership.EndReason.choices)
    merged_into = forms.ModelChoiceField(
        label=_("Merged into"),
        queryset=Organisation.objects.filter(type=Organisation.Type.COMPANY),
        required=False,
    )


class MarketSizeForm(forms.Form):
    year = _year_field(_("Year"))
    amount_eur = forms.DecimalField(
        label=_("Market size (EUR)"), min_value=1, max_digits=16, decimal_places=0
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)


class TurnoverForm(forms.Form):
    year = _year_field(_("Year"))
    amount_eur = forms.DecimalField(
        label=_("Turnover on the Dutch market (EUR)"), min_value=0, max_digits=16, decimal_places=0
    )


class BrandForm(forms.Form):
    name = forms.CharField(label=_("Brand name"), max_length=200)


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommitmentForm(forms.Form):
    why_at_table = forms.CharField(
        label=_("Why we are at the table"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contribution = forms.CharField(
        label=_("Our contribution"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mandate = forms.CharField(
        label=_("Our mandate"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expectations = forms.CharField(
        label=_("What we expect of others"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TargetForm(forms.Form):
    description = forms.CharField(label=_("Specific target"), max_length=500)
    indicator = forms.CharField(label=_("Measurable indicator"), max_length=300)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2, initial=0)
    target_value = forms.DecimalField(label=_("Target value"), max_digits=14, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    due_year = _year_field(_("Due year"))
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None, required=False)  # type: ignore[arg-type]

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    year = _year_field(_("Year"))
    value = forms.DecimalField(label=_("Value reached"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
