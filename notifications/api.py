"""REST API v1: the caller's notifications and preferences, the deadline board of their units, delegations.

Scope as everywhere: a notification or a delegation of someone else, an org outside the caller's units: 404; a
service refusing the caller: 403; a broken rule: 400. Each is an RFC 9457 problem (`detail`, and `errors` naming
the refused fields).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, IdField, Input
from admission.core.api.filters import FILTER_BACKENDS, BooleanFilter
from admission.core.api.parsers import JSON_ONLY
from admission.core.api.problems import service_errors
from admission.party import permissions
from admission.party.api import OrgFilter
from admission.sourcing.models.candidates import Candidate, CandidateState
from notifications import selectors, services
from notifications.forms import delegable_orgs, substitute_choices
from notifications.models import Delivery, Language, Notification, NotificationKind

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


class NotificationFilter(django_filters.FilterSet):
    unread = BooleanFilter(method="only_unread", help_text="true: only the unread ones")

    class Meta:
        model = Notification
        fields = ["unread"]

    def only_unread(self, queryset: Any, name: str, value: bool | None) -> Any:
        return queryset.filter(read_at__isnull=True) if value else queryset


class NotificationListApi(generics.ListAPIView):
    """The caller's notifications, unread first, newest first."""

    serializer_class = NotificationOutput
    filter_backends = FILTER_BACKENDS
    filterset_class = NotificationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's anonymous request
            return Notification.objects.none()
        return selectors.notification_list_for_user(user=self.request.user)

    @extend_schema(operation_id="notifications_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationReadApi(APIView):
    @extend_schema(operation_id="notifications_read", request=None, responses=NotificationOutput)
    def post(self, request: Request, notification_id: int) -> Response:
        notification = services.notification_mark_read(user=request.user, pk=notification_id)
        return Response(NotificationOutput(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema_serializer(component_name="NotificationsMarked")
    class OutputSerializer(serializers.Serializer):
        marked = serializers.IntegerField()

    @extend_schema(operation_id="notifications_read_all", request=None, responses=OutputSerializer)
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

    parser_classes = JSON_ONLY

    @extend_schema_serializer(component_name="NotificationPreferencesInput")
    class InputSerializer(Input):
        preferences = PreferenceSerializer(  # type: ignore[call-arg]  # ListSerializer's max_length
            many=True, required=False, max_length=len(NotificationKind.choices)
        )
        language = serializers.ChoiceField(choices=Language.choices, required=False)

    @extend_schema_serializer(component_name="NotificationPreferences")
    class OutputSerializer(serializers.Serializer):
        preferences = PreferenceSerializer(many=True)
        language = serializers.ChoiceField(choices=Language.choices)

    def _output(self, user: Any) -> dict[str, Any]:
        prefs = services.preferences_for(user)
        return {"preferences": [vars(c) for c in prefs.values()], "language": services.language_of(user)}

    @extend_schema(operation_id="notifications_preferences", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(self._output(request.user)).data)

    @extend_schema(
        operation_id="notifications_preferences_update",
        request=InputSerializer,
        responses=OutputSerializer,
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


class BoardFilter(django_filters.FilterSet):
    """The board's filters, checked: a value that cannot be read (an org id that is not a number, a state that does
    not exist, overdue=maybe) is a 400 naming it; an org outside the caller's units is a 404, as a missing one."""

    org = OrgFilter(method="keep", help_text="Narrow to this org's subtree (in the caller's units)")
    state = django_filters.ChoiceFilter(choices=CandidateState.choices, method="keep", help_text="Only this state")
    overdue = BooleanFilter(method="keep", help_text="true: only overdue cases")
    escalated = BooleanFilter(method="keep", help_text="true: only escalated cases")

    class Meta:
        model = Candidate
        fields = ["org", "state", "overdue", "escalated"]

    def keep(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset  # the board reads the checked values itself (selectors.deadline_board)

    def board_filters(self) -> selectors.BoardFilters:
        data = self.form.cleaned_data
        org = permissions.get_org_or_404(self.request.user, data["org"]) if data.get("org") else None
        return selectors.BoardFilters(
            org=org,
            state=data.get("state") or "",
            overdue_only=bool(data.get("overdue")),
            escalated_only=bool(data.get("escalated")),
        )


class DeadlineBoardApi(generics.ListAPIView):
    """Every open case of the caller's units with its next deadline and the body that must act, overdue first."""

    filter_backends = FILTER_BACKENDS
    filterset_class = BoardFilter

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

    serializer_class = OutputSerializer

    def get_queryset(self):
        return Candidate.objects.filter(permissions.scope_q(self.request.user, field="cell__path"))

    @extend_schema(operation_id="deadline_board")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        checked = BoardFilter(request.query_params, queryset=self.get_queryset(), request=request)
        if not checked.is_valid():
            raise translate_validation(checked.errors)
        rows = selectors.deadline_board(user=request.user, filters=checked.board_filters())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


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


class DelegationListApi(generics.ListAPIView):
    """Delegations the caller gave or received, newest first; POST names a substitute for one of the caller's own
    orgs."""

    serializer_class = DelegationOutput

    @extend_schema_serializer(component_name="DelegationInput")
    class InputSerializer(Input):
        org = IdField(help_text="An org where the caller holds an acting role")
        to_user = serializers.CharField(
            max_length=150, help_text="Username of the substitute (a colleague within the caller's units)"
        )
        starts_on = DateField()
        ends_on = DateField(help_text="Exclusive")
        reason = serializers.CharField(max_length=4000)

    def get_queryset(self):
        return selectors.delegation_list_for_user(user=self.request.user).order_by("-starts_on", "-pk")

    @extend_schema(operation_id="delegations_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(operation_id="delegations_create", request=InputSerializer, responses={201: DelegationOutput})
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
    @extend_schema(operation_id="delegations_revoke", request=None, responses=DelegationOutput)
    def post(self, request: Request, delegation_id: int) -> Response:
        delegation = selectors.delegation_get_for_user(user=request.user, pk=delegation_id)
        with service_errors():
            delegation = services.delegation_revoke(delegation=delegation, by=request.user)
        return Response(DelegationOutput(delegation).data)
