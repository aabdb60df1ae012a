"""Forms of the admission-dossier screens (1-KNĐ to 5-KNĐ, the stamp, the verification).

They check the shape of the input (dates, numbers, choices within the user's units, the scan's type and size) and
hand clean data to one service of `admission.dossier.services`, which checks the rules and the permission again.
Rows the applicant declares (family, work history, organisations consulted) are formsets: the saved rows plus a few
empty lines; an empty line is ignored, a ticked "Remove" drops the row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext_lazy as _

from admission.core.bounds import MAX_COUNT
from admission.core.uploads import validate_scan
from admission.dossier.models import (
    SCAN_EXTENSIONS,
    CheckMethod,
    CheckResult,
    Curriculum,
    MassOrgKind,
    OpinionSummary,
    Relation,
)
from admission.party import permissions
from admission.party.models.guests import CellGuest
from admission.party.models.people import Membership
from admission.sourcing.forms import DATE_FORMAT, date_field

# Empty lines offered under the saved rows of a formset; "Save and add more lines" brings the form back with more.
BLANK_LINES = 2
SCAN_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
MONTH_YEAR = re.compile(r"^(\d{1,2}/)?\d{4}$")


def _text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ScanForm(forms.Form):
    """Adds the optional scan (PDF, JPEG or PNG, checked by its content and size) to a form."""

    scan = forms.FileField(
        label=_("Scan (PDF, JPEG or PNG)"),
        required=False,
        help_text=_("A photo taken with the phone is fine. Leave empty to keep the scan already recorded."),
        widget=forms.FileInput(attrs={"accept": SCAN_ACCEPT}),
    )

    def clean_scan(self) -> UploadedFile | None:
        scan: UploadedFile | None = self.cleaned_data.get("scan")
        if not scan:
            return None
        # The name's extension is checked too: the stored file keeps it, and a viewer opens the file by it.
        if Path(scan.name or "").suffix.lower().lstrip(".") not in SCAN_EXTENSIONS:
            raise forms.ValidationError(_("Only PDF, JPEG or PNG scans are accepted."))
        validate_scan(scan)
        return scan


class ApplicationForm(ScanForm):
    written_on = date_field(_("Written on (date on the application)"))
    received_on = date_field(_("Received by the cell on"))

    field_order = ["written_on", "received_on", "scan"]


# ------------------------------------------------------------------------------------------------------------------
# The CV (2-KNĐ) with its rows
# ------------------------------------------------------------------------------------------------------------------


class CurriculumForm(ScanForm):
    declared_on = date_field(_("Date of the CV"))
    name_in_use = forms.CharField(label=_("Name in use"), max_length=120)
    birth_name = forms.CharField(label=_("Birth name (if different)"), max_length=120, required=False)
    alias = forms.CharField(label=_("Other names"), max_length=120, required=False)
    place_of_birth = forms.CharField(label=_("Place of birth"), max_length=255, required=False)
    hometown = forms.CharField(label=_("Hometown (as on the ID card)"), max_length=255)
    permanent_residence = forms.CharField(label=_("Permanent residence"), max_length=255)
    temporary_residence = forms.CharField(label=_("Temporary residence"), max_length=255, required=False)
    youth_union_joined_on = date_field(_("Joined the Youth Union on"), required=False)
    youth_union_joined_at = forms.CharField(label=_("Joined the Youth Union at"), max_length=255, required=False)
    self_assessment = forms.CharField(label=_("Self-assessment"), required=False, widget=_text_area(4))
    pledge_on = date_field(_("Pledge signed on"), required=False)

    field_order = [
        "declared_on",
        "name_in_use",
        "birth_name",
        "alias",
        "place_of_birth",
        "hometown",
        "permanent_residence",
        "temporary_residence",
        "youth_union_joined_on",
        "youth_union_joined_at",
        "self_assessment",
        "pledge_on",
        "scan",
    ]


class WorkHistoryLineForm(forms.Form):
    start = forms.CharField(
        label=_("From (mm/yyyy)"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    end = forms.CharField(
        label=_("To (mm/yyyy, empty if still so)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    what = forms.CharField(label=_("What the applicant did, where"), max_length=500)

    def _month(self, name: str) -> str:
        value: str = self.cleaned_data.get(name, "").strip()
        if value and not MONTH_YEAR.match(value):
            raise forms.ValidationError(_("Write the month as mm/yyyy, or the year alone."))
        return value

    def clean_start(self) -> str:
        return self._month("start")

    def clean_end(self) -> str:
        return self._month("end")


# A child is verified only with full civil capacity; the service decides from the year of birth unless told.
ADULT_CHOICES = [
    ("", _("By the year of birth")),
    ("yes", _("Yes")),
    ("no", _("No")),
]


class RelativeForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=[("", "—"), *Relation.choices])
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        min_value=1880,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    hometown = forms.CharField(label=_("Hometown"), max_length=255, required=False)
    residence = forms.CharField(label=_("Residence"), max_length=255, required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=255, required=False)
    political_history = forms.CharField(label=_("Political history"), required=False, widget=_text_area(2))
    is_adult = forms.TypedChoiceField(
        label=_("Full civil capacity (children)"),
        choices=ADULT_CHOICES,
        required=False,
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)
    fully_declared = forms.BooleanField(
        label=_("Declared fully and truthfully"),
        required=False,
        help_text=_("A party-member relative declared fully is not verified (06-HD/TW item 3.4.c)."),
    )


class OrganisationOpinionForm(forms.Form):
    name = forms.CharField(label=_("Organisation consulted"), max_length=255)
    met_on = date_field(_("Meeting date"), required=False)
    participants = forms.IntegerField(
        label=_("Participants"),
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    strengths = forms.CharField(label=_("Strengths"), required=False, widget=_text_area(2))
    weaknesses = forms.CharField(label=_("Weaknesses"), required=False, widget=_text_area(2))


class RowsFormSet(BaseFormSet):
    """Rows with a plainly named removal box."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this line")


def _rows(form: type[forms.Form], max_num: int) -> type[BaseFormSet]:
    return forms.formset_factory(
        form, formset=RowsFormSet, extra=BLANK_LINES, can_delete=True, max_num=max_num, validate_max=True
    )


WorkHistoryFormSet = _rows(WorkHistoryLineForm, 60)
RelativeFormSet = _rows(RelativeForm, 40)
OrganisationFormSet = _rows(OrganisationOpinionForm, 20)


def formset_rows(formset: BaseFormSet) -> list[dict[str, Any]]:
    """The kept rows: filled in, not ticked for removal; the DELETE flag itself is dropped."""
    rows = []
    for form in formset.forms:
        if not form.cleaned_data or form.cleaned_data.get("DELETE"):
            continue
        rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
    return rows


class RowsSection:
    """One formset of an editor, with what the template needs to title it."""

    def __init__(self, formset: BaseFormSet, *, title: Any, help_text: Any, row_label: Any) -> None:
        self.formset = formset
        self.title = title
        self.help_text = help_text
        self.row_label = row_label


class Editor:
    """A form and its row formsets, validated and cleaned together."""

    def __init__(self, form: forms.Form, sections: Mapping[str, RowsSection]) -> None:
        self.form = form
        self.sections = dict(sections)

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for section in self.sections.values():
            valid = section.formset.is_valid() and valid
        return valid

    def add_error(self, field: str | None, error: Any) -> None:
        self.form.add_error(field, error)


def _bound(data: Any, files: Any) -> dict[str, Any]:
    return {"data": data, "files": files} if data is not None else {}


class CurriculumEditor(Editor):
    def __init__(self, data: Any = None, files: Any = None, *, curriculum: Curriculum | None, name: str) -> None:
        if curriculum is not None:
            initial: dict[str, Any] = {f: getattr(curriculum, f) for f in CurriculumForm.base_fields if f != "scan"}
            work = [
                {"start": r.get("from", ""), "end": r.get("to", ""), "what": r.get("what", "")}
                for r in curriculum.work_history
            ]
            family = [
                {
                    "relation": r.relation,
                    "full_name": r.full_name,
                    "birth_year": r.birth_year,
                    "hometown": r.hometown,
                    "residence": r.residence,
                    "occupation": r.occupation,
                    "political_history": r.political_history,
                    "is_adult": "yes" if r.is_adult else "no",
                    "is_party_member": r.is_party_member,
                    "fully_declared": r.fully_declared,
                }
                for r in curriculum.relatives.all()
            ]
        else:
            initial, work, family = {"name_in_use": name, "declared_on": permissions.today()}, [], []
        super().__init__(
            CurriculumForm(initial=initial, **_bound(data, files)),
            {
                "relatives": RowsSection(
                    RelativeFormSet(prefix="relatives", initial=family, **_bound(data, None)),
                    title=_("Family (parents, parents-in-law, spouse, children, brothers and sisters)"),
                    help_text=_(
                        "Parents, parents-in-law or the person who raised the applicant, the spouse and adult children "
                        "are verified; brothers and sisters are declared but not verified."
                    ),
                    row_label=_("Relative"),
                ),
                "work_history": RowsSection(
                    WorkHistoryFormSet(prefix="work", initial=work, **_bound(data, None)),
                    title=_("Personal and work history"),
                    help_text=_("One line per period, oldest first."),
                    row_label=_("Period"),
                ),
            },
        )

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.form.cleaned_data)
        data["relatives"] = formset_rows(self.sections["relatives"].formset)
        data["work_history"] = [
            {"from": r["start"], "to": r["end"], "what": r["what"]}
            for r in formset_rows(self.sections["work_history"].formset)
        ]
        return data


class SealForm(forms.Form):
    sealed_on = date_field(_("Stamped across the page joins on"))


class CertificationForm(forms.Form):
    cell_comment = forms.CharField(label=_("Comment of the cell committee"), required=False, widget=_text_area(4))
    cell_commented_on = date_field(_("Date of the comment"), required=False)
    committee_certification = forms.CharField(
        label=_("Certification of the grassroots committee"), required=False, widget=_text_area(4)
    )
    committee_certified_on = date_field(_("Date of the certification"), required=False)


class CheckRequestForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=CheckMethod.choices, widget=forms.RadioSelect)
    request_sent_on = date_field(_("Sent on"))
    addressed_to = forms.CharField(
        label=_("Sent to (committee where the person lives or works)"), max_length=255, required=False
    )


class CheckReplyForm(ScanForm):
    reply_received_on = date_field(_("Reply received on"))
    result = forms.ChoiceField(label=_("Result"), choices=CheckResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"), required=False, widget=_text_area(3), help_text=_("Required when concerns are raised.")
    )

    field_order = ["reply_received_on", "result", "note", "scan"]


# ------------------------------------------------------------------------------------------------------------------
# 3-KNĐ, 4-KNĐ, 5-KNĐ
# ------------------------------------------------------------------------------------------------------------------


class IntroducerField(forms.ModelChoiceField):
    """Current members of the user's cells, each shown with their status today so the choice explains itself."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.official_on and obj.official_on <= permissions.today():
            status = str(_("official member since %(day)s") % {"day": obj.official_on.strftime(DATE_FORMAT)})
        else:
            status = str(_("probationary member"))
        return f"{obj.person.full_name} — {obj.cell.name} ({status})"


def introducer_choices(user: Any) -> QuerySet[Membership]:
    """Members of the units in scope, and the guests of their cells (whom the checks accept only where the rule set
    lets guests introduce)."""
    today = permissions.today()
    guests = CellGuest.objects.filter(permissions.scope_q(user, field="host_cell__path")).active_on(today)
    return (
        Membership.objects.active_on(today)
        .filter(permissions.scope_q(user, field="cell__path") | Q(pk__in=guests.values("membership")))
        .select_related("person", "cell")
        .order_by("cell__name", "person__full_name")
    )


class IntroductionForm(ScanForm):
    introducer = IntroducerField(
        label=_("Introducer (official member)"),
        queryset=Membership.objects.none(),
        help_text=_("An official member who has worked, studied or lived with the applicant in the same unit."),
    )
    worked_together_from = date_field(_("Worked or lived together from"))
    worked_together_to = date_field(
        _("Until"), required=False, help_text=_("Empty while they still work or live together.")
    )
    written_on = date_field(_("Introduction written on"))

    field_order = ["introducer", "worked_together_from", "worked_together_to", "written_on", "scan"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        introducer = self.fields["introducer"]
        assert isinstance(introducer, forms.ModelChoiceField)
        introducer.queryset = introducer_choices(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("worked_together_from"), data.get("worked_together_to")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("worked_together_to", _("The period worked together cannot end before it starts."))
        return data


class IntroductionReplaceForm(IntroductionForm):
    reason = forms.CharField(
        label=_("Why the introducer is replaced"),
        max_length=255,
        help_text=_("For example: moved to another unit, disciplined."),
    )

    field_order = ["reason", "introducer", "worked_together_from", "worked_together_to", "written_on", "scan"]


class MassOrgResolutionForm(ScanForm):
    kind = forms.ChoiceField(label=_("Organisation"), choices=MassOrgKind.choices, widget=forms.RadioSelect)
    body_name = forms.CharField(label=_("Executive committee"), max_length=255)
    number = forms.CharField(label=_("Number of the resolution"), max_length=60)
    adopted_on = date_field(_("Adopted on"))

    field_order = ["kind", "body_name", "number", "adopted_on", "scan"]


class OpinionsForm(ScanForm):
    compiled_on = date_field(_("Compiled on"))
    residence_cell = forms.CharField(label=_("Cell or committee where the applicant lives"), max_length=255)
    residence_opinion = forms.CharField(label=_("Its opinion"), widget=_text_area(4))
    synthesis = forms.CharField(label=_("The cell committee's synthesis"), required=False, widget=_text_area(4))

    field_order = ["compiled_on", "residence_cell", "residence_opinion", "synthesis", "scan"]


class OpinionsEditor(Editor):
    def __init__(self, data: Any = None, files: Any = None, *, summary: OpinionSummary | None) -> None:
        if summary is not None:
            initial: dict[str, Any] = {f: getattr(summary, f) for f in OpinionsForm.base_fields if f != "scan"}
            rows = [
                {**row, "met_on": date.fromisoformat(row["met_on"]) if row.get("met_on") else None}
                for row in summary.organisations
            ]
        else:
            initial, rows = {"compiled_on": permissions.today()}, []
        super().__init__(
            OpinionsForm(initial=initial, **_bound(data, files)),
            {
                "organisations": RowsSection(
                    OrganisationFormSet(prefix="orgs", initial=rows, **_bound(data, None)),
                    title=_("Organisations where the applicant works"),
                    help_text=_("The Youth Union, the trade union, the Women's Union… each with its meeting."),
                    row_label=_("Organisation"),
                )
            },
        )

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.form.cleaned_data, "organisations": formset_rows(self.sections["organisations"].formset)}
