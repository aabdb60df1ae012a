"""Changing a flow while cases run: the committed manifest of node names, `manage.py flows_check`, and a task whose
node is gone shown as a plain "step changed" row instead of an error."""

from __future__ import annotations

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from viewflow.workflow.models import Task

from admission.party.models.people import Person
from tests.factories import PersonFactory
from workflows import manifest, services

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def urls():
    import config.urls  # noqa: F401


def nominate(world):
    with time_machine.travel(NOW, tick=False):
        return services.case_nominate(
            person=PersonFactory(),
            cell=world.village_cell,
            nominated_by="cell",
            nominated_on=datetime.date(2026, 3, 2),
            by=world.secretary,
        )


def test_the_committed_manifest_matches_the_flows_and_no_open_task_is_stranded(world):
    nominate(world)
    call_command("flows_check", stdout=io.StringIO())


def test_a_renamed_node_without_a_retirement_is_named(tmp_path):
    data = manifest.manifest_read()
    data["flows"]["workflows.flows.AdmissionCaseFlow"].append("old_ceremony")
    path = tmp_path / "flow_nodes.json"
    path.write_text(json.dumps(data))
    result = manifest.flows_check(path)
    assert result.removed == ["workflows.flows.AdmissionCaseFlow.old_ceremony"]
    data["retired"] = {"workflows.flows.AdmissionCaseFlow": {"old_ceremony": "renamed to ceremony, migration 0009"}}
    path.write_text(json.dumps(data))
    assert manifest.flows_check(path).ok


def test_a_node_added_to_a_flow_but_not_to_the_manifest_is_named(tmp_path):
    data = manifest.manifest_read()
    data["flows"]["workflows.flows.SourcingFlow"].remove("list_sympathiser")
    path = tmp_path / "flow_nodes.json"
    path.write_text(json.dumps(data))
    assert manifest.flows_check(path).unlisted == ["workflows.flows.SourcingFlow.list_sympathiser"]


def test_an_open_task_of_a_vanished_node_fails_the_check_and_shows_as_a_changed_step(world, client):
    case = nominate(world)
    task = services.open_task(case, "list_sympathiser")
    Task.objects.filter(pk=task.pk).update(flow_task="workflows/flows.SourcingFlow.list_sympathizer_old")
    with pytest.raises(CommandError):
        call_command("flows_check", stdout=io.StringIO(), stderr=io.StringIO())
    stranded = manifest.flows_check().stranded
    assert stranded == [f"task {task.pk} of case {case.pk}: workflows/flows.SourcingFlow.list_sympathizer_old"]
    client.force_login(world.secretary)
    with time_machine.travel(NOW, tick=False):
        work = client.get("/app/admission/home/", HTTP_ACCEPT_LANGUAGE="en")
        page = client.get(f"/app/admission/candidates/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert work.status_code == 200 and "Step changed" in work.content.decode()
    assert page.status_code == 200 and "Step changed" in page.content.decode()
    assert Person.objects.filter(pk=case.person_id).exists()
