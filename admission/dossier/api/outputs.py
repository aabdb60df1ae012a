"""What the dossier's endpoints answer: the checklist items, the introducers' verdicts and each record (1-KNĐ to
5-KNĐ, the verification checks), with its scan's name."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from admission.dossier import checklist as dossier
from admission.dossier.api.common import _scan_output
from admission.dossier.models import (
    Application,
    BackgroundCheck,
    Curriculum,
    Introduction,
    MassOrgKind,
    MassOrgResolution,
    OpinionSummary,
    Relative,
)
from admission.party import permissions
from admission.sourcing.eligibility import RuleResult


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
