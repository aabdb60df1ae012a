"""REST API v1 for the admission dossier of a case: the checklist on a date, and one POST per item (1-KNĐ to 5-KNĐ,
the page-join stamp, the verification requests and replies, introducers and their replacement).

Scope as everywhere: the case comes from `selectors.candidate_get_for_user` (outside the caller's units: 404); a
service refusing the caller (not acting for the case's cell) is a 403; a broken rule a 400 `{"detail": message}`.
Scans travel as multipart; rows (relatives, work history, organisations consulted) then travel as a JSON string in
their form field, or as plain lists in a JSON body.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import APIView

from admission.dossier import checklist as dossier
from admission.dossier import services
from admission.dossier.models import (
    Application,
    BackgroundCheck,
    CheckMethod,
    CheckResult,
    Curriculum,
    Introduction,
    MassOrgKind,
    MassOrgResolution,
    OpinionSummary,
    Relation,
    Relative,
)
from admission.party import permissions
from admission.party.models.people import Membership
from admission.sourcing import selectors
from admission.sourcing.api import parse_day, service_errors
from admission.sourcing.eligibility import RuleResult
from admission.sourcing.models.candidates import Candidate

PARSERS = [JSONParser, MultiPartParser, FormParser]


class JsonListField(serializers.ListField):
    """A list of rows; in a multipart form (a scan and rows in one request) the rows arrive as a JSON string."""

    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            raw = dictionary.get(self.field_name)
            if isinstance(raw, str):
                try:
                    return json.loads(raw) if raw.strip() else []
                except ValueError:
                    return raw  # not a list: the field reports it
        return super().get_value(dictionary)


def _scan_input() -> serializers.FileField:
    return serializers.FileField(required=False, help_text="PDF, JPEG or PNG scan (checked by content, size-limited)")


def _scan_output() -> serializers.FileField:
    return serializers.FileField(read_only=True, use_url=False, allow_null=True)


def _membership_queryset(request: Request) -> Any:
    return Membership.objects.filter(permissions.scope_q(request.user, field="cell__path")).select_related(
        "person", "cell"
    )


# ------------------------------------------------------------------------------------------------------------------
# Outputs
# ------------------------------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="DossierChecklistItem")
class ChecklistItemOutput(serializers.Serializer):
    code = serializers.CharField()
    form = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="missing | in_progress | done | expired")
    status_label = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True, help_text="Last day on which the document is valid")
    expires_on = serializers.DateField(allow_null=True, help_text="First day on which it is no longer valid")
    reason = serializers.CharField()


@extend_schema_serializer(component_name="DossierRuleVerdict")
class VerdictOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    passed = serializers.BooleanField()
    reason = serializers.CharField()


@extend_schema_serializer(component_name="DossierApplication")
class ApplicationOutput(serializers.ModelSerializer):
    scan = _scan_output()

    class Meta:
        model = Application
        fields = ["id", "written_on", "received_on", "scan"]


@extend_schema_serializer(component_name="DossierRelative")
class RelativeOutput(serializers.ModelSerializer):
    relation_label = serializers.CharField(source="get_relation_display")

    class Meta:
        model = Relative
        fields = [
            "id",
            "relation",
            "relation_label",
            "full_name",
            "birth_year",
            "hometown",
            "residence",
            "occupation",
            "political_history",
            "is_adult",
            "is_party_member",
            "fully_declared",
        ]


@extend_schema_serializer(component_name="DossierCurriculum")
class CurriculumOutput(serializers.ModelSerializer):
    relatives = RelativeOutput(many=True)
    scan = _scan_output()

    class Meta:
        model = Curriculum
        fields = [
            "id",
            "declared_on",
            "name_in_use",
            "birth_name",
            "alias",
            "hometown",
            "permanent_residence",
            "temporary_residence",
            "youth_union_joined_on",
            "youth_union_joined_at",
            "work_history",
            "self_assessment",
            "pledge_on",
            "page_join_sealed_on",
            "cell_comment",
            "cell_commented_on",
            "committee_certification",
            "committee_certified_on",
            "relatives",
            "scan",
        ]


@extend_schema_serializer(component_name="DossierBackgroundCheck")
class BackgroundCheckOutput(serializers.ModelSerializer):
    relative_id = serializers.IntegerField(allow_null=True)
    relation = serializers.CharField(source="relative.relation", default="", help_text="Empty for the applicant")
    scan = _scan_output()

    class Meta:
        model = BackgroundCheck
        fields = [
            "id",
            "relative_id",
            "relation",
            "subject_name",
            "exempt",
            "method",
            "addressed_to",
            "request_sent_on",
            "reply_received_on",
            "result",
            "note",
            "scan",
        ]


@extend_schema_serializer(component_name="DossierIntroduction")
class IntroductionOutput(serializers.ModelSerializer):
    introducer_id = serializers.IntegerField()
    introducer_name = serializers.CharField(source="introducer.person.full_name")
    replaced_by_id = serializers.IntegerField(allow_null=True)
    active = serializers.BooleanField(source="is_active")
    verdicts = serializers.SerializerMethodField(help_text="Eligibility on the checklist date (default: today)")
    scan = _scan_output()

    class Meta:
        model = Introduction
        fields = [
            "id",
            "introducer_id",
            "introducer_name",
            "worked_together_from",
            "worked_together_to",
            "written_on",
            "active",
            "replaced_by_id",
            "replaced_on",
            "replacement_reason",
            "verdicts",
            "scan",
        ]

    @extend_schema_field(VerdictOutput(many=True))
    def get_verdicts(self, introduction: Introduction) -> list[dict[str, Any]]:
        on: date = self.context.get("on") or permissions.today()
        results: list[RuleResult] = dossier.introduction_verdicts(introduction, meeting_on=on)
        return list(VerdictOutput(results, many=True).data)


@extend_schema_serializer(component_name="DossierMassOrgResolution")
class MassOrgResolutionOutput(serializers.ModelSerializer):
    # Named "organisation", not "kind": an enum named after "kind" would collide with the API's other kinds.
    organisation = serializers.ChoiceField(source="kind", choices=MassOrgKind.choices, read_only=True)
    scan = _scan_output()

    class Meta:
        model = MassOrgResolution
        fields = ["id", "organisation", "body_name", "number", "adopted_on", "scan"]


@extend_schema_serializer(component_name="DossierOpinionSummary")
class OpinionSummaryOutput(serializers.ModelSerializer):
    scan = _scan_output()

    class Meta:
        model = OpinionSummary
        fields = ["id", "compiled_on", "organisations", "residence_cell", "residence_opinion", "synthesis", "scan"]


def _one(serializer: type[serializers.Serializer], obj: Any, **context: Any) -> dict[str, Any] | None:
    return dict(serializer(obj, context=context).data) if obj is not None else None


# ------------------------------------------------------------------------------------------------------------------
# The dossier and its checklist
# ------------------------------------------------------------------------------------------------------------------


class DossierApi(APIView):
    """The case's dossier: each item's status, date and validity on a date (default today), and the records.
    Applicants reading their own case see the checklist and their own declarations, not the units' assessments."""

    @extend_schema_serializer(component_name="Dossier")
    class OutputSerializer(serializers.Serializer):
        candidate_id = serializers.IntegerField()
        on = serializers.DateField()
        complete = serializers.BooleanField()
        introducers_needed = serializers.IntegerField()
        items = ChecklistItemOutput(many=True)
        application = ApplicationOutput(allow_null=True)
        curriculum = CurriculumOutput(allow_null=True)
        background_checks = BackgroundCheckOutput(many=True)
        introductions = IntroductionOutput(many=True)
        mass_org_resolution = MassOrgResolutionOutput(allow_null=True)
        opinion_summary = OpinionSummaryOutput(allow_null=True)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "date", OpenApiTypes.STR, description="Checklist date, YYYY-MM-DD or dd/mm/yyyy (default today)"
            )
        ],
        responses={200: OutputSerializer, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = dossier_data(candidate, parse_day(request.query_params.get("date")))
        if not selectors.candidate_seen_by_unit(user=request.user, candidate=candidate):
            data = _as_seen_by_the_candidate(data)
        return Response(data)


# What the party units write about the applicant (verification results, introducers' and organisations' opinions) is
# theirs: applicants reading their own case see where each item stands, not those contents.


def _as_seen_by_the_candidate(data: dict[str, Any]) -> dict[str, Any]:
    items = [
        {**item, "reason": item["status_label"]} if item["code"] in dossier.INTERNAL_ITEMS else item
        for item in data["items"]
    ]
    curriculum = data["curriculum"]
    if curriculum is not None:
        curriculum = {**curriculum, "cell_comment": "", "committee_certification": ""}
    return {
        **data,
        "items": items,
        "curriculum": curriculum,
        "background_checks": [],
        "introductions": [],
        "mass_org_resolution": None,
        "opinion_summary": None,
    }


def dossier_data(candidate: Candidate, on: date) -> dict[str, Any]:
    items = dossier.dossier_checklist(candidate, on)
    curriculum = Curriculum.objects.filter(candidate=candidate).prefetch_related("relatives").first()
    return {
        "candidate_id": candidate.pk,
        "on": on.isoformat(),
        "complete": all(item.done for item in items),
        "introducers_needed": dossier.introducers_needed(candidate, on),
        "items": ChecklistItemOutput(items, many=True).data,
        "application": _one(ApplicationOutput, Application.objects.filter(candidate=candidate).first()),
        "curriculum": _one(CurriculumOutput, curriculum),
        "background_checks": BackgroundCheckOutput(
            candidate.background_checks.select_related("relative").order_by("pk"), many=True
        ).data,
        "introductions": IntroductionOutput(
            candidate.introductions.select_related("introducer__person", "introducer__cell", "candidate__rule_set"),
            many=True,
            context={"on": on},
        ).data,
        "mass_org_resolution": _one(
            MassOrgResolutionOutput, MassOrgResolution.objects.filter(candidate=candidate).first()
        ),
        "opinion_summary": _one(OpinionSummaryOutput, OpinionSummary.objects.filter(candidate=candidate).first()),
    }


# ------------------------------------------------------------------------------------------------------------------
# 1-KNĐ, 2-KNĐ and the verification
# ------------------------------------------------------------------------------------------------------------------


class ApplicationRecordApi(APIView):
    """Record or correct the application (1-KNĐ) with its scan."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierApplicationInput")
    class InputSerializer(serializers.Serializer):
        written_on = serializers.DateField()
        received_on = serializers.DateField()
        scan = _scan_input()

    @extend_schema(request=InputSerializer, responses={200: ApplicationOutput, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            application = services.application_record(candidate=candidate, by=request.user, **data.validated_data)
        return Response(ApplicationOutput(application).data)


@extend_schema_serializer(component_name="DossierRelativeInput")
class RelativeInput(serializers.Serializer):
    relation = serializers.ChoiceField(choices=Relation.choices)
    full_name = serializers.CharField(max_length=120)
    birth_year = serializers.IntegerField(min_value=1880, max_value=2100)
    hometown = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    residence = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    occupation = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    political_history = serializers.CharField(required=False, default="", allow_blank=True)
    is_adult = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Full civil capacity; default from the birth year"
    )
    is_party_member = serializers.BooleanField(required=False, default=False)
    fully_declared = serializers.BooleanField(required=False, default=False)


@extend_schema_serializer(component_name="DossierWorkHistoryLine")
class WorkHistoryLineInput(serializers.Serializer):
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
    class InputSerializer(serializers.Serializer):
        declared_on = serializers.DateField()
        name_in_use = serializers.CharField(max_length=120)
        birth_name = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
        alias = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
        hometown = serializers.CharField(max_length=255)
        permanent_residence = serializers.CharField(max_length=255)
        temporary_residence = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
        youth_union_joined_on = serializers.DateField(required=False, allow_null=True, default=None)
        youth_union_joined_at = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
        work_history = JsonListField(child=WorkHistoryLineInput(), required=False, default=list)
        self_assessment = serializers.CharField(required=False, default="", allow_blank=True)
        pledge_on = serializers.DateField(required=False, allow_null=True, default=None)
        relatives = JsonListField(child=RelativeInput(), required=False, default=list)
        scan = _scan_input()

    @extend_schema(request=InputSerializer, responses={200: CurriculumOutput, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            curriculum = services.curriculum_record(candidate=candidate, by=request.user, **data.validated_data)
        return Response(CurriculumOutput(curriculum).data)


class CurriculumSealApi(APIView):
    """The stamp across the CV's page joins; prepares one verification per person to verify."""

    @extend_schema_serializer(component_name="DossierSealInput")
    class InputSerializer(serializers.Serializer):
        sealed_on = serializers.DateField()

    @extend_schema(request=InputSerializer, responses={200: BackgroundCheckOutput(many=True)})
    def post(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.curriculum_seal(candidate=candidate, by=request.user, **data.validated_data)
        checks = candidate.background_checks.select_related("relative").order_by("pk")
        return Response(BackgroundCheckOutput(checks, many=True).data)


class CurriculumCertifyApi(APIView):
    """The cell committee's comment and/or the grassroots committee's certification, once verification is back."""

    @extend_schema_serializer(component_name="DossierCertificationInput")
    class InputSerializer(serializers.Serializer):
        cell_comment = serializers.CharField(required=False, default="", allow_blank=True)
        cell_commented_on = serializers.DateField(required=False, allow_null=True, default=None)
        committee_certification = serializers.CharField(required=False, default="", allow_blank=True)
        committee_certified_on = serializers.DateField(required=False, allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses={200: CurriculumOutput, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            curriculum = services.curriculum_certify(candidate=candidate, by=request.user, **data.validated_data)
        return Response(CurriculumOutput(curriculum).data)


class CheckRequestApi(APIView):
    """Record the verification request about one person (letter, or a member sent in person)."""

    @extend_schema_serializer(component_name="DossierCheckRequestInput")
    class InputSerializer(serializers.Serializer):
        method = serializers.ChoiceField(choices=CheckMethod.choices)
        request_sent_on = serializers.DateField()
        addressed_to = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: BackgroundCheckOutput, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int, check_pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        check = get_object_or_404(candidate.background_checks, pk=check_pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            check = services.background_check_request(check=check, by=request.user, **data.validated_data)
        return Response(BackgroundCheckOutput(check).data)


class CheckReplyApi(APIView):
    """Record the reply about one person, with its scan."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierCheckReplyInput")
    class InputSerializer(serializers.Serializer):
        reply_received_on = serializers.DateField()
        result = serializers.ChoiceField(choices=CheckResult.choices)
        note = serializers.CharField(required=False, default="", allow_blank=True)
        scan = _scan_input()

    @extend_schema(request=InputSerializer, responses={200: BackgroundCheckOutput, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int, check_pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        check = get_object_or_404(candidate.background_checks, pk=check_pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            check = services.background_check_reply(check=check, by=request.user, **data.validated_data)
        return Response(BackgroundCheckOutput(check).data)


# ------------------------------------------------------------------------------------------------------------------
# 3-KNĐ, 4-KNĐ, 5-KNĐ
# ------------------------------------------------------------------------------------------------------------------


class _IntroductionFields(serializers.Serializer):
    introducer = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects.none(), help_text="Membership id of an official member in the caller's units"
    )
    worked_together_from = serializers.DateField()
    worked_together_to = serializers.DateField(required=False, allow_null=True, default=None)
    written_on = serializers.DateField()
    scan = _scan_input()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["introducer"].queryset = _membership_queryset(request)  # type: ignore[attr-defined]
        return fields


class IntroductionAddApi(APIView):
    """Record an official member's introduction (3-KNĐ) with its scan."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierIntroductionInput")
    class InputSerializer(_IntroductionFields):
        pass

    @extend_schema(request=InputSerializer, responses={201: IntroductionOutput, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            introduction = services.introduction_add(candidate=candidate, by=request.user, **data.validated_data)
        return Response(IntroductionOutput(introduction).data, status=status.HTTP_201_CREATED)


class IntroductionReplaceApi(APIView):
    """Replace an introducer who can no longer introduce: a new member, a new 3-KNĐ, and the reason."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierIntroductionReplaceInput")
    class InputSerializer(_IntroductionFields):
        reason = serializers.CharField(max_length=255)

    @extend_schema(request=InputSerializer, responses={201: IntroductionOutput, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int, introduction_pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        introduction = get_object_or_404(candidate.introductions, pk=introduction_pk)
        data = self.InputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            new = services.introduction_replace(introduction=introduction, by=request.user, **data.validated_data)
        return Response(IntroductionOutput(new).data, status=status.HTTP_201_CREATED)


class MassOrgResolutionRecordApi(APIView):
    """Record or correct the Youth Union or trade-union resolution (4-KNĐ) that replaces one introducer."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierMassOrgResolutionInput")
    class InputSerializer(serializers.Serializer):
        organisation = serializers.ChoiceField(choices=MassOrgKind.choices, help_text="Youth Union or trade union")
        body_name = serializers.CharField(max_length=255)
        number = serializers.CharField(max_length=60)
        adopted_on = serializers.DateField()
        scan = _scan_input()

    @extend_schema(request=InputSerializer, responses={200: MassOrgResolutionOutput, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            fields = dict(data.validated_data)
            resolution = services.mass_org_resolution_record(
                candidate=candidate, kind=fields.pop("organisation"), by=request.user, **fields
            )
        return Response(MassOrgResolutionOutput(resolution).data)


@extend_schema_serializer(component_name="DossierOrganisationOpinionInput")
class OrganisationOpinionInput(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    met_on = serializers.DateField(required=False, allow_null=True, default=None)
    participants = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    strengths = serializers.CharField(required=False, default="", allow_blank=True)
    weaknesses = serializers.CharField(required=False, default="", allow_blank=True)


class OpinionsRecordApi(APIView):
    """Record or correct the compiled opinions (5-KNĐ) with its scan."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierOpinionsInput")
    class InputSerializer(serializers.Serializer):
        compiled_on = serializers.DateField()
        organisations = JsonListField(child=OrganisationOpinionInput(), required=False, default=list)
        residence_cell = serializers.CharField(max_length=255)
        residence_opinion = serializers.CharField()
        synthesis = serializers.CharField(required=False, default="", allow_blank=True)
        scan = _scan_input()

    @extend_schema(request=InputSerializer, responses={200: OpinionSummaryOutput, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            summary = services.opinions_record(candidate=candidate, by=request.user, **data.validated_data)
        return Response(OpinionSummaryOutput(summary).data)
