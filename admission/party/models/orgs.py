"""The party hierarchy, as it was on every date.

Restructuring (2025 commune reform, 2026 dissolution of partial committees) must never rewrite history: an org
row is never deleted or re-parented in place. `OrgParentLink` keeps every parent an org has had with its dates;
`PartyOrg.parent` and `PartyOrg.path` mirror the *current* link only so that "this user's subtree" is one indexed
prefix query. Both are written by `admission.party.services.orgs` alone.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrgKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("Provincial party committee")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune/ward party committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    SUB_GRASSROOTS_COMMITTEE = "sub_grassroots_committee", _("Sub-grassroots party committee")
    PARTIAL_COMMITTEE = "partial_committee", _("Partial party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")
    CELL = "cell", _("Party cell")

    @classmethod
    def cell_kinds(cls) -> tuple[str, ...]:
        return (cls.GRASSROOTS_CELL, cls.CELL)


class DecidingBody(models.TextChoices):
    """Which body of an org decides admissions and recognitions (domain.md §1.4, enum `DecidingBody`)."""

    AUTHORISED_GRASSROOTS_COMMITTEE = "authorised_grassroots_committee", _("Grassroots committee authorised to admit")
    SUPERIOR_STANDING_COMMITTEE = "superior_standing_committee", _("Standing committee of the superior committee")
    PROVINCIAL_STANDING_BODY = "provincial_standing_body", _("Standing office of the provincial committee")
    ARMED_FORCES_SPECIAL = "armed_forces_special", _("Armed forces special rules")
    GRASSROOTS_STANDING_COMMITTEE_2026 = (
        "grassroots_standing_committee_2026",
        _("Standing committee of the grassroots committee (2026 model)"),
    )


class PartyOrgQuerySet(models.QuerySet["PartyOrg"]):
    def existing_on(self, day: date) -> PartyOrgQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )

    def cells(self) -> PartyOrgQuerySet:
        return self.filter(kind__in=OrgKind.cell_kinds())

    def subtree_of(self, org: PartyOrg) -> PartyOrgQuerySet:
        return self.filter(path__startswith=org.path)


def path_ancestor_ids(path: str) -> list[int]:
    """The ids above the last one of a materialised path ("/1/7/42/" → [1, 7]), root first."""
    return [int(part) for part in path.strip("/").split("/")[:-1] if part]


class PartyOrg(models.Model):
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Party organisation code, e.g. 22.101.003.000.012 (province.superior.grassroots.sub.cell)."),
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    # Current parent and materialised path (ids joined by "/"), mirrors of the open OrgParentLink.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("current parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=400, db_index=True, editable=False, default="")
    valid_from = models.DateField(_("founded on"), null=True, blank=True)
    valid_to = models.DateField(
        _("dissolved on"), null=True, blank=True, help_text=_("First day on which the organisation no longer exists.")
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    place_name = models.CharField(
        _("place name for documents"), max_length=100, blank=True, help_text=_("Written before the date, e.g. Hạ Long.")
    )
    history = HistoricalRecords()

    objects = PartyOrgQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        # Granted per org by admission.party.services.roles (django-guardian), never globally: it drives the
        # viewflow queues.
        permissions = [("act_for_org", "Can act for this party organisation")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="partyorg_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cell(self) -> bool:
        return self.kind in OrgKind.cell_kinds()

    def exists_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)

    def ancestor_ids(self) -> list[int]:
        """Ids of the current ancestors, nearest last, read from the path (no query)."""
        return path_ancestor_ids(self.path)


class OrgParentLink(models.Model):
    """One period during which `org` sat under `parent`. The open link (valid_to is null) is the current one."""

    org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="child_links")
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until (exclusive)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["org", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["org"], condition=Q(valid_to__isnull=True), name="one_open_parent_link"),
        ]

    def __str__(self) -> str:
        return f"{self.org} → {self.parent}"

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


class AdmissionAuthority(models.Model):
    """Which body of this org decides admissions, over a period (domain.md §1.4).

    Orgs without a row fall back to the default of their kind (see `admission.party.hierarchy`): a commune committee's
    standing committee decides for the grassroots orgs below it, a provincial committee's standing office for
    grassroots orgs directly under it, a grassroots committee only proposes (8-KNĐ). A delegation to a grassroots
    committee (được ủy quyền kết nạp) is a row of kind AUTHORISED_GRASSROOTS_COMMITTEE with its decision number.
    """

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="authorities"
    )
    deciding_body = models.CharField(_("deciding body"), max_length=40, choices=DecidingBody.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until (exclusive)"), null=True, blank=True)
    granted_by = models.ForeignKey(
        PartyOrg,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="granted_authorities",
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["org", "valid_from"]
        verbose_name = _("admission authority")
        verbose_name_plural = _("admission authorities")

    def __str__(self) -> str:
        return f"{self.org}: {self.get_deciding_body_display()}"

    def clean(self) -> None:
        if self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("The end date must be after the start date.")})
        if self.deciding_body == DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE and not self.decision_number:
            raise ValidationError(
                {"decision_number": _("A delegation of admission power needs the number of the decision granting it.")}
            )

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)
