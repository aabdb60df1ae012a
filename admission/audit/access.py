"""Who read a person's personal data: one small insert per successful read.

Pages and API endpoints are logged by `PersonalDataAccessMiddleware`, keyed on the URL route rather than on each
view: every route under `candidates/<int:pk>/` (the case, its dossier, CV and relatives, scans, documents,
probation, history, in the pages and in the API), `members/person/<int:pk>/` and `people/<int:pk>/` (the person),
the workflow engine's process pages (`<int:process_pk>/`), and any route another layer registers
(`register_route`). A new view under one of those routes is logged without anyone remembering to, and
`tests/admission/audit/test_access_log.py` fails when a route that names a case or a person escapes the rules.
Only answers with data are logged (2xx); a 404 leaves no row. A person reading their own data is not logged.

Exports that carry citizen IDs (`admission.imports`) log one row per person exported, with the reason asked for,
through `access_record_many`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch
from django.utils import timezone

from admission.audit.models import PersonalDataRead, ReadKind
from admission.core.request_cache import per_request
from admission.party.models.people import Person
from admission.probation.models import ProbationTransfer
from admission.sourcing.models.candidates import Candidate

# (person id, the person's own login, case id or None)
Subject = tuple[int, int | None, int | None]

# A path parameter whatever its converter and name (`<int:pk>`, `<id:candidate_id>`): the name is captured.
_PARAM = r"<(?:\w+:)?(?P<param>\w+)>/"
_CASE_ROUTE = re.compile(r"(^|/)(candidates|ho-so-cua-toi|ma-tra-cuu)/" + _PARAM)
_PERSON_ROUTE = re.compile(r"(^|/)(members/person|people)/" + _PARAM)
_TRANSFER_ROUTE = re.compile(r"(^|/)probation-transfers/" + _PARAM)
_PROCESS_ROUTE = re.compile(r"(^|/)<(?:\w+:)?(?P<param>process_pk)>/")
_ADMIN_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/")
# The reads page itself shows who read, not the person's data.
NOT_PERSONAL_VIEWS = frozenset({"admission:members:person_reads"})
_WHAT = (
    ("curriculum", ReadKind.CV),
    ("/scans/", ReadKind.SCAN),
    ("/documents/", ReadKind.DOCUMENT),
    ("/tai-lieu/", ReadKind.DOCUMENT),
    ("/dossier/", ReadKind.DOSSIER),
    ("/probation", ReadKind.PROBATION),
    ("/history/", ReadKind.HISTORY),
)


@dataclass(frozen=True)
class RouteSubject:
    """A route pattern whose answers show one case's data, and how to find the case from the value of the path
    parameter the pattern captures as `param`."""

    pattern: re.Pattern[str]
    case_id: Callable[[Any], int | None]


def _process_case(process_pk: Any) -> int | None:
    """The case behind a workflow engine page (`<int:process_pk>/`): every flow's artifact is the Candidate. The
    engine's Process is looked up by label so that the domain still never imports the engine."""
    try:
        process = apps.get_model("viewflow", "Process")
    except LookupError:
        return None
    row = (
        process._default_manager.filter(pk=process_pk)
        .values_list("artifact_content_type__app_label", "artifact_content_type__model", "artifact_object_id")
        .first()
    )
    return row[2] if row and row[:2] == ("admission", "candidate") else None


def _transfer_case(transfer_pk: Any) -> int | None:
    return ProbationTransfer.objects.filter(pk=transfer_pk).values_list("probation__candidate_id", flat=True).first()


_ROUTES: list[RouteSubject] = [
    RouteSubject(_PROCESS_ROUTE, _process_case),
    RouteSubject(_TRANSFER_ROUTE, _transfer_case),
]


def register_route(pattern: str, case_id: Callable[[Any], int | None]) -> None:
    """Log reads on the routes matching `pattern` (a regular expression over the route that captures the path
    parameter naming the object as `param`) as reads of the case `case_id(value)` returns."""
    _ROUTES.append(RouteSubject(re.compile(pattern), case_id))


def _case_subject(case_id: Any) -> Subject | None:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        return None
    row = per_request(
        ("case_subject", pk),
        lambda: Candidate.objects.filter(pk=pk).values_list("person_id", "person__user_id").first(),
    )
    return (row[0], row[1], pk) if row else None


def _person_subject(person_id: Any) -> Subject | None:
    row = Person.objects.filter(pk=person_id).values_list("pk", "user_id").first()
    return (row[0], row[1], None) if row else None


def _admin_subject(app_label: str, model_name: str, object_id: Any) -> Subject | None:
    """An admin page of a person, a case, or a record that belongs to one (membership, probation, snapshot…)."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    if model is Person:
        return _person_subject(object_id)
    if model is Candidate:
        return _case_subject(object_id)
    names = {f.name for f in model._meta.get_fields() if f.concrete}
    rows = model._default_manager.filter(pk=object_id)
    if "candidate" in names:
        return _case_subject(rows.values_list("candidate_id", flat=True).first())
    if "probation" in names:
        return _case_subject(rows.values_list("probation__candidate_id", flat=True).first())
    if "person" in names:
        return _person_subject(rows.values_list("person_id", flat=True).first())
    return None


def subject_for_route(route: str, kwargs: dict[str, Any]) -> Subject | None:
    """The person (and case) whose data a route shows, or None when it shows nobody's in particular."""
    person = _PERSON_ROUTE.search(route)
    if person is not None:
        return _person_subject(kwargs.get(person.group("param")))
    case = _CASE_ROUTE.search(route)
    if case is not None:
        return _case_subject(kwargs.get(case.group("param")))
    admin = _ADMIN_ROUTE.search(route)
    if admin is not None:
        return _admin_subject(admin.group("app"), admin.group("model"), kwargs.get("object_id"))
    for registered in _ROUTES:
        match = registered.pattern.search(route)
        if match is not None:
            case_id = registered.case_id(kwargs.get(match.group("param")))
            return _case_subject(case_id) if case_id is not None else None
    return None


def names_a_subject(route: str) -> bool:
    """Does this route name a case or a person (whether or not its answers are logged)?"""
    return bool(_PERSON_ROUTE.search(route) or _CASE_ROUTE.search(route) or _ADMIN_ROUTE.search(route)) or any(
        r.pattern.search(route) for r in _ROUTES
    )


def what_for_route(route: str) -> str:
    if _PERSON_ROUTE.search(route) or re.search(r"^admin/\w+/(person|membership|user)/", route):
        return ReadKind.PERSON
    for marker, kind in _WHAT:
        if marker in f"/{route}":
            return kind
    return ReadKind.CASE


def _referer(request: HttpRequest) -> str:
    return request.META.get("HTTP_REFERER", "")[:500]


def _row(request: HttpRequest, *, person_id: int, case_id: int | None, what: str, reason: str = "") -> PersonalDataRead:
    match = request.resolver_match
    return PersonalDataRead(
        at=timezone.now(),
        user_id=request.user.pk,
        username=request.user.get_username()[:150],
        person_id=person_id,
        candidate_id=case_id,
        what=what,
        via_api=request.path.startswith("/api/"),
        view_name=(match.view_name if match else "")[:200],
        path=request.get_full_path()[:500],
        referer=_referer(request),
        reason=reason[:500],
    )


def access_record_many(
    request: HttpRequest, *, subjects: Iterable[tuple[int, int | None]], what: str, reason: str = ""
) -> int:
    """Log one read per (person id, case id) — for an export, every person it carries — with the reason given."""
    rows = [_row(request, person_id=p, case_id=c, what=what, reason=reason) for p, c in subjects]
    PersonalDataRead.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def access_record_route(request: HttpRequest, match: ResolverMatch) -> PersonalDataRead | None:
    """Log the read this answer made, if its route shows a person's data and the reader is someone else."""
    if match.view_name in NOT_PERSONAL_VIEWS:
        return None
    subject = subject_for_route(match.route, match.kwargs)
    if subject is None:
        return None
    person_id, own_login, case_id = subject
    if own_login is not None and own_login == request.user.pk:
        return None
    row = _row(request, person_id=person_id, case_id=case_id, what=what_for_route(match.route))
    row.save(force_insert=True)
    return row


class PersonalDataAccessMiddleware:
    """Log every successful answer of a route that shows a person's data (pages, downloads and the API alike: the
    API's token authentication sets `request.user` too). Placed after the authentication middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if 200 <= response.status_code < 300 and response.status_code != 204 and request.method != "OPTIONS":
            match = getattr(request, "resolver_match", None)
            user = getattr(request, "user", None)
            if match is not None and user is not None and user.is_authenticated:
                access_record_route(request, match)
        return response
