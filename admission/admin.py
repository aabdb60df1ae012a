"""The admin: where administrators add rule-set versions, calendar overrides, orgs and roles. History on every page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from admission.decisions.models.snapshots import AdmissionSnapshot
from admission.party.models.orgs import AdmissionAuthority, OrgParentLink, PartyOrg
from admission.party.models.people import MemberExemption, Membership, Person
from admission.party.models.restructuring import RestructuringOperation
from admission.party.models.roles import Role
from admission.party.models.users import User
from admission.probation.models import (
    Probation,
    ProbationDiscipline,
    ProbationRemoval,
    ProbationTransfer,
    RecognitionStep,
)
from admission.rules.models.calendar import CalendarOverride
from admission.rules.models.rulesets import DeadlineRule, DocumentValidityRule, RuleSet, VoteRule
from admission.rules.services import ruleset_copy


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    pass


class ParentLinkInline(admin.TabularInline):
    model = OrgParentLink
    fk_name = "org"
    extra = 0
    readonly_fields = ["parent", "valid_from", "valid_to", "reason"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # restructure through the services, which keep the path in step


class AuthorityInline(admin.TabularInline):
    model = AdmissionAuthority
    fk_name = "org"
    extra = 0


# The tree's links (superior, founding, dissolution, merger) change only through a restructuring operation: the
# organisation board's screen previews the cases and members it touches, records who, when and why, and moves
# the waiting steps to the successors. The admin shows them and points there.
TREE_FIELDS = ["parent", "path", "valid_to", "merged_into", "restructure"]


@admin.register(PartyOrg)
class PartyOrgAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "code", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    inlines = [ParentLinkInline, AuthorityInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return TREE_FIELDS
        return [*TREE_FIELDS, "valid_from", "kind"]

    @admin.display(description=_("Restructuring"))
    def restructure(self, obj: PartyOrg) -> str:
        if obj is None or obj.pk is None:
            return ""
        url = reverse("admission:orgs:restructure", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Merge, dissolve, move or rename on the restructuring screen"))


@admin.register(RestructuringOperation)
class RestructuringOperationAdmin(SimpleHistoryAdmin):
    """The record of each restructuring: read only (operations are asked for and applied on the screen)."""

    list_display = ["org", "kind", "target", "effective_on", "status", "owner_org", "requested_by", "applied_at"]
    list_filter = ["kind", "status"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in RestructuringOperation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdmissionAuthority)
class AdmissionAuthorityAdmin(SimpleHistoryAdmin):
    list_display = ["org", "deciding_body", "valid_from", "valid_to", "decision_number"]
    list_filter = ["deciding_body"]
    autocomplete_fields = ["org", "granted_by"]


class VoteRuleInline(admin.TabularInline):
    model = VoteRule
    extra = 0


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    extra = 0


class ValidityRuleInline(admin.TabularInline):
    model = DocumentValidityRule
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = ["code", "effective_from", "status", "applies_to_open_cases", "locked"]
    inlines = [VoteRuleInline, DeadlineRuleInline, ValidityRuleInline]
    actions = ["copy_as_new_version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A rule set used by a case is evidence: it is never edited, a new version is added instead.
        if obj is not None and obj.locked:
            return [f.name for f in obj._meta.fields]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(obj is None or not obj.locked) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Copy as a new draft version"))
    def copy_as_new_version(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        for rule_set in queryset:
            copy = ruleset_copy(source=rule_set)
            self.message_user(
                request, _("Draft %(code)s created: set its code, dates and values.") % {"code": copy.code}
            )
        if not queryset:
            self.message_user(request, _("Choose a rule set to copy."), messages.WARNING)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_working_day", "name", "source"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["cell"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "date_of_birth", "sex", "ethnicity"]
    search_fields = ["full_name", "citizen_id"]
    inlines = [MembershipInline]


class ExemptionInline(admin.TabularInline):
    model = MemberExemption
    extra = 0


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "cell", "admitted_on", "official_on", "joined_cell_on", "left_cell_on"]
    search_fields = ["person__full_name"]
    autocomplete_fields = ["person", "cell"]
    inlines = [ExemptionInline]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "org", "starts_on", "ends_on"]
    list_filter = ["kind"]
    autocomplete_fields = ["user", "org"]
    search_fields = ["user__username", "org__name"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from admission.party.services.roles import role_permissions_sync

        super().save_model(request, obj, form, change)
        role_permissions_sync(user=obj.user)


class RecognitionStepInline(admin.TabularInline):
    model = RecognitionStep
    extra = 0
    can_delete = False
    fields = readonly_fields = ("round", "order", "form", "org", "status", "document_number", "done_on")


@admin.register(Probation)
class ProbationAdmin(SimpleHistoryAdmin):
    # Read-mostly: probations change through `admission.probation.services`, which keeps the case's state in step.
    list_display = ["candidate", "starts_on", "ends_on", "status", "escalated_on"]
    list_filter = ["status"]
    search_fields = ["candidate__person__full_name", "candidate__code"]
    readonly_fields = ["candidate", "ceremony", "membership", "starts_on", "months", "ends_on", "status"]
    inlines = [RecognitionStepInline]


for _model in (ProbationRemoval, ProbationTransfer, ProbationDiscipline):
    admin.site.register(_model, SimpleHistoryAdmin)


@admin.register(AdmissionSnapshot)
class AdmissionSnapshotAdmin(admin.ModelAdmin):
    # Written once by admission.decisions.services.snapshots when the decision is recorded; never edited (the
    # statistics).
    list_display = ["candidate", "decided_on", "cell", "sex", "ethnicity", "occupation", "age_months"]
    list_filter = ["decided_on"]
    search_fields = ["candidate__code", "candidate__person__full_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
