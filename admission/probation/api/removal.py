"""API for the removal from the list (proposed by the cell, decided by the competent committee) and the escalated
case the committee decides after three inconclusive votes.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, Input
from admission.core.api.problems import service_errors
from admission.probation import services
from admission.probation.api.outputs import ProbationOutput, _day, _probation, _respond, _validated
from admission.probation.models import RemovalReason

# ------------------------------------------------------------------------------------------------------------------
# Removal, escalation
# ------------------------------------------------------------------------------------------------------------------


class RemovalProposeApi(APIView):
    """The cell proposes the removal from the list (xóa tên), with its reason."""

    @extend_schema_serializer(component_name="RemovalProposeInput")
    class InputSerializer(Input):
        reason_code = serializers.ChoiceField(choices=RemovalReason.choices)
        reason = serializers.CharField(max_length=4000)
        proposed_on = DateField(required=False)

    @extend_schema(request=InputSerializer, responses={201: ProbationOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        probation = _probation(request, candidate_id)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.removal_propose(
                probation=probation,
                reason_code=data["reason_code"],
                reason=data["reason"],
                proposed_on=_day(data, "proposed_on"),
                by=request.user,
            )
        return _respond(request, probation, status.HTTP_201_CREATED)


class RemovalDecideApi(APIView):
    """The competent committee decides a proposed removal (approve with the decision's number, or not)."""

    @extend_schema_serializer(component_name="RemovalDecideInput")
    class InputSerializer(Input):
        approve = serializers.BooleanField()
        decided_on = DateField(required=False)
        decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
        note = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, candidate_id: int, removal_id: int) -> Response:
        probation = _probation(request, candidate_id)
        removal = get_object_or_404(probation.removals, pk=removal_id)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.removal_decide(
                removal=removal,
                approve=data["approve"],
                decided_on=_day(data, "decided_on"),
                decision_number=data.get("decision_number", ""),
                note=data.get("note", ""),
                by=request.user,
            )
        return _respond(request, probation)


class EscalationDecideApi(APIView):
    """After three inconclusive votes, the competent committee recognises or removes."""

    @extend_schema_serializer(component_name="EscalationDecideInput")
    class InputSerializer(Input):
        recognise = serializers.BooleanField()
        decided_on = DateField(required=False)
        document_number = serializers.CharField(max_length=60)
        reason_code = serializers.ChoiceField(choices=RemovalReason.choices, required=False)
        reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        probation = _probation(request, candidate_id)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.escalation_decide(
                probation=probation,
                recognise=data["recognise"],
                decided_on=_day(data, "decided_on"),
                document_number=data["document_number"],
                reason_code=data.get("reason_code", ""),
                reason=data.get("reason", ""),
                by=request.user,
            )
        return _respond(request, probation)
