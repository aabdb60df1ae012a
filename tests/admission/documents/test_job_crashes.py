"""Jobs survive crashes (issue 15): a job whose worker died (heartbeat older than the lease) is queued again by the
next request and by the retry command, a live one is left alone, half-written files are swept, a dead copy is never
served, and on PostgreSQL many requests and two workers at once never deadlock and make each document once."""

from __future__ import annotations

import datetime
import io
import os
import threading
import time

import pytest
from django.core.files.storage import InMemoryStorage
from django.core.management import call_command
from django.db import connection, connections
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from admission.documents import generation, services
from admission.documents.models import DocumentStatus, GeneratedDocument

NOW = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC)  # the frozen now of conftest.frozen
LEASE = 45

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def lease(settings):
    settings.DOCUMENTS_LEASE_SECONDS = LEASE
    settings.DOCUMENTS_QUEUED_SECONDS = 120
    settings.DOCUMENTS_MAX_ATTEMPTS = 3


def retry_command(django_capture_on_commit_callbacks) -> str:
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("documents_retry_stale", stdout=out)
    return out.getvalue()


def key_of(case, code="5-KNĐ"):
    return next(r for r in services.form_rows(case) if r.code == code).input_hash


def left_running(case, *, beat_seconds_ago, attempts=1, code="5-KNĐ", status=DocumentStatus.RUNNING):
    """A job its worker left `status`, whose last heartbeat was `beat_seconds_ago` seconds before now."""
    document = GeneratedDocument.objects.create(
        candidate=case,
        form_code=code,
        template_version="2025.1",
        rule_set_version=case.rule_set.code,
        input_hash=key_of(case, code),
        status=status,
        attempts=attempts,
    )
    beat = NOW - datetime.timedelta(seconds=beat_seconds_ago)
    GeneratedDocument.objects.filter(pk=document.pk).update(started_at=beat, heartbeat_at=beat)
    document.refresh_from_db()
    return document


def part_file(root, case, name, *, age_seconds):
    folder = root / "generated" / str(case.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"%PDF-1.7 half")
    stamp = time.time() - age_seconds  # time.time is frozen at NOW too
    os.utime(path, (stamp, stamp))
    return path


# ------------------------------------------------------------------------------------------------------------------
# Dead jobs are queued again; live ones are left alone
# ------------------------------------------------------------------------------------------------------------------


def test_a_new_request_queues_again_a_job_whose_heartbeat_is_older_than_the_lease(
    run, people, case_in_dossier, settings
):
    dead = left_running(case_in_dossier, beat_seconds_ago=LEASE + 1)
    half = part_file(settings.MEDIA_ROOT, case_in_dossier, f"5-knd-x.pdf.job{dead.pk}-abc.part", age_seconds=LEASE + 1)
    document = run(case_in_dossier, "5-KNĐ", people[0])
    assert document.pk == dead.pk and document.status == DocumentStatus.DONE
    assert document.attempts == 2 and document.error == "" and document.file.read().startswith(b"%PDF-")
    assert not half.exists()  # what the dead attempt half wrote is gone
    assert GeneratedDocument.objects.filter(candidate=case_in_dossier, form_code="5-KNĐ").count() == 1


def test_a_heartbeat_exactly_as_old_as_the_lease_is_still_alive(
    run, people, case_in_dossier, django_capture_on_commit_callbacks
):
    alive = left_running(case_in_dossier, beat_seconds_ago=LEASE)
    assert run(case_in_dossier, "5-KNĐ", people[0]).pk == alive.pk
    assert "0 interrupted" in retry_command(django_capture_on_commit_callbacks)
    alive.refresh_from_db()
    assert (alive.status, alive.attempts, alive.heartbeat_at) == (
        DocumentStatus.RUNNING,
        1,
        NOW - datetime.timedelta(seconds=LEASE),
    )


def test_the_retry_command_queues_again_a_dead_job_and_one_queued_too_long_but_not_a_young_queued_one(
    people, case_in_dossier, django_capture_on_commit_callbacks
):
    dead = left_running(case_in_dossier, beat_seconds_ago=LEASE + 1)
    lost = left_running(case_in_dossier, beat_seconds_ago=121, attempts=0, code="1-KNĐ", status=DocumentStatus.QUEUED)
    waiting = left_running(
        case_in_dossier, beat_seconds_ago=120, attempts=0, code="2-KNĐ", status=DocumentStatus.QUEUED
    )
    assert "2 interrupted job(s) queued again" in retry_command(django_capture_on_commit_callbacks)
    for document in (dead, lost, waiting):
        document.refresh_from_db()
    assert (dead.status, dead.attempts) == (DocumentStatus.DONE, 2)
    assert (lost.status, lost.attempts) == (DocumentStatus.DONE, 1)
    assert (waiting.status, waiting.attempts) == (DocumentStatus.QUEUED, 0)


def test_a_job_that_never_finished_in_its_allowed_attempts_is_marked_failed_and_asked_for_anew(
    run, people, case_in_dossier
):
    dead = left_running(case_in_dossier, beat_seconds_ago=LEASE + 1, attempts=3)
    document = run(case_in_dossier, "5-KNĐ", people[0])
    dead.refresh_from_db()
    assert dead.status == DocumentStatus.FAILED and "started 3 times" in dead.error
    assert document.pk != dead.pk and document.status == DocumentStatus.DONE


def test_a_worker_taken_for_dead_that_wakes_up_later_changes_nothing_and_drops_its_file(
    people, case_in_dossier, monkeypatch, settings
):
    document = left_running(case_in_dossier, beat_seconds_ago=0, attempts=0, status=DocumentStatus.QUEUED)
    real = generation.render_form

    def slow_render(candidate, code):
        # Meanwhile the job was taken for dead, queued again and started by another worker (attempt 2).
        GeneratedDocument.objects.filter(pk=document.pk).update(attempts=2, status=DocumentStatus.RUNNING)
        return real(candidate, code)

    monkeypatch.setattr(generation, "render_form", slow_render)
    generation.document_generate(document_id=document.pk)
    document.refresh_from_db()
    assert (document.status, document.file.name, document.attempts) == (DocumentStatus.RUNNING, "", 2)
    folder = settings.MEDIA_ROOT / "generated" / str(case_in_dossier.pk)
    assert not folder.exists() or list(folder.iterdir()) == []


# ------------------------------------------------------------------------------------------------------------------
# Half-written files
# ------------------------------------------------------------------------------------------------------------------


def test_the_retry_command_removes_part_files_older_than_the_lease_and_keeps_young_ones(
    case_in_dossier, settings, django_capture_on_commit_callbacks
):
    old = part_file(settings.MEDIA_ROOT, case_in_dossier, "5-knd-1-aaa.pdf.job1-x.part", age_seconds=LEASE + 1)
    young = part_file(settings.MEDIA_ROOT, case_in_dossier, "5-knd-2-bbb.pdf.job2-y.part", age_seconds=LEASE - 1)
    finished = part_file(settings.MEDIA_ROOT, case_in_dossier, "5-knd-3-ccc.pdf", age_seconds=10 * LEASE)
    assert "1 leftover temporary file(s) removed" in retry_command(django_capture_on_commit_callbacks)
    assert (old.exists(), young.exists(), finished.exists()) == (False, True, True)


def test_without_a_file_system_storage_the_sweep_has_nothing_to_do(monkeypatch, case_in_dossier):
    storage = InMemoryStorage()
    monkeypatch.setattr(generation, "default_storage", storage)
    assert generation.remove_orphaned_temporaries() == 0
    name = generation.store_atomically("generated/1/x.pdf", b"%PDF-1.7", document_id=1)
    assert storage.open(name).read() == b"%PDF-1.7"


# ------------------------------------------------------------------------------------------------------------------
# Never served before it is done
# ------------------------------------------------------------------------------------------------------------------


def test_a_dead_running_document_is_never_served_as_ready(client, run, people, case_in_dossier):
    earlier = run(case_in_dossier, "5-KNĐ", people[0])  # a real, finished file
    dead = left_running(case_in_dossier, beat_seconds_ago=LEASE + 100)
    GeneratedDocument.objects.filter(pk=dead.pk).update(file=earlier.file.name, input_hash="changed")
    kwargs = {"pk": case_in_dossier.pk, "doc_pk": dead.pk}
    client.force_login(people[0])
    status = client.get(reverse("admission:candidates:document_status", kwargs=kwargs)).json()
    assert status["status"] == "running" and status["download_url"] == ""
    assert client.get(reverse("admission:candidates:document_download", kwargs=kwargs)).status_code == 404
    api = client.get(
        f"/api/v1/candidates/{case_in_dossier.pk}/documents/{dead.pk}/file/", HTTP_ACCEPT="application/pdf"
    )
    assert api.status_code == 404 and b"%PDF" not in api.content
    with translation.override("en"), pytest.raises(Http404, match="not ready"):  # a request left Vietnamese active
        services.document_download(document=dead, by=people[0])
    from portal import selectors

    assert dead.pk not in {d.pk for d in selectors.portal_documents(case_in_dossier)}


# ------------------------------------------------------------------------------------------------------------------
# The heartbeat thread, and many requests with two workers (PostgreSQL: real row locks)
# ------------------------------------------------------------------------------------------------------------------


@pytest.fixture
def seeded():
    """A transactional test before this one may have flushed what migrations seed: make it again."""
    from tests.conftest import restore_migration_seed

    restore_migration_seed()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_heartbeat_thread_beats_on_its_own_connection_and_stops_with_the_job(seeded, case_in_dossier, settings):
    settings.DOCUMENTS_HEARTBEAT_SECONDS = 0.05
    document = left_running(case_in_dossier, beat_seconds_ago=LEASE - 5, attempts=1)
    with generation.Heartbeat(document.pk, 1) as beating:
        assert beating._thread is not None
        deadline = time.monotonic() + 10
        while document.heartbeat_at != NOW and time.monotonic() < deadline:
            time.sleep(0.05)
            document.refresh_from_db()
    assert document.heartbeat_at == NOW
    assert not beating._thread.is_alive()
    assert not [t for t in threading.enumerate() if t.name.startswith("documents-heartbeat")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and deadlocks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_requests_and_two_workers_at_once_never_deadlock_and_make_each_document_once(
    seeded, people, case_in_dossier, settings
):
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    forms = ["1-KNĐ", "5-KNĐ"]  # the cheapest forms of the case, each asked for 30 times
    errors: list[str] = []
    start = threading.Barrier(12, timeout=30)

    def requests(number):
        try:
            start.wait()
            for turn in range(5):
                services.document_request(candidate=case_in_dossier, form_code=forms[(number + turn) % 2], by=None)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    workers = [
        Worker(
            queue_names=["default"],
            interval=0.05,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"test-worker-{n}",
            excluded_queue_names=[],
        )
        for n in range(2)
    ]

    def work(worker):
        try:
            worker.run()
        except Exception as exc:
            errors.append(f"worker {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    began = time.monotonic()
    worker_threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    request_threads = [threading.Thread(target=requests, args=(n,)) for n in range(12)]
    for thread in worker_threads + request_threads:
        thread.start()
    for thread in request_threads:
        thread.join(timeout=60)
    deadline = time.monotonic() + 30
    while GeneratedDocument.objects.exclude(status=DocumentStatus.DONE).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    for worker in workers:
        worker.running = False
    for thread in worker_threads:
        thread.join(timeout=30)
    took = time.monotonic() - began

    assert errors == []
    documents = list(GeneratedDocument.objects.filter(candidate=case_in_dossier))
    assert sorted((d.form_code, d.status) for d in documents) == [(code, DocumentStatus.DONE) for code in forms]
    assert all(d.attempts == 1 and d.file for d in documents)
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
    assert took < 60


def test_the_queue_record_of_a_dead_job_is_closed_when_the_job_is_queued_again(
    people, case_in_dossier, django_capture_on_commit_callbacks
):
    """A worker killed midway leaves its job row "running" in django-tasks-db for ever; the retry closes it."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from admission.documents.tasks import generate_document

    dead = left_running(case_in_dossier, beat_seconds_ago=LEASE + 1)
    alive = left_running(case_in_dossier, beat_seconds_ago=1, code="1-KNĐ")

    def job_row(document):
        return DBTaskResult.objects.create(
            status=TaskResultStatus.RUNNING,
            args_kwargs={"args": [document.pk], "kwargs": {}},
            task_path=generate_document.module_path,
            backend_name="default",
            run_after=NOW,
            worker_ids=["killed-worker"],
        )

    dead_row, alive_row = job_row(dead), job_row(alive)
    assert "1 interrupted job(s) queued again" in retry_command(django_capture_on_commit_callbacks)
    dead_row.refresh_from_db()
    alive_row.refresh_from_db()
    assert dead_row.status == TaskResultStatus.FAILED and dead_row.finished_at is not None
    assert alive_row.status == TaskResultStatus.RUNNING
