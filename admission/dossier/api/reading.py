"""GET the case's dossier: each item's status, date and validity on a date, and the records; applicants reading their
own case see the checklist and their own declarations, not the units' assessments."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DATE_SCHEMA, parse_day
from admission.dossier import checklist as dossier
from admission.dossier.api.outputs import (
    ApplicationOutput,
    BackgroundCheckOutput,
    ChecklistItemOutput,
    CurriculumOutput,
    IntroductionOutput,
    MassOrgResolutionOutput,
    OpinionSummaryOutput,
    _one,
)
from admission.dossier.models import Application, Curriculum, MassOrgResolution, OpinionSummary
from admission.sourcing import selectors
from admission.sourcing.models.candidates import Candidate


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
        parameters=[OpenApiParameter("date", DATE_SCHEMA, description="Checklist date (default today)")],
        responses={200: OutputSerializer},
    )
    def get(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        data = dossier_data(candidate, parse_day(request.query_params.get("date"), "date"))
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
