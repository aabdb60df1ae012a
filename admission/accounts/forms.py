from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from admission.accounts.second_factor import remember_days


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class VerifyForm(CodeForm):
    remember = forms.BooleanField(required=False, help_text=_("Only on a computer or phone that you alone use."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remember"].label = _("Remember this browser for %(days)d days") % {"days": remember_days()}


class SetupForm(forms.Form):
    # No autofocus: on a small screen it would scroll the instructions and the QR code out of sight.
    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Device or program"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, required=False)
