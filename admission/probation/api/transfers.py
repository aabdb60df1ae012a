"""API for transfers during probation: the former cell sends the member, the caller's units list their transfers,
the receiving cell receives the member and names the helpers.
"""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, IdField, Input, ListField
from admission.core.api.filters import FILTER_BACKENDS
from admission.core.api.problems import ServiceRefused, service_errors
from admission.core.bounds import MAX_TEXT
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.probation import selectors as reads
from admission.probation import services
from admission.probation.api.outputs import TransferOutput, _day, _probation, _validated
from admission.probation.models import ProbationTransfer, TransferStatus
from admission.sourcing.services.candidates import MAX_ACTIVE_MENTORS


class ProbationTransferOutApi(APIView):
    """The cell transfers the probationer to another cell (`to_cell`) or outside this system (`destination`)."""

    @extend_schema_serializer(component_name="ProbationTransferOutInput")
    class InputSerializer(Input):
        moved_on = DateField(required=False)
        former_cell_comment = serializers.CharField(max_length=MAX_TEXT)
        to_cell = IdField(required=False, help_text="Id of a party cell of this system")
        destination = serializers.CharField(max_length=255, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: TransferOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        probation = _probation(request, candidate_id)
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


class TransferFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TransferStatus.choices, help_text="Only transfers in this status")

    class Meta:
        model = ProbationTransfer
        fields = ["status"]


class ProbationTransferListApi(generics.ListAPIView):
    """Transfers the caller's units sent or are to receive (pending first)."""

    serializer_class = TransferOutput
    filter_backends = FILTER_BACKENDS
    filterset_class = TransferFilter

    def get_queryset(self):
        return reads.transfer_list_for_user(user=self.request.user).order_by("-status", "-moved_on", "pk")


class ProbationTransferReceiveApi(APIView):
    """The receiving cell receives the probationer and names one or two helpers."""

    @extend_schema_serializer(component_name="ProbationTransferReceiveInput")
    class InputSerializer(Input):
        received_on = DateField(required=False)
        helpers = ListField(child=IdField(), min_length=1, max_length=MAX_ACTIVE_MENTORS)

    @extend_schema(request=InputSerializer, responses={200: TransferOutput})
    def post(self, request: Request, transfer_id: int) -> Response:
        transfer = reads.transfer_get_for_user(user=request.user, pk=transfer_id)
        data = _validated(self.InputSerializer, request)
        helpers = list(Membership.objects.filter(cell_id=transfer.to_cell_id, pk__in=data["helpers"]))
        if len(helpers) != len(set(data["helpers"])):
            raise ServiceRefused(_("The helpers must be members of the receiving cell."))
        with service_errors():
            transfer = services.transfer_in(
                transfer=transfer, received_on=_day(data, "received_on"), helpers=helpers, by=request.user
            )
        return Response(TransferOutput(transfer).data)
