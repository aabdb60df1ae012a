"""API for the cell's recognition vote (13-KNĐ), the chain's steps (14–16-KNĐ: done or refused) and the extension of
the decision's deadline.
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

from admission.core.api.fields import CountField, DateField, IdField, Input, ListField
from admission.core.api.parsers import JSON_ONLY
from admission.core.api.problems import service_errors
from admission.core.bounds import MAX_ITEMS, whole_number_text
from admission.decisions.models.meetings import Meeting, MeetingPurpose
from admission.decisions.services.meetings import cell_meeting_record, committee_meeting_record, vote_record
from admission.probation import services
from admission.probation.api.outputs import ProbationOutput, _day, _probation, _respond, _validated, probation_payload
from admission.probation.models import RemovalReason

# ------------------------------------------------------------------------------------------------------------------
# The cell's vote (13-KNĐ) and the chain (14–16-KNĐ)
# ------------------------------------------------------------------------------------------------------------------


class RecognitionVoteRecordApi(APIView):
    """The cell's recognition meeting and vote. Either give `meeting` (an already recorded recognition meeting of
    the cell) or the meeting itself: `held_on`, `present` (membership ids) and the absence reasons."""

    parser_classes = JSON_ONLY  # absence_reasons: an object

    @extend_schema_serializer(component_name="RecognitionVoteInput")
    class InputSerializer(Input):
        meeting = IdField(required=False, help_text="Id of a recognition meeting of the cell already recorded")
        held_on = DateField(required=False)
        place = serializers.CharField(max_length=255, required=False, allow_blank=True)
        present = ListField(child=IdField(), required=False, help_text="Membership ids of the members present")
        absence_reasons = serializers.DictField(
            child=serializers.CharField(max_length=255),
            required=False,
            help_text='Why each absent member was absent, by membership id: {"12": "ill"}',
        )
        votes_for = CountField()
        votes_against = CountField(default=0)
        removal_reason_code = serializers.ChoiceField(choices=RemovalReason.choices, required=False)
        removal_reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        late_reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)

        def validate_absence_reasons(self, reasons: dict[str, str]) -> dict[int, str]:
            if len(reasons) > MAX_ITEMS or not all(whole_number_text(str(key)) for key in reasons):
                raise serializers.ValidationError(_("Key each reason by the membership id of the absent member."))
            return {int(key): reason for key, reason in reasons.items()}

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
    def post(self, request: Request, candidate_id: int) -> Response:
        probation = _probation(request, candidate_id)
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
                    absence_reasons=data.get("absence_reasons", {}),
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
    class InputSerializer(Input):
        on = DateField(required=False, help_text="Date of the document; default today")
        document_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
        note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        late_reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        members_total = CountField(min_value=1, required=False, help_text="The committee's vote: its members")
        present = CountField(required=False)
        votes_for = CountField(required=False)
        votes_against = CountField(required=False, default=0)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, candidate_id: int, chain_step_id: int) -> Response:
        probation = _probation(request, candidate_id)
        step = get_object_or_404(probation.steps, pk=chain_step_id)
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
    class InputSerializer(Input):
        on = DateField(required=False)
        reason = serializers.CharField(max_length=4000)
        reason_code = serializers.ChoiceField(choices=RemovalReason.choices, default=RemovalReason.FAILED_RECOGNITION)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, candidate_id: int, chain_step_id: int) -> Response:
        probation = _probation(request, candidate_id)
        step = get_object_or_404(probation.steps, pk=chain_step_id)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.recognition_step_refuse(
                step=step, reason=data["reason"], reason_code=data["reason_code"], on=_day(data, "on"), by=request.user
            )
        return _respond(request, probation)


class RecognitionDecisionExtendApi(APIView):
    """Extend the recognition decision's deadline once, with a reason (the deciding body)."""

    @extend_schema_serializer(component_name="RecognitionExtendInput")
    class InputSerializer(Input):
        reason = serializers.CharField(max_length=4000)

    @extend_schema(request=InputSerializer, responses={200: ProbationOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        probation = _probation(request, candidate_id)
        data = _validated(self.InputSerializer, request)
        with service_errors():
            services.recognition_decision_extend(probation=probation, reason=data["reason"], by=request.user)
        return _respond(request, probation)
