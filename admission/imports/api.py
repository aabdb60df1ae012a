"""REST API v1 for the spreadsheet import.

`POST /api/v1/imports/<kind>/` runs an import or its dry run (multipart: `target`, `file`, `dry_run`): 200 with the
preview, 400 with the per-row errors (nothing written), 403 without act_for_org on the target.
"""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.imports.columns import COLUMNS, KINDS
from admission.imports.engine import import_file
from admission.party import permissions
from admission.sourcing.api import ServiceRefused


class ImportRunApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="ImportRunInput")
    class InputSerializer(serializers.Serializer):
        target = serializers.IntegerField()
        file = serializers.FileField()
        dry_run = serializers.BooleanField(default=True)

    @extend_schema_serializer(component_name="ImportRowError")
    class ErrorSerializer(serializers.Serializer):
        row = serializers.IntegerField()
        column = serializers.CharField()
        message = serializers.CharField()

    @extend_schema_serializer(component_name="ImportRowAction")
    class ActionSerializer(serializers.Serializer):
        row = serializers.IntegerField()
        action = serializers.CharField()
        summary = serializers.CharField()

    @extend_schema_serializer(component_name="ImportRunOutput")
    class OutputSerializer(serializers.Serializer):
        kind = serializers.CharField()
        dry_run = serializers.BooleanField()
        rows = serializers.IntegerField()
        imported = serializers.BooleanField()
        actions = serializers.ListField(child=serializers.DictField())
        errors = serializers.ListField(child=serializers.DictField())  # type: ignore[assignment]

    @extend_schema(
        summary="Import org units, a member roster or candidate cases from XLSX/CSV (all rows or none)",
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=[k for k, _label in KINDS])],
        request={"multipart/form-data": InputSerializer},
        responses={200: OutputSerializer, 400: OutputSerializer},
    )
    def post(self, request: Request, kind: str) -> Response:
        if kind not in COLUMNS:
            raise exceptions.NotFound
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = permissions.get_org_or_404(request.user, data.validated_data["target"])
        upload = data.validated_data["file"]
        try:
            result = import_file(
                kind=kind,
                target=target,
                data=upload.read(),
                filename=upload.name,
                by=request.user,
                dry_run=data.validated_data["dry_run"],
            )
        except DjangoValidationError as exc:
            raise ServiceRefused(" ".join(exc.messages)) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or None) from exc
        body = {
            "kind": result.kind,
            "dry_run": result.dry_run,
            "rows": result.rows,
            "imported": result.imported,
            "actions": [asdict(a) for a in result.actions],
            "errors": [asdict(e) for e in result.errors],
        }
        return Response(body, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)
