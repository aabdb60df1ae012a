"""Writes on the admission dossier (domain.md §2.4, §2.5, §3 rows 2–6): 1-KNĐ to 5-KNĐ and the verification.

Every function is keyword-only and atomic, locks the case, checks that the user acts for the case's cell
(PermissionDenied otherwise; views turn an out-of-scope case into a 404 before calling), accepts changes only while
the case is at the dossier step, NFC-normalises text and checks each scan by its content (`validate_scan`).

The order of the paper trail is enforced here (06-HD/TW §3.4.d [R]): application, then CV; the stamp across the
CV's page joins before any verification request; the cell's comment and the grassroots committee's certification
only once every verification reply is back.

The submodules, whose public names are all importable from here:

- ``common``: what every write shares (the case locked at the dossier step, the scan check, the save);
- ``curriculum``: 1-KNĐ and 2-KNĐ: the application, the CV, its stamp, the comment and the certification;
- ``checks``: the background verification: the checks prepared, each request and each reply;
- ``introductions``: 3-KNĐ and 4-KNĐ: the introductions, an introducer's replacement, the mass organisation's
  resolution;
- ``opinions``: 5-KNĐ: the compiled opinions;
- ``redo``: a paper redone within the case, its earlier version kept (`ReplacedPaper`).
"""

from __future__ import annotations

from admission.dossier.services.checks import (
    background_check_reply,
    background_check_request,
    background_checks_prepare,
)
from admission.dossier.services.curriculum import (
    ADULT_AGE_YEARS,
    SINGLE_RELATIONS,
    application_record,
    curriculum_certify,
    curriculum_record,
    curriculum_seal,
)
from admission.dossier.services.introductions import introduction_add, introduction_replace, mass_org_resolution_record
from admission.dossier.services.opinions import _organisations as _organisations  # the probation's opinions reuse it
from admission.dossier.services.opinions import opinions_record
from admission.dossier.services.redo import REDO_PAPERS, paper_redo, replaced_papers

__all__ = [
    "ADULT_AGE_YEARS",
    "REDO_PAPERS",
    "SINGLE_RELATIONS",
    "application_record",
    "background_check_reply",
    "background_check_request",
    "background_checks_prepare",
    "curriculum_certify",
    "curriculum_record",
    "curriculum_seal",
    "introduction_add",
    "introduction_replace",
    "mass_org_resolution_record",
    "opinions_record",
    "paper_redo",
    "replaced_papers",
]
