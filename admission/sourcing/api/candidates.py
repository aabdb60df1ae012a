"""REST API v1 for candidate cases: the list, one case with its timeline, its eligibility on a date, the cell's
review notes, the end of a helper's assignment, and closing the case."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DATE_SCHEMA, DateField, IdField, Input, parse_day
from admission.core.api.filters import FILTER_BACKENDS
from admission.core.api.problems import service_errors
from admission.party import permissions
from admission.party.api import EarlierMembershipOutput, OrgFilter, PersonOutput
from admission.party.models.people import Membership
from admission.sourcing import selectors as sourcing_selectors
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


class CandidateFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=CandidateState.choices, help_text="Case state")
    cell = OrgFilter(help_text="Id of a cell in the caller's units: its cases only")
    q = django_filters.CharFilter(
        method="search", max_length=120, help_text="Part of the full name, or the exact case code"
    )

    class Meta:
        model = Candidate
        fields = ["state", "cell", "q"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(person__full_name__icontains=value) | Q(code__iexact=value))


class CandidateListApi(generics.ListAPIView):
    """Cases in the caller's units (and the caller's own case), newest first."""

    serializer_class = CandidateOutput
    filter_backends = FILTER_BACKENDS
    filterset_class = CandidateFilter
    schema_tags = ["cases"]

    def get_queryset(self):
        return sourcing_selectors.candidate_list_for_user(user=self.request.user).order_by("-opened_on", "code", "pk")


@extend_schema_serializer(component_name="CandidateRuleSet")
class RuleSetOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    effective_from = serializers.DateField()


def _detail(candidate: Candidate) -> dict[str, Any]:
    return dict(CandidateDetailApi.OutputSerializer(candidate).data)


class CandidateDetailApi(APIView):
    """One case with its people, course history and timeline (django-fsm-log: who, when, from → to, why)."""

    schema_tags = ["cases"]

    @extend_schema_serializer(component_name="CandidateDetail")
    class OutputSerializer(CandidateOutput):
        person = PersonOutput()
        rule_set = RuleSetOutput()
        mentors = MentorOutput(many=True)
        review_notes = ReviewNoteOutput(many=True)
        enrollments = CandidateEnrollmentOutput(many=True)
        certificates = serializers.SerializerMethodField()
        earlier_memberships = EarlierMembershipOutput(source="person.earlier_memberships", many=True, read_only=True)
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
                "earlier_memberships",
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
    def get(self, request: Request, candidate_id: int) -> Response:
        # Units only: a candidate reads their own case at /api/v1/me/cases/, without other people's data.
        candidate = sourcing_selectors.candidate_get_for_unit(user=request.user, pk=candidate_id)
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
        parameters=[OpenApiParameter("date", DATE_SCHEMA, description="Planned meeting date (default today)")],
        responses={200: OutputSerializer},
    )
    def get(self, request: Request, candidate_id: int) -> Response:
        candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        report = check_eligibility(candidate, parse_day(request.query_params.get("date"), "date"))
        return Response(self.OutputSerializer(report).data)


class ReviewNoteCreateApi(APIView):
    """Add the cell's periodic review note (only for someone acting for the case's cell: 403 otherwise)."""

    @extend_schema_serializer(component_name="ReviewNoteInput")
    class InputSerializer(Input):
        reviewed_on = DateField(required=False, help_text="Default: today")
        text = serializers.CharField(max_length=4000)

    @extend_schema(request=InputSerializer, responses={201: ReviewNoteOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
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

    @extend_schema_serializer(component_name="HelperEndInput")
    class InputSerializer(Input):
        ended_on = DateField(required=False, help_text="Default: today")
        reason = serializers.CharField(max_length=255)
        replacement = IdField(required=False, help_text="Membership id of the new helper")

    @extend_schema(request=InputSerializer, responses={200: MentorOutput(many=True)})
    def post(self, request: Request, candidate_id: int, helper_id: int) -> Response:
        candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        mentor = get_object_or_404(candidate.mentors, pk=helper_id)
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

    schema_tags = ["cases"]

    @extend_schema_serializer(component_name="CandidateCloseInput")
    class InputSerializer(Input):
        outcome = serializers.ChoiceField(choices=[CandidateState.WITHDRAWN, CandidateState.NOT_ADMITTED])
        reason = serializers.CharField(max_length=2000)
        closed_on = DateField(required=False, help_text="Default: today")

    @extend_schema(request=InputSerializer, responses={200: CandidateDetailApi.OutputSerializer})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
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
