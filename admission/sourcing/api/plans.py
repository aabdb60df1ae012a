"""REST API v1 for sourcing plans: the list (POST creates or replaces a year's plan) and one plan with its progress."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import IdField, Input, IntegerField
from admission.core.api.parsers import JSON_ONLY
from admission.core.api.problems import service_errors
from admission.party import selectors as party_selectors
from admission.sourcing import selectors as sourcing_selectors
from admission.sourcing.models.plans import PlanCategory, SourcingPlan
from admission.sourcing.services.plans import MAX_TARGET, MAX_YEAR, MIN_YEAR, plan_save


@extend_schema_serializer(component_name="SourcingPlan")
class PlanOutput(serializers.ModelSerializer):
    org_id = serializers.IntegerField()
    org_name = serializers.CharField(source="org.name")
    targets = serializers.SerializerMethodField()

    class Meta:
        model = SourcingPlan
        fields = ["id", "org_id", "org_name", "year", "title", "targets"]

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_targets(self, plan: SourcingPlan) -> dict[str, int]:
        return {t.category: t.target for t in plan.targets.all()}


class PlanListApi(generics.ListAPIView):
    """Plans of the caller's units; POST creates or replaces the plan of an org for a year."""

    serializer_class = PlanOutput
    parser_classes = JSON_ONLY  # targets: an object

    @extend_schema_serializer(component_name="SourcingPlanInput")
    class InputSerializer(Input):
        org = IdField(help_text="Id of an org the caller acts for, or one under it")
        year = IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
        title = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
        targets = serializers.DictField(
            child=IntegerField(max_value=MAX_TARGET),
            help_text="Target (number of people) per category: " + ", ".join(PlanCategory.values),
        )

    def get_queryset(self):
        return (
            sourcing_selectors.plan_list_for_user(user=self.request.user)
            .prefetch_related("targets")
            .order_by("-year", "pk")
        )

    @extend_schema(request=InputSerializer, responses={200: PlanOutput, 201: PlanOutput})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        org = party_selectors.org_get_for_user(user=request.user, pk=fields.pop("org"))
        existed = SourcingPlan.objects.filter(org=org, year=fields["year"]).exists()
        with service_errors():
            plan = plan_save(org=org, by=request.user, **fields)
        return Response(PlanOutput(plan).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="PlanProgressRow")
class PlanProgressOutput(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    target = serializers.IntegerField(allow_null=True)
    nominated = serializers.IntegerField()
    sympathiser = serializers.IntegerField()
    trained = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True, help_text="trained / target, in whole percent")


class PlanDetailApi(APIView):
    """A plan and its progress, counted in SQL from the cases of the org's subtree in the plan's year."""

    @extend_schema_serializer(component_name="SourcingPlanDetail")
    class OutputSerializer(PlanOutput):
        progress = PlanProgressOutput(many=True)

        class Meta(PlanOutput.Meta):
            fields = [*PlanOutput.Meta.fields, "progress"]

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, plan_id: int) -> Response:
        plan = get_object_or_404(sourcing_selectors.plan_list_for_user(user=request.user), pk=plan_id)
        data = {
            **PlanOutput(plan).data,
            "progress": PlanProgressOutput(sourcing_selectors.plan_progress(plan=plan), many=True).data,
        }
        return Response(data)
