"""The import form: what the file holds, the organisation it goes into, the file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from admission.imports.columns import KINDS
from admission.party import permissions
from admission.party.models.orgs import PartyOrg


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=KINDS)
    target = forms.ModelChoiceField(label=_("Into the organisation"), queryset=PartyOrg.objects.none())
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        acting = permissions.active_roles(user).exclude(kind="administrator").values("org")
        orgs = PartyOrg.objects.filter(valid_to__isnull=True)
        target_field = self.fields["target"]
        assert isinstance(target_field, forms.ModelChoiceField)
        target_field.queryset = orgs if permissions.sees_everything(user) else orgs.filter(pk__in=acting)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB: split it."))
        return upload
