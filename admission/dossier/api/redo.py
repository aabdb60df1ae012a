"""A paper redone within the case: GET the earlier versions kept (who replaced each, when, why); POST to keep the
version in force of a paper and open it for its new version (`admission.dossier.services.redo`). An introduction is
replaced with its new letter through `…/dossier/introductions/{id}/replace/`, which keeps the earlier one here too."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.dossier import services
from admission.dossier.services.redo import REDO_PAPERS
from admission.sourcing import selectors
from admission.sourcing.api.errors import service_errors


@extend_schema_serializer(component_name="DossierReplacedPaper")
class ReplacedPaperOutput(serializers.Serializer):
    id = serializers.IntegerField()
    paper = serializers.CharField()
    paper_label = serializers.CharField(source="get_paper_display")
    dated = serializers.DateField(allow_null=True)
    summary = serializers.CharField()
    data = serializers.JSONField(help_text="The replaced version, as it was")  # type: ignore[assignment]
    scans = serializers.ListField(child=serializers.CharField(), help_text="Its scans, kept")
    reason = serializers.CharField()
    replaced_on = serializers.DateField()
    replaced_by = serializers.CharField(source="replaced_by.username", allow_null=True, default=None)


class ReplacedPapersApi(APIView):
    """The earlier versions of the dossier's papers (GET), and redoing one (POST: `paper`, `reason`)."""

    @extend_schema_serializer(component_name="DossierRedoInput")
    class InputSerializer(serializers.Serializer):
        paper = serializers.ChoiceField(choices=[str(p) for p in REDO_PAPERS])
        reason = serializers.CharField(max_length=4000)

    @extend_schema(responses=ReplacedPaperOutput(many=True))
    def get(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_unit(user=request.user, pk=candidate_id)
        return Response(ReplacedPaperOutput(services.replaced_papers(candidate), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ReplacedPaperOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_unit(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            kept = services.paper_redo(candidate=candidate, by=request.user, **data.validated_data)
        return Response(ReplacedPaperOutput(kept).data, status=status.HTTP_201_CREATED)
