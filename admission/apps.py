from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "admission"
    verbose_name = _("Party admission")

    def ready(self) -> None:
        # The history chain follows every save of the records it covers, in the same transaction.
        from admission.audit import sources
        from admission.core import lookups
        from admission.reports import sync

        lookups.register()  # `__anyof`, `__hasorg`
        sources.connect()
        # The statistics' read model follows the facts it counts, in the same transaction.
        sync.connect()
        _request_memory_follows_writes()


def _request_memory_follows_writes() -> None:
    """A write to what the permission answers are made of ends the request memory; a save of a case ends the step
    memory's copy of it; a save of a membership or a guest period forgets the cells' rosters, and a save of a
    certificate the certificates read (`admission.core.request_cache`)."""
    from django.db.models.signals import post_delete, post_save

    from admission.core import request_cache
    from admission.core.bulk import rows_created_in_bulk
    from admission.decisions.models.decisions import ChainStepRecord
    from admission.party.models.delegations import Delegation
    from admission.party.models.guests import CellGuest
    from admission.party.models.orgs import OrgParentLink, PartyOrg
    from admission.party.models.people import Membership, Person
    from admission.party.models.roles import Role
    from admission.probation.models import ProbationTransfer
    from admission.rules.models.calendar import CalendarOverride
    from admission.rules.models.rulesets import DeadlineRule, DocumentValidityRule, RuleSet, VoteRule
    from admission.sourcing.models.candidates import Candidate
    from admission.sourcing.models.training import AwarenessCertificate

    def spoil(sender: object, **kwargs: object) -> None:
        request_cache.request_spoil()

    watched = (Role, Delegation, PartyOrg, OrgParentLink, Person, ProbationTransfer, CalendarOverride, RuleSet)
    for model in (*watched, VoteRule, DeadlineRule, DocumentValidityRule):
        post_save.connect(spoil, sender=model, dispatch_uid=f"request_memory.save.{model.__name__}", weak=False)
        post_delete.connect(spoil, sender=model, dispatch_uid=f"request_memory.delete.{model.__name__}", weak=False)

    def case_saved(
        sender: object, instance: Candidate, created: bool = False, update_fields: Any = None, **kwargs: object
    ) -> None:
        if created or update_fields is not None:
            # A new case, or some fields written: the instance may differ from the row, read it again.
            request_cache.step_forget(("candidate", instance.pk))
            request_cache.step_forget(("locked_case", instance.pk))
        else:
            # Every field written: the instance is the row as it now stands, and the UPDATE holds the row's lock
            # until the step commits. The flow's nodes and the step's next service share it.
            request_cache.step_keep(("candidate", instance.pk), instance)
            request_cache.step_keep(("locked_case", instance.pk), instance)
        if created:  # a new case may be the user's own (the candidate's view of it)
            request_cache.request_spoil()

    post_save.connect(case_saved, sender=Candidate, dispatch_uid="request_memory.case", weak=False)

    def chain_changed(sender: object, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        for record in [instance] if instance is not None else kwargs.get("objs", []):
            request_cache.step_forget(("chain", record.candidate_id))

    def chain_step_saved(
        sender: object, instance: ChainStepRecord, created: bool = False, update_fields: Any = None, **kwargs: Any
    ) -> None:
        key = ("chain", instance.candidate_id)
        if created or update_fields is not None:
            request_cache.step_forget(key)
            return
        # A step of the chain saved whole: it takes its place in the shared chain (its row locked by the UPDATE).
        chain = request_cache.step_peek(key)
        if chain is None:
            return
        if any(step.pk == instance.pk for step in chain):
            request_cache.step_keep(key, [instance if step.pk == instance.pk else step for step in chain])
        else:
            request_cache.step_forget(key)

    post_save.connect(chain_step_saved, sender=ChainStepRecord, dispatch_uid="request_memory.chain", weak=False)
    post_delete.connect(chain_changed, sender=ChainStepRecord, dispatch_uid="request_memory.chain_del", weak=False)
    rows_created_in_bulk.connect(chain_changed, sender=ChainStepRecord, dispatch_uid="request_memory.chain_bulk")
    post_delete.connect(spoil, sender=Candidate, dispatch_uid="request_memory.case_delete", weak=False)

    def roster_changed(sender: object, **kwargs: object) -> None:
        request_cache.request_close("roster")

    def certificate_changed(sender: object, **kwargs: object) -> None:
        request_cache.request_close("certificate")

    for signal, verb in ((post_save, "save"), (post_delete, "delete")):
        uid = f"request_memory.cert.{verb}"
        signal.connect(certificate_changed, sender=AwarenessCertificate, dispatch_uid=uid, weak=False)

    for roster_model in (Membership, CellGuest):
        for signal, verb in ((post_save, "save"), (post_delete, "delete")):
            uid = f"request_memory.roster.{verb}.{roster_model.__name__}"
            signal.connect(roster_changed, sender=roster_model, dispatch_uid=uid, weak=False)
