"""POST 3-KNĐ and 4-KNĐ: an official member's introduction, an introducer's replacement, and the Youth Union or
trade-union resolution that takes the place of one introducer."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, Input, RelatedIdField
from admission.core.api.problems import service_errors
from admission.dossier import services
from admission.dossier.api.common import PARSERS, _membership_queryset, _scan_input
from admission.dossier.api.outputs import IntroductionOutput, MassOrgResolutionOutput
from admission.dossier.models import MassOrgKind
from admission.party.models.people import Membership
from admission.sourcing import selectors


class _IntroductionFields(Input):
    introducer = RelatedIdField(
        queryset=Membership.objects.none(), help_text="Membership id of an official member in the caller's units"
    )
    worked_together_from = DateField()
    worked_together_to = DateField(required=False, allow_null=True, default=None)
    written_on = DateField()
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

    @extend_schema(request=InputSerializer, responses={201: IntroductionOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
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

    @extend_schema(request=InputSerializer, responses={201: IntroductionOutput})
    def post(self, request: Request, candidate_id: int, introduction_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        introduction = get_object_or_404(candidate.introductions, pk=introduction_id)
        data = self.InputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            new = services.introduction_replace(introduction=introduction, by=request.user, **data.validated_data)
        return Response(IntroductionOutput(new).data, status=status.HTTP_201_CREATED)


class MassOrgResolutionRecordApi(APIView):
    """Record or correct the Youth Union or trade-union resolution (4-KNĐ) that replaces one introducer."""

    parser_classes = PARSERS

    @extend_schema_serializer(component_name="DossierMassOrgResolutionInput")
    class InputSerializer(Input):
        organisation = serializers.ChoiceField(choices=MassOrgKind.choices, help_text="Youth Union or trade union")
        body_name = serializers.CharField(max_length=255)
        number = serializers.CharField(max_length=60)
        adopted_on = DateField()
        scan = _scan_input()

    @extend_schema(request=InputSerializer, responses={200: MassOrgResolutionOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_user(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            fields = dict(data.validated_data)
            resolution = services.mass_org_resolution_record(
                candidate=candidate, kind=fields.pop("organisation"), by=request.user, **fields
            )
        return Response(MassOrgResolutionOutput(resolution).data)
