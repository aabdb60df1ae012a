"""Accessibility checks for the browser tests: axe-core run inside the page, and the phone-first rules of issue 12
measured in the browser (target sizes, text size, badge contrast, forms that fit the screen).

axe-core comes from the npm registry, pinned by tests/e2e/axe/package-lock.json and installed by `make setup`
(`npm ci --prefix tests/e2e/axe`); it is injected from that file through Playwright, never from a CDN.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices (reported, not counted: their impact is at
# most "moderate" except where a rule says otherwise, and then it counts like any other).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
BLOCKING = {"critical", "serious"}

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PRIMARY_MIN = 44  # CSS px, both ways: the main button of a form or a step (issue 12, point 5)
TARGET_MIN = 24  # CSS px, both ways: every other target (WCAG 2.2 SC 2.5.8, without its spacing exception)
BODY_TEXT_MIN = 16  # CSS px: the text of the page's own content
BADGE_CONTRAST_MIN = 4.5


@dataclass(frozen=True)
class Finding:
    page: str
    width: str
    rule: str
    impact: str
    target: str
    detail: str = ""

    def __str__(self) -> str:
        detail = f" — {self.detail}" if self.detail else ""
        return f"[{self.width}] {self.page}: {self.rule} ({self.impact}) at {self.target}{detail}"


def axe_installed() -> Path:
    if not AXE_JS.is_file():
        pytest.fail(
            f"{AXE_JS} is missing: run `make setup` (it runs `npm ci --prefix tests/e2e/axe`, axe-core pinned by "
            "tests/e2e/axe/package-lock.json).",
            pytrace=False,
        )
    return AXE_JS


def axe_run(page: Page, *, name: str, width: str) -> list[Finding]:
    """Every axe violation on the page as it is now, one Finding per element."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_installed()))
    result: dict[str, Any] = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return {violations: r.violations.map(v => ({
                id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
            }))};
        }""",
        AXE_TAGS,
    )
    return [
        Finding(name, width, v["id"], v["impact"] or "minor", node["target"], node["summary"].replace("\n", " "))
        for v in result["violations"]
        for node in v["nodes"]
    ]


# The phone-first rules, measured in the page. Targets: links, buttons, form controls and ARIA widgets that are
# visible on the screen; a link inside a sentence is exempt (WCAG 2.5.8 "inline"), a link alone in its cell or line
# is not. Primary buttons: our `.kn-button` and Material's raised buttons in the page's content (not the top bar).
# Body text: every visible text of the page's own content (`.kn-content`, the footer, the login page's sidebar).
# Badges: `.kn-badge`, the case states, the due-date marks and the bell's count.
PHONE_RULES_JS = """
({primaryMin, targetMin, textMin, contrastMin}) => {
  const findings = [];
  const vw = window.innerWidth;
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(part + '#' + e.id); break; }
      const testid = e.getAttribute('data-testid');
      if (testid) part += `[data-testid=${testid}]`;
      else if (e.classList.length) part += '.' + [...e.classList].slice(0, 2).join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const label = (el) => (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40);
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && r.right > 0 && r.left < vw
      && !el.closest('[aria-hidden=true], [inert]');
  };
  const inline = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement.closest('p, li, td, dd, div, span');
    return block && block.innerText.trim().length > el.innerText.trim().length + 3;
  };
  const targets = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], '
    + '[role=link], [role=tab], [role=menuitem], [role=checkbox], [role=radio]';
  const primary = '.kn-button, .mdc-button--raised, .mdc-button--unelevated';
  for (const el of document.querySelectorAll(targets)) {
    if (!shown(el) || inline(el)) continue;
    let r = el.getBoundingClientRect();
    // A checkbox or radio drawn by a Material wrapper: the wrapper is what the finger hits.
    const wrapper = el.closest('.mdc-checkbox, .mdc-radio, .mdc-switch');
    if (wrapper) r = wrapper.getBoundingClientRect();
    const isPrimary = el.matches(primary) && !!el.closest('.kn-content, .vf-page-lockscreen__sidebar-content');
    const min = isPrimary ? primaryMin : targetMin;
    if (r.width + 0.5 < min || r.height + 0.5 < min) {
      findings.push({rule: isPrimary ? 'primary-button-size' : 'target-size-24', target: path(el),
        detail: `${Math.round(r.width)}x${Math.round(r.height)} px "${label(el)}"`});
    }
  }
  const content = document.querySelectorAll('.kn-content, .kn-footer, .vf-page-lockscreen__sidebar');
  const seen = new Set();
  for (const root of content) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || seen.has(el) || !shown(el)) continue;
      seen.add(el);
      // A Material field's label floats above the field (75 %) once it is filled: a label, not body text.
      const skip = 'script, style, noscript, svg, canvas, .material-icons, [aria-hidden=true], .mdc-floating-label';
      if (el.closest(skip)) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size + 0.05 < textMin) {
        findings.push({rule: 'text-size-16', target: path(el),
          detail: `${size} px "${node.textContent.trim().slice(0, 40)}"`});
      }
    }
  }
  const rgba = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const background = (el) => {
    let colour = [255, 255, 255];
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.unshift(c);
      if (c[3] >= 1) break;
    }
    for (const [r, g, b, a] of layers) {
      colour = [r * a + colour[0] * (1 - a), g * a + colour[1] * (1 - a), b * a + colour[2] * (1 - a)];
    }
    return colour;
  };
  const luminance = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const badges = '.kn-badge, [class*="kn-due--"], [data-testid=notification-badge], [data-state-family]';
  for (const el of document.querySelectorAll(badges)) {
    if (!shown(el)) continue;
    const fg = rgba(getComputedStyle(el).color);
    const bg = background(el);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio + 0.005 < contrastMin) {
      findings.push({rule: 'badge-contrast', target: path(el),
        detail: `${ratio.toFixed(2)}:1 "${el.innerText.trim().slice(0, 40)}"`});
    }
  }
  for (const form of document.querySelectorAll('form')) {
    if (!shown(form)) continue;
    const r = form.getBoundingClientRect();
    if (r.right > vw + 1 || form.scrollWidth > form.clientWidth + 1) {
      findings.push({rule: 'form-wider-than-screen', target: path(form),
        detail: `${Math.round(Math.max(r.right, form.scrollWidth))} px on a ${vw} px screen`});
    }
  }
  if (document.documentElement.scrollWidth > vw + 1) {
    findings.push({rule: 'page-scrolls-sideways', target: 'html',
      detail: `${document.documentElement.scrollWidth} px on a ${vw} px screen`});
  }
  return findings;
}
"""


def phone_rules(page: Page, *, name: str) -> list[Finding]:
    """The phone-first rules of issue 12 on the page as it is now (run it at 390 px wide)."""
    found = page.evaluate(
        PHONE_RULES_JS,
        {
            "primaryMin": PRIMARY_MIN,
            "targetMin": TARGET_MIN,
            "textMin": BODY_TEXT_MIN,
            "contrastMin": BADGE_CONTRAST_MIN,
        },
    )
    return [Finding(name, "phone", f["rule"], "serious", f["target"], f["detail"]) for f in found]


def state_colours(page: Page) -> dict[str, set[str]]:
    """The background colour of each case-state badge on the page, by the family of its state."""
    pairs = page.locator("[data-state-family]").evaluate_all(
        "nodes => nodes.map(n => [n.dataset.stateFamily, getComputedStyle(n).backgroundColor])"
    )
    colours: dict[str, set[str]] = {}
    for family, colour in pairs:
        colours.setdefault(family, set()).add(colour)
    return colours
