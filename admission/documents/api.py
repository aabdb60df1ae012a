"""REST API v1 for generated documents: the forms that apply to a case, a request to generate one (or the complete
dossier, form "HS"), its status for polling, and the logged download. Scope as everywhere: outside the caller's
units the case is a 404; a form that does not apply is a 400 with the reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from admission.documents import services
from admission.documents.models import GeneratedDocument


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


class DocumentListApi(APIView):
    class FormOutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        printed_code = serializers.CharField()
        title = serializers.CharField()
        draft = serializers.BooleanField()
        up_to_date = serializers.BooleanField()
        latest = DocumentOutputSerializer(allow_null=True)

    class InputSerializer(serializers.Serializer):
        form = serializers.CharField(help_text='A form code such as "6-KNĐ", or "HS" for the complete dossier')

    @extend_schema(responses=FormOutputSerializer(many=True), summary="Forms that apply to the case, latest copies")
    def get(self, request: Request, pk: int) -> Response:
        candidate = services.case_get_for_documents(user=request.user, pk=pk)
        rows = services.form_rows(candidate)
        return Response(self.FormOutputSerializer(rows, many=True).data)

    @extend_schema(request=InputSerializer, responses={202: DocumentOutputSerializer}, summary="Generate a form")
    def post(self, request: Request, pk: int) -> Response:
        candidate = services.case_get_for_documents(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            document = services.document_request(
                candidate=candidate, form_code=data.validated_data["form"], by=request.user
            )
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        document.refresh_from_db()
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_202_ACCEPTED)


class DocumentDetailApi(APIView):
    @extend_schema(responses=DocumentOutputSerializer, summary="Status of a generated document (poll this)")
    def get(self, request: Request, pk: int, doc_pk: int) -> Response:
        candidate = services.case_get_for_documents(user=request.user, pk=pk)
        document = services.document_get_for_user(user=request.user, candidate=candidate, pk=doc_pk)
        return Response(DocumentOutputSerializer(document).data)


class DocumentFileApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Download (logged)")
    def get(self, request: Request, pk: int, doc_pk: int) -> FileResponse:
        candidate = services.case_get_for_documents(user=request.user, pk=pk)
        document = services.document_get_for_user(user=request.user, candidate=candidate, pk=doc_pk)
        services.document_download(document=document, by=request.user, via="api")
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=services.download_name(document),
            content_type="application/pdf",
        )


urlpatterns = [
    path("candidates/<int:pk>/documents/", DocumentListApi.as_view(), name="api-document-list"),
    path("candidates/<int:pk>/documents/<int:doc_pk>/", DocumentDetailApi.as_view(), name="api-document-detail"),
    path("candidates/<int:pk>/documents/<int:doc_pk>/file/", DocumentFileApi.as_view(), name="api-document-file"),
]
