"""Screens of probation and recognition (domain.md §5, forms 10–16-KNĐ): one page per probationer with its dates,
what happens next and by when, the helpers, the recognition dossier, the chain, removals and transfers; and one form
page per action, each posting to one service of `admission.probation.services`.

The flow's own steps (the cell's vote 13-KNĐ, the chain 14–16-KNĐ, receiving a transfer, the committee deciding a
removal or an escalated case) are task pages of `workflows`, reached from the case page's "What is waiting now".

Access: a probation outside the user's units is a 404
(`admission.probation.selectors.probation_get_for_user`, which also lets the member and the cells it was transferred
from read it; a cell the member is being transferred to reads it too).
A user who reads but does not act for the member's cell sees no buttons and gets a 403 on the cell's forms. The
member themself may write their self-review (10-KNĐ), a helper their comments (11-KNĐ), the deciding body extends
its deadline. A form that fails re-renders with status 422 and the reason; a saved one returns to the page.

Submodules: `common` holds the access checks and the form pages' plumbing; `page` the probation page; `dossier` the
form pages of the helpers and the dossier (certificate, discipline, 10–12-KNĐ); `removal` the removal proposal;
`transfers` the transfer; `recognition` the extension of the decision's deadline. The views are re-exported here
for `config.urls`.
"""

from __future__ import annotations

from admission.probation.views.common import probation_url
from admission.probation.views.dossier import (
    certificate_record,
    discipline_record,
    helper_comment_record,
    helper_replace,
    opinions_record,
    self_review_record,
)
from admission.probation.views.page import probation_page
from admission.probation.views.recognition import decision_extend
from admission.probation.views.removal import removal_propose
from admission.probation.views.transfers import transfer_out

__all__ = [
    "certificate_record",
    "decision_extend",
    "discipline_record",
    "helper_comment_record",
    "helper_replace",
    "opinions_record",
    "probation_page",
    "probation_url",
    "removal_propose",
    "self_review_record",
    "transfer_out",
]
