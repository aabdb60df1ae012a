"""REST API v1 for awareness courses: the list (POST creates one) and one course with its places and enrollments."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api.fields import CountField, DateField, IdField, Input
from admission.core.api.problems import service_errors
from admission.party import selectors as party_selectors
from admission.sourcing import selectors as sourcing_selectors
from admission.sourcing.models.training import AwarenessCourse, Enrollment, EnrollmentState
from admission.sourcing.services.training import course_create


@extend_schema_serializer(component_name="Course")
class CourseOutput(serializers.ModelSerializer):
    organiser_id = serializers.IntegerField()
    organiser_name = serializers.CharField(source="organiser.name")

    class Meta:
        model = AwarenessCourse
        fields = [
            "id",
            "name",
            "organiser_id",
            "organiser_name",
            "issuer_name",
            "starts_on",
            "ends_on",
            "capacity",
            "location",
        ]


class CourseListApi(generics.ListAPIView):
    """Courses organised in the caller's units or above them; POST creates one for an org the caller acts for."""

    serializer_class = CourseOutput

    @extend_schema_serializer(component_name="CourseInput")
    class InputSerializer(Input):
        name = serializers.CharField(max_length=255)
        organiser = IdField(help_text="Id of an org the caller acts for")
        issuer_name = serializers.CharField(max_length=255)
        starts_on = DateField()
        ends_on = DateField()
        capacity = CountField(min_value=1)
        location = serializers.CharField(max_length=255, required=False, default="")

    def get_queryset(self):
        return sourcing_selectors.course_list_for_user(user=self.request.user).order_by("-starts_on", "name", "pk")

    @extend_schema(request=InputSerializer, responses={201: CourseOutput})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organiser = party_selectors.org_get_for_user(user=request.user, pk=fields.pop("organiser"))
        with service_errors():
            course = course_create(organiser=organiser, by=request.user, **fields)
        return Response(CourseOutput(course).data, status=status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="CourseEnrollment")
class CourseEnrollmentOutput(serializers.ModelSerializer):
    candidate_id = serializers.IntegerField()
    candidate_code = serializers.CharField(source="candidate.code")
    full_name = serializers.CharField(source="candidate.person.full_name")
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = Enrollment
        fields = ["id", "candidate_id", "candidate_code", "full_name", "state", "state_label", "proposed_on"]


class CourseDetailApi(APIView):
    """A course with its places and the enrollments of candidates in the caller's units."""

    @extend_schema_serializer(component_name="CourseDetail")
    class OutputSerializer(CourseOutput):
        places_taken = serializers.IntegerField()
        places_left = serializers.IntegerField()
        enrollments = CourseEnrollmentOutput(many=True)

        class Meta(CourseOutput.Meta):
            fields = [*CourseOutput.Meta.fields, "places_taken", "places_left", "enrollments"]

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, course_id: int) -> Response:
        course = get_object_or_404(sourcing_selectors.course_list_for_user(user=request.user), pk=course_id)
        taken = course.enrollments.filter(state__in=EnrollmentState.taking_a_place()).count()
        visible = course.enrollments.filter(candidate__in=sourcing_selectors.candidate_list_for_user(user=request.user))
        data = {
            **CourseOutput(course).data,
            "places_taken": taken,
            "places_left": max(course.capacity - taken, 0),
            "enrollments": CourseEnrollmentOutput(
                visible.select_related("candidate__person").order_by("pk"), many=True
            ).data,
        }
        return Response(data)
