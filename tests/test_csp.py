"""A strict Content-Security-Policy: every page says scripts come from this site only, and no template we render
holds an inline script or an inline event handler (which that policy would block). Inline styles stay allowed
(style-src 'unsafe-inline': viewflow's components and Turbo write styles; a style runs no code)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import viewflow
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
OURS = ROOT / "templates"
VIEWFLOW = Path(viewflow.__file__).resolve().parent / "templates"

# A <script> without src whose type is not a data block (json_script writes type="application/json").
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "login"),
    [("/accounts/login/", False), ("/tra-cuu/", False), ("/api/schema/", False), ("/app/admission/home/", True)],
)
def test_every_answer_carries_a_policy_that_allows_scripts_from_this_site_only(url, login, world, client: Client):
    if login:
        client.force_login(world.secretary)
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def offenders(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL):
            found += [f"{path.relative_to(folder)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    return found


def test_our_templates_hold_no_inline_script_and_no_event_handler():
    assert offenders(OURS) == []


def test_the_finder_finds_inline_scripts_and_handlers(tmp_path: Path):
    (tmp_path / "a.html").write_text('<script>alert(1)</script><script src="/x.js"></script>')
    (tmp_path / "b.html").write_text('<button type="button" onclick="go()">x</button><a href="javascript:go()">')
    (tmp_path / "c.html").write_text('<script id="d" type="application/json">{}</script>')
    assert len(offenders(tmp_path)) == 3


def test_the_viewflow_pages_we_render_with_inline_handlers_are_replaced_by_ours():
    """viewflow's bulk assign/unassign pages go back with an onclick: ours (templates/viewflow/…) win, because
    the project's template folder comes before the apps' folders."""
    for name in ("viewflow/workflow/tasks_assign.html", "viewflow/workflow/tasks_unassign.html"):
        assert HANDLER.search((VIEWFLOW / name).read_text()), name  # still true of viewflow's own
        assert (OURS / name).is_file(), name


@pytest.mark.django_db
def test_the_api_docs_load_their_start_script_from_a_file(client: Client):
    """drf-spectacular's split Swagger view: the page names its start script instead of holding it."""
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert not INLINE_SCRIPT.search(page.content.decode())
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
