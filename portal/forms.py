"""The public lookup form: the case code and one second factor (the receipt's PIN or the date of birth)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.lookup import normalise_code
from portal.services import PIN_DIGITS


class LookupForm(forms.Form):
    ma = forms.CharField(
        label=_("Case code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"placeholder": "KN-2026-000123", "autocapitalize": "characters", "autocomplete": "off"}
        ),
    )
    pin = forms.CharField(
        label=_("PIN printed on your receipt"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "••••••"}),
    )
    ngay_sinh = forms.DateField(
        label=_("or the date of birth"),
        required=False,
        input_formats=settings.DATE_INPUT_FORMATS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_ma(self) -> str:
        return normalise_code(self.cleaned_data["ma"])

    def clean_pin(self) -> str:
        pin = "".join(self.cleaned_data.get("pin", "").split())
        if pin and (len(pin) != PIN_DIGITS or not pin.isdigit()):
            raise forms.ValidationError(_("The PIN has %(n)d digits.") % {"n": PIN_DIGITS})
        return pin

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("pin") and not data.get("ngay_sinh"):
            raise forms.ValidationError(_("Enter the PIN printed on your receipt, or the date of birth."))
        return data
