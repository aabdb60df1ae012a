"""REST API v1 for the admission dossier of a case: the checklist on a date, and one POST per item (1-KNĐ to 5-KNĐ,
the page-join stamp, the verification requests and replies, introducers and their replacement).

Scope as everywhere: the case comes from `selectors.candidate_get_for_user` (outside the caller's units: 404); a
service refusing the caller (not acting for the case's cell) is a 403; a broken rule a 400
problem whose `detail` is the rule's message.
Scans travel as multipart; rows (relatives, work history, organisations consulted) then travel as a JSON string in
their form field, or as plain lists in a JSON body.

The submodules, whose public names are all importable from here:

- ``common``: the parsers, the rows sent as a JSON string, the scan fields, the members who may introduce;
- ``outputs``: the serializers of the answers (checklist items, verdicts, each record);
- ``reading``: the dossier and its checklist on a date (``DossierApi``, ``dossier_data``);
- ``curriculum``: 1-KNĐ and 2-KNĐ: the application, the CV, its stamp, the comment and the certification;
- ``checks``: the verification requests and replies;
- ``introductions``: 3-KNĐ and 4-KNĐ: the introductions, an introducer's replacement, the mass organisation's
  resolution;
- ``opinions``: 5-KNĐ: the compiled opinions;
- ``redo``: a paper redone within the case, and the earlier versions kept.
"""

from __future__ import annotations

from admission.dossier.api.checks import CheckReplyApi, CheckRequestApi
from admission.dossier.api.common import PARSERS, JsonListField
from admission.dossier.api.curriculum import (
    ApplicationRecordApi,
    CurriculumCertifyApi,
    CurriculumRecordApi,
    CurriculumSealApi,
    RelativeInput,
    WorkHistoryLineInput,
)
from admission.dossier.api.introductions import IntroductionAddApi, IntroductionReplaceApi, MassOrgResolutionRecordApi
from admission.dossier.api.opinions import OpinionsRecordApi, OrganisationOpinionInput
from admission.dossier.api.outputs import (
    ApplicationOutput,
    BackgroundCheckOutput,
    ChecklistItemOutput,
    CurriculumOutput,
    IntroductionOutput,
    MassOrgResolutionOutput,
    OpinionSummaryOutput,
    RelativeOutput,
    VerdictOutput,
)
from admission.dossier.api.reading import DossierApi, dossier_data
from admission.dossier.api.redo import ReplacedPaperOutput, ReplacedPapersApi

__all__ = [
    "PARSERS",
    "ApplicationOutput",
    "ApplicationRecordApi",
    "BackgroundCheckOutput",
    "CheckReplyApi",
    "CheckRequestApi",
    "ChecklistItemOutput",
    "CurriculumCertifyApi",
    "CurriculumOutput",
    "CurriculumRecordApi",
    "CurriculumSealApi",
    "DossierApi",
    "IntroductionAddApi",
    "IntroductionOutput",
    "IntroductionReplaceApi",
    "JsonListField",
    "MassOrgResolutionOutput",
    "MassOrgResolutionRecordApi",
    "OpinionSummaryOutput",
    "OpinionsRecordApi",
    "OrganisationOpinionInput",
    "RelativeInput",
    "RelativeOutput",
    "ReplacedPaperOutput",
    "ReplacedPapersApi",
    "VerdictOutput",
    "WorkHistoryLineInput",
    "dossier_data",
]
