"""REST API for restructuring: list the operations of the caller's boards, preview one, record it (applied at once
when its date is today or past), cancel a scheduled one. The org (and the successor) outside the caller's units is
a 404; inside them, only the organisation board of the province or commune above the org may act (403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, IdField, Input
from admission.core.api.problems import service_errors
from admission.party import permissions
from admission.party.models.restructuring import RestructuringKind, RestructuringOperation
from admission.restructuring import services


class OperationOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    requested_by = serializers.SerializerMethodField()

    class Meta:
        model = RestructuringOperation
        fields = [
            "id",
            "kind",
            "kind_label",
            "org",
            "old_name",
            "target",
            "new_name",
            "effective_on",
            "reason",
            "decision_number",
            "owner_org",
            "status",
            "status_label",
            "requested_by",
            "requested_at",
            "applied_at",
            "outcome",
        ]

    def get_requested_by(self, op: RestructuringOperation) -> str | None:
        return op.requested_by.get_username() if op.requested_by else None


@extend_schema_serializer(component_name="RestructuringInput")
class OperationInput(Input):
    org_id = IdField()
    kind = serializers.ChoiceField(choices=RestructuringKind.choices)
    target_id = IdField(required=False, allow_null=True, help_text="Successor (merge, dissolve) or new superior")
    new_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    effective_on = DateField(help_text="Today or past: applied at once; future: applied on that day")
    reason = serializers.CharField(max_length=2000)
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


def _arguments(request: Request) -> dict[str, Any]:
    data = OperationInput(data=request.data)
    data.is_valid(raise_exception=True)
    values = data.validated_data
    org = permissions.get_org_or_404(request.user, values["org_id"])
    target = permissions.get_org_or_404(request.user, values["target_id"]) if values.get("target_id") else None
    return {
        "user": request.user,
        "kind": values["kind"],
        "org": org,
        "target": target,
        "new_name": values["new_name"],
        "effective_on": values["effective_on"],
        "reason": values["reason"],
        "decision_number": values["decision_number"],
    }


class RestructuringListApi(generics.ListAPIView):
    """GET: the operations decided by the boards the caller sits on. POST: record one (201)."""

    serializer_class = OperationOutput

    def get_queryset(self) -> Any:
        return services.operation_list_for_user(self.request.user)

    @extend_schema(request=OperationInput, responses={201: OperationOutput})
    def post(self, request: Request) -> Response:
        args = _arguments(request)
        with service_errors():
            operation = services.restructuring_request(**args)
        return Response(OperationOutput(operation).data, status=status.HTTP_201_CREATED)


class RestructuringPreviewApi(APIView):
    """What the operation would touch (nothing is saved): the open cases, the members, the waiting steps."""

    @extend_schema(request=OperationInput, responses={200: dict})
    def post(self, request: Request) -> Response:
        args = _arguments(request)
        args.pop("decision_number")
        with service_errors():
            found = services.preview(**args)
        return Response(
            {
                "kind": found.kind,
                "org_id": found.org.pk,
                "target_id": found.target.pk if found.target else None,
                "effective_on": found.effective_on.isoformat(),
                "applies_now": found.applies_now,
                "board_id": found.board.pk,
                "cases": [
                    {"id": c.pk, "code": c.code, "name": c.person.full_name, "cell_id": c.cell_id, "state": c.state}
                    for c in found.affected.cases
                ],
                "members": [
                    {"id": m.pk, "name": m.person.full_name, "cell_id": m.cell_id} for m in found.affected.members
                ],
                "waiting_steps": [{"form": s.form, "org_id": s.org_id} for s in found.affected.waiting_steps],
            }
        )


class RestructuringCancelApi(APIView):
    """Withdraw a scheduled operation before its date, with a reason."""

    @extend_schema_serializer(component_name="RestructuringCancelInput")
    class InputSerializer(Input):
        reason = serializers.CharField(max_length=2000)

    @extend_schema(request=InputSerializer, responses={200: OperationOutput})
    def post(self, request: Request, restructuring_id: int) -> Response:
        operation = services.operation_list_for_user(request.user).filter(pk=restructuring_id).first()
        if operation is None:
            # Outside the caller's boards: a 404 outside their units, a 403 inside them.
            other = RestructuringOperation.objects.filter(pk=restructuring_id).select_related("org").first()
            if other is None or not permissions.can_view_org(request.user, other.org):
                raise Http404
            raise PermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            operation = services.restructuring_cancel(
                operation=operation, user=request.user, reason=data.validated_data["reason"]
            )
        return Response(OperationOutput(operation).data)
