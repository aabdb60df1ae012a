"""REST API v1 for the admission statistics.

`GET /api/v1/reports/admissions/?org=&start=&end=&basis=` returns the report as JSON (the org outside the
caller's scope is a 404).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

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
