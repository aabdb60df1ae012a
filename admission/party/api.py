"""REST API v1. Every queryset comes from a scoped selector: outside the caller's units an object is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.party import hierarchy, permissions, selectors
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Person
from admission.party.models.roles import Role


class TokenObtainApi(APIView):
    """POST a username and password, get the token to send as `Authorization: Token <key>`."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema_serializer(component_name="TokenInput")
    class InputSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    @extend_schema_serializer(component_name="TokenOutput")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Wrong username or password, or the account is locked.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class OrgOutput(serializers.ModelSerializer):
    parent_id = serializers.IntegerField(allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = PartyOrg
        fields = ["id", "code", "name", "kind", "kind_label", "parent_id", "valid_from", "valid_to", "merged_into"]


class OrgListApi(generics.ListAPIView):
    serializer_class = OrgOutput

    def get_queryset(self):
        return selectors.org_list_for_user(user=self.request.user)


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
    def get(self, request: Request, pk: int) -> Response:
        org = selectors.org_get_for_user(user=request.user, pk=pk)
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


class PersonListApi(generics.ListAPIView):
    serializer_class = PersonOutput

    def get_queryset(self):
        return selectors.person_list_for_user(user=self.request.user)


class PersonDetailApi(generics.RetrieveAPIView):
    serializer_class = PersonOutput

    def get_object(self) -> Person:
        return selectors.person_get_for_user(user=self.request.user, pk=self.kwargs["pk"])


class MemberOutput(serializers.ModelSerializer):
    person = PersonOutput()
    cell_id = serializers.IntegerField()

    class Meta:
        model = Membership
        fields = ["id", "person", "cell_id", "admitted_on", "official_on", "joined_cell_on", "left_cell_on"]


class MemberListApi(generics.ListAPIView):
    serializer_class = MemberOutput

    def get_queryset(self):
        members = selectors.member_list_for_user(user=self.request.user)
        cell = self.request.query_params.get("cell")
        if cell:
            members = members.filter(cell_id=selectors.org_get_for_user(user=self.request.user, pk=cell).pk)
        return members.order_by("cell__path", "person__full_name")


class MyRolesApi(generics.ListAPIView):
    @extend_schema_serializer(component_name="MyRole")
    class OutputSerializer(serializers.ModelSerializer):
        org = OrgOutput()
        kind_label = serializers.CharField(source="get_kind_display")

        class Meta:
            model = Role
            fields = ["id", "kind", "kind_label", "org", "starts_on", "ends_on"]

    serializer_class = OutputSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.role_list_for_user(user=self.request.user)
