"""A paper redone within the case: GET the earlier versions kept (who replaced each, when, why); POST to keep the
version in force of a paper and open it for its new version (`admission.dossier.services.redo`). An introduction is
replaced with its new letter through `…/dossier/introductions/{id}/replace/`, which keeps the earlier one here too."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from admission.core.api.fields import Input
from admission.core.api.problems import service_errors
from admission.dossier import services
from admission.dossier.services.redo import REDO_PAPERS
from admission.sourcing import selectors


@extend_schema_serializer(component_name="DossierReplacedPaper")
class ReplacedPaperOutput(serializers.Serializer):
    id = serializers.IntegerField()
    paper = serializers.CharField()
    paper_label = serializers.CharField(source="get_paper_display")
    dated = serializers.DateField(allow_null=True)
    summary = serializers.CharField(
        source="describe", help_text="What the replaced version was, in the language asked for"
    )
    data = serializers.JSONField(help_text="The replaced version, as it was")  # type: ignore[assignment]
    scans = serializers.ListField(child=serializers.CharField(), help_text="Its scans, kept")
    reason = serializers.CharField()
    replaced_on = serializers.DateField()
    replaced_by = serializers.CharField(source="replaced_by.username", allow_null=True, default=None)


class ReplacedPapersApi(generics.ListAPIView):
    """The earlier versions of the dossier's papers (GET, one page), and redoing one (POST: `paper`, `reason`)."""

    serializer_class = ReplacedPaperOutput

    @extend_schema_serializer(component_name="DossierRedoInput")
    class InputSerializer(Input):
        paper = serializers.ChoiceField(choices=[str(p) for p in REDO_PAPERS])
        reason = serializers.CharField(max_length=4000)

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator's anonymous request
            return []
        candidate = selectors.candidate_get_for_unit(user=self.request.user, pk=self.kwargs["candidate_id"])
        return services.replaced_papers(candidate)

    @extend_schema(request=InputSerializer, responses={201: ReplacedPaperOutput})
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = selectors.candidate_get_for_unit(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            kept = services.paper_redo(candidate=candidate, by=request.user, **data.validated_data)
        return Response(ReplacedPaperOutput(kept).data, status=status.HTTP_201_CREATED)
