"""REST API v1 for probation and recognition (domain.md §5, forms 10–16-KNĐ).

Every write answers with the probation as `ProbationDetailApi` shows it: its dates (official date = the day
probation ends, party age from the admission decision, the deadlines, the reminder days), its dossier, its chain,
removals and transfers. Scope as everywhere: a probation outside the caller's units is a 404; inside them a service
refusing the caller (not acting for the body whose step it is) is a 403; a broken rule a 400
problem whose `detail` is the rule's message.

Submodules: `outputs` holds the output serializers, `probation_payload`, the request helpers the endpoints share
and the two reads (list, detail); `dossier` the helpers' replacement and the dossier's records (10–12-KNĐ);
`recognition` the cell's vote, the chain's steps and the decision's extension; `removal` the removal and the
escalated case; `transfers` sending, listing and receiving a transfer. The endpoints and serializers are re-exported
here, so `admission.api_urls` keeps using `from admission.probation import api as probation`.
"""

from __future__ import annotations

from admission.probation.api.dossier import (
    ProbationCertificateRecordApi,
    ProbationDisciplineRecordApi,
    ProbationHelperCommentRecordApi,
    ProbationHelperReplaceApi,
    ProbationOpinionsRecordApi,
    ProbationSelfReviewRecordApi,
)
from admission.probation.api.outputs import (
    CertificateOutput,
    DisciplineOutput,
    HelperCommentOutput,
    OpinionsOutput,
    ProbationDetailApi,
    ProbationListApi,
    ProbationListOutput,
    ProbationOutput,
    ReminderOutput,
    RemovalOutput,
    SelfReviewOutput,
    StepOutput,
    TransferOutput,
    probation_payload,
)
from admission.probation.api.recognition import (
    RecognitionDecisionExtendApi,
    RecognitionStepCompleteApi,
    RecognitionStepRefuseApi,
    RecognitionVoteRecordApi,
)
from admission.probation.api.removal import EscalationDecideApi, RemovalDecideApi, RemovalProposeApi
from admission.probation.api.transfers import (
    ProbationTransferListApi,
    ProbationTransferOutApi,
    ProbationTransferReceiveApi,
)

__all__ = [
    "CertificateOutput",
    "DisciplineOutput",
    "EscalationDecideApi",
    "HelperCommentOutput",
    "OpinionsOutput",
    "ProbationCertificateRecordApi",
    "ProbationDetailApi",
    "ProbationDisciplineRecordApi",
    "ProbationHelperCommentRecordApi",
    "ProbationHelperReplaceApi",
    "ProbationListApi",
    "ProbationListOutput",
    "ProbationOpinionsRecordApi",
    "ProbationOutput",
    "ProbationSelfReviewRecordApi",
    "ProbationTransferListApi",
    "ProbationTransferOutApi",
    "ProbationTransferReceiveApi",
    "RecognitionDecisionExtendApi",
    "RecognitionStepCompleteApi",
    "RecognitionStepRefuseApi",
    "RecognitionVoteRecordApi",
    "ReminderOutput",
    "RemovalDecideApi",
    "RemovalOutput",
    "RemovalProposeApi",
    "SelfReviewOutput",
    "StepOutput",
    "TransferOutput",
    "probation_payload",
]
