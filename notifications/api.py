"""REST API v1: the caller's notifications and preferences, the deadline board of their units, delegations.

Scope as everywhere: a notification or a delegation of someone else, an org outside the caller's units: 404; a
service refusing the caller: 403; a broken rule: 400 `{"detail": message}`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.party import permissions
from admission.sourcing.api import service_errors
from admission.sourcing.models.candidates import CandidateState
from notifications import selectors, services
from notifications.forms import delegable_orgs, substitute_choices
from notifications.models import Delivery, Language, NotificationKind

# ------------------------------------------------------------------------------------------------------------------
# Notifications
# ------------------------------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Notification")
class NotificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField()
    candidate_id = serializers.IntegerField(allow_null=True)
    task_id = serializers.IntegerField(allow_null=True)
    created = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationListApi(APIView):
    """The caller's notifications, unread first, newest first."""

    @extend_schema(
        operation_id="notifications_list",
        parameters=[OpenApiParameter("unread", bool, description="Only the unread ones")],
        responses=NotificationOutput(many=True),
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        rows = selectors.notification_list_for_user(
            user=request.user, unread_only=request.query_params.get("unread") in ("1", "true")
        )
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(NotificationOutput(page, many=True).data)


class NotificationReadApi(APIView):
    @extend_schema(
        operation_id="notifications_read", request=None, responses=NotificationOutput, tags=["notifications"]
    )
    def post(self, request: Request, pk: int) -> Response:
        notification = services.notification_mark_read(user=request.user, pk=pk)
        return Response(NotificationOutput(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema_serializer(component_name="NotificationsMarked")
    class OutputSerializer(serializers.Serializer):
        marked = serializers.IntegerField()

    @extend_schema(
        operation_id="notifications_read_all", request=None, responses=OutputSerializer, tags=["notifications"]
    )
    def post(self, request: Request) -> Response:
        return Response({"marked": services.notification_mark_all_read(user=request.user)})


@extend_schema_serializer(component_name="NotificationPreference")
class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()
    delivery = serializers.ChoiceField(choices=Delivery.choices)


class NotificationPreferenceApi(APIView):
    """Each kind with the caller's choice (default: in the centre and in the daily digest), and their language."""

    @extend_schema_serializer(component_name="NotificationPreferencesInput")
    class InputSerializer(serializers.Serializer):
        preferences = PreferenceSerializer(many=True, required=False)
        language = serializers.ChoiceField(choices=Language.choices, required=False)

    @extend_schema_serializer(component_name="NotificationPreferences")
    class OutputSerializer(serializers.Serializer):
        preferences = PreferenceSerializer(many=True)
        language = serializers.ChoiceField(choices=Language.choices)

    def _output(self, user: Any) -> dict[str, Any]:
        prefs = services.preferences_for(user)
        return {"preferences": [vars(c) for c in prefs.values()], "language": services.language_of(user)}

    @extend_schema(operation_id="notifications_preferences", responses=OutputSerializer, tags=["notifications"])
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(self._output(request.user)).data)

    @extend_schema(
        operation_id="notifications_preferences_update",
        request=InputSerializer,
        responses=OutputSerializer,
        tags=["notifications"],
    )
    def put(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            services.preferences_set(
                user=request.user,
                choices=[services.Choice(**row) for row in data.get("preferences", [])],
                language=data.get("language"),
            )
        return Response(self.OutputSerializer(self._output(request.user)).data)


# ------------------------------------------------------------------------------------------------------------------
# Deadline board
# ------------------------------------------------------------------------------------------------------------------


class DeadlineBoardApi(APIView):
    """Every open case of the caller's units with its next deadline and the body that must act, overdue first."""

    @extend_schema_serializer(component_name="DeadlineBoardRow")
    class OutputSerializer(serializers.Serializer):
        candidate_id = serializers.IntegerField(source="candidate.pk")
        code = serializers.CharField(source="candidate.code")
        person_name = serializers.CharField(source="candidate.person.full_name")
        cell_id = serializers.IntegerField(source="candidate.cell_id")
        state = serializers.CharField(source="candidate.state")
        task_id = serializers.IntegerField()
        task_title = serializers.CharField()
        acting_org_id = serializers.IntegerField(source="acting_org.pk")
        acting_org_name = serializers.CharField(source="acting_org.name")
        due_on = serializers.DateField(allow_null=True)
        overdue = serializers.BooleanField()
        days_late = serializers.IntegerField(help_text="Working days past the due date")
        days_left = serializers.IntegerField(allow_null=True, help_text="Working days until the due date")
        escalated = serializers.BooleanField()
        escalated_to_id = serializers.IntegerField(source="escalation.to_org_id", allow_null=True, default=None)

    @extend_schema(
        operation_id="deadline_board",
        parameters=[
            OpenApiParameter("org", int, description="Narrow to this org's subtree (must be in the caller's units)"),
            OpenApiParameter("state", str, enum=CandidateState.values, description="Only cases in this state"),
            OpenApiParameter("overdue", bool, description="Only overdue cases"),
            OpenApiParameter("escalated", bool, description="Only escalated cases"),
        ],
        responses=OutputSerializer(many=True),
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        org = permissions.get_org_or_404(request.user, params["org"]) if params.get("org") else None
        filters = selectors.BoardFilters(
            org=org,
            state=params.get("state", ""),
            overdue_only=params.get("overdue") in ("1", "true"),
            escalated_only=params.get("escalated") in ("1", "true"),
        )
        rows = selectors.deadline_board(user=request.user, filters=filters)
        return Response(self.OutputSerializer(rows, many=True).data)


# ------------------------------------------------------------------------------------------------------------------
# Delegations
# ------------------------------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Delegation")
class DelegationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    from_user = serializers.CharField(source="from_user.username")
    to_user = serializers.CharField(source="to_user.username")
    org_id = serializers.IntegerField()
    org_name = serializers.CharField(source="org.name")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(help_text="Exclusive: the first day the substitute no longer acts")
    reason = serializers.CharField()
    revoked_at = serializers.DateTimeField(allow_null=True)


class DelegationListApi(APIView):
    """Delegations the caller gave or received; POST names a substitute for one of the caller's own orgs."""

    @extend_schema_serializer(component_name="DelegationInput")
    class InputSerializer(serializers.Serializer):
        org = serializers.IntegerField(help_text="An org where the caller holds an acting role")
        to_user = serializers.CharField(help_text="Username of the substitute (a colleague within the caller's units)")
        starts_on = serializers.DateField()
        ends_on = serializers.DateField(help_text="Exclusive")
        reason = serializers.CharField()

    @extend_schema(operation_id="delegations_list", responses=DelegationOutput(many=True), tags=["notifications"])
    def get(self, request: Request) -> Response:
        rows = selectors.delegation_list_for_user(user=request.user)
        return Response(DelegationOutput(rows, many=True).data)

    @extend_schema(
        operation_id="delegations_create",
        request=InputSerializer,
        responses={201: DelegationOutput},
        tags=["notifications"],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        org = permissions.get_org_or_404(request.user, data["org"])
        if not delegable_orgs(request.user).filter(pk=org.pk).exists() and not permissions.sees_everything(
            request.user
        ):
            raise serializers.ValidationError({"org": [_("You do not act for this organisation yourself.")]})
        to_user = substitute_choices(request.user).filter(username=data["to_user"]).first()
        if to_user is None and permissions.sees_everything(request.user):
            to_user = get_user_model().objects.filter(username=data["to_user"]).first()
        if to_user is None:
            raise serializers.ValidationError({"to_user": [_("No colleague with this username in your units.")]})
        with service_errors():
            delegation = services.delegation_create(
                from_user=request.user,
                to_user=to_user,
                org=org,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
                by=request.user,
            )
        return Response(DelegationOutput(delegation).data, status=status.HTTP_201_CREATED)


class DelegationRevokeApi(APIView):
    @extend_schema(operation_id="delegations_revoke", request=None, responses=DelegationOutput, tags=["notifications"])
    def post(self, request: Request, pk: int) -> Response:
        delegation = selectors.delegation_get_for_user(user=request.user, pk=pk)
        with service_errors():
            delegation = services.delegation_revoke(delegation=delegation, by=request.user)
        return Response(DelegationOutput(delegation).data)
