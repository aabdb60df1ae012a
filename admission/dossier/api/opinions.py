"""POST 5-KNĐ: the compiled opinions of the organisations consulted and of the cell where the applicant lives."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import CountField, DateField, Input
from admission.core.api.problems import service_errors
from admission.core.bounds import MAX_TEXT
from admission.dossier import services
from admission.dossier.api.common import PARSERS, JsonListField, _scan_input
from admission.dossier.api.outputs import OpinionSummaryOutput
from admission.sourcing import selectors


@extend_schema_serializer(component_name="DossierOrganisationOpinionInput")
class OrganisationOpinionInput(Input):
    name = serializers.CharField(max_length=255)
    met_on = DateField(required=False, allow_null=True, default=None)
    participants = CountField(required=False, allow_null=True, default=None)
    strengths = serializers.CharField(max_length=MAX_TEXT, required=False, default="", allow_blank=True)
    weaknesses = serializers.CharField(max_length=MAX_TEXT, required=False, default="", allow_blank=True)


class OpinionsRecordApi(APIView):
    """Record or correct the compiled opinions (5-KNĐ) with its scan."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierOpinionsInput")
    class InputSerializer(Input):
        compiled_on = DateField()
        organisations = JsonListField(child=OrganisationOpinionInput(), required=False, default=list)
        residence_cell = serializers.CharField(max_length=255)
        residence_opinion = serializers.CharField(max_length=MAX_TEXT)
        synthesis = serializers.CharField(max_length=MAX_TEXT, required=False, default="", allow_blank=True)
        scan = _scan_input()

    @extend_schema(request=InputSerializer, responses={200: OpinionSummaryOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            summary = services.opinions_record(candidate=candidate, by=request.user, **data.validated_data)
        return Response(OpinionSummaryOutput(summary).data)
