"""REST API v1 of the portal: the caller's own cases (`GET /api/v1/me/cases/`) and the public status lookup
(`POST /api/v1/lookup/`, no login), with the same rate limit and the same answer for an unknown code and a wrong
PIN or date of birth as the /tra-cuu/ page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, Input
from admission.core.network import client_address
from portal import lookup, selectors
from portal.selectors import CaseProgress, Position
from portal.services import PIN_DIGITS
from portal.stages import Stage


class PortalStageSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="The case's state (CandidateState)")
    title = serializers.CharField(help_text="The stage in plain words")


def _stage(stage: Stage) -> dict[str, Any]:
    return {"state": stage.state, "title": str(stage.title)}


class PortalPositionSerializer(serializers.Serializer):
    """Where a case stands: what the public lookup shows, and the head of the candidate's own view."""

    stage = PortalStageSerializer()
    entered_on = serializers.DateField(allow_null=True, help_text="The day the case entered this stage")
    due_on = serializers.DateField(allow_null=True, help_text="The day the current step is expected by, if known")
    next = PortalStageSerializer(allow_null=True)
    next_expected_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)


def _position(position: Position) -> dict[str, Any]:
    return {
        "stage": _stage(position.stage),
        "entered_on": position.entered_on,
        "due_on": position.due_on,
        "next": _stage(position.next) if position.next else None,
        "next_expected_on": position.next_expected_on,
        "closed_on": position.closed_on,
    }


class PortalWaitingSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="What is being done now, in plain words")
    acting_org = serializers.CharField(help_text="The party body doing it")
    due_on = serializers.DateField(allow_null=True)


class PortalStageRowSerializer(serializers.Serializer):
    state = serializers.CharField()
    title = serializers.CharField()
    explanation = serializers.CharField()
    status = serializers.ChoiceField(choices=["done", "current", "upcoming", "closed"])
    entered_on = serializers.DateField(allow_null=True)
    expected_on = serializers.DateField(allow_null=True)


class PortalHistorySerializer(serializers.Serializer):
    on = serializers.DateField()
    text = serializers.CharField()


class PortalItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    form = serializers.CharField()
    status = serializers.CharField()
    text = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    yours = serializers.BooleanField(help_text="The candidate provides this paper")


class PortalDocumentSerializer(serializers.Serializer):
    form = serializers.CharField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.CharField()


class MyCasesApi(generics.ListAPIView):
    """The cases of the person linked to the caller's login, with their stages, history, papers and downloads.
    Anyone else's case never appears here, whatever the caller's roles."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PortalMyCase"

        id = serializers.IntegerField()
        code = serializers.CharField()
        attempt = serializers.IntegerField()
        position = PortalPositionSerializer()
        explanation = serializers.CharField()
        for_you = serializers.CharField(allow_blank=True)
        waiting = PortalWaitingSerializer(many=True)
        stages = PortalStageRowSerializer(many=True)
        history = PortalHistorySerializer(many=True)
        items = PortalItemSerializer(many=True)
        documents = PortalDocumentSerializer(many=True)

    @staticmethod
    def case_data(progress: CaseProgress) -> dict[str, Any]:
        case, position = progress.candidate, progress.position
        return {
            "id": case.pk,
            "code": case.code,
            "attempt": case.attempt,
            "position": _position(position),
            "explanation": str(position.stage.explanation),
            "for_you": str(position.stage.for_you),
            "waiting": position.waiting,
            "stages": [
                {
                    "state": row.stage.state,
                    "title": str(row.stage.title),
                    "explanation": str(row.stage.explanation),
                    "status": row.status,
                    "entered_on": row.entered_on,
                    "expected_on": row.expected_on,
                }
                for row in progress.stages
            ],
            "history": progress.history,
            "items": progress.items,
            "documents": [
                {
                    "form": d.form_code,
                    "finished_at": d.finished_at,
                    "download_url": reverse("portal:my_document", kwargs={"pk": case.pk, "doc_pk": d.pk}),
                }
                for d in progress.documents
            ],
        }

    serializer_class = OutputSerializer

    def get_queryset(self) -> Any:
        return selectors.case_list_for_candidate(user=self.request.user)

    @extend_schema(operation_id="me_cases_list", summary="My admission cases (the candidate's own)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        data = [self.case_data(selectors.case_progress(case)) for case in page or []]
        return self.get_paginated_response(self.OutputSerializer(data, many=True).data)


class LookupApi(APIView):
    """Public: the stage of a case from its code and the receipt's PIN or the candidate's date of birth.

    An unknown code and a wrong answer both give 404 with the same body; after 5 wrong answers for one code (or 20
    for all codes) from one address in 15 minutes, 429 with Retry-After until the window frees a try."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # no session, so no CSRF: nothing of the caller's is at stake

    class InputSerializer(Input):
        class Meta:
            ref_name = "PortalLookupInput"

        code = serializers.CharField(max_length=30, help_text="The case code, e.g. KN-2026-000123")
        pin = serializers.RegexField(
            rf"^\d{{{PIN_DIGITS}}}$", required=False, allow_blank=True, help_text="The 6-digit PIN of the receipt"
        )
        date_of_birth = DateField(required=False, allow_null=True, help_text="Instead of the PIN")

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if not attrs.get("pin") and not attrs.get("date_of_birth"):
                raise serializers.ValidationError(_("Enter the PIN printed on your receipt, or the date of birth."))
            return attrs

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PortalLookupOutput"

        code = serializers.CharField()
        position = PortalPositionSerializer()

    @extend_schema(
        operation_id="lookup_create",
        summary="Public status lookup by case code and PIN or date of birth",
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(description="Malformed input (no second factor, a PIN that is not 6 digits)"),
            404: OpenApiResponse(description="No case matches (unknown code and wrong answer alike)"),
            429: OpenApiResponse(description="Too many wrong answers: try again after Retry-After seconds"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = lookup.lookup(
            client=client_address(request),
            code=data["code"],
            pin=data.get("pin") or "",
            date_of_birth=data.get("date_of_birth"),
        )
        if result.blocked_until is not None:
            from django.utils import timezone

            seconds = max(int((result.blocked_until - timezone.now()).total_seconds()) + 1, 1)
            message = _("Too many wrong answers from this connection: try again in %(minutes)d minute(s).") % {
                "minutes": (seconds + 59) // 60
            }
            throttled = exceptions.Throttled(detail=message)
            throttled.wait = seconds  # type: ignore[attr-defined]  # Retry-After, without DRF's sentence about it
            raise throttled
        if result.candidate is None:
            raise exceptions.NotFound(_("No case matches this code with this PIN or date of birth."))
        position = selectors.case_position(result.candidate)
        return Response(self.OutputSerializer({"code": result.candidate.code, "position": _position(position)}).data)
