"""REST API v1 for generated documents: the forms that apply to a case, a request to generate one (or the complete
dossier, form "HS"), its status for polling, and the logged download. Scope as everywhere: outside the caller's
units the case is a 404; a form that does not apply is a 400 with the reason."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.core.api import converters  # noqa: F401  (registers <id:…>)
from admission.core.api.fields import Input
from admission.core.api.problems import service_errors
from admission.core.api.renderers import DOWNLOAD_RENDERERS
from admission.core.files import open_or_none
from admission.documents import lost, services
from admission.documents.models import DocumentStatus, GeneratedDocument


@extend_schema_serializer(component_name="GeneratedDocument")
class DocumentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = GeneratedDocument
        fields = [
            "id",
            "form_code",
            "status",
            "progress",
            "error",
            "template_version",
            "rule_set_version",
            "checksum",
            "pages",
            "created_at",
            "finished_at",
        ]


class DocumentListApi(generics.ListAPIView):
    """The forms that apply to the case, each with its latest copy (POST asks for a new one)."""

    @extend_schema_serializer(component_name="DocumentForm")
    class FormOutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        printed_code = serializers.CharField()
        title = serializers.CharField()
        draft = serializers.BooleanField()
        up_to_date = serializers.BooleanField()
        latest = DocumentOutputSerializer(allow_null=True)

    @extend_schema_serializer(component_name="DocumentRequestInput")
    class InputSerializer(Input):
        form = serializers.CharField(
            max_length=20, help_text='A form code such as "6-KNĐ", or "HS" for the complete dossier'
        )

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return self.FormOutputSerializer

    def get_queryset(self) -> Any:  # the form rows: a list, paged like a queryset
        candidate = services.case_get_for_documents(user=self.request.user, pk=self.kwargs["candidate_id"])
        lost.lost_documents_forget(candidate)  # a copy whose file is gone is not "up to date"
        return list(services.form_rows(candidate))

    @extend_schema(summary="Forms that apply to the case, latest copies")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=InputSerializer, responses={202: DocumentOutputSerializer}, summary="Generate a form")
    def post(self, request: Request, candidate_id: int) -> Response:
        candidate = services.case_get_for_documents(user=request.user, pk=candidate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            document = services.document_request(
                candidate=candidate, form_code=data.validated_data["form"], by=request.user
            )
        document.refresh_from_db()
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_202_ACCEPTED)


class DocumentDetailApi(APIView):
    @extend_schema(responses=DocumentOutputSerializer, summary="Status of a generated document (poll this)")
    def get(self, request: Request, candidate_id: int, document_id: int) -> Response:
        candidate = services.case_get_for_documents(user=request.user, pk=candidate_id)
        document = services.document_get_for_user(user=request.user, candidate=candidate, pk=document_id)
        return Response(DocumentOutputSerializer(document).data)


class DocumentFileApi(APIView):
    renderer_classes = DOWNLOAD_RENDERERS  # Accept: application/pdf is welcome

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Download (logged)")
    def get(self, request: Request, candidate_id: int, document_id: int) -> FileResponse:
        candidate = services.case_get_for_documents(user=request.user, pk=candidate_id)
        document = services.document_get_for_user(user=request.user, candidate=candidate, pk=document_id)
        handle = open_or_none(document.file) if document.status == DocumentStatus.DONE else None
        if document.status == DocumentStatus.DONE and handle is None:  # the record names a file the store lost
            _remade, message = lost.document_remake(document=document, by=request.user)
            raise exceptions.NotFound(message)
        services.document_download(document=document, by=request.user, via="api")
        return FileResponse(
            handle,
            as_attachment=True,
            filename=services.download_name(document),
            content_type="application/pdf",
        )


CASE = "candidates/<id:candidate_id>/documents/"

urlpatterns = [
    path(CASE, DocumentListApi.as_view(), name="api-document-list"),
    path(CASE + "<id:document_id>/", DocumentDetailApi.as_view(), name="api-document-detail"),
    path(CASE + "<id:document_id>/file/", DocumentFileApi.as_view(), name="api-document-file"),
]
