"""The generic leak probe: every URL pattern of the site (pages, downloads, the flow apps, the API, the admin), its path
parameters filled with objects of ANOTHER unit, requested by users of other units, a sibling cell's secretary, a
candidate and an anonymous visitor, on the demo province.

What must hold:
- a route naming a foreign object answers 404 (405 for a method it does not take) — never 2xx, never 403 (which
  would confirm the object exists); the workflow engine's own pages (/app/sourcing/…, /app/admissioncase/…,
  /app/probation/…) are for administrators, so 403 is accepted there; the admin sends non-staff to its login;
  an anonymous visitor is sent to the login page (or refused) whatever the object;
- a route with no object (lists, reports, dashboards, the work page, downloads) may answer 2xx, but nothing in the
  answer — HTML, JSON, CSV, XLSX or PDF text — may carry a name, citizen ID or case code of the other unit, and an
  `?org=` of another unit is a 404.

The demo is seeded once for the module (rolled back at the end); each test is one user.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from pypdf import PdfReader

from admission.audit.models import PersonalDataRead
from admission.decisions.models.decisions import ChainStepRecord
from admission.dossier.models import Application, BackgroundCheck, Introduction
from admission.party.models.delegations import Delegation
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Person
from admission.party.models.users import User
from admission.probation.models import (
    Probation,
    ProbationRemoval,
    ProbationTransfer,
    RecognitionStep,
    TransferStatus,
)
from admission.sourcing.models.candidates import Candidate, Mentor
from admission.sourcing.models.plans import SourcingPlan
from admission.sourcing.models.training import AwarenessCourse
from notifications.models import Notification

ENGINE = ("app/sourcing/", "app/admissioncase/", "app/probation/")
# Logging out would end the walk; the rest take no object of ours. Regular-expression routes (the admin's catch-all
# redirect) are skipped too.
SKIP = ("accounts/logout/", "accounts/reset/", "i18n/setlang/", "static/", "media/")
NOT_FOUND = "999999"
# The user's own things (remembered browsers, tokens), filled with an id that is nobody's: forgetting one that is not
# there may simply return to the list.
OWN_OBJECTS = ("accounts/security/",)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo province and its cases, seeded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", verbosity=0, stdout=io.StringIO())
            call_command("seed_demo_cases", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ------------------------------------------------------------------------------------------------------------------
# The other unit's objects, and what of them must never show
# ------------------------------------------------------------------------------------------------------------------


@dataclass
class Foreign:
    """What a user must not reach: cases, people and orgs outside their scope, and the markers of their data."""

    cases: list[Candidate]
    orgs: list[PartyOrg]
    people: list[Person]
    markers: re.Pattern[str] | None = None
    objects: dict[str, Any] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict)

    def case_for(self, route: str) -> Candidate:
        """The foreign case that has what the route is about (a probation, a dossier), else the first one."""
        key = "probation" if ("probation" in route or "helpers" in route or "transfer" in route) else "main"
        if key not in self.cache:
            with_probation = [c for c in self.cases if hasattr(c, "probation")]
            with_votes = [c for c in self.cases if c.chain_steps.exists()]
            if key == "probation" and with_probation:
                self.cache[key] = with_probation[0]
            else:
                self.cache[key] = with_votes[0] if with_votes else self.cases[0]
        return self.cache[key]

    def remember(self, key: Any, make: Any) -> Any:
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


def _unique_names(people: list[Person]) -> list[str]:
    names = [p.full_name for p in people]
    counts = dict(
        Person.objects.filter(full_name__in=names)
        .values_list("full_name")
        .annotate(n=Count("pk"))
        .values_list("full_name", "n")
    )
    return [n for n in names if counts.get(n) == 1 and len(n) > 8]


def foreign_for(*, cases: Any, people: Any, orgs: Any, org_names: bool = True, named_elsewhere: Any = ()) -> Foreign:
    """`named_elsewhere`: orgs of the unit whose names the user may read (the cell a probationer moves from)."""
    cases = list(cases.select_related("person", "cell").order_by("pk"))
    people = list(people.order_by("pk"))
    orgs = list(orgs.order_by("path"))
    everyone = [*people, *(c.person for c in cases)]
    # Officials' names count too: the delegation form offers substitutes from the user's own units and the units
    # beside them only, never from another commune.
    markers = [c.code for c in cases] + [p.citizen_id for p in everyone if p.citizen_id] + _unique_names(everyone)
    if org_names:
        shown = {o.pk for o in named_elsewhere}
        markers += [o.name for o in orgs if o.pk not in shown]
    pattern = re.compile("|".join(sorted({re.escape(m) for m in markers}, key=len, reverse=True)))
    foreign = Foreign(cases, orgs, people, pattern)
    case = foreign.case_for("")
    on_probation = foreign.case_for("probation")
    probation = Probation.objects.filter(candidate=on_probation).first()
    foreign.objects = {
        "check": BackgroundCheck.objects.filter(candidate__in=cases).first(),
        "introduction": Introduction.objects.filter(candidate__in=cases).first(),
        "application": Application.objects.filter(candidate__in=cases).first(),
        "mentor": Mentor.objects.filter(candidate=on_probation).first()
        or Mentor.objects.filter(candidate=case).first(),
        "recognition_step": RecognitionStep.objects.filter(probation=probation).first(),
        "chain_step": ChainStepRecord.objects.filter(candidate__in=cases).first(),
        "removal": ProbationRemoval.objects.filter(probation__candidate__in=cases).first(),
        "transfer": ProbationTransfer.objects.filter(probation__candidate__in=cases).first(),
        "course": AwarenessCourse.objects.filter(organiser__in=orgs).first(),
        "plan": SourcingPlan.objects.filter(org__in=orgs).first(),
        "delegation": Delegation.objects.filter(org__in=orgs).first(),
        "notification": Notification.objects.filter(user__roles__org__in=orgs).first(),
    }
    return foreign


def subtree(code: str) -> Q:
    return Q(path__startswith=PartyOrg.objects.get(code=code).path)


def hoanh_mo() -> Foreign:
    """Seen from another commune: everything of the commune Hoành Mô, but a probationer moving from there to a cell
    elsewhere (the demo's Bàn Thị Nhung, to khu phố Lý Thường Kiệt): the receiving cell and its committees see the
    case, and the name of the cell she comes from, until the cell receives her (`candidate_list_for_user`)."""
    orgs = PartyOrg.objects.filter(subtree("22.841.000.000.000"))
    moving_out = Candidate.objects.filter(
        probation__transfers__status=TransferStatus.PENDING, probation__transfers__to_cell__isnull=False
    ).exclude(probation__transfers__to_cell__in=orgs)
    return foreign_for(
        cases=Candidate.objects.filter(cell__in=orgs).exclude(pk__in=moving_out),
        people=Person.objects.filter(memberships__cell__in=orgs).exclude(candidacies__in=moving_out).distinct(),
        orgs=orgs,
        named_elsewhere=PartyOrg.objects.filter(candidates__in=moving_out),
    )


def na_sa(*, except_person: Person | None = None, org_names: bool = False) -> Foreign:
    """Seen from a sibling cell of the same commune (or by a candidate of the cell): the cell Nà Sa's cases."""
    orgs = PartyOrg.objects.filter(subtree("22.841.000.000.001"))
    cases = Candidate.objects.filter(cell__in=orgs)
    if except_person is not None:
        cases = cases.exclude(person=except_person)
    return foreign_for(cases=cases, people=Person.objects.none(), orgs=orgs, org_names=org_names)


# ------------------------------------------------------------------------------------------------------------------
# Every route, its parameters filled with foreign objects
# ------------------------------------------------------------------------------------------------------------------


def routes(resolver: Any = None, prefix: str = "") -> Iterator[str]:
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _pk(obj: Any) -> str:
    return str(obj.pk) if obj is not None else NOT_FOUND


def fill(route: str, foreign: Foreign) -> str | None:
    """The route as a URL naming foreign objects; None when it takes no object or a parameter is not known."""
    case = foreign.case_for(route)
    org = foreign.orgs[-1]
    person = foreign.people[0] if foreign.people else case.person
    objects = foreign.objects
    flow = next((prefix for prefix in ENGINE if route.startswith(prefix)), "")
    process = foreign.remember(("process", case.pk, flow), lambda: _process_of(case, route))
    values: dict[str, str] = {}
    for match in PARAM.finditer(route):
        name = match.group("name")
        before = route[: match.start()]
        value: str | None
        if name in ("process_pk",):
            value = _pk(process)
        elif name == "task_pk":
            node = before.rstrip("/").rsplit("/", 1)[-1]
            value = _pk(foreign.remember(("task", _pk(process), node), lambda n=node: _task_of(process, n)))
        elif before.endswith(("candidates/", "ho-so-cua-toi/", "ma-tra-cuu/")):
            value = str(case.pk)
        elif before.endswith(("people/", "person/")):
            value = str(person.pk)
        elif before.endswith("orgs/"):
            value = str(org.pk)
        elif before.endswith("courses/"):
            value = _pk(objects["course"])
        elif before.endswith("plans/"):
            value = _pk(objects["plan"])
        elif before.endswith("delegations/"):
            value = _pk(objects["delegation"])
        elif before.endswith(("notifications/", "inbox/")):
            value = _pk(objects["notification"])
        elif before.endswith("probation-transfers/"):
            value = _pk(objects["transfer"])
        elif name in ("doc_pk", "document_id"):
            value = _pk(case.generated_documents.first())
        elif name in ("check_pk", "check_id"):
            value = _pk(objects["check"])
        elif name in ("introduction_pk", "introduction_id"):
            value = _pk(objects["introduction"])
        elif name in ("mentor_pk", "helper_id"):
            value = _pk(objects["mentor"])
        elif name in ("step_pk", "chain_step_id"):
            value = _pk(objects["recognition_step"])
        elif name in ("removal_pk", "removal_id"):
            value = _pk(objects["removal"])
        elif name == "obj_pk":
            value = _pk(objects["application"])
        elif name == "kind" and "scans" in before:
            value = "application"
        elif name == "kind":
            value = "members"
        elif name == "paper":
            value = "curriculum"  # a paper of the dossier that can be redone
        elif name == "fmt":
            value = "xlsx"
        elif name in ("node", "step"):
            task = foreign.remember(("open", case.pk), lambda: _open_task(case))
            value = task.flow_task.name if task else "prepare_dossier"
        elif name == "object_id":
            value = str(case.pk)
        elif name in ("pk", "id") or name.endswith(("_id", "_pk")):
            value = NOT_FOUND  # someone else's token, remembered browser…: not ours to find, must be a 404
        else:
            return None
        values[match.group(0)] = value
    url = route
    for placeholder, value in values.items():
        url = url.replace(placeholder, value, 1)
    return "/" + url


def _process_of(case: Candidate, route: str) -> Any:
    from viewflow.workflow.models import Process

    flow = {
        "app/sourcing/": "SourcingFlow",
        "app/admissioncase/": "AdmissionCaseFlow",
        "app/probation/": "ProbationFlow",
    }
    processes = Process.objects.filter(artifact_object_id=case.pk).order_by("pk")
    for prefix, name in flow.items():
        if route.startswith(prefix):
            return (
                processes.filter(flow_class__endswith=name).first()
                or Process.objects.filter(flow_class__endswith=name, artifact_object_id__in=[case.pk]).first()
            )
    return processes.first()


def _task_of(process: Any, node: str) -> Any:
    if process is None:
        return None
    tasks = process.task_set.order_by("pk")
    return next((t for t in tasks if t.flow_task and t.flow_task.name == node), None) or tasks.first()


def _open_task(case: Candidate) -> Any:
    from workflows import services

    try:
        return next(iter(services.open_tasks(case)), None)
    except Exception:  # no process: a case recognised through the services alone
        return None


# ------------------------------------------------------------------------------------------------------------------
# Reading an answer
# ------------------------------------------------------------------------------------------------------------------


def text_of(response: Any) -> str:
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return " ".join(book.read(n).decode("utf-8", "ignore") for n in book.namelist() if n.endswith(".xml"))
    if body.startswith(b"%PDF"):
        return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8", "ignore")


@dataclass
class Probe:
    requests: int = 0
    problems: list[str] = field(default_factory=list)


def walk(client: Client, foreign: Foreign, *, anonymous: bool = False, roleless: bool = False) -> Probe:
    """Request every route as the logged-in client. `roleless`: the login holds no role, so statistics and exports
    (numbers of some unit, which carry no name to look for) must not answer at all."""
    probe = Probe()
    seen: set[str] = set()
    own_org = None if anonymous else foreign.orgs[-1]
    for route in routes():
        if route.startswith(SKIP) or "(?P<" in route or ("<" not in route and route in seen):
            continue
        url = fill(route, foreign)
        if url is None or url in seen:
            continue
        seen.add(url)
        names_object = "<" in route and not route.startswith(("api/v1/imports/", "app/admission/imports/template"))
        # A POST too where a view could act before it checks the scope; the engine's pages and the admin answer
        # every method from one check (administrators, staff), so a GET is enough there.
        methods = ("get", "post") if names_object and not route.startswith((*ENGINE, "admin/")) else ("get",)
        for method in methods:
            response = getattr(client, method)(url)
            probe.requests += 1
            if response.status_code in (301, 307, 308) and response["Location"].startswith("/"):
                # An old address kept as a redirect to its new one (the API's renamed paths): judge where it leads.
                response = getattr(client, method)(response["Location"])
                probe.requests += 1
            _judge(probe, route, url, method, response, foreign, names_object=names_object, anonymous=anonymous)
            if roleless and _takes_org(route) and 200 <= response.status_code < 300:
                probe.problems.append(f"{method.upper()} {url} → {response.status_code} (a login with no role)")
        if not names_object and own_org is not None and _takes_org(route):
            response = client.get(url, {"org": own_org.pk, "reason": "probe"})
            probe.requests += 1
            if response.status_code != 404:
                probe.problems.append(f"GET {url}?org=<foreign> → {response.status_code} (expected 404)")
    return probe


def _takes_org(route: str) -> bool:
    return route in ("app/admission/reports/", "app/admission/reports/forms/") or route.startswith(
        ("app/admission/reports/report.", "app/admission/imports/export/", "api/v1/reports/")
    )


def _judge(
    probe: Probe,
    route: str,
    url: str,
    method: str,
    response: Any,
    foreign: Foreign,
    *,
    names_object: bool,
    anonymous: bool,
) -> None:
    status = response.status_code
    where = f"{method.upper()} {url} → {status}"
    if names_object:
        if anonymous:
            allowed = {302, 401, 403, 404, 405}
        elif route.startswith("admin/"):
            allowed = {302, 404, 405}
        elif route.startswith(ENGINE):
            allowed = {403, 404, 405}
        elif route.startswith(OWN_OBJECTS):
            allowed = {302, 404, 405}
        else:
            allowed = {404, 405}
        if status not in allowed:
            probe.problems.append(f"{where} (a foreign object: expected {sorted(allowed)})")
            return
    if 200 <= status < 300 and foreign.markers is not None:
        found = foreign.markers.search(text_of(response))
        if found:
            probe.problems.append(f"{where} shows {found.group(0)!r} of the other unit")


def report(probe: Probe) -> str:
    return f"{probe.requests} requests, {len(probe.problems)} problems:\n" + "\n".join(probe.problems)


# ------------------------------------------------------------------------------------------------------------------
# The walks
# ------------------------------------------------------------------------------------------------------------------


def login(client: Client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["btv.quangha", "bithu.lykiet"])
def test_users_of_another_commune_reach_nothing_of_hoanh_mo(demo: None, client: Client, username: str) -> None:
    login(client, username)
    probe = walk(client, hoanh_mo())
    print(f"\n{username}: {report(probe)}")
    assert probe.problems == [], report(probe)


@pytest.mark.django_db
def test_a_sibling_cells_secretary_reaches_nothing_of_na_sa(demo: None, client: Client) -> None:
    login(client, "bithu.khtn")
    probe = walk(client, na_sa())
    print(f"\nbithu.khtn: {report(probe)}")
    assert probe.problems == [], report(probe)


@pytest.mark.django_db
def test_a_candidate_reaches_nothing_but_their_own_case(demo: None, client: Client) -> None:
    user = login(client, "ungvien.nasa")
    probe = walk(client, na_sa(except_person=Person.objects.get(user=user)), roleless=True)
    print(f"\nungvien.nasa: {report(probe)}")
    assert probe.problems == [], report(probe)


@pytest.mark.django_db
def test_an_anonymous_visitor_reaches_nothing(demo: None, client: Client) -> None:
    probe = walk(client, hoanh_mo(), anonymous=True)
    print(f"\nanonymous: {report(probe)}")
    assert probe.problems == [], report(probe)
    assert not PersonalDataRead.objects.exists()


@pytest.mark.django_db
def test_the_probe_fills_every_route_it_names(demo: None) -> None:
    """Every route with parameters is filled (none skipped for an unknown parameter), so the walks cover the site."""
    foreign = hoanh_mo()
    unfilled = [
        r for r in routes() if "<" in r and "(?P<" not in r and not r.startswith(SKIP) and fill(r, foreign) is None
    ]
    assert unfilled == []
    assert Membership.objects.exists() and foreign.cases


@pytest.mark.django_db
def test_the_probe_sees_a_units_own_data_so_its_silence_means_something(demo: None, client: Client) -> None:
    """The cell's own secretary does see Nà Sa's cases: the same markers and fills find them, in pages and files."""
    login(client, "bithu.nasa")
    foreign = na_sa()
    assert foreign.markers is not None
    page = client.get(fill("app/admission/candidates/<int:pk>/", foreign) or "")
    assert page.status_code == 200 and foreign.markers.search(text_of(page))
    assert foreign.markers.search(text_of(client.get("/app/admission/candidates/")))
    cell = foreign.orgs[0]
    export = client.get("/app/admission/imports/export/candidates.xlsx", {"org": cell.pk, "reason": "probe"})
    assert export.status_code == 200 and foreign.markers.search(text_of(export))
