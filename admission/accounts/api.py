"""The API's sign-in: POST /api/v1/auth/token/ gives a token for one device (after the second factor for those
who need it); GET /api/v1/auth/tokens/ lists the caller's tokens; DELETE /api/v1/auth/tokens/<id>/ revokes one.
Refusals are DRF exceptions, so the API's exception handler gives them the API's one error shape."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.accounts import policy, second_factor, tokens
from admission.accounts.models import ApiToken
from admission.core.api import fields as bounded
from admission.core.api.problems import ServiceRefused


class SecondFactorNeeded(ServiceRefused):
    default_code = "second_factor_required"


class TokenObtainApi(APIView):
    """POST a username and password (and, for those who approve or decide, `otp`: the code of their authenticator
    app or a recovery code) and a device name; get a token to send as `Authorization: Token <key>`. The token is
    shown once, is for that device only and expires (API_TOKEN_DAYS, 30 by default)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema_serializer(component_name="TokenInput")
    class InputSerializer(bounded.Input):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)
        otp = serializers.CharField(
            max_length=20, required=False, allow_blank=True, help_text="Second factor: authenticator or recovery code"
        )
        name = serializers.CharField(
            max_length=tokens.MAX_NAME, required=False, allow_blank=True, help_text="The device this token is for"
        )

        def get_fields(self) -> dict[str, serializers.Field]:
            fields = super().get_fields()
            # At most the lifetime in force (API_TOKEN_DAYS), read when the request comes, not when Django starts.
            fields["days"] = bounded.IntegerField(
                min_value=1, max_value=tokens.token_lifetime().days, required=False, help_text="Shorter lifetime"
            )
            return fields

    @extend_schema_serializer(component_name="TokenOutput")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        id = serializers.IntegerField()
        name = serializers.CharField()
        expires_at = serializers.DateTimeField()

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer, 429: OpenApiResponse(description="Locked after too many wrong passwords")},
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = authenticate(request._request, username=values["username"], password=values["password"])
        if user is None or not user.is_active:
            raise ServiceRefused(_("Wrong username or password, or the account is locked."))
        if policy.needs_second_factor(user):
            self._second_factor(request, user, values.get("otp", ""))
        try:
            issued = tokens.token_issue(user=user, name=values.get("name", ""), days=values.get("days"))
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"days": exc.messages}) from exc
        token = issued.token
        return Response({"token": issued.key, "id": token.pk, "name": token.name, "expires_at": token.expires_at})

    @staticmethod
    def _second_factor(request: Request, user: Any, code: str) -> None:
        if second_factor.authenticator(user) is None:
            raise SecondFactorNeeded(
                _("This account needs a second factor: set up an authenticator app on the web site first.")
            )
        if not code:
            raise SecondFactorNeeded(_("This account needs a second factor: send `otp`, the code of your app."))
        try:
            second_factor.code_match(user=user, code=code)
        except DjangoValidationError as exc:
            second_factor.failure_count(request=request._request, user=user)
            raise SecondFactorNeeded(exc.messages[0], code="second_factor_failed") from exc


class ApiTokenOutput(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text="The token of this request")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created", "expires_at", "last_used_at", "current"]

    def get_current(self, obj: ApiToken) -> bool:
        return obj == getattr(self.context["request"], "auth", None)


class TokenListApi(generics.ListAPIView):
    """The caller's own tokens still in force (the key itself is never shown again)."""

    serializer_class = ApiTokenOutput

    def get_queryset(self):
        return tokens.token_list_for_user(user=self.request.user)


class TokenRevokeApi(APIView):
    """Revoke one of the caller's own tokens (another person's token is a 404)."""

    @extend_schema(responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        tokens.token_revoke(user=request.user, pk=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
