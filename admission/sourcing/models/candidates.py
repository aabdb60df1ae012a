"""The candidate case: one per person per attempt, from nomination to the handing over of the dossier.

The case's lifecycle state lives in one protected FSM field; transitions are guarded by conditions (the rules) and
by a permission (the user must act for the case's cell), and every transition is logged by django-fsm-log with who,
when and why. Services in `admission.sourcing.services.candidates` are the only callers of the transitions.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Person
from admission.rules.models.rulesets import RuleSet

if TYPE_CHECKING:
    from admission.sourcing.models.training import AwarenessCertificate


class CandidateState(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    SYMPATHISER = "sympathiser", _("On the sympathiser list")
    IN_TRAINING = "in_training", _("In the awareness course")
    TRAINED = "trained", _("Holds the course certificate")
    DOSSIER = "dossier", _("Admission dossier in progress")
    PROPOSED = "proposed", _("Proposed by the cell, with the committees")
    ADMITTED = "admitted", _("Admission decided, ceremony to hold")
    PROBATIONARY = "probationary", _("Probationary member")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_ADMITTED = "not_admitted", _("Closed, not admitted")
    # After probation (domain.md §5): recognised, removed from the list (xóa tên), or moved out of this system.
    OFFICIAL = "official", _("Official member")
    REMOVED = "removed", _("Removed from the list of probationary members")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out during probation")

    @classmethod
    def before_admission(cls) -> tuple[str, ...]:
        return (cls.NOMINATED, cls.SYMPATHISER, cls.IN_TRAINING, cls.TRAINED, cls.DOSSIER, cls.PROPOSED)

    @classmethod
    def open_states(cls) -> tuple[str, ...]:
        return (*cls.before_admission(), cls.ADMITTED, cls.PROBATIONARY)

    @classmethod
    def closed_states(cls) -> tuple[str, ...]:
        return (cls.WITHDRAWN, cls.NOT_ADMITTED, cls.OFFICIAL, cls.REMOVED, cls.TRANSFERRED_OUT)


class NominationSource(models.TextChoices):
    CELL = "cell", _("The party cell")
    YOUTH_UNION = "youth_union", _("Ho Chi Minh Communist Youth Union")
    TRADE_UNION = "trade_union", _("Trade union")
    WOMENS_UNION = "womens_union", _("Women's Union")
    VETERANS = "veterans", _("Veterans' Association")
    FARMERS = "farmers", _("Farmers' Union")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
    OTHER = "other", _("Other organisation")


class EducationException(models.TextChoices):
    NONE = "none", _("General rule")
    HARDSHIP_AREA = "hardship_area", _("Mountain, border, island or disadvantaged area; fishermen at sea")
    VILLAGE_ELDER = "village_elder", _("Village elder, head or prestigious person in such an area")


def _can_act(instance: Candidate, user: Any) -> bool:
    from admission.party.permissions import can_act_for_org

    return can_act_for_org(user, instance.cell)


def _has_valid_certificate(instance: Candidate) -> bool:
    return instance.current_certificate() is not None


def _probation_has_ended(instance: Candidate) -> bool:
    """Recognition only once the months of probation have run (Charter Art. 5.2)."""
    from admission.party.permissions import today

    probation = getattr(instance, "probation", None)
    return probation is not None and probation.ends_on <= today()


class Candidate(ConcurrentTransitionMixin, models.Model):
    code = models.CharField(_("case code"), max_length=20, unique=True, editable=False)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="candidacies")
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    cell = models.ForeignKey(PartyOrg, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="candidates")
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="+")
    state = FSMField(_("state"), default=CandidateState.NOMINATED, choices=CandidateState.choices, protected=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.TextField(_("reason for closing"), blank=True)

    # Nomination (domain.md §3 row 0)
    nominated_by = models.CharField(_("nominated by"), max_length=30, choices=NominationSource.choices)
    nominating_body = models.CharField(_("nominating body"), max_length=255, blank=True)
    nominated_on = models.DateField(_("nomination date"))
    nomination_note = models.TextField(_("nomination note"), blank=True)
    # The cell's decision to put the person on the sympathiser list
    sympathiser_meeting_on = models.DateField(_("cell meeting that listed the person"), null=True, blank=True)
    sympathiser_note = models.TextField(_("note of that meeting"), blank=True)

    # Special paths checked by the eligibility rules (domain.md §2)
    education_exception = models.CharField(
        _("education exception"), max_length=20, choices=EducationException.choices, default=EducationException.NONE
    )
    # Follows the person's recorded earlier memberships (`admission.party.models.earlier`), kept in step by the
    # services that record them; stored for the statistics and the admission snapshot.
    is_readmission = models.BooleanField(_("re-admission"), default=False)
    political_review = models.BooleanField(
        _("political history to review (58-QĐ/TW)"),
        default=False,
        help_text=_("Relatives abroad, links to the former regime…: the consent of the level named in 58-QĐ/TW."),
    )
    decision_extension_reason = models.TextField(_("reason for extending the decision deadline"), blank=True)
    history = HistoricalRecords(excluded_fields=["state"])

    class Meta:
        ordering = ["-opened_on", "code"]
        verbose_name = _("candidate case")
        verbose_name_plural = _("candidate cases")
        constraints = [
            models.UniqueConstraint(fields=["person", "attempt"], name="one_attempt_number_per_person"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(
                    state__in=[
                        "nominated",
                        "sympathiser",
                        "in_training",
                        "trained",
                        "dossier",
                        "proposed",
                        "admitted",
                        "probationary",
                    ]
                ),
                name="one_open_case_per_person",
            ),
        ]
        indexes = [
            # The reports read one period of one subtree: the cell first, then the date (issue 16).
            models.Index(fields=["cell", "nominated_on"], name="candidate_cell_nominated"),
            models.Index(fields=["cell", "sympathiser_meeting_on"], name="candidate_cell_listed"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.person}"

    @property
    def is_open(self) -> bool:
        return self.state in CandidateState.open_states()

    def current_certificate(self, on: date | None = None) -> AwarenessCertificate | None:
        from admission.party.permissions import today
        from admission.rules.compute import document_validity
        from admission.sourcing.models.training import AwarenessCertificate

        day = on or today()
        for cert in AwarenessCertificate.objects.filter(person=self.person, issued_on__lte=day).order_by("-issued_on"):
            if document_validity(rule_set=self.rule_set, document="certificate", issued_on=cert.issued_on).valid_on(
                day
            ):
                return cert
        return None

    # Transitions. Each is called only by a service, inside its transaction, with `by=` and `description=`.
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CandidateState.NOMINATED, target=CandidateState.SYMPATHISER, permission=_can_act)
    def list_as_sympathiser(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CandidateState.SYMPATHISER, target=CandidateState.IN_TRAINING)
    def start_training(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CandidateState.IN_TRAINING, target=CandidateState.SYMPATHISER)
    def stop_training(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[CandidateState.SYMPATHISER, CandidateState.IN_TRAINING],
        target=CandidateState.TRAINED,
        conditions=[_has_valid_certificate],
    )
    def complete_training(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=CandidateState.TRAINED,
        target=CandidateState.DOSSIER,
        conditions=[_has_valid_certificate],
        permission=_can_act,
    )
    def open_dossier(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CandidateState.DOSSIER, target=CandidateState.PROPOSED, permission=_can_act)
    def propose(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CandidateState.PROPOSED, target=CandidateState.DOSSIER)
    def send_back(self, *, by: Any = None, description: str = "") -> None:
        pass

    # Back to the course (an expired certificate, domain.md §2.3): the dossier is kept; the case goes forward again
    # through a new enrollment and certificate. Called only by `admission.decisions.services.send_back`, which
    # checks the body whose turn it is (or a body above it).
    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[CandidateState.TRAINED, CandidateState.DOSSIER, CandidateState.PROPOSED],
        target=CandidateState.SYMPATHISER,
    )
    def return_to_course(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CandidateState.PROPOSED, target=CandidateState.ADMITTED)
    def admit(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CandidateState.PROPOSED, target=CandidateState.NOT_ADMITTED)
    def refuse(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CandidateState.ADMITTED, target=CandidateState.PROBATIONARY, permission=_can_act)
    def start_probation(self, *, by: Any = None, description: str = "") -> None:
        pass

    # After probation: only `admission.probation.services` calls these, once the competent body has decided.
    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=CandidateState.PROBATIONARY,
        target=CandidateState.OFFICIAL,
        conditions=[_probation_has_ended],
    )
    def recognise(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CandidateState.PROBATIONARY, target=CandidateState.REMOVED)
    def remove(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=CandidateState.PROBATIONARY, target=CandidateState.TRANSFERRED_OUT, permission=_can_act
    )
    def transfer_away(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=CandidateState.before_admission(), target=CandidateState.WITHDRAWN, permission=_can_act
    )
    def withdraw(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=CandidateState.before_admission(), target=CandidateState.NOT_ADMITTED, permission=_can_act
    )
    def close_not_admitted(self, *, by: Any = None, description: str = "") -> None:
        pass


class Mentor(models.Model):
    """An official member assigned to help and educate the candidate (dated, replaceable)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="mentors")
    member = models.ForeignKey(Membership, verbose_name=_("member"), on_delete=models.PROTECT, related_name="mentees")
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "assigned_on"]
        verbose_name = _("helping member")
        verbose_name_plural = _("helping members")

    def __str__(self) -> str:
        return f"{self.member.person} → {self.candidate.person}"


class ReviewNote(models.Model):
    """The cell's periodic review of a person on the sympathiser list."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="review_notes")
    reviewed_on = models.DateField(_("reviewed on"))
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "-reviewed_on"]
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")

    def __str__(self) -> str:
        return f"{self.candidate.code} {self.reviewed_on:%d/%m/%Y}"
