"""REST API v1 for probation and recognition (domain.md §5, forms 10–16-KNĐ).

Every write answers with the probation as `ProbationDetailApi` shows it: its dates (official date = the day
probation ends, party age from the admission decision, the deadlines, the reminder days), its dossier, its chain,
removals and transfers. Scope as everywhere: a probation outside the caller's units is a 404; inside them a service
refusing the caller (not acting for the body whose step it is) is a 403; a broken rule a 400 `{"detail": message}`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.decisions.models.meetings import Meeting, MeetingPurpose
from admission.decisions.services.meetings import cell_meeting_record, committee_meeting_record, vote_record
from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.probation import selectors as reads
from admission.probation import services
from admission.probation.models import (
    DisciplineKind,
    HelperComment,
    NewMemberCertificate,
    Probation,
    ProbationDiscipline,
    ProbationOpinions,
    ProbationRemoval,
    ProbationTransfer,
    RecognitionStep,
    RemovalReason,
    SelfReview,
)
from admission.sourcing import selectors
from admission.sourcing.api import MentorOutput, ServiceRefused, service_errors

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


def _probation(request: Request, pk: int) -> Probation:
    return reads.probation_get_for_user(user=request.user, candidate_pk=pk)


def _validated(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _day(data: dict[str, Any], key: str) -> Any:
    return data.get(key) or permissions.today()


# ------------------------------------------------------------------------------------------------------------------
# Reads
# ------------------------------------------------------------------------------------------------------------------


class ProbationListApi(APIView):
    """Probations in the caller's units (and those transferred out of them), soonest end first."""

    @extend_schema(responses={200: ProbationListOutput(many=True)})
    def get(self, request: Request) -> Response:
        rows = reads.probation_list_for_user(user=request.user).order_by("ends_on", "pk")
        return Response(ProbationListOutput(rows, many=True).data)


class ProbationDetailApi(APIView):
    """The probation of a case: its dates (official date, party-age date, deadlines, reminders), dossier, chain."""

    @extend_schema(responses={200: ProbationOutput})
    def get(self, request: Request, pk: int) -> Response:
        return _respond(request, _probation(request, pk))


# ------------------------------------------------------------------------------------------------------------------
# Helpers and the dossier (10–12-KNĐ)
# ------------------------------------------------------------------------------------------------------------------


class ProbationHelperReplaceApi(APIView):
    """Replace a helper from a date; the old assignment ends with its reason."""

    @extend_schema_serializer(component_name="ProbationHelperReplaceInput")
    class InputSerializer(serializers.Serializer):
        replacement = serializers.IntegerField(help_text="Membership id of an official member of the cell")
        on = serializers.DateField(required=False, help_text="Default: today")
        reason = serializers.CharField(max_length=255)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, pk: int, mentor_pk: int) -> Response:
        probation = _probation(request, pk)
        mentor = get_object_or_404(probation.candidate.mentors, pk=mentor_pk)
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
    class InputSerializer(serializers.Serializer):
        number = serializers.CharField(max_length=60)
        issued_on = serializers.DateField()
        issuer = serializers.CharField(max_length=255)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, pk: int) -> Response:
        probation = _probation(request, pk)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.course_certificate_record(probation=probation, by=request.user, **data)
        return _respond(request, probation)


class ProbationDisciplineRecordApi(APIView):
    """Record a reprimand or a warning decided during probation."""

    @extend_schema_serializer(component_name="ProbationDisciplineInput")
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=DisciplineKind.choices)
        decided_on = serializers.DateField()
        decision_ref = serializers.CharField(max_length=60)
        decided_by = serializers.CharField(max_length=255)
        reason = serializers.CharField(max_length=4000)

    @extend_schema(request=InputSerializer, responses={201: ProbationOutput})
    def post(self, request: Request, pk: int) -> Response:
        probation = _probation(request, pk)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.discipline_record(probation=probation, by=request.user, **data)
        return _respond(request, probation, status.HTTP_201_CREATED)


class ProbationSelfReviewRecordApi(APIView):
    """The self-review (10-KNĐ), by the member themself or by the cell."""

    @extend_schema_serializer(component_name="ProbationSelfReviewInput")
    class InputSerializer(serializers.Serializer):
        written_on = serializers.DateField()
        strengths = serializers.CharField(max_length=20000)
        weaknesses = serializers.CharField(max_length=20000, required=False, allow_blank=True)
        remedies = serializers.CharField(max_length=20000, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, pk: int) -> Response:
        probation = _probation(request, pk)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.self_review_record(probation=probation, by=request.user, **data)
        return _respond(request, probation)


class ProbationHelperCommentRecordApi(APIView):
    """A helper's comment (11-KNĐ), by the helper or by the cell."""

    @extend_schema_serializer(component_name="ProbationHelperCommentInput")
    class InputSerializer(serializers.Serializer):
        mentor = serializers.IntegerField(help_text="Id of the helper assignment")
        written_on = serializers.DateField()
        assessment = serializers.CharField(max_length=20000)
        recommends_recognition = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, pk: int) -> Response:
        probation = _probation(request, pk)
        data = _validated(self.InputSerializer, request)
        mentor = get_object_or_404(probation.candidate.mentors, pk=data.pop("mentor"))
        with service_errors():
            services.helper_comment_record(probation=probation, mentor=mentor, by=request.user, **data)
        return _respond(request, probation)


class ProbationOpinionsRecordApi(APIView):
    """The compiled opinions (12-KNĐ)."""

    @extend_schema_serializer(component_name="ProbationOpinionsInput")
    class InputSerializer(serializers.Serializer):
        compiled_on = serializers.DateField()
        residence_cell = serializers.CharField(max_length=255)
        residence_opinion = serializers.CharField(max_length=20000)
        synthesis = serializers.CharField(max_length=20000, required=False, allow_blank=True)
        organisations = serializers.ListField(
            child=serializers.DictField(), required=False, help_text="[{name, met_on, participants, strengths, …}]"
        )

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, pk: int) -> Response:
        probation = _probation(request, pk)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.opinions_record(probation=probation, by=request.user, **data)
        return _respond(request, probation)


# ------------------------------------------------------------------------------------------------------------------
# The cell's vote (13-KNĐ) and the chain (14–16-KNĐ)
# ------------------------------------------------------------------------------------------------------------------


class RecognitionVoteRecordApi(APIView):
    """The cell's recognition meeting and vote. Either give `meeting` (an already recorded recognition meeting of
    the cell) or the meeting itself: `held_on`, `present` (membership ids) and the absence reasons."""

    @extend_schema_serializer(component_name="RecognitionVoteInput")
    class InputSerializer(serializers.Serializer):
        meeting = serializers.IntegerField(required=False)
        held_on = serializers.DateField(required=False)
        place = serializers.CharField(max_length=255, required=False, allow_blank=True)
        present = serializers.ListField(child=serializers.IntegerField(), required=False)
        absence_reasons = serializers.DictField(child=serializers.CharField(), required=False)
        votes_for = serializers.IntegerField(min_value=0)
        votes_against = serializers.IntegerField(min_value=0, default=0)
        removal_reason_code = serializers.ChoiceField(choices=RemovalReason.choices, required=False)
        removal_reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        late_reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if "meeting" not in attrs and "held_on" not in attrs:
                raise serializers.ValidationError(_("Give the meeting, or its date and who attended."))
            return attrs

    @extend_schema_serializer(component_name="RecognitionVoteOutput")
    class OutputSerializer(serializers.Serializer):
        vote_id = serializers.IntegerField()
        outcome = serializers.CharField(help_text="recognise | remove | inconclusive")
        escalated = serializers.BooleanField()
        votes_for = serializers.IntegerField()
        votes_against = serializers.IntegerField()
        denominator = serializers.IntegerField()
        needed = serializers.IntegerField()
        probation = ProbationOutput()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        probation = _probation(request, pk)
        data = _validated(self.InputSerializer, request)
        cell = probation.candidate.cell
        with service_errors(), transaction.atomic():
            if "meeting" in data:
                meeting = get_object_or_404(
                    Meeting.objects.filter(org=cell, purpose=MeetingPurpose.RECOGNITION), pk=data["meeting"]
                )
            else:
                meeting = cell_meeting_record(
                    cell=cell,
                    held_on=data["held_on"],
                    purpose=MeetingPurpose.RECOGNITION,
                    present=set(data.get("present", [])),
                    absence_reasons={int(k): v for k, v in data.get("absence_reasons", {}).items()},
                    place=data.get("place", ""),
                    by=request.user,
                )
            result = services.recognition_vote_record(
                probation=probation,
                meeting=meeting,
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                removal_reason_code=data.get("removal_reason_code", ""),
                removal_reason=data.get("removal_reason", ""),
                late_reason=data.get("late_reason", ""),
                by=request.user,
            )
        vote = result.vote
        payload = {
            "vote_id": vote.pk,
            "outcome": result.outcome,
            "escalated": result.escalated,
            "votes_for": vote.votes_for,
            "votes_against": vote.votes_against,
            "denominator": vote.denominator,
            "needed": vote.needed,
            "probation": probation_payload(probation),
        }
        return Response(self.OutputSerializer(payload).data, status=status.HTTP_201_CREATED)


class RecognitionStepCompleteApi(APIView):
    """Do the waiting step: an appraisal (14-KNĐ), a committee resolution (15-KNĐ: give the committee's vote), or
    the decision (16-KNĐ: its number and date; the member is official from the end of probation)."""

    @extend_schema_serializer(component_name="RecognitionStepCompleteInput")
    class InputSerializer(serializers.Serializer):
        on = serializers.DateField(required=False, help_text="Date of the document; default today")
        document_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
        note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        late_reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        members_total = serializers.IntegerField(min_value=1, required=False, help_text="The committee's vote")
        present = serializers.IntegerField(min_value=0, required=False)
        votes_for = serializers.IntegerField(min_value=0, required=False)
        votes_against = serializers.IntegerField(min_value=0, required=False, default=0)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, pk: int, step_pk: int) -> Response:
        probation = _probation(request, pk)
        step = get_object_or_404(probation.steps, pk=step_pk)
        data = _validated(self.InputSerializer, request)
        on = _day(data, "on")
        with service_errors(), transaction.atomic():
            vote = None
            if data.get("votes_for") is not None and step.vote_body:
                meeting = committee_meeting_record(
                    org=step.org,
                    body=step.vote_body,
                    held_on=on,
                    purpose=MeetingPurpose.RECOGNITION,
                    members_total=data.get("members_total") or 0,
                    present=data.get("present") or 0,
                    by=request.user,
                )
                vote = vote_record(
                    meeting=meeting,
                    candidate=probation.candidate,
                    votes_for=data["votes_for"],
                    votes_against=data["votes_against"],
                    by=request.user,
                )
            services.recognition_step_complete(
                step=step,
                by=request.user,
                on=on,
                vote=vote,
                document_number=data.get("document_number", ""),
                note=data.get("note", ""),
                late_reason=data.get("late_reason", ""),
            )
        return _respond(request, probation)


class RecognitionStepRefuseApi(APIView):
    """A body of the chain does not agree: the chain stops and the removal is proposed to the competent committee."""

    @extend_schema_serializer(component_name="RecognitionStepRefuseInput")
    class InputSerializer(serializers.Serializer):
        on = serializers.DateField(required=False)
        reason = serializers.CharField(max_length=4000)
        reason_code = serializers.ChoiceField(choices=RemovalReason.choices, default=RemovalReason.FAILED_RECOGNITION)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, pk: int, step_pk: int) -> Response:
        probation = _probation(request, pk)
        step = get_object_or_404(probation.steps, pk=step_pk)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.recognition_step_refuse(
                step=step, reason=data["reason"], reason_code=data["reason_code"], on=_day(data, "on"), by=request.user
            )
        return _respond(request, probation)


class RecognitionDecisionExtendApi(APIView):
    """Extend the recognition decision's deadline once, with a reason (the deciding body)."""

    @extend_schema_serializer(component_name="RecognitionExtendInput")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=4000)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, pk: int) -> Response:
        probation = _probation(request, pk)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.recognition_decision_extend(probation=probation, reason=data["reason"], by=request.user)
        return _respond(request, probation)


# ------------------------------------------------------------------------------------------------------------------
# Removal, escalation, transfers
# ------------------------------------------------------------------------------------------------------------------


class RemovalProposeApi(APIView):
    """The cell proposes the removal from the list (xóa tên), with its reason."""

    @extend_schema_serializer(component_name="RemovalProposeInput")
    class InputSerializer(serializers.Serializer):
        reason_code = serializers.ChoiceField(choices=RemovalReason.choices)
        reason = serializers.CharField(max_length=4000)
        proposed_on = serializers.DateField(required=False)

    @extend_schema(request=InputSerializer, responses={201: ProbationOutput})
    def post(self, request: Request, pk: int) -> Response:
        probation = _probation(request, pk)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.removal_propose(
                probation=probation,
                reason_code=data["reason_code"],
                reason=data["reason"],
                proposed_on=_day(data, "proposed_on"),
                by=request.user,
            )
        return _respond(request, probation, status.HTTP_201_CREATED)


class RemovalDecideApi(APIView):
    """The competent committee decides a proposed removal (approve with the decision's number, or not)."""

    @extend_schema_serializer(component_name="RemovalDecideInput")
    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        decided_on = serializers.DateField(required=False)
        decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
        note = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, pk: int, removal_pk: int) -> Response:
        probation = _probation(request, pk)
        removal = get_object_or_404(probation.removals, pk=removal_pk)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.removal_decide(
                removal=removal,
                approve=data["approve"],
                decided_on=_day(data, "decided_on"),
                decision_number=data.get("decision_number", ""),
                note=data.get("note", ""),
                by=request.user,
            )
        return _respond(request, probation)


class EscalationDecideApi(APIView):
    """After three inconclusive votes, the competent committee recognises or removes."""

    @extend_schema_serializer(component_name="EscalationDecideInput")
    class InputSerializer(serializers.Serializer):
        recognise = serializers.BooleanField()
        decided_on = serializers.DateField(required=False)
        document_number = serializers.CharField(max_length=60)
        reason_code = serializers.ChoiceField(choices=RemovalReason.choices, required=False)
        reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, pk: int) -> Response:
        probation = _probation(request, pk)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.escalation_decide(
                probation=probation,
                recognise=data["recognise"],
                decided_on=_day(data, "decided_on"),
                document_number=data["document_number"],
                reason_code=data.get("reason_code", ""),
                reason=data.get("reason", ""),
                by=request.user,
            )
        return _respond(request, probation)


class ProbationTransferOutApi(APIView):
    """The cell transfers the probationer to another cell (`to_cell`) or outside this system (`destination`)."""

    @extend_schema_serializer(component_name="ProbationTransferOutInput")
    class InputSerializer(serializers.Serializer):
        moved_on = serializers.DateField(required=False)
        former_cell_comment = serializers.CharField(max_length=20000)
        to_cell = serializers.IntegerField(required=False, help_text="Id of a party cell of this system")
        destination = serializers.CharField(max_length=255, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: TransferOutput})
    def post(self, request: Request, pk: int) -> Response:
        probation = _probation(request, pk)
        data = _validated(self.InputSerializer, request)
        # Any cell of the system may receive (inside or outside the organisation): not limited to the caller's scope.
        to_cell = get_object_or_404(PartyOrg, pk=data["to_cell"]) if "to_cell" in data else None
        with service_errors():
            transfer = services.transfer_out(
                probation=probation,
                moved_on=_day(data, "moved_on"),
                former_cell_comment=data["former_cell_comment"],
                to_cell=to_cell,
                destination=data.get("destination", ""),
                by=request.user,
            )
        return Response(TransferOutput(transfer).data, status=status.HTTP_201_CREATED)


class ProbationTransferListApi(APIView):
    """Transfers the caller's units sent or are to receive (pending first)."""

    @extend_schema(responses={200: TransferOutput(many=True)})
    def get(self, request: Request) -> Response:
        rows = reads.transfer_list_for_user(user=request.user).order_by("-status", "-moved_on", "pk")
        return Response(TransferOutput(rows, many=True).data)


class ProbationTransferReceiveApi(APIView):
    """The receiving cell receives the probationer and names one or two helpers."""

    @extend_schema_serializer(component_name="ProbationTransferReceiveInput")
    class InputSerializer(serializers.Serializer):
        received_on = serializers.DateField(required=False)
        helpers = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=2)

    @extend_schema(request=InputSerializer, responses={200: TransferOutput})
    def post(self, request: Request, pk: int) -> Response:
        transfer = reads.transfer_get_for_user(user=request.user, pk=pk)
        data = _validated(self.InputSerializer, request)
        helpers = list(Membership.objects.filter(cell_id=transfer.to_cell_id, pk__in=data["helpers"]))
        if len(helpers) != len(set(data["helpers"])):
            raise ServiceRefused(_("The helpers must be members of the receiving cell."))
        with service_errors():
            transfer = services.transfer_in(
                transfer=transfer, received_on=_day(data, "received_on"), helpers=helpers, by=request.user
            )
        return Response(TransferOutput(transfer).data)
