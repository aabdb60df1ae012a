"""The restructuring form: one form for the four operations, checked again by the services on confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from admission.party.models.orgs import PartyOrg
from admission.party.models.restructuring import RestructuringKind
from admission.sourcing.forms import date_field


class RestructuringForm(forms.Form):
    kind = forms.ChoiceField(label=_("Operation"), choices=RestructuringKind.choices, widget=forms.RadioSelect)
    target = forms.ModelChoiceField(
        label=_("Successor or new superior"),
        queryset=PartyOrg.objects.none(),
        required=False,
        help_text=_("For a merge or a dissolution: the organisation that takes over. For a move: the new superior."),
    )
    new_name = forms.CharField(label=_("New name (rename only)"), max_length=255, required=False)
    effective_on = date_field(_("Effective on"), help_text=_("A future date is applied on that day."))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)

    def __init__(self, *args: Any, org: PartyOrg, board: PartyOrg, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target: Any = self.fields["target"]
        target.queryset = (
            PartyOrg.objects.subtree_of(board)
            .filter(valid_to__isnull=True)
            .exclude(path__startswith=org.path)
            .order_by("path")
        )
