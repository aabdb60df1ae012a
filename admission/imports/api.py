"""REST API v1 for the spreadsheet import.

`POST /api/v1/imports/<kind>/` runs an import or its dry run (multipart: `target`, `file`, `dry_run`): 200 with the
preview, 400 with the per-row errors (a problem whose `errors` carry row, column and reason; nothing written), 403
without act_for_org on the target.
"""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import IdField, Input
from admission.core.api.parsers import MultiPartParser
from admission.core.api.problems import Problem, ServiceRefused
from admission.imports.columns import COLUMNS, KINDS
from admission.imports.engine import import_file
from admission.party import permissions


@extend_schema_serializer(component_name="ImportRowError")
class ImportRowErrorOutput(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


@extend_schema_serializer(component_name="ImportRowAction")
class ImportRowActionOutput(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.CharField()
    summary = serializers.CharField()


class ImportRunApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema_serializer(component_name="ImportRunInput")
    class InputSerializer(Input):
        target = IdField(help_text="Id of the org the rows go under (the caller acts for it)")
        file = serializers.FileField(help_text="XLSX or CSV, laid out as the template of this kind")
        dry_run = serializers.BooleanField(default=True, help_text="Check the file and preview, write nothing")

    @extend_schema_serializer(component_name="ImportRunOutput")
    class OutputSerializer(serializers.Serializer):
        kind = serializers.CharField()
        dry_run = serializers.BooleanField()
        rows = serializers.IntegerField()
        imported = serializers.BooleanField()
        actions = ImportRowActionOutput(many=True)
        errors = ImportRowErrorOutput(many=True, help_text="Always empty here: a bad row is a 400")  # type: ignore[assignment]

    @extend_schema(
        summary="Import org units, a member roster or candidate cases from XLSX/CSV (all rows or none)",
        description="A file with any bad row writes nothing: 400, whose `errors` give each row, column and reason.",
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=[k for k, _label in KINDS])],
        request={"multipart/form-data": InputSerializer},
        responses={200: OutputSerializer},
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
        if not result.ok:
            raise Problem(
                ngettext(
                    "%(count)d row of the file is not right: nothing was imported.",
                    "%(count)d rows of the file are not right: nothing was imported.",
                    len({e.row for e in result.errors}),
                )
                % {"count": len({e.row for e in result.errors})},
                errors=[
                    {"field": e.column or None, "message": e.message, "code": "invalid", "row": e.row}
                    for e in result.errors
                ],
            )
        body = {
            "kind": result.kind,
            "dry_run": result.dry_run,
            "rows": result.rows,
            "imported": result.imported,
            "actions": [asdict(a) for a in result.actions],
            "errors": [],
        }
        return Response(body)
