"""Forms of the notification centre, the deadline board and delegations. They offer only choices within the user's
units; the services check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from admission.party import permissions
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.roles import Role, RoleKind
from admission.sourcing.forms import DateInput
from admission.sourcing.models.candidates import CandidateState
from notifications.models import Delivery, Language, NotificationKind
from notifications.services import Choice, preferences_for


class PreferencesForm(forms.Form):
    """Three fields per kind (centre, email, when) and the language of the emails."""

    language = forms.ChoiceField(label=_("Language of the emails"), choices=Language.choices)

    def __init__(self, *args: Any, user: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = preferences_for(user)
        self.fields["language"].initial = language
        self.kinds: list[tuple[str, Any]] = list(NotificationKind.choices)
        for kind, _label in self.kinds:
            choice = current[kind]
            self.fields[f"{kind}__in_app"] = forms.BooleanField(
                label=_("In the notification centre"), required=False, initial=choice.in_app
            )
            self.fields[f"{kind}__email"] = forms.BooleanField(
                label=_("By email"), required=False, initial=choice.email
            )
            self.fields[f"{kind}__delivery"] = forms.ChoiceField(
                label=_("When"), choices=Delivery.choices, initial=choice.delivery
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "label": label,
                "in_app": self[f"{kind}__in_app"],
                "email": self[f"{kind}__email"],
                "delivery": self[f"{kind}__delivery"],
            }
            for kind, label in self.kinds
        ]

    def choices(self) -> list[Choice]:
        data = self.cleaned_data
        return [
            Choice(kind, data[f"{kind}__in_app"], data[f"{kind}__email"], data[f"{kind}__delivery"])
            for kind, _label in self.kinds
        ]


class BoardFilterForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=PartyOrg.objects.none(), required=False)
    state = forms.ChoiceField(label=_("Stage"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    escalated = forms.BooleanField(label=_("Escalated only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = permissions.orgs_in_scope(user).filter(valid_to__isnull=True).order_by("path")
        open_states = [(v, label) for v, label in CandidateState.choices if v not in CandidateState.closed_states()]
        self.fields["state"].choices = [("", _("All stages")), *open_states]  # type: ignore[attr-defined]


def substitute_choices(user: Any) -> QuerySet[Any]:
    """Colleagues who may be named substitute, the user excepted: people holding a role today within the user's
    units; for a cell or a committee below the commune, also those of the units beside it under the same superior
    (a neighbouring cell, the committee above); for a commune committee, those of the province committee itself, never
    those of another commune (whose names are not this commune's to see)."""
    from django.db.models import Q

    from admission.party.hierarchy import parent_on

    day = permissions.today()
    near = Q()
    for path in permissions.user_unit_paths(user):
        near |= Q(org__path__startswith=path)
    for org in delegable_orgs(user):
        parent = parent_on(org, day)
        if parent is None:
            continue
        if parent.kind == OrgKind.PROVINCE_COMMITTEE:
            near |= Q(org=parent)
        else:
            near |= Q(org__path__startswith=parent.path)
    if not near:
        return get_user_model().objects.none()
    holders = Role.objects.filter(near).active_on(day)
    return (
        get_user_model()
        .objects.filter(pk__in=holders.values("user_id"), is_active=True)
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "username")
    )


def delegable_orgs(user: Any) -> QuerySet[PartyOrg]:
    """Orgs the user acts for in their own right today: the only ones they may delegate."""
    return PartyOrg.objects.filter(
        pk__in=permissions.active_roles(user).exclude(kind=RoleKind.ADMINISTRATOR).values("org_id")
    ).order_by("path")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class DelegationForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=PartyOrg.objects.none())
    to_user = UserChoiceField(label=_("Substitute"), queryset=get_user_model().objects.none())
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until (exclusive)"), widget=DateInput(), help_text=_("The first day the substitute no longer acts.")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        user_field = self.fields["to_user"]
        assert isinstance(org_field, forms.ModelChoiceField) and isinstance(user_field, forms.ModelChoiceField)
        org_field.queryset = delegable_orgs(user)
        user_field.queryset = substitute_choices(user)
