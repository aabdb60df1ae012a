"""REST API v1 for candidate cases: the list, one case with its timeline, its eligibility on a date, the cell's
review notes, the end of a helper's assignment, and closing the case."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.party import permissions
from admission.party import selectors as party_selectors
from admission.party.api import PersonOutput
from admission.party.models.people import Membership
from admission.sourcing import selectors as sourcing_selectors
from admission.sourcing.api.errors import parse_day, service_errors
from admission.sourcing.eligibility import check_eligibility
from admission.sourcing.models.candidates import Candidate, CandidateState, Mentor, ReviewNote
from admission.sourcing.models.training import AwarenessCertificate, Enrollment
from admission.sourcing.services.candidates import candidate_close_everywhere, mentor_end, review_note_add


@extend_schema_serializer(component_name="CandidateListItem")
class CandidateOutput(serializers.ModelSerializer):
    person_id = serializers.IntegerField()
    person_name = serializers.CharField(source="person.full_name")
    cell_id = serializers.IntegerField()
    cell_name = serializers.CharField(source="cell.name")
    state_label = serializers.CharField(source="get_state_display")
    rule_set_code = serializers.CharField(source="rule_set.code")

    class Meta:
        model = Candidate
        fields = [
            "id",
            "code",
            "attempt",
            "person_id",
            "person_name",
            "cell_id",
            "cell_name",
            "state",
            "state_label",
            "nominated_on",
            "opened_on",
            "closed_on",
            "rule_set_code",
        ]


@extend_schema_serializer(component_name="CandidateTimelineEntry")
class TimelineOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.CharField()
    transition = serializers.CharField()
    source_state = serializers.CharField(allow_null=True)
    source_label = serializers.CharField()
    state = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    description = serializers.CharField()


@extend_schema_serializer(component_name="CandidateMentor")
class MentorOutput(serializers.ModelSerializer):
    member_id = serializers.IntegerField()
    full_name = serializers.CharField(source="member.person.full_name")

    class Meta:
        model = Mentor
        fields = ["id", "member_id", "full_name", "assigned_on", "ended_on", "end_reason"]


@extend_schema_serializer(component_name="ReviewNote")
class ReviewNoteOutput(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = ReviewNote
        fields = ["id", "reviewed_on", "text", "author"]

    def get_author(self, note: ReviewNote) -> str:
        return (note.author.get_full_name() or note.author.get_username()) if note.author else ""


@extend_schema_serializer(component_name="CandidateEnrollment")
class CandidateEnrollmentOutput(serializers.ModelSerializer):
    course_id = serializers.IntegerField()
    course_name = serializers.CharField(source="course.name")
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = Enrollment
        fields = ["id", "course_id", "course_name", "state", "state_label", "proposed_on", "decided_on", "result_on"]


@extend_schema_serializer(component_name="Certificate")
class CertificateOutput(serializers.ModelSerializer):
    class Meta:
        model = AwarenessCertificate
        fields = ["id", "number", "issued_on", "issuer"]


class CandidateListApi(generics.ListAPIView):
    """Cases in the caller's units (and the caller's own case), newest first."""

    serializer_class = CandidateOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=CandidateState.values, description="Case state"),
            OpenApiParameter("cell", OpenApiTypes.INT, description="Id of a cell in the caller's units"),
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of the full name, or the exact case code"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        cases = sourcing_selectors.candidate_list_for_user(user=self.request.user).order_by("-opened_on", "code")
        params = self.request.query_params
        if params.get("state"):
            cases = cases.filter(state=params["state"])
        if params.get("cell"):
            cases = cases.filter(cell=party_selectors.org_get_for_user(user=self.request.user, pk=params["cell"]))
        if params.get("q", "").strip():
            q = params["q"].strip()
            cases = cases.filter(person__full_name__icontains=q) | cases.filter(code__iexact=q)
        return cases


@extend_schema_serializer(component_name="CandidateRuleSet")
class RuleSetOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    effective_from = serializers.DateField()


def _detail(candidate: Candidate) -> dict[str, Any]:
    return dict(CandidateDetailApi.OutputSerializer(candidate).data)


class CandidateDetailApi(APIView):
    """One case with its people, course history and timeline (django-fsm-log: who, when, from → to, why)."""

    @extend_schema_serializer(component_name="CandidateDetail")
    class OutputSerializer(CandidateOutput):
        person = PersonOutput()
        rule_set = RuleSetOutput()
        mentors = MentorOutput(many=True)
        review_notes = ReviewNoteOutput(many=True)
        enrollments = CandidateEnrollmentOutput(many=True)
        certificates = serializers.SerializerMethodField()
        timeline = serializers.SerializerMethodField()

        class Meta(CandidateOutput.Meta):
            fields = [
                *CandidateOutput.Meta.fields,
                "person",
                "rule_set",
                "nominated_by",
                "nominating_body",
                "nomination_note",
                "sympathiser_meeting_on",
                "sympathiser_note",
                "closing_reason",
                "education_exception",
                "is_readmission",
                "mentors",
                "review_notes",
                "enrollments",
                "certificates",
                "timeline",
            ]

        @extend_schema_field(CertificateOutput(many=True))
        def get_certificates(self, candidate: Candidate) -> list[dict[str, Any]]:
            certificates = AwarenessCertificate.objects.filter(person=candidate.person).order_by("-issued_on")
            return list(CertificateOutput(certificates, many=True).data)

        @extend_schema_field(TimelineOutput(many=True))
        def get_timeline(self, candidate: Candidate) -> list[dict[str, Any]]:
            return list(TimelineOutput(sourcing_selectors.candidate_timeline(candidate=candidate), many=True).data)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        # Units only: a candidate reads their own case at /api/v1/me/cases/, without other people's data.
        candidate = sourcing_selectors.candidate_get_for_unit(user=request.user, pk=pk)
        return Response(_detail(candidate))


@extend_schema_serializer(component_name="EligibilityRule")
class EligibilityRuleOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    passed = serializers.BooleanField()
    reason = serializers.CharField()


class CandidateEligibilityApi(APIView):
    """Every eligibility rule of the case's rule set for a planned cell meeting date (default: today)."""

    @extend_schema_serializer(component_name="EligibilityReport")
    class OutputSerializer(serializers.Serializer):
        candidate_id = serializers.IntegerField(source="candidate.pk")
        rule_set_code = serializers.CharField(source="candidate.rule_set.code")
        meeting_on = serializers.DateField()
        eligible = serializers.BooleanField()
        results = EligibilityRuleOutput(many=True)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "date", OpenApiTypes.STR, description="Planned meeting date, YYYY-MM-DD or dd/mm/yyyy (default today)"
            )
        ],
        responses={200: OutputSerializer, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, pk: int) -> Response:
        candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=pk)
        report = check_eligibility(candidate, parse_day(request.query_params.get("date")))
        return Response(self.OutputSerializer(report).data)


class ReviewNoteCreateApi(APIView):
    """Add the cell's periodic review note (only for someone acting for the case's cell: 403 otherwise)."""

    @extend_schema_serializer(component_name="ReviewNoteInput")
    class InputSerializer(serializers.Serializer):
        reviewed_on = serializers.DateField(required=False, help_text="Default: today")
        text = serializers.CharField(max_length=4000)

    @extend_schema(request=InputSerializer, responses={201: ReviewNoteOutput})
    def post(self, request: Request, pk: int) -> Response:
        candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            note = review_note_add(
                candidate=candidate,
                reviewed_on=data.validated_data.get("reviewed_on") or permissions.today(),
                text=data.validated_data["text"],
                by=request.user,
            )
        return Response(ReviewNoteOutput(note).data, status=status.HTTP_201_CREATED)


class MentorEndApi(APIView):
    """End a helper's assignment (moved away, disciplined…), optionally naming an official member to replace them."""

    @extend_schema_serializer(component_name="MentorEndInput")
    class InputSerializer(serializers.Serializer):
        ended_on = serializers.DateField(required=False, help_text="Default: today")
        reason = serializers.CharField(max_length=255)
        replacement = serializers.IntegerField(required=False, help_text="Membership id of the new helper")

    @extend_schema(request=InputSerializer, responses={200: MentorOutput(many=True)})
    def post(self, request: Request, pk: int, mentor_pk: int) -> Response:
        candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=pk)
        mentor = get_object_or_404(candidate.mentors, pk=mentor_pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        replacement = None
        if "replacement" in data.validated_data:
            replacement = get_object_or_404(
                Membership.objects.filter(cell=candidate.cell), pk=data.validated_data["replacement"]
            )
        with service_errors():
            mentor_end(
                mentor=mentor,
                ended_on=data.validated_data.get("ended_on") or permissions.today(),
                reason=data.validated_data["reason"],
                replacement=replacement,
                by=request.user,
            )
        return Response(MentorOutput(candidate.mentors.select_related("member__person").all(), many=True).data)


class CandidateCloseApi(APIView):
    """Close the case (withdrawn, or not admitted) and cancel the flow's waiting tasks."""

    @extend_schema_serializer(component_name="CandidateCloseInput")
    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=[CandidateState.WITHDRAWN, CandidateState.NOT_ADMITTED])
        reason = serializers.CharField(max_length=2000)
        closed_on = serializers.DateField(required=False, help_text="Default: today")

    @extend_schema(request=InputSerializer, responses={200: CandidateDetailApi.OutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            closed = candidate_close_everywhere(
                candidate=candidate,
                withdrawn=data.validated_data["outcome"] == CandidateState.WITHDRAWN,
                reason=data.validated_data["reason"],
                on=data.validated_data.get("closed_on") or permissions.today(),
                by=request.user,
            )
        return Response(_detail(closed))
