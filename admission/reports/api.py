"""REST API v1 for the admission statistics.

`GET /api/v1/reports/admissions/?org=&start=&end=&basis=` returns the report as JSON (the org outside the
caller's scope is a 404).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import DateField, IdField, Input
from admission.party import permissions
from admission.reports.scope import BASES, TODAY
from admission.reports.statistics import Period, build_report


@extend_schema_serializer(component_name="ReportLine")
class LineOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    level = serializers.IntegerField()
    current = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)
    percent = serializers.FloatField(allow_null=True)


@extend_schema_serializer(component_name="ReportTarget")
class TargetOutput(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    current = serializers.IntegerField()
    previous = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True)
    attainment = serializers.FloatField(allow_null=True)


@extend_schema_serializer(component_name="ReportUnit")
class UnitOutput(serializers.Serializer):
    org_id = serializers.IntegerField()
    name = serializers.CharField()
    current = serializers.IntegerField()
    previous = serializers.IntegerField()


@extend_schema_serializer(component_name="ReportStage")
class StageOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    cohort = serializers.IntegerField()
    events = serializers.IntegerField()
    conversion = serializers.FloatField(allow_null=True)


@extend_schema_serializer(component_name="ReportStepTiming")
class StepOutput(serializers.Serializer):
    step = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    body = serializers.CharField()
    count = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    overdue = serializers.IntegerField(allow_null=True)
    overdue_rate = serializers.FloatField(allow_null=True)


@extend_schema_serializer(component_name="ReportAdmissionsOutput")
class ReportOutput(serializers.Serializer):
    org = serializers.IntegerField(source="org.pk")
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    previous_start = serializers.DateField(source="previous_period.start")
    previous_end = serializers.DateField(source="previous_period.end")
    basis = serializers.CharField()
    form2 = serializers.SerializerMethodField()
    form1 = serializers.SerializerMethodField()
    supplementary = serializers.SerializerMethodField()
    targets = TargetOutput(many=True)
    units = UnitOutput(many=True)
    funnel = StageOutput(many=True)
    processing = StepOutput(many=True)

    @extend_schema_field(LineOutput(many=True))
    def get_form2(self, obj: Any) -> list[dict[str, Any]]:
        return LineOutput([*obj.form2, *obj.form2_orgs], many=True).data  # type: ignore[return-value]

    @extend_schema_field(LineOutput(many=True))
    def get_form1(self, obj: Any) -> list[dict[str, Any]]:
        return LineOutput(obj.form1, many=True).data  # type: ignore[return-value]

    @extend_schema_field(LineOutput(many=True))
    def get_supplementary(self, obj: Any) -> list[dict[str, Any]]:
        return LineOutput(obj.supplementary, many=True).data  # type: ignore[return-value]


class ReportAdmissionsApi(APIView):
    OutputSerializer = ReportOutput

    @extend_schema_serializer(component_name="ReportAdmissionsQuery")
    class QuerySerializer(Input):
        org = IdField(help_text="Id of an org in the caller's units: its subtree is counted")
        start = DateField(required=False, help_text="yyyy-mm-dd or dd/mm/yyyy; default 1 January of the end's year")
        end = DateField(required=False, help_text="yyyy-mm-dd or dd/mm/yyyy; default today")
        basis = serializers.ChoiceField(choices=BASES, default=TODAY)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            end = attrs.get("end") or permissions.today()
            start = attrs.get("start") or end.replace(month=1, day=1)
            if end < start:
                raise serializers.ValidationError({"end": [_("The end of the period must be after its start.")]})
            return {**attrs, "start": start, "end": end}

    @extend_schema(
        summary="Admission statistics of an org subtree for a period (Biểu 2-BTCTW, 1-BTCTW, plan, funnel, timings)",
        parameters=[QuerySerializer],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        org = permissions.get_org_or_404(request.user, params["org"])
        report = build_report(org=org, period=Period(params["start"], params["end"]), basis=params["basis"])
        return Response(self.OutputSerializer(report).data)
