"""REST API v1. Every queryset comes from a scoped selector: outside the caller's units an object is a 404."""

from __future__ import annotations

from typing import Any

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, IdField, Input, parse_day
from admission.core.api.filters import FILTER_BACKENDS, StrictIdField
from admission.core.api.problems import service_errors
from admission.core.bounds import MAX_ID
from admission.party import hierarchy, permissions, selectors
from admission.party.models.earlier import EarlierMembership
from admission.party.models.guests import CellGuest
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Person
from admission.party.models.roles import Role
from admission.party.services.guests import guest_record


class OrgOutput(serializers.ModelSerializer):
    parent_id = serializers.IntegerField(allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = PartyOrg
        fields = ["id", "code", "name", "kind", "kind_label", "parent_id", "valid_from", "valid_to", "merged_into"]


class OrgListApi(generics.ListAPIView):
    """The organisations in the caller's units (their subtrees), in tree order."""

    serializer_class = OrgOutput

    def get_queryset(self):
        return selectors.org_list_for_user(user=self.request.user).order_by("path", "pk")


class ChainStepOutput(serializers.Serializer):
    order = serializers.IntegerField()
    kind = serializers.CharField()
    org_id = serializers.IntegerField()
    org_code = serializers.CharField()
    org_name = serializers.CharField()
    form = serializers.CharField(help_text="KNĐ form the step produces, e.g. 6-KNĐ")
    vote_body = serializers.CharField(allow_null=True)
    deciding_body = serializers.CharField(allow_null=True)


class OrgDetailApi(APIView):
    @extend_schema_serializer(component_name="OrgDetail")
    class OutputSerializer(OrgOutput):
        approval_chain = serializers.SerializerMethodField()

        class Meta(OrgOutput.Meta):
            fields = [*OrgOutput.Meta.fields, "approval_chain"]

        @extend_schema_field(ChainStepOutput(many=True, allow_null=True))
        def get_approval_chain(self, org: PartyOrg) -> list[dict[str, object]] | None:
            if not org.is_cell:
                return None
            try:
                return [step.as_dict() for step in hierarchy.approval_chain(org, permissions.today())]
            except hierarchy.ChainError:
                return None

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, org_id: int) -> Response:
        org = selectors.org_get_for_user(user=request.user, pk=org_id)
        return Response(self.OutputSerializer(org).data)


class PersonOutput(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "religion",
            "education",
            "occupation",
            "employer_sector",
            "youth_union_member",
            "trade_union_member",
        ]


@extend_schema_serializer(component_name="EarlierMembership")
class EarlierMembershipOutput(serializers.ModelSerializer):
    how_left_label = serializers.CharField(source="get_how_left_display")
    consequence = serializers.CharField()
    consequence_label = serializers.CharField(source="get_consequence_display")

    class Meta:
        model = EarlierMembership
        fields = [
            "id",
            "admitted_on",
            "official_on",
            "left_on",
            "how_left",
            "how_left_label",
            "consequence",
            "consequence_label",
            "conviction_expunged_on",
            "was_readmission",
            "note",
        ]


@extend_schema_serializer(component_name="PersonDetail")
class PersonDetailOutput(PersonOutput):
    earlier_memberships = EarlierMembershipOutput(many=True, read_only=True)

    class Meta(PersonOutput.Meta):
        fields = [*PersonOutput.Meta.fields, "earlier_memberships"]


class PersonListApi(generics.ListAPIView):
    """People of the caller's units (members past and present) and the caller's own record, by name."""

    serializer_class = PersonOutput

    def get_queryset(self):
        return selectors.person_list_for_user(user=self.request.user).order_by("full_name", "pk")


class PersonDetailApi(generics.RetrieveAPIView):
    """One person, with their earlier party memberships (re-admission, domain.md §2.6)."""

    serializer_class = PersonDetailOutput

    def get_object(self) -> Person:
        return selectors.person_get_for_user(user=self.request.user, pk=self.kwargs["person_id"])


class MemberOutput(serializers.ModelSerializer):
    person = PersonOutput()
    cell_id = serializers.IntegerField()

    class Meta:
        model = Membership
        fields = ["id", "person", "cell_id", "admitted_on", "official_on", "joined_cell_on", "left_cell_on"]


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class OrgFilter(django_filters.Filter):
    """The id of an org in the caller's units: rows of that org (`field_name`), or of its subtree with
    `subtree=True`. Not a number: 400; an org outside the caller's units: 404, as everywhere."""

    field_class = StrictIdField

    def __init__(self, *args: Any, subtree: bool = False, **kwargs: Any) -> None:
        self.subtree = subtree
        super().__init__(*args, **kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        if value in (None, ""):
            return qs
        org = permissions.get_org_or_404(self.parent.request.user, value)
        if self.subtree:
            return qs.filter(**{f"{self.field_name}__path__startswith": org.path})
        return qs.filter(**{self.field_name: org})


class MemberFilter(django_filters.FilterSet):
    cell = OrgFilter(help_text="Id of a cell in the caller's units: its members only")

    class Meta:
        model = Membership
        fields = ["cell"]


class MemberListApi(generics.ListAPIView):
    """Today's members of the caller's cells, by cell and name."""

    serializer_class = MemberOutput
    filter_backends = FILTER_BACKENDS
    filterset_class = MemberFilter

    def get_queryset(self):
        return selectors.member_list_for_user(user=self.request.user).order_by("cell__path", "person__full_name", "pk")


class MyRolesApi(generics.ListAPIView):
    @extend_schema_serializer(component_name="MyRole")
    class OutputSerializer(serializers.ModelSerializer):
        org = OrgOutput()
        kind_label = serializers.CharField(source="get_kind_display")

        class Meta:
            model = Role
            fields = ["id", "kind", "kind_label", "org", "starts_on", "ends_on"]

    serializer_class = OutputSerializer

    def get_queryset(self):
        return selectors.role_list_for_user(user=self.request.user).select_related("org").order_by("starts_on", "pk")


@extend_schema_serializer(component_name="CellGuest")
class GuestOutput(serializers.ModelSerializer):
    membership_id = serializers.IntegerField()
    full_name = serializers.CharField(source="membership.person.full_name")
    home_cell_id = serializers.IntegerField(source="membership.cell_id")
    home_cell_name = serializers.CharField(source="membership.cell.name")
    host_cell_id = serializers.IntegerField()

    class Meta:
        model = CellGuest
        fields = [
            "id",
            "membership_id",
            "full_name",
            "home_cell_id",
            "home_cell_name",
            "host_cell_id",
            "starts_on",
            "ends_on",
            "reason",
        ]


class OrgGuestListApi(generics.ListAPIView):
    """GET: the guests of a cell on a date (default today): members of other cells taking part in its meetings,
    on its roster but never counted. POST: record one (someone acting for the cell; 403 otherwise), naming the
    member by their membership id and their citizen ID, which must be the member's: a membership id that does not
    exist, or a citizen ID that is not its member's, is the same 404 (the answer names the member, so an id alone
    does not)."""

    serializer_class = GuestOutput

    @extend_schema_serializer(component_name="CellGuestInput")
    class InputSerializer(Input):
        membership = IdField(help_text="Membership id of the member (in their own cell)")
        citizen_id = serializers.CharField(
            max_length=12, help_text="The member's citizen ID (CCCD): it must be the one of that membership's member"
        )
        starts_on = DateField()
        ends_on = DateField(required=False, allow_null=True, help_text="Exclusive; empty while it lasts")
        reason = serializers.CharField(max_length=255)

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator's anonymous request
            return CellGuest.objects.none()
        org = selectors.org_get_for_user(user=self.request.user, pk=self.kwargs["org_id"])
        day = parse_day(self.request.query_params.get("date"), "date")
        return selectors.guests_of(cell=org, on=day)

    @extend_schema(
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, description="YYYY-MM-DD or dd/mm/yyyy (default today)")
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=InputSerializer, responses={201: GuestOutput})
    def post(self, request: Request, org_id: int) -> Response:
        org = selectors.org_get_for_user(user=request.user, pk=org_id)
        with service_errors():  # only those acting for the cell may look a member up at all
            permissions.require_act_for_org(request.user, org)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = get_object_or_404(
            Membership.objects.select_related("person", "cell"),
            pk=data.validated_data["membership"],
            person__citizen_id=data.validated_data["citizen_id"],
        )
        with service_errors():
            guest = guest_record(
                membership=membership,
                host_cell=org,
                starts_on=data.validated_data["starts_on"],
                ends_on=data.validated_data.get("ends_on"),
                reason=data.validated_data["reason"],
                by=request.user,
            )
        return Response(GuestOutput(guest).data, status=status.HTTP_201_CREATED)
