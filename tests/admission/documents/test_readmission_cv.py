"""The CV (2-KNĐ) of a re-admission prints the earlier membership's dates and how it ended; a first admission's
does not have the item."""

from __future__ import annotations

import datetime

from admission.documents import render
from admission.party.models.earlier import EarlierMembership
from admission.sourcing.models.candidates import Candidate
from tests.admission.documents.helpers import text

D = datetime.date


def test_the_cv_of_a_readmission_prints_the_earlier_membership(case_in_dossier):
    first = text(render.render_form(case_in_dossier, "2-KNĐ").pdf)
    assert "kết nạp lại" not in first
    EarlierMembership.objects.create(
        person=case_in_dossier.person,
        admitted_on=D(2005, 5, 19),
        official_on=D(2006, 5, 19),
        left_on=D(2019, 1, 10),
        how_left="family_reasons",
    )
    Candidate.objects.filter(pk=case_in_dossier.pk).update(is_readmission=True)
    case = Candidate.objects.get(pk=case_in_dossier.pk)
    cv = text(render.render_form(case, "2-KNĐ").pdf)
    assert "Đối với người xin được kết nạp lại vào Đảng" in cv
    assert "19/05/2005" in cv and "19/05/2006" in cv and "10/01/2019" in cv
