"""API for the helpers and the recognition dossier (10–12-KNĐ): replace a helper, record the course certificate, a
discipline, the self-review, a helper's comment and the compiled opinions.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, IdField, Input, ListField
from admission.core.api.parsers import JSON_ONLY
from admission.core.api.problems import service_errors
from admission.core.bounds import MAX_TEXT
from admission.dossier.api import OrganisationOpinionInput
from admission.party.models.people import Membership
from admission.probation import services
from admission.probation.api.outputs import ProbationOutput, _day, _probation, _respond, _validated
from admission.probation.models import DisciplineKind

# ------------------------------------------------------------------------------------------------------------------
# Helpers and the dossier (10–12-KNĐ)
# ------------------------------------------------------------------------------------------------------------------


class ProbationHelperReplaceApi(APIView):
    """Replace a helper from a date; the old assignment ends with its reason."""

    @extend_schema_serializer(component_name="ProbationHelperReplaceInput")
    class InputSerializer(Input):
        replacement = IdField(help_text="Membership id of an official member of the cell")
        on = DateField(required=False, help_text="Default: today")
        reason = serializers.CharField(max_length=255)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, candidate_id: int, helper_id: int) -> Response:
        probation = _probation(request, candidate_id)
        mentor = get_object_or_404(probation.candidate.mentors, pk=helper_id)
        data = _validated(self.InputSerializer, request)
        replacement = get_object_or_404(
            Membership.objects.filter(cell=probation.candidate.cell), pk=data["replacement"]
        )
        with service_errors():
            services.helper_replace(
                probation=probation,
                mentor=mentor,
                replacement=replacement,
                on=_day(data, "on"),
                reason=data["reason"],
                by=request.user,
            )
        return _respond(request, probation)


class ProbationCertificateRecordApi(APIView):
    """Record the new-member course certificate."""

    @extend_schema_serializer(component_name="ProbationCertificateInput")
    class InputSerializer(Input):
        number = serializers.CharField(max_length=60)
        issued_on = DateField()
        issuer = serializers.CharField(max_length=255)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        probation = _probation(request, candidate_id)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.course_certificate_record(probation=probation, by=request.user, **data)
        return _respond(request, probation)


class ProbationDisciplineRecordApi(APIView):
    """Record a reprimand or a warning decided during probation."""

    @extend_schema_serializer(component_name="ProbationDisciplineInput")
    class InputSerializer(Input):
        kind = serializers.ChoiceField(choices=DisciplineKind.choices)
        decided_on = DateField()
        decision_ref = serializers.CharField(max_length=60)
        decided_by = serializers.CharField(max_length=255)
        reason = serializers.CharField(max_length=4000)

    @extend_schema(request=InputSerializer, responses={201: ProbationOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        probation = _probation(request, candidate_id)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.discipline_record(probation=probation, by=request.user, **data)
        return _respond(request, probation, status.HTTP_201_CREATED)


class ProbationSelfReviewRecordApi(APIView):
    """The self-review (10-KNĐ), by the member themself or by the cell."""

    @extend_schema_serializer(component_name="ProbationSelfReviewInput")
    class InputSerializer(Input):
        written_on = DateField()
        strengths = serializers.CharField(max_length=MAX_TEXT)
        weaknesses = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
        remedies = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        probation = _probation(request, candidate_id)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.self_review_record(probation=probation, by=request.user, **data)
        return _respond(request, probation)


class ProbationHelperCommentRecordApi(APIView):
    """A helper's comment (11-KNĐ), by the helper or by the cell."""

    @extend_schema_serializer(component_name="ProbationHelperCommentInput")
    class InputSerializer(Input):
        mentor = IdField(help_text="Id of the helper (the helper assignment)")
        written_on = DateField()
        assessment = serializers.CharField(max_length=MAX_TEXT)
        recommends_recognition = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        probation = _probation(request, candidate_id)
        data = _validated(self.InputSerializer, request)
        mentor = get_object_or_404(probation.candidate.mentors, pk=data.pop("mentor"))
        with service_errors():
            services.helper_comment_record(probation=probation, mentor=mentor, by=request.user, **data)
        return _respond(request, probation)


class ProbationOpinionsRecordApi(APIView):
    """The compiled opinions (12-KNĐ)."""

    parser_classes = JSON_ONLY  # organisations: a list of objects

    @extend_schema_serializer(component_name="ProbationOpinionsInput")
    class InputSerializer(Input):
        compiled_on = DateField()
        residence_cell = serializers.CharField(max_length=255)
        residence_opinion = serializers.CharField(max_length=MAX_TEXT)
        synthesis = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
        organisations = ListField(child=OrganisationOpinionInput(), required=False)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        probation = _probation(request, candidate_id)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.opinions_record(probation=probation, by=request.user, **data)
        return _respond(request, probation)
