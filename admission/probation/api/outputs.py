"""What the API shows of a probation: the output serializers, `probation_payload` (the probation as every write
answers with it), the request helpers every endpoint shares (scope, validation, default day), and the two reads:
the list of the caller's probations and one probation's detail.
"""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.filters import FILTER_BACKENDS
from admission.party import permissions
from admission.probation import selectors as reads
from admission.probation import services
from admission.probation.models import (
    HelperComment,
    NewMemberCertificate,
    Probation,
    ProbationDiscipline,
    ProbationOpinions,
    ProbationRemoval,
    ProbationStatus,
    ProbationTransfer,
    RecognitionStep,
    SelfReview,
)
from admission.sourcing import selectors
from admission.sourcing.api import MentorOutput

# ------------------------------------------------------------------------------------------------------------------
# Outputs
# ------------------------------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="ProbationReminder")
class ReminderOutput(serializers.Serializer):
    days_before = serializers.IntegerField()
    on = serializers.DateField()


@extend_schema_serializer(component_name="ProbationCertificate")
class CertificateOutput(serializers.ModelSerializer):
    class Meta:
        model = NewMemberCertificate
        fields = ["id", "number", "issued_on", "issuer"]


@extend_schema_serializer(component_name="ProbationDiscipline")
class DisciplineOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = ProbationDiscipline
        fields = ["id", "kind", "kind_label", "decided_on", "decision_ref", "decided_by", "reason"]


@extend_schema_serializer(component_name="ProbationSelfReview")
class SelfReviewOutput(serializers.ModelSerializer):
    class Meta:
        model = SelfReview
        fields = ["id", "written_on", "strengths", "weaknesses", "remedies"]


@extend_schema_serializer(component_name="ProbationHelperComment")
class HelperCommentOutput(serializers.ModelSerializer):
    mentor_id = serializers.IntegerField()
    helper_name = serializers.CharField(source="mentor.member.person.full_name")

    class Meta:
        model = HelperComment
        fields = ["id", "mentor_id", "helper_name", "written_on", "assessment", "recommends_recognition"]


@extend_schema_serializer(component_name="ProbationOpinions")
class OpinionsOutput(serializers.ModelSerializer):
    class Meta:
        model = ProbationOpinions
        fields = ["id", "compiled_on", "organisations", "residence_cell", "residence_opinion", "synthesis"]


@extend_schema_serializer(component_name="RecognitionStep")
class StepOutput(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name")
    status_label = serializers.CharField(source="get_status_display")
    votes_for = serializers.IntegerField(source="vote.votes_for", default=None, allow_null=True)
    denominator = serializers.IntegerField(source="vote.denominator", default=None, allow_null=True)

    class Meta:
        model = RecognitionStep
        fields = [
            "id",
            "round",
            "order",
            "kind",
            "form",
            "org_id",
            "org_name",
            "status",
            "status_label",
            "votes_for",
            "denominator",
            "document_number",
            "document_date",
            "note",
            "late_reason",
            "done_on",
        ]


@extend_schema_serializer(component_name="ProbationRemoval")
class RemovalOutput(serializers.ModelSerializer):
    reason_label = serializers.CharField(source="get_reason_code_display")
    status_label = serializers.CharField(source="get_status_display")
    proposed_by_org_name = serializers.CharField(source="proposed_by_org.name")

    class Meta:
        model = ProbationRemoval
        fields = [
            "id",
            "status",
            "status_label",
            "reason_code",
            "reason_label",
            "reason",
            "proposed_on",
            "proposed_by_org_name",
            "decided_on",
            "decision_number",
            "decided_by_org",
            "decision_note",
        ]


@extend_schema_serializer(component_name="ProbationTransfer")
class TransferOutput(serializers.ModelSerializer):
    candidate_id = serializers.IntegerField(source="probation.candidate_id")
    person_name = serializers.CharField(source="probation.candidate.person.full_name")
    from_cell_name = serializers.CharField(source="from_cell.name")
    to_cell_name = serializers.CharField(source="to_cell.name", default="", allow_null=True)
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = ProbationTransfer
        fields = [
            "id",
            "candidate_id",
            "person_name",
            "from_cell",
            "from_cell_name",
            "to_cell",
            "to_cell_name",
            "destination",
            "moved_on",
            "received_on",
            "status",
            "status_label",
            "former_cell_comment",
        ]


@extend_schema_serializer(component_name="ProbationListItem")
class ProbationListOutput(serializers.ModelSerializer):
    candidate_code = serializers.CharField(source="candidate.code")
    person_name = serializers.CharField(source="candidate.person.full_name")
    cell_id = serializers.IntegerField(source="candidate.cell_id")
    cell_name = serializers.CharField(source="candidate.cell.name")
    status_label = serializers.CharField(source="get_status_display")
    party_age_from = serializers.DateField(source="membership.admitted_on")
    official_on = serializers.DateField(source="membership.official_on", allow_null=True)

    class Meta:
        model = Probation
        fields = [
            "id",
            "candidate_id",
            "candidate_code",
            "person_name",
            "cell_id",
            "cell_name",
            "status",
            "status_label",
            "starts_on",
            "ends_on",
            "official_on",
            "party_age_from",
        ]


@extend_schema_serializer(component_name="ProbationDetail")
class ProbationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    candidate_id = serializers.IntegerField()
    candidate_code = serializers.CharField()
    candidate_state = serializers.CharField()
    person_name = serializers.CharField()
    cell_id = serializers.IntegerField()
    cell_name = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    starts_on = serializers.DateField()
    months = serializers.IntegerField()
    ends_on = serializers.DateField(help_text="The day probation ends: the official date, however late the decision")
    official_on = serializers.DateField(allow_null=True, help_text="Set once recognised (always equal to ends_on)")
    party_age_from = serializers.DateField(help_text="The admission decision's date (Charter Art. 5.4)")
    days_left = serializers.IntegerField()
    cell_due = serializers.DateField(help_text="Last day for the cell's recognition resolution (working days)")
    cell_resolution_on = serializers.DateField(allow_null=True)
    decision_due = serializers.DateField(allow_null=True)
    decision_extended = serializers.BooleanField()
    decision_extension_reason = serializers.CharField()
    transfer_due = serializers.DateField(allow_null=True)
    cell_overdue = serializers.BooleanField()
    decision_overdue = serializers.BooleanField()
    reminders = ReminderOutput(many=True)
    recognition_opened_on = serializers.DateField(allow_null=True)
    inconclusive_votes = serializers.IntegerField()
    escalated_on = serializers.DateField(allow_null=True)
    escalated_to_id = serializers.IntegerField(allow_null=True)
    dossier_missing = serializers.ListField(child=serializers.CharField())
    next_step_id = serializers.IntegerField(allow_null=True)
    helpers = MentorOutput(many=True)
    certificate = CertificateOutput(allow_null=True)
    disciplines = DisciplineOutput(many=True)
    self_review = SelfReviewOutput(allow_null=True)
    helper_comments = HelperCommentOutput(many=True)
    opinions = OpinionsOutput(allow_null=True)
    steps = StepOutput(many=True)
    removals = RemovalOutput(many=True)
    transfers = TransferOutput(many=True)


def probation_payload(probation: Probation) -> dict[str, Any]:
    # Read anew (not refresh_from_db: django-fsm's refresh is not thread-safe on the shared field descriptor).
    probation = Probation.objects.select_related("candidate", "membership").get(pk=probation.pk)
    candidate = probation.candidate
    dates = reads.probation_dates(probation=probation)
    step = services.next_step(probation)
    return {
        "id": probation.pk,
        "candidate_id": candidate.pk,
        "candidate_code": candidate.code,
        "candidate_state": candidate.state,
        "person_name": candidate.person.full_name,
        "cell_id": candidate.cell_id,
        "cell_name": candidate.cell.name,
        "status": probation.status,
        "status_label": probation.get_status_display(),
        "starts_on": probation.starts_on,
        "months": probation.months,
        "ends_on": probation.ends_on,
        "official_on": dates.official_on,
        "party_age_from": dates.party_age_from,
        "days_left": dates.days_left,
        "cell_due": dates.deadlines.cell_due,
        "cell_resolution_on": dates.deadlines.cell_resolution_on,
        "decision_due": dates.deadlines.decision_due,
        "decision_extended": dates.deadlines.decision_extended,
        "decision_extension_reason": probation.decision_extension_reason,
        "transfer_due": dates.deadlines.transfer_due,
        "cell_overdue": dates.cell_overdue,
        "decision_overdue": dates.decision_overdue,
        "reminders": [{"days_before": r.days_before, "on": r.on} for r in dates.deadlines.reminders],
        "recognition_opened_on": probation.recognition_opened_on,
        "inconclusive_votes": services.inconclusive_votes(probation),
        "escalated_on": probation.escalated_on,
        "escalated_to_id": probation.escalated_to_id,
        "dossier_missing": [str(item) for item in services.recognition_dossier_missing(probation)],
        "next_step_id": step.pk if step else None,
        "helpers": list(probation.helpers()),
        "certificate": NewMemberCertificate.objects.filter(probation=probation).first(),
        "disciplines": list(probation.disciplines.all()),
        "self_review": SelfReview.objects.filter(probation=probation).first(),
        "helper_comments": list(probation.helper_comments.select_related("mentor__member__person")),
        "opinions": ProbationOpinions.objects.filter(probation=probation).first(),
        "steps": list(probation.steps.select_related("org", "vote")),
        "removals": list(probation.removals.select_related("proposed_by_org")),
        "transfers": list(probation.transfers.select_related("from_cell", "to_cell", "probation__candidate__person")),
    }


def _respond(request: Request, probation: Probation, code: int = status.HTTP_200_OK) -> Response:
    payload = probation_payload(probation)
    member = probation.candidate.person.user_id == request.user.pk
    if member and not selectors.candidate_seen_by_unit(user=request.user, candidate=probation.candidate):
        # The member themself: what the party units wrote about them (helpers' comments, the opinions gathered, a
        # removal, the former cell's comments) stays with the units, as on the probation page.
        payload.update(helper_comments=[], opinions=None, removals=[], transfers=[])
    return Response(ProbationOutput(payload).data, status=code)


def _probation(request: Request, candidate_id: int) -> Probation:
    return reads.probation_get_for_user(user=request.user, candidate_pk=candidate_id)


def _validated(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _day(data: dict[str, Any], key: str) -> Any:
    return data.get(key) or permissions.today()


# ------------------------------------------------------------------------------------------------------------------
# Reads
# ------------------------------------------------------------------------------------------------------------------


class ProbationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProbationStatus.choices, help_text="Only probations in this status")

    class Meta:
        model = Probation
        fields = ["status"]


class ProbationListApi(generics.ListAPIView):
    """Probations in the caller's units (and those transferred out of them), soonest end first."""

    serializer_class = ProbationListOutput
    filter_backends = FILTER_BACKENDS
    filterset_class = ProbationFilter

    def get_queryset(self):
        return reads.probation_list_for_user(user=self.request.user).order_by("ends_on", "pk")


class ProbationDetailApi(APIView):
    """The probation of a case: its dates (official date, party-age date, deadlines, reminders), dossier, chain."""

    @extend_schema(responses={200: ProbationOutput})
    def get(self, request: Request, candidate_id: int) -> Response:
        return _respond(request, _probation(request, candidate_id))
