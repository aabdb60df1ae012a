"""The candidate's own pages: their case as a timeline, what is missing from them, their papers; nobody else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from admission.decisions.services.decisions import admission_deadlines
from admission.documents.models import DocumentDownload, DocumentStatus, GeneratedDocument
from admission.party.models.people import Membership
from admission.sourcing.models.candidates import CandidateState
from demo.dossier import fill_dossier
from tests.portal.conftest import TODAY, D, nominate, run, to_dossier
from workflows import services as flow_services

pytestmark = pytest.mark.django_db

MY_CASES = "/ho-so-cua-toi/"


def stages_of(response: Any) -> dict[str, str]:
    return {row.stage.state: row.status for row in response.context["progress"].stages}


def test_the_candidate_sees_their_case_as_a_timeline_of_every_stage(client: Any, world: Any, own_case: Any) -> None:
    client.force_login(world.candidate_user)
    response = client.get(MY_CASES, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert own_case.code in response.content.decode()
    statuses = stages_of(response)
    assert statuses[CandidateState.NOMINATED] == "current"
    assert [s for s in statuses.values() if s == "upcoming"] == ["upcoming"] * 8  # up to the full member
    position = response.context["progress"].position
    task_due = flow_services.open_tasks(own_case)[0].data["due_on"]
    assert position.due_on.isoformat() == task_due  # the open task's due date is what the candidate is told
    assert position.waiting[0].text == "The cell decides at a meeting whether to add you to its list."
    assert position.waiting[0].acting_org == world.village_cell.name


def test_done_stages_carry_the_day_they_were_reached(client: Any, world: Any, own_case: Any) -> None:
    case = to_dossier(own_case, world)
    client.force_login(world.candidate_user)
    rows = {row.stage.state: row for row in client.get(MY_CASES).context["progress"].stages}
    assert rows[CandidateState.NOMINATED].entered_on == D(2025, 11, 3)
    assert rows[CandidateState.SYMPATHISER].status == "done"
    assert rows[CandidateState.SYMPATHISER].entered_on == TODAY  # the day the change was recorded
    assert rows[CandidateState.IN_TRAINING].status == "done" and rows[CandidateState.IN_TRAINING].entered_on is None
    assert rows[CandidateState.DOSSIER].status == "current"
    assert case.state == CandidateState.DOSSIER


def test_the_candidate_is_told_which_papers_are_missing_from_them(client: Any, world: Any, own_case: Any) -> None:
    to_dossier(own_case, world)
    client.force_login(world.candidate_user)
    progress = client.get(MY_CASES).context["progress"]
    yours = {item.code: item.status for item in progress.yours}
    assert yours == {"certificate": "done", "application": "missing", "curriculum": "missing"}
    assert {item.code for item in progress.missing_from_you} == {"application", "curriculum"}
    assert all(not item.yours for item in progress.party_items)


def test_a_complete_dossier_leaves_nothing_missing_and_names_nobody_else(
    client: Any, world: Any, own_case: Any
) -> None:
    case = to_dossier(own_case, world)
    fill_dossier(case, by=world.secretary, start=D(2026, 1, 5))
    client.force_login(world.candidate_user)
    response = client.get(MY_CASES)
    html = response.content.decode()
    assert response.context["progress"].missing_from_you == []
    others = [m.person.full_name for m in Membership.objects.filter(cell=case.cell).select_related("person")]
    relatives = [r.full_name for r in case.curriculum.relatives.all()]
    assert others and relatives
    for name in [*others, *relatives, world.secretary.get_full_name()]:
        assert name not in html, name


def test_a_case_after_the_cell_vote_shows_the_decision_deadline(client: Any, world: Any, own_case: Any) -> None:
    case = to_dossier(own_case, world)
    fill_dossier(case, by=world.secretary, start=D(2026, 1, 5))
    run(case, "prepare_dossier", world.secretary, {"confirm": True})
    members = list(Membership.objects.filter(cell=case.cell).active_on(TODAY))
    run(
        case,
        "cell_vote",
        world.secretary,
        {"held_on": TODAY, "present": members, "votes_for": len(members), "votes_against": 0},
    )
    case.refresh_from_db()
    assert case.state == CandidateState.PROPOSED
    client.force_login(world.candidate_user)
    progress = client.get(MY_CASES).context["progress"]
    due = admission_deadlines(case).decision_due
    assert due is not None
    assert progress.position.due_on == due
    rows = {row.stage.state: row for row in progress.stages}
    assert rows[CandidateState.PROPOSED].status == "current"
    assert rows[CandidateState.ADMITTED].expected_on == due
    html = client.get(MY_CASES).content.decode()
    assert "votes_for" not in html and str(len(members)) + " " not in html.split("timeline")[0]


def test_a_withdrawn_case_stops_its_timeline_at_the_closing(client: Any, world: Any, own_case: Any) -> None:
    flow_services.case_close(candidate=own_case, withdrawn=True, on=TODAY, reason="Chuyển công tác", by=world.secretary)
    client.force_login(world.candidate_user)
    response = client.get(MY_CASES)
    statuses = [(row.stage.state, row.status) for row in response.context["progress"].stages]
    assert statuses == [(CandidateState.NOMINATED, "done"), (CandidateState.WITHDRAWN, "closed")]
    assert "Chuyển công tác" not in response.content.decode()  # the cell's reason stays with the cell


def test_another_persons_case_is_a_404_for_the_candidate(
    client: Any, world: Any, own_case: Any, other_case: Any
) -> None:
    client.force_login(world.candidate_user)
    assert client.get(reverse("portal:my_case", args=[other_case.pk])).status_code == 404
    assert client.get(reverse("portal:my_case", args=[own_case.pk])).status_code == 200
    assert other_case.code not in client.get(MY_CASES).content.decode()


@pytest.mark.parametrize("persona", ["secretary", "approver", "outsider", "agency_officer"])
def test_officials_see_nothing_of_a_candidates_portal(client: Any, world: Any, own_case: Any, persona: str) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(reverse("portal:my_case", args=[own_case.pk])).status_code == 404
    response = client.get(MY_CASES)
    assert response.status_code == 200
    assert own_case.code not in response.content.decode()
    assert response.context["progress"] is None


def test_an_anonymous_visitor_is_sent_to_the_login(client: Any, own_case: Any) -> None:
    response = client.get(MY_CASES)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_rejects_a_post(client: Any, world: Any, own_case: Any) -> None:
    client.force_login(world.candidate_user)
    assert client.post(MY_CASES).status_code == 405


def _document(case: Any, form: str) -> GeneratedDocument:
    document = GeneratedDocument.objects.create(
        candidate=case,
        form_code=form,
        template_version="2025.1",
        rule_set_version=case.rule_set.code,
        input_hash="x" * 64,
        status=DocumentStatus.DONE,
    )
    document.file.save(f"{form}.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return document


def test_the_candidate_downloads_their_own_drafts_only(client: Any, world: Any, own_case: Any, other_case: Any) -> None:
    application = _document(own_case, "1-KNĐ")
    introduction = _document(own_case, "3-KNĐ")  # an introducer's letter: the party's paper
    foreign = _document(other_case, "1-KNĐ")
    client.force_login(world.candidate_user)
    response = client.get(MY_CASES)
    assert [d.pk for d in response.context["progress"].documents] == [application.pk]

    download = client.get(reverse("portal:my_document", args=[own_case.pk, application.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert DocumentDownload.objects.get().via == "portal"
    assert client.get(reverse("portal:my_document", args=[own_case.pk, introduction.pk])).status_code == 404
    assert client.get(reverse("portal:my_document", args=[own_case.pk, foreign.pk])).status_code == 404
    assert client.get(reverse("portal:my_document", args=[other_case.pk, foreign.pk])).status_code == 404


def test_a_secretary_cannot_download_through_the_portal(client: Any, world: Any, own_case: Any) -> None:
    application = _document(own_case, "1-KNĐ")
    client.force_login(world.secretary)
    assert client.get(reverse("portal:my_document", args=[own_case.pk, application.pk])).status_code == 404


def test_a_second_attempt_links_to_the_first(client: Any, world: Any, own_case: Any) -> None:
    first = flow_services.case_close(candidate=own_case, withdrawn=True, on=TODAY, reason="Xin rút", by=world.secretary)
    second = flow_services.case_reopen(previous=first, nominated_by="cell", nominated_on=TODAY, by=world.secretary)
    client.force_login(world.candidate_user)
    response = client.get(MY_CASES)
    assert response.context["progress"].candidate == second
    assert [c.pk for c in response.context["others"]] == [own_case.pk]


def test_nominate_helper_builds_cases_outside_the_candidates_login(world: Any) -> None:
    case = nominate(world, full_name="Người Khác")
    assert case.person.user is None


def test_the_candidate_asks_for_their_application_draft(client: Any, world: Any, own_case: Any) -> None:
    case = to_dossier(own_case, world)
    client.force_login(world.candidate_user)
    papers = {paper.code: paper for paper in client.get(MY_CASES).context["progress"].papers}
    assert set(papers) == {"CN-NTVĐ", "1-KNĐ"}  # the CV draft waits for the declared CV
    assert papers["1-KNĐ"].ready is None and not papers["1-KNĐ"].up_to_date

    response = client.post(reverse("portal:my_document_prepare", args=[case.pk]), {"form": "1-KNĐ"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:my_case", args=[case.pk])
    document = GeneratedDocument.objects.get()
    assert (document.form_code, document.created_by) == ("1-KNĐ", world.candidate_user)
    papers = {paper.code: paper for paper in client.get(MY_CASES).context["progress"].papers}
    assert papers["1-KNĐ"].in_progress


@pytest.mark.parametrize("form", ["3-KNĐ", "HS", ""])
def test_it_refuses_to_prepare_the_partys_papers(client: Any, world: Any, own_case: Any, form: str) -> None:
    case = to_dossier(own_case, world)
    client.force_login(world.candidate_user)
    assert client.post(reverse("portal:my_document_prepare", args=[case.pk]), {"form": form}).status_code == 404
    assert not GeneratedDocument.objects.exists()


def test_nobody_else_prepares_papers_through_the_portal(client: Any, world: Any, own_case: Any) -> None:
    case = to_dossier(own_case, world)
    client.force_login(world.secretary)
    assert client.post(reverse("portal:my_document_prepare", args=[case.pk]), {"form": "1-KNĐ"}).status_code == 404
    client.force_login(world.candidate_user)
    assert client.get(reverse("portal:my_document_prepare", args=[case.pk])).status_code == 405
    assert not GeneratedDocument.objects.exists()


def test_a_case_opened_without_a_flow_still_shows_its_stage(client: Any, world: Any) -> None:
    from admission.sourcing.services.candidates import candidate_nominate
    from tests.factories import PersonFactory

    person = PersonFactory(user=world.candidate_user)
    case = candidate_nominate(
        person=person, cell=world.village_cell, nominated_by="cell", nominated_on=TODAY, by=world.secretary
    )
    client.force_login(world.candidate_user)
    progress = client.get(MY_CASES).context["progress"]
    assert progress.candidate == case
    assert progress.position.waiting == [] and progress.position.due_on is None


def test_a_probationary_member_sees_the_official_date_and_their_papers(client: Any, world: Any) -> None:
    from admission.party.models.people import Person
    from tests.admission.probation.helpers import END, probationer

    probation = probationer(world)
    Person.objects.filter(pk=probation.candidate.person_id).update(user=world.candidate_user)
    client.force_login(world.candidate_user)
    progress = client.get(MY_CASES).context["progress"]
    rows = {row.stage.state: row for row in progress.stages}
    assert rows[CandidateState.PROBATIONARY].status == "current"
    assert rows[CandidateState.OFFICIAL].expected_on == END == probation.ends_on
    assert {item.code: item.status for item in progress.yours} == {
        "new_member_course": "missing",
        "self_review": "missing",
    }
