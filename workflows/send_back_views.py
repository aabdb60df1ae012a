"""Sending a case back, on the case page and through the API: for the body whose turn it is and the bodies above it
(`workflows.send_back`). Outside the user's units the case is a 404; a body that may not send it back gets a 403."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api import fields as bounded
from admission.core.api.problems import service_errors
from admission.decisions.models.send_backs import CaseSendBack, SendBackTarget
from admission.decisions.services.send_back import send_backs
from admission.party.permissions import today
from admission.sourcing import selectors
from admission.sourcing.models.candidates import Candidate
from workflows import send_back
from workflows.api import CaseStateOutput, case_state


class SendBackForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Send the case back to"), choices=SendBackTarget.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason (the cell is told)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, targets: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if targets is not None:
            field: Any = self.fields["target"]
            # Nothing chosen in advance (as for every decision): the user picks where the case goes.
            field.choices = [("", "—")] + [
                (value, label) for value, label in SendBackTarget.choices if value in targets
            ]


def send_back_panel(candidate: Candidate, user: Any) -> dict[str, Any]:
    """What the case page shows: where the user may send the case back now (with the form), and the earlier moves."""
    targets = send_back.send_back_targets(candidate, user) if candidate.is_open else []
    return {
        "targets": targets,
        "form": SendBackForm(targets=targets) if targets else None,
        "history": send_backs(candidate),
    }


@login_required
@require_POST
def case_send_back_page(request: HttpRequest, pk: int) -> HttpResponse:
    from admission.cases.views import case_page

    candidate = selectors.candidate_get_for_unit(user=request.user, pk=pk)
    form = SendBackForm(request.POST, targets=send_back.send_back_targets(candidate, request.user))
    if form.is_valid():
        try:
            send_back.case_send_back(
                candidate=candidate,
                target=form.cleaned_data["target"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            label = SendBackTarget(form.cleaned_data["target"]).label
            messages.success(request, _("The case is sent back: %(where)s.") % {"where": label})
            return HttpResponseRedirect(reverse("admission:candidates:detail", args=[candidate.pk]))
    return case_page(request, candidate, status=422, send_back_form=form)


@extend_schema_serializer(component_name="CaseSendBack")
class SendBackOutput(serializers.Serializer):
    id = serializers.IntegerField()
    target = serializers.CharField()
    from_state = serializers.CharField()
    from_step = serializers.CharField()
    acting_org = serializers.IntegerField(source="acting_org_id")
    acting_org_name = serializers.CharField(source="acting_org.name")
    chain_step = serializers.IntegerField(source="chain_step_id", allow_null=True)
    reason = serializers.CharField()
    sent_on = serializers.DateField()
    sent_by = serializers.CharField(source="sent_by.username", allow_null=True, default=None)
    recorded_at = serializers.DateTimeField()


class CaseSendBackApi(APIView):
    """Send the case back to an earlier stage: `course` (a new enrollment and certificate, the dossier kept) or
    `dossier` (from the cell's meeting or any approval step). The body whose turn it is, or a body above it; a body
    below gets 403, a user outside the case's units 404. GET: where the user may send it now, and the earlier moves."""

    schema_tags = ["cases"]

    @extend_schema_serializer(component_name="SendBackInput")
    class InputSerializer(bounded.Input):
        target = serializers.ChoiceField(choices=SendBackTarget.choices)
        reason = serializers.CharField(max_length=4000)
        sent_on = bounded.DateField(required=False, help_text="Default: today; not in the future")

    @extend_schema(
        responses=inline_serializer(
            "SendBackState",
            {"targets": serializers.ListField(child=serializers.CharField()), "send_backs": SendBackOutput(many=True)},
        )
    )
    def get(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_unit(user=request.user, pk=candidate_id)
        return Response(
            {
                "targets": send_back.send_back_targets(candidate, request.user) if candidate.is_open else [],
                "send_backs": SendBackOutput(send_backs(candidate), many=True).data,
            }
        )

    @extend_schema(request=InputSerializer, responses={201: CaseStateOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_unit(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            record: CaseSendBack = send_back.case_send_back(
                candidate=candidate,
                target=data.validated_data["target"],
                reason=data.validated_data["reason"],
                on=data.validated_data.get("sent_on") or today(),
                by=request.user,
            )
        return Response(
            {**case_state(candidate), "send_back": SendBackOutput(record).data}, status=status.HTTP_201_CREATED
        )
