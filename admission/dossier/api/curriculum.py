"""POST 1-KNĐ and 2-KNĐ: the application, the CV with its relatives and work history, the stamp across its page
joins, and the cell's comment and the grassroots committee's certification."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, Input, IntegerField
from admission.core.api.problems import service_errors
from admission.core.bounds import EARLIEST_BIRTH_YEAR, LATEST_DATE, MAX_TEXT
from admission.dossier import services
from admission.dossier.api.common import PARSERS, JsonListField, _scan_input
from admission.dossier.api.outputs import ApplicationOutput, BackgroundCheckOutput, CurriculumOutput
from admission.dossier.models import Relation
from admission.sourcing import selectors


class ApplicationRecordApi(APIView):
    """Record or correct the application (1-KNĐ) with its scan."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierApplicationInput")
    class InputSerializer(Input):
        written_on = DateField()
        received_on = DateField()
        scan = _scan_input()

    @extend_schema(request=InputSerializer, responses={200: ApplicationOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            application = services.application_record(candidate=candidate, by=request.user, **data.validated_data)
        return Response(ApplicationOutput(application).data)


@extend_schema_serializer(component_name="DossierRelativeInput")
class RelativeInput(Input):
    relation = serializers.ChoiceField(choices=Relation.choices)
    full_name = serializers.CharField(max_length=120)
    birth_year = IntegerField(min_value=EARLIEST_BIRTH_YEAR, max_value=LATEST_DATE.year)
    hometown = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    residence = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    occupation = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    political_history = serializers.CharField(max_length=MAX_TEXT, required=False, default="", allow_blank=True)
    is_adult = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Full civil capacity; default from the birth year"
    )
    is_party_member = serializers.BooleanField(required=False, default=False)
    fully_declared = serializers.BooleanField(required=False, default=False)


@extend_schema_serializer(component_name="DossierWorkHistoryLine")
class WorkHistoryLineInput(Input):
    from_ = serializers.CharField(max_length=20, allow_blank=True, required=False, default="", help_text="MM/YYYY")
    to = serializers.CharField(max_length=20, allow_blank=True, required=False, default="", help_text="MM/YYYY")
    what = serializers.CharField(max_length=500)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # "from" is a Python keyword
        return fields


class CurriculumRecordApi(APIView):
    """Record or correct the CV (2-KNĐ) with its relatives, until it is stamped across its page joins."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierCurriculumInput")
    class InputSerializer(Input):
        declared_on = DateField()
        name_in_use = serializers.CharField(max_length=120)
        birth_name = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
        alias = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
        hometown = serializers.CharField(max_length=255)
        permanent_residence = serializers.CharField(max_length=255)
        temporary_residence = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
        youth_union_joined_on = DateField(required=False, allow_null=True, default=None)
        youth_union_joined_at = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
        work_history = JsonListField(child=WorkHistoryLineInput(), required=False, default=list)
        self_assessment = serializers.CharField(max_length=MAX_TEXT, required=False, default="", allow_blank=True)
        pledge_on = DateField(required=False, allow_null=True, default=None)
        relatives = JsonListField(child=RelativeInput(), required=False, default=list)
        scan = _scan_input()

    @extend_schema(request=InputSerializer, responses={200: CurriculumOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            curriculum = services.curriculum_record(candidate=candidate, by=request.user, **data.validated_data)
        return Response(CurriculumOutput(curriculum).data)


class CurriculumSealApi(APIView):
    """The stamp across the CV's page joins; prepares one verification per person to verify."""

    @extend_schema_serializer(component_name="DossierSealInput")
    class InputSerializer(Input):
        sealed_on = DateField()

    @extend_schema(request=InputSerializer, responses={200: BackgroundCheckOutput(many=True)})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.curriculum_seal(candidate=candidate, by=request.user, **data.validated_data)
        checks = candidate.background_checks.select_related("relative").order_by("pk")
        return Response(BackgroundCheckOutput(checks, many=True).data)


class CurriculumCertifyApi(APIView):
    """The cell committee's comment and/or the grassroots committee's certification, once verification is back."""

    @extend_schema_serializer(component_name="DossierCertificationInput")
    class InputSerializer(Input):
        cell_comment = serializers.CharField(max_length=MAX_TEXT, required=False, default="", allow_blank=True)
        cell_commented_on = DateField(required=False, allow_null=True, default=None)
        committee_certification = serializers.CharField(
            max_length=MAX_TEXT, required=False, default="", allow_blank=True
        )
        committee_certified_on = DateField(required=False, allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses={200: CurriculumOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            curriculum = services.curriculum_certify(candidate=candidate, by=request.user, **data.validated_data)
        return Response(CurriculumOutput(curriculum).data)
