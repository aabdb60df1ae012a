"""Background jobs (Django Tasks API: django-tasks-db in development and production, the immediate backend in
tests). Enqueued by `services.document_request` once its transaction commits."""

from __future__ import annotations

from django_tasks import task

from admission.documents.generation import document_generate


@task()
def generate_document(document_id: int) -> str:
    """Render one generated document (a form or the complete dossier) and store it; returns its final status."""
    document = document_generate(document_id=document_id)
    return document.status if document else "skipped"
