"""REST API v1 for a re-admission case: the person's earlier memberships (domain.md §2.6), read and recorded
through the case (a 404 outside the caller's units, a 403 for someone who does not act for the case's cell)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from admission.core.api.fields import DateField, Input
from admission.core.api.problems import service_errors
from admission.party.api import EarlierMembershipOutput
from admission.party.models.earlier import EarlierMembership, LeavingReason
from admission.sourcing import selectors as sourcing_selectors
from admission.sourcing.services.readmission import earlier_membership_add


class EarlierMembershipListApi(generics.ListAPIView):
    """GET: the case's person's earlier memberships (one page). POST: record one (the case becomes a re-admission);
    a category never re-admitted is refused (400)."""

    serializer_class = EarlierMembershipOutput

    @extend_schema_serializer(component_name="EarlierMembershipInput")
    class InputSerializer(Input):
        admitted_on = DateField()
        official_on = DateField(required=False, allow_null=True)
        left_on = DateField()
        how_left = serializers.ChoiceField(choices=LeavingReason.choices)
        conviction_expunged_on = DateField(required=False, allow_null=True)
        was_readmission = serializers.BooleanField(required=False, default=False)
        note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator's anonymous request
            return EarlierMembership.objects.none()
        candidate = sourcing_selectors.candidate_get_for_unit(user=self.request.user, pk=self.kwargs["candidate_id"])
        return EarlierMembership.objects.filter(person=candidate.person).order_by("left_on", "pk")

    @extend_schema(request=InputSerializer, responses={201: EarlierMembershipOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = sourcing_selectors.candidate_get_for_unit(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            earlier = earlier_membership_add(candidate=candidate, by=request.user, **data.validated_data)
        return Response(EarlierMembershipOutput(earlier).data, status=status.HTTP_201_CREATED)
