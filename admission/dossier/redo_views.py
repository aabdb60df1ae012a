"""Redoing a paper of the dossier from its page: a short form (why), then the paper is open for its new version; the
earlier one stays in the dossier's history and its annex (`admission.dossier.services.redo`). Access as on the other
dossier forms: 404 outside the user's units, 403 for a user who does not act for the case's cell."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from admission.dossier import services
from admission.dossier.form_pages import Screen, handle_form
from admission.dossier.models import PaperKind
from admission.dossier.views import FORM_TEMPLATE, _acting_case, dossier_url

# Where the new version is then recorded, and what the user is told.
AFTER: dict[str, Any] = {
    PaperKind.APPLICATION: gettext_lazy("The earlier application is kept: record the new one."),
    PaperKind.CURRICULUM: gettext_lazy(
        "The earlier CV and its verification are kept: record the new CV, stamp it, verify and certify it again."
    ),
    PaperKind.VERIFICATION: gettext_lazy(
        "The earlier verification is kept: send the new requests, record the replies, then comment and certify again."
    ),
    PaperKind.MASS_ORG_RESOLUTION: gettext_lazy("The earlier resolution is kept: record the new one."),
    PaperKind.OPINIONS: gettext_lazy("The earlier compiled opinions are kept: record the new ones."),
}
ANCHOR: dict[str, str] = {PaperKind.VERIFICATION: "verification", PaperKind.CURRICULUM: "curriculum"}


class RedoForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the paper redone?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example: expired on the meeting day; a relative was left out."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_redo(request: HttpRequest, pk: int, paper: str) -> HttpResponse:
    if paper not in services.REDO_PAPERS:
        raise Http404
    candidate = _acting_case(request, pk)
    form = RedoForm(request.POST if request.method == "POST" else None)
    label = PaperKind(paper).label
    screen = Screen(
        _("Redo: %(paper)s") % {"paper": label},
        _(
            "The version in force is kept in the dossier's history and its annex, marked as replaced, with who "
            "replaced it and why; the paper is then open for its new version."
        ),
        _("Redo this paper"),
        ANCHOR.get(paper, paper),
        AFTER[PaperKind(paper)],
    )
    return handle_form(
        request,
        form=form,
        screen=screen,
        action=lambda: services.paper_redo(
            candidate=candidate, paper=paper, reason=form.cleaned_data["reason"], by=request.user
        ),
        back_url=dossier_url(candidate, screen.anchor),
        template=FORM_TEMPLATE,
        context={"candidate": candidate},
    )
