"""REST endpoints for the flow's actions: nominate, the open tasks of a case, and each step.

Each step accepts the same fields as its screen (the step's Django form validates them) and goes through
`workflows.services.run_step`, so the API cannot move the case without moving its flow.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.party.permissions import today
from admission.sourcing import selectors
from admission.sourcing.models.candidates import Candidate, NominationSource
from workflows import services
from workflows.forms import NominationForm
from workflows.steps import STEPS, task_title
from workflows.views import acting_cells, nominate_case


def form_schema(form_class: type[forms.Form], name: str) -> Any:
    """An OpenAPI request body read off a Django form, so the API documents exactly what the screen accepts."""
    fields: dict[str, serializers.Field] = {}
    for field_name, field in form_class.base_fields.items():
        kwargs: dict[str, Any] = {"required": field.required, "help_text": str(field.label or "")}
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            fields[field_name] = serializers.ChoiceField(choices=list(field.choices), **kwargs)  # type: ignore[arg-type]
        elif isinstance(field, forms.DateField):
            fields[field_name] = serializers.DateField(**kwargs)
        elif isinstance(field, forms.BooleanField):
            fields[field_name] = serializers.BooleanField(**kwargs)
        elif isinstance(field, forms.ModelChoiceField):
            fields[field_name] = serializers.IntegerField(**kwargs)
        else:
            fields[field_name] = serializers.CharField(**kwargs)
    return inline_serializer(name, fields)


def _errors(form: Any) -> dict[str, Any]:
    return {"detail": " ".join(str(e) for e in form.non_field_errors()) or None, "fields": form.errors.get_json_data()}


def _refusal(exc: ValidationError | PermissionDenied) -> Response:
    messages = getattr(exc, "messages", None) or [str(exc)]
    code = status.HTTP_403_FORBIDDEN if isinstance(exc, PermissionDenied) else status.HTTP_400_BAD_REQUEST
    return Response({"detail": " ".join(str(m) for m in messages)}, status=code)


@extend_schema_serializer(component_name="CaseState")
class CaseStateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    open_tasks = serializers.ListField(child=serializers.DictField())


def case_state(candidate: Candidate) -> dict[str, Any]:
    candidate = Candidate.objects.get(pk=candidate.pk)
    return {
        "id": candidate.pk,
        "code": candidate.code,
        "state": candidate.state,
        "state_label": str(candidate.get_state_display()),
        "open_tasks": [
            {
                "step": task.flow_task.name,
                "title": task_title(task),
                "due_on": (task.data or {}).get("due_on"),
                "owner": task.owner.username if task.owner else None,
                "chain_step": (task.data or {}).get("chain_step"),
                "acting_org": task.owner_permission_obj_pk,
            }
            for task in services.open_tasks(candidate)
        ],
    }


class NominateApi(APIView):
    """Open a case for a nominated person (creating the person if the citizen ID is new) and start its flow."""

    @extend_schema(
        request=form_schema(NominationForm, "NominationInput"),
        responses={201: CaseStateOutput},
        description="Dates as YYYY-MM-DD or dd/mm/yyyy; cell is the id of a cell where you hold a role.",
    )
    def post(self, request: Request) -> Response:
        form = NominationForm(data=request.data, cells=acting_cells(request.user))
        if not form.is_valid():
            return Response(_errors(form), status=status.HTTP_400_BAD_REQUEST)
        try:
            candidate = nominate_case(user=request.user, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            return _refusal(exc)
        return Response(case_state(candidate), status=status.HTTP_201_CREATED)


class CaseReopenApi(APIView):
    """Open a new attempt for the person of a closed case, in the same cell (documents are redone)."""

    @extend_schema_serializer(component_name="ReopenInput")
    class InputSerializer(serializers.Serializer):
        nominated_by = serializers.ChoiceField(choices=NominationSource.choices)
        nominated_on = serializers.DateField(required=False, help_text="Default: today")
        note = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: CaseStateOutput})
    def post(self, request: Request, pk: int) -> Response:
        previous = selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            candidate = services.case_reopen(
                previous=previous,
                nominated_by=data.validated_data["nominated_by"],
                nominated_on=data.validated_data.get("nominated_on") or today(),
                note=data.validated_data.get("note", ""),
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            return _refusal(exc)
        return Response(case_state(candidate), status=status.HTTP_201_CREATED)


class CaseTasksApi(APIView):
    """The case's state and its open tasks (step, title, due date, who took it)."""

    @extend_schema(responses=CaseStateOutput)
    def get(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_unit(user=request.user, pk=pk)
        return Response(case_state(candidate))


class CaseStepApi(APIView):
    """Complete a step of the case's flow. The body carries the step's fields, as on its screen."""

    @extend_schema(
        parameters=[OpenApiParameter("step", str, OpenApiParameter.PATH, enum=sorted(STEPS))],
        request={"application/json": OpenApiTypes.OBJECT, "multipart/form-data": OpenApiTypes.OBJECT},
        responses={200: CaseStateOutput},
        description="Steps and fields. Sourcing: list_sympathiser (meeting_on, note); assign_mentors (members: "
        "[membership id], assigned_on); propose_training (course | certificate_number, certificate_issued_on, "
        "certificate_issuer, certificate_scan); approve_attendance (approve: 1|0, decided_on, reason); record_result "
        "(passed: 1|0, result_on, certificate_number, note); open_dossier (confirm: true). Admission: "
        "prepare_dossier (confirm: true); cell_vote (held_on, place, present: [membership id], reason_<membership "
        "id>: why absent, votes_for, votes_against, confirm_failed: true to record a vote below the threshold and "
        "close the case); chain_step (step: the chain_step id of the open task, outcome: approve|refuse|send_back, "
        "on, document_number (required for a decision), members_total, present, votes_for, votes_against (for a "
        "committee's vote), note (the reason when refusing or sending back), confirm_failed); receive_decision "
        "(received_on); ceremony (held_on, place, decision_read_by, attendees, mentors: [membership id], "
        "late_consent_ref). Dates as YYYY-MM-DD or dd/mm/yyyy.",
    )
    def post(self, request: Request, pk: int, step: str) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        if step not in STEPS:
            raise Http404
        spec = STEPS[step]
        form = spec.form(candidate, request.user, data=request.data, files=request.FILES)
        if not form.is_valid():
            return Response(_errors(form), status=status.HTTP_400_BAD_REQUEST)
        try:
            services.run_step(
                candidate=candidate,
                node_name=step,
                user=request.user,
                action=lambda: spec.action(candidate, request.user, form.cleaned_data),
            )
        except (ValidationError, PermissionDenied) as exc:
            return _refusal(exc)
        return Response(case_state(candidate))


class DecisionExtendApi(APIView):
    """The deciding body extends its decision deadline once (up to 30 working days) with a reason."""

    @extend_schema_serializer(component_name="DecisionExtensionInput")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={200: CaseStateOutput})
    def post(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.case_decision_extend(candidate=candidate, reason=data.validated_data["reason"], by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            return _refusal(exc)
        return Response(case_state(candidate))


@extend_schema_serializer(component_name="CaseHistory")
class CaseHistoryOutput(serializers.Serializer):
    transitions = serializers.ListField(child=serializers.DictField())
    tasks = serializers.ListField(child=serializers.DictField())


class CaseHistoryApi(APIView):
    """The case's full history: every state change (who, when, from, to, why) and every task of its flows (which
    body, who took it, when it was created and finished, its due date)."""

    @extend_schema(responses=CaseHistoryOutput)
    def get(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_unit(user=request.user, pk=pk)
        transitions = [
            {
                "at": entry.at.isoformat(),
                "by": entry.by,
                "transition": entry.transition,
                "from": entry.source_state,
                "to": entry.state,
                "label": entry.label,
                "description": entry.description,
            }
            for entry in selectors.candidate_timeline(candidate=candidate)
        ]
        return Response({"transitions": transitions, "tasks": services.task_history(candidate)})
