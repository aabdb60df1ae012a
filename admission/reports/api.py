"""REST API v1 for the admission statistics and the spreadsheet import.

`GET /api/v1/reports/admissions/?org=&start=&end=&basis=` returns the report as JSON (the org outside the
caller's scope is a 404); `POST /api/v1/imports/<kind>/` runs an import or its dry run (multipart: `target`,
`file`, `dry_run`): 200 with the preview, 400 with the per-row errors (nothing written), 403 without
act_for_org on the target.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.imports.columns import COLUMNS, KINDS
from admission.imports.engine import import_file
from admission.party import permissions
from admission.reports.scope import BASES, TODAY
from admission.reports.statistics import Period, build_report
from admission.sourcing.api import ServiceRefused, parse_day


class ReportAdmissionsApi(APIView):
    class LineSerializer(serializers.Serializer):
        key = serializers.CharField()
        label = serializers.CharField()  # type: ignore[assignment]
        level = serializers.IntegerField()
        current = serializers.FloatField(allow_null=True)
        previous = serializers.FloatField(allow_null=True)
        percent = serializers.FloatField(allow_null=True)

    class TargetSerializer(serializers.Serializer):
        category = serializers.CharField()
        label = serializers.CharField()  # type: ignore[assignment]
        current = serializers.IntegerField()
        previous = serializers.IntegerField()
        target = serializers.IntegerField(allow_null=True)
        attainment = serializers.FloatField(allow_null=True)

    class UnitSerializer(serializers.Serializer):
        org_id = serializers.IntegerField()
        name = serializers.CharField()
        current = serializers.IntegerField()
        previous = serializers.IntegerField()

    class StageSerializer(serializers.Serializer):
        key = serializers.CharField()
        label = serializers.CharField()  # type: ignore[assignment]
        cohort = serializers.IntegerField()
        events = serializers.IntegerField()
        conversion = serializers.FloatField(allow_null=True)

    @extend_schema_serializer(component_name="ReportStepTiming")
    class StepSerializer(serializers.Serializer):
        step = serializers.CharField()
        label = serializers.CharField()  # type: ignore[assignment]
        body = serializers.CharField()
        count = serializers.IntegerField()
        median_days = serializers.FloatField(allow_null=True)
        overdue = serializers.IntegerField(allow_null=True)
        overdue_rate = serializers.FloatField(allow_null=True)

    @extend_schema_serializer(component_name="ReportAdmissionsOutput")
    class OutputSerializer(serializers.Serializer):
        org = serializers.IntegerField(source="org.pk")
        start = serializers.DateField(source="period.start")
        end = serializers.DateField(source="period.end")
        previous_start = serializers.DateField(source="previous_period.start")
        previous_end = serializers.DateField(source="previous_period.end")
        basis = serializers.CharField()
        form2 = serializers.SerializerMethodField()
        form1 = serializers.SerializerMethodField()
        supplementary = serializers.SerializerMethodField()
        targets = serializers.SerializerMethodField()
        units = serializers.SerializerMethodField()
        funnel = serializers.SerializerMethodField()
        processing = serializers.SerializerMethodField()

        def _lines(self, lines: list[Any]) -> list[dict[str, Any]]:
            return ReportAdmissionsApi.LineSerializer(lines, many=True).data  # type: ignore[return-value]

        def get_form2(self, obj: Any) -> list[dict[str, Any]]:
            return self._lines([*obj.form2, *obj.form2_orgs])

        def get_form1(self, obj: Any) -> list[dict[str, Any]]:
            return self._lines(obj.form1)

        def get_supplementary(self, obj: Any) -> list[dict[str, Any]]:
            return self._lines(obj.supplementary)

        def get_targets(self, obj: Any) -> list[dict[str, Any]]:
            return ReportAdmissionsApi.TargetSerializer(obj.targets, many=True).data  # type: ignore[return-value]

        def get_units(self, obj: Any) -> list[dict[str, Any]]:
            return ReportAdmissionsApi.UnitSerializer(obj.units, many=True).data  # type: ignore[return-value]

        def get_funnel(self, obj: Any) -> list[dict[str, Any]]:
            return ReportAdmissionsApi.StageSerializer(obj.funnel, many=True).data  # type: ignore[return-value]

        def get_processing(self, obj: Any) -> list[dict[str, Any]]:
            return ReportAdmissionsApi.StepSerializer(obj.processing, many=True).data  # type: ignore[return-value]

    @extend_schema(
        summary="Admission statistics of an org subtree for a period (Biểu 2-BTCTW, 1-BTCTW, plan, funnel, timings)",
        parameters=[
            OpenApiParameter("org", int, required=True),
            OpenApiParameter("start", str, description="yyyy-mm-dd or dd/mm/yyyy; default 1 January of this year"),
            OpenApiParameter("end", str, description="yyyy-mm-dd or dd/mm/yyyy; default today"),
            OpenApiParameter("basis", str, enum=[b for b, _label in BASES]),
        ],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        org = permissions.get_org_or_404(request.user, request.query_params.get("org", ""))
        end = parse_day(request.query_params.get("end"))
        start = (
            parse_day(request.query_params.get("start"))
            if request.query_params.get("start")
            else end.replace(month=1, day=1)
        )
        if end < start:
            raise ServiceRefused(_("The end of the period must be after its start."))
        basis = request.query_params.get("basis") or TODAY
        if basis not in dict(BASES):
            raise ServiceRefused(_("Unknown basis."))
        report = build_report(org=org, period=Period(start, end), basis=basis)
        return Response(self.OutputSerializer(report).data)


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
