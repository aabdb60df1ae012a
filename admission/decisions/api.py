"""REST API v1 for the admission part of a case: where it stands (chain, votes, deadlines, consents, ceremony) and
the higher consents. The steps themselves (cell vote, chain steps, receipt, ceremony) go through the flow's step
endpoint (`/api/v1/candidates/<id>/steps/<step>/`) so that the case's state and its tasks move together."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, Input
from admission.core.api.problems import service_errors
from admission.decisions import selectors as decision_selectors
from admission.decisions.models.decisions import ChainStepRecord
from admission.decisions.models.meetings import Vote
from admission.decisions.services.decisions import consent_record
from admission.party import permissions
from admission.sourcing import selectors as sourcing_selectors
from admission.sourcing.models.consents import Consent, ConsentKind


@extend_schema_serializer(component_name="MeetingRosterEntry")
class RosterEntryOutput(serializers.Serializer):
    membership = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    official = serializers.BooleanField()
    present = serializers.BooleanField()
    guest = serializers.BooleanField(help_text="A member of another cell taking part in the meeting: never counted")


@extend_schema_serializer(component_name="AdmissionVote")
class VoteOutput(serializers.ModelSerializer):
    held_on = serializers.DateField(source="meeting.held_on")
    org = serializers.CharField(source="meeting.org.name")
    body = serializers.CharField(source="meeting.body")
    rule_set = serializers.CharField(source="rule_set.code")
    roster = serializers.SerializerMethodField()

    @extend_schema_field(RosterEntryOutput(many=True))
    def get_roster(self, vote: Vote) -> list[dict[str, Any]]:
        """The cell's roster as it stood at the meeting (members, then guests, marked as such)."""
        rows = [{"guest": False, "membership": None, **row} for row in vote.meeting.roster or []]
        return list(RosterEntryOutput(rows, many=True).data)

    class Meta:
        model = Vote
        fields = [
            "id",
            "held_on",
            "org",
            "body",
            "rule_set",
            "votes_for",
            "votes_against",
            "denominator",
            "needed",
            "passed",
            "roster",
        ]


@extend_schema_serializer(component_name="AdmissionChainStep")
class ChainStepOutput(serializers.ModelSerializer):
    org = serializers.CharField(source="org.name")
    org_id = serializers.IntegerField()
    done_by = serializers.SerializerMethodField()
    vote = VoteOutput(allow_null=True)

    class Meta:
        model = ChainStepRecord
        fields = [
            "id",
            "order",
            "kind",
            "form",
            "org_id",
            "org",
            "vote_body",
            "deciding_body",
            "status",
            "document_number",
            "document_date",
            "received_on",
            "note",
            "done_on",
            "done_by",
            "vote",
        ]

    def get_done_by(self, step: ChainStepRecord) -> str:
        return (step.done_by.get_full_name() or step.done_by.get_username()) if step.done_by else ""


@extend_schema_serializer(component_name="AdmissionConsent")
class ConsentOutput(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = ["id", "kind", "reference", "granted_on", "granted_by"]


@extend_schema_serializer(component_name="AdmissionOverview")
class OverviewOutput(serializers.Serializer):
    chain = ChainStepOutput(many=True)
    votes = VoteOutput(many=True)
    decision_due = serializers.DateField(allow_null=True, source="deadlines.decision_due")
    decision_extended = serializers.BooleanField(source="deadlines.decision_extended")
    decision_overdue = serializers.BooleanField()
    ceremony_due = serializers.DateField(allow_null=True, source="deadlines.ceremony_due")
    ceremony_counted_from = serializers.CharField(allow_null=True, source="deadlines.ceremony_counted_from")
    ceremony_overdue = serializers.BooleanField()
    required_consents = serializers.ListField(child=serializers.CharField())
    missing_consents = serializers.ListField(child=serializers.CharField())
    consents = ConsentOutput(many=True)
    ceremony = serializers.SerializerMethodField()

    def get_ceremony(self, overview: Any) -> dict[str, Any] | None:
        ceremony = overview.ceremony
        if ceremony is None:
            return None
        return {
            "held_on": ceremony.held_on.isoformat(),
            "place": ceremony.place,
            "decision_read_by": ceremony.decision_read_by,
            "mentors": [m.person.full_name for m in ceremony.mentors.all()],
            "late_consent_ref": ceremony.late_consent_ref,
        }


class AdmissionOverviewApi(APIView):
    """The case after its dossier: the approval chain as lived, every vote, the deadlines (overdue flags), the
    higher consents required, missing and recorded, and the ceremony."""

    @extend_schema(responses=OverviewOutput)
    def get(self, request: Request, candidate_id: int) -> Response:
        # Units only: the overview names approvers and votes.
        candidate = sourcing_selectors.candidate_get_for_unit(user=request.user, pk=candidate_id)
        overview = decision_selectors.admission_overview(candidate=candidate, on=permissions.today())
        return Response(OverviewOutput(overview).data)


class ConsentRecordApi(APIView):
    """Record a higher consent (over 60, literacy exception, re-admission, political history) — by someone acting
    for the case's cell or for a body of its approval chain."""

    @extend_schema_serializer(component_name="ConsentInput")
    class InputSerializer(Input):
        kind = serializers.ChoiceField(choices=ConsentKind.choices)
        reference = serializers.CharField(max_length=100)
        granted_on = DateField()
        granted_by = serializers.CharField(max_length=255)

    @extend_schema(request=InputSerializer, responses={201: ConsentOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            consent = consent_record(candidate=candidate, by=request.user, **data.validated_data)
        return Response(ConsentOutput(consent).data, status=status.HTTP_201_CREATED)
