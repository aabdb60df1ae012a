"""POST the background checks (verification): the request about one person, then the reply with its scan."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, Input
from admission.core.api.problems import service_errors
from admission.core.bounds import MAX_TEXT
from admission.dossier import services
from admission.dossier.api.common import PARSERS, _scan_input
from admission.dossier.api.outputs import BackgroundCheckOutput
from admission.dossier.models import CheckMethod, CheckResult
from admission.sourcing import selectors


class CheckRequestApi(APIView):
    """Record the verification request about one person (letter, or a member sent in person)."""

    @extend_schema_serializer(component_name="DossierCheckRequestInput")
    class InputSerializer(Input):
        method = serializers.ChoiceField(choices=CheckMethod.choices)
        request_sent_on = DateField()
        addressed_to = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: BackgroundCheckOutput})
    def post(self, request: Request, candidate_id: int, check_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        check = get_object_or_404(candidate.background_checks, pk=check_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            check = services.background_check_request(check=check, by=request.user, **data.validated_data)
        return Response(BackgroundCheckOutput(check).data)


class CheckReplyApi(APIView):
    """Record the reply about one person, with its scan."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierCheckReplyInput")
    class InputSerializer(Input):
        reply_received_on = DateField()
        result = serializers.ChoiceField(choices=CheckResult.choices)
        note = serializers.CharField(max_length=MAX_TEXT, required=False, default="", allow_blank=True)
        scan = _scan_input()

    @extend_schema(request=InputSerializer, responses={200: BackgroundCheckOutput})
    def post(self, request: Request, candidate_id: int, check_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        check = get_object_or_404(candidate.background_checks, pk=check_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            check = services.background_check_reply(check=check, by=request.user, **data.validated_data)
        return Response(BackgroundCheckOutput(check).data)
