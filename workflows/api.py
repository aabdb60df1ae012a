"""REST endpoints for the flow's actions: nominate, the open tasks of a case, and each step.

Each step has its own path (`/api/v1/candidates/{candidate_id}/steps/<step>/`) whose body is the step's form, read
off the form itself (`form_serializer`), so the schema documents exactly what the screen accepts. The step's Django
form validates the body and the step goes through `workflows.services.run_step`, so the API cannot move the case
without moving its flow.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import path
from django.utils.datastructures import MultiValueDict
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from viewflow.workflow.models import Process

from admission.core.api import fields as bounded
from admission.core.api.fields import Input
from admission.core.api.parsers import PARSERS
from admission.core.api.problems import ServiceRefused, service_errors
from admission.party.permissions import today
from admission.sourcing import selectors
from admission.sourcing.models.candidates import Candidate, NominationSource
from workflows import services
from workflows.forms import NominationForm
from workflows.step import Step
from workflows.steps import STEPS, task_title
from workflows.views import acting_cells, nominate_case


def form_serializer(form_class: type[forms.Form], name: str) -> Any:
    """An OpenAPI request body read off a Django form, with the form's own bounds: the API documents exactly what
    the screen accepts."""
    fields: dict[str, serializers.Field] = {}
    for field_name, field in form_class.base_fields.items():
        if isinstance(field.widget, forms.HiddenInput) and not isinstance(field, forms.ModelChoiceField):
            continue
        kwargs: dict[str, Any] = {"required": field.required, "help_text": str(field.label or "")}
        if isinstance(field, forms.ModelMultipleChoiceField):
            fields[field_name] = bounded.ListField(child=bounded.IdField(), **kwargs)
        elif isinstance(field, forms.ModelChoiceField):
            fields[field_name] = bounded.IdField(**kwargs)
        elif isinstance(field, forms.ChoiceField):
            # A form may set its choices per instance from a class attribute (CommitteeDecisionForm.choices).
            options = list(field.choices) or list(getattr(form_class, "choices", ()))  # type: ignore[arg-type]
            choices = [value for value, _label in options if value != ""]
            fields[field_name] = serializers.ChoiceField(choices=choices, **kwargs)
        elif isinstance(field, forms.DateField):
            fields[field_name] = bounded.DateField(**kwargs)
        elif isinstance(field, forms.BooleanField):
            fields[field_name] = serializers.BooleanField(**kwargs)
        elif isinstance(field, forms.IntegerField):
            low, high = field.min_value, field.max_value
            fields[field_name] = serializers.IntegerField(
                min_value=low if isinstance(low, int) else None,
                max_value=high if isinstance(high, int) else None,
                **kwargs,
            )
        elif isinstance(field, forms.FileField):
            fields[field_name] = serializers.FileField(**kwargs)
        else:
            max_length = getattr(field, "max_length", None)
            fields[field_name] = serializers.CharField(max_length=max_length, allow_blank=not field.required, **kwargs)
    return inline_serializer(name, fields)


def form_body(request: Request, documented: Any) -> Any:
    """The body for a Django form, once a JSON body is known to carry the types its schema documents."""
    if not isinstance(request.data, MultiValueDict):
        errors = bounded.json_type_errors(documented, request.data, "")
        if errors:
            raise exceptions.ValidationError(errors)
    return bounded.form_data(request.data)


def form_invalid(form: forms.Form) -> exceptions.ValidationError:
    """The form's errors as the API's 400: each field by its name, the form's own errors for the request."""
    detail = {
        ("non_field_errors" if name == "__all__" else name): [
            exceptions.ErrorDetail(message, code=error.code or "invalid")
            for error in errors
            for message in error.messages
        ]
        for name, errors in form.errors.as_data().items()
    }
    return exceptions.ValidationError(detail)


@extend_schema_serializer(component_name="CaseTask")
class CaseTaskOutput(serializers.Serializer):
    step = serializers.CharField(help_text="The step's name: POST its fields to …/steps/<step>/")
    title = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    owner = serializers.CharField(allow_null=True, help_text="Who opened it, if anyone")
    chain_step = serializers.IntegerField(allow_null=True, help_text="The approval step it is for, if any")
    acting_org = serializers.IntegerField(allow_null=True, help_text="Id of the body that must act")


@extend_schema_serializer(component_name="CaseState")
class CaseStateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    open_tasks = CaseTaskOutput(many=True)


def _open_tasks(candidate: Candidate) -> list[Any]:
    try:
        return services.open_tasks(candidate)
    except Process.DoesNotExist:  # a case imported or opened without a flow has no tasks
        return []


def _org_id(task: Any) -> int | None:
    return int(task.owner_permission_obj_pk) if task.owner_permission_obj_pk else None


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
                "acting_org": _org_id(task),
            }
            for task in _open_tasks(candidate)
        ],
    }


class NominateApi(APIView):
    """Open a case for a nominated person (creating the person if the citizen ID is new) and start its flow."""

    parser_classes = PARSERS
    schema_tags = ["sourcing"]

    body = form_serializer(NominationForm, "NominationInput")

    @extend_schema(
        request=body,
        responses={201: CaseStateOutput},
        description="Dates as YYYY-MM-DD or dd/mm/yyyy; cell is the id of a cell where you hold a role.",
    )
    def post(self, request: Request) -> Response:
        form = NominationForm(data=form_body(request, self.body), cells=acting_cells(request.user))
        if not form.is_valid():
            raise form_invalid(form)
        with service_errors():
            candidate = nominate_case(user=request.user, data=form.cleaned_data, earlier=form.earlier_membership())
        return Response(case_state(candidate), status=status.HTTP_201_CREATED)


class CaseReopenApi(APIView):
    """Open a new attempt for the person of a closed case, in the same cell (documents are redone)."""

    schema_tags = ["sourcing"]

    @extend_schema_serializer(component_name="ReopenInput")
    class InputSerializer(Input):
        nominated_by = serializers.ChoiceField(choices=NominationSource.choices)
        nominated_on = bounded.DateField(required=False, help_text="Default: today")
        note = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: CaseStateOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        previous = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            candidate = services.case_reopen(
                previous=previous,
                nominated_by=data.validated_data["nominated_by"],
                nominated_on=data.validated_data.get("nominated_on") or today(),
                note=data.validated_data.get("note", ""),
                by=request.user,
            )
        return Response(case_state(candidate), status=status.HTTP_201_CREATED)


class CaseTasksApi(APIView):
    """The case's state and its open tasks (step, title, due date, who took it)."""

    schema_tags = ["cases"]

    @extend_schema(responses=CaseStateOutput)
    def get(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_unit(user=request.user, pk=candidate_id)
        return Response(case_state(candidate))


class CaseStepApi(APIView):
    """Complete the waiting step `step_name` of the case's flow; the body carries the step's fields, as on its
    screen. A step that is not waiting for this case is a 400 before its form is read."""

    parser_classes = PARSERS
    schema_tags = ["cases"]
    step_name = ""
    body: Any = None  # the step's documented body (form_serializer)

    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        name, spec = self.step_name, STEPS[self.step_name]
        waiting = [task for task in _open_tasks(candidate) if task.flow_task.name == name]
        if not waiting:
            raise ServiceRefused(_not_waiting())
        form = spec.form(candidate, request.user, data=form_body(request, self.body), files=request.FILES)
        if not form.is_valid():
            raise form_invalid(form)
        with service_errors():
            services.run_step(
                candidate=candidate,
                node_name=name,
                user=request.user,
                action=lambda: spec.action(candidate, request.user, form.cleaned_data),
                process=waiting[0].process,
            )
        return Response(case_state(candidate))


def _not_waiting() -> str:
    from django.utils.translation import gettext as _

    return _("This step is not waiting to be done for this case.")


STEP_NOTES = {
    "cell_vote": "Also `reason_<membership id>`: why each member not present was absent. `confirm_failed`: true to "
    "record a vote below the threshold and close the case.",
    "chain_step": "`step` is the chain_step of the open task (…/tasks/). `outcome` approve, refuse or send_back; "
    "`document_number` is required for a decision; a committee gives `members_total`, `present`, `votes_for`, "
    "`votes_against`; `note` is the reason when refusing or sending back.",
    "recognition_vote": "Also `reason_<membership id>`: why each member not present was absent.",
    "recognition_step": "`step` is the recognition step of the open task (…/tasks/).",
}


def _step_api(step: Step) -> type[CaseStepApi]:
    camel = "".join(part.title() for part in step.name.split("_"))
    body = form_serializer(step.form_class, f"Step{camel}Input")

    @extend_schema(
        operation_id=f"candidates_steps_{step.name}",
        summary=str(step.title),
        description=f"{step.description} {STEP_NOTES.get(step.name, '')} Dates as YYYY-MM-DD or dd/mm/yyyy.",
        request={"application/json": body, "multipart/form-data": body},
        responses={200: CaseStateOutput},
    )
    def post(self: CaseStepApi, request: Request, candidate_id: int) -> Response:
        return CaseStepApi.post(self, request, candidate_id)

    attrs = {"step_name": step.name, "body": body, "post": post, "__doc__": CaseStepApi.__doc__, "__module__": __name__}
    return type(f"Step{camel}Api", (CaseStepApi,), attrs)


def step_urls() -> list[Any]:
    return [
        path(
            f"candidates/<id:candidate_id>/steps/{name}/",
            _step_api(step).as_view(),
            name=f"api-candidate-step-{name}",
        )
        for name, step in sorted(STEPS.items())
    ]


class DecisionExtendApi(APIView):
    """The deciding body extends its decision deadline once (up to 30 working days) with a reason."""

    schema_tags = ["admission"]

    @extend_schema_serializer(component_name="DecisionExtensionInput")
    class InputSerializer(Input):
        reason = serializers.CharField(max_length=4000)

    @extend_schema(request=InputSerializer, responses={200: CaseStateOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.case_decision_extend(candidate=candidate, reason=data.validated_data["reason"], by=request.user)
        return Response(case_state(candidate))


@extend_schema_serializer(component_name="CaseTaskRecord")
class TaskRecordOutput(serializers.Serializer):
    flow = serializers.CharField()
    step = serializers.CharField()
    title = serializers.CharField()
    acting_org = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    owner = serializers.CharField(allow_null=True)
    created = serializers.DateTimeField()
    finished = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    moved_from = serializers.ListField(
        child=serializers.DictField(), help_text="The bodies the task sat with before a restructuring moved it"
    )


HISTORY = inline_serializer(
    "CaseHistory",
    {
        "transitions": inline_serializer(
            "CaseTransition",
            {
                "at": serializers.DateTimeField(),
                "by": serializers.CharField(),
                "transition": serializers.CharField(),
                "from": serializers.CharField(allow_null=True, help_text="The state before"),
                "to": serializers.CharField(help_text="The state after"),
                "label": serializers.CharField(),
                "description": serializers.CharField(),
            },
            many=True,
        ),
        "tasks": TaskRecordOutput(many=True),
    },
)


class CaseHistoryApi(APIView):
    """The case's full history: every state change (who, when, from, to, why) and every task of its flows (which
    body, who took it, when it was created and finished, its due date)."""

    schema_tags = ["cases"]

    @extend_schema(responses=HISTORY)
    def get(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_unit(user=request.user, pk=candidate_id)
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
        tasks = [
            {**task, "acting_org": int(task["acting_org"]) if task["acting_org"] else None}
            for task in services.task_history(candidate)
        ]
        return Response({"transitions": transitions, "tasks": TaskRecordOutput(tasks, many=True).data})
