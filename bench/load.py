"""A bounded load run against a server on this machine: secretaries, approvers, candidates and public lookups.

Build the data first (bench/national.py makes the logins and the lookup codes used here), then serve it with
gunicorn (in requirements.txt) under the bench settings (DEBUG off, production hashers, loopback hosts), and run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national DJANGO_SETTINGS_MODULE=config.settings.bench \\
        .venv/bin/gunicorn config.wsgi -w 5 -b 127.0.0.1:8765 --timeout 60 &
    .venv/bin/python bench/load.py --base-url http://127.0.0.1:8765 --users 200 --duration 180 [--json]

Only loopback addresses are accepted (127.0.0.0/8, localhost, ::1). The standard library only: one thread per
simulated user, its own cookie jar, no keep-alive (gunicorn's sync workers close every connection anyway).

Who (for --users 200; other totals keep the proportions 80 : 40 : 50 : 30):

* 80 cell secretaries (`bench.bithu.00001` …) and 40 commune standing-committee members (`bench.btv.0001` …) log
  in through /accounts/login/ (the form's CSRF token, the production password hasher); the committee members then
  confirm the sign-in on the second-factor page with their authenticator's code (TOTP, computed here from the
  secret bench/national.py derived for them); then they loop: the work page
  (/app/admission/home/), the case list, one case of that list, the deadline board — 3 to 10 s of think time
  between pages;
* 50 candidates (`bench.ungvien.001` …) log in and read their own case (/ho-so-cua-toi/) every 5 to 20 s;
* 30 members of the public open /tra-cuu/?ma=<code> and submit the code with the receipt's PIN (codes
  KN-UV-000001 …, PIN 246810), every 5 to 20 s; all from 127.0.0.1, so the lookup's limits per address apply to all
  of them together (wrong answers only: these are right ones).

First --warmup unmeasured requests (default 30: each gunicorn worker loads its URLconf and templates on its first
request, about a second). Users start spread over --ramp seconds (default 30) so that the logins (one Argon2id check
each) do not all land at once; the run stops --duration seconds after the first start, and requests still running
after --duration + 30 s are abandoned. Each request times out after 30 s. A request is an error when it raises,
times out, answers 4xx/5xx, or (staff pages) lands on the login page. Latency is measured client-side, from sending
the request to reading the whole body (static files are not fetched). Reported: p50/p95/p99 and errors per kind of
user, per page and overall.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.cookiejar
import ipaddress
import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

PASSWORD = "bench-pass-2026"
PIN = "246810"
SHARES = (("secretary", 80), ("approver", 40), ("candidate", 50), ("public", 30))
TIMEOUT = 30.0
TOTP_SALT = b"bench-totp-2026"  # bench/national.py derives each bench login's authenticator secret with it
VERIFY = "/accounts/security/verify/"
CASE_LINK = re.compile(r'href="(/app/admission/candidates/\d+/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def loopback_only(base_url: str) -> str:
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SystemExit("--base-url must look like http://127.0.0.1:8765")
    host = parts.hostname
    if host != "localhost":
        try:
            if not ipaddress.ip_address(host).is_loopback:
                raise SystemExit(f"refusing {host}: only loopback addresses (127.0.0.0/8, ::1, localhost)")
        except ValueError:
            raise SystemExit(f"refusing {host}: only loopback addresses (127.0.0.0/8, ::1, localhost)") from None
    return base_url.rstrip("/")


def split(total: int) -> dict[str, int]:
    """The users of each kind for `total`, in the proportions 80 : 40 : 50 : 30 (largest remainders)."""
    weight = sum(n for _kind, n in SHARES)
    exact = {kind: total * n / weight for kind, n in SHARES}
    counts = {kind: int(value) for kind, value in exact.items()}
    for kind in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[: total - sum(counts.values())]:
        counts[kind] += 1
    return counts


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    finished: list[tuple[float, float]] = field(default_factory=list)  # (when it ended, its seconds)

    def add(self, kind: str, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[(kind, page)].append(seconds)
            self.finished.append((time.time(), seconds))
            if error:
                self.errors[(kind, page, error.split(":", 1)[0])] += 1
                if len(self.samples) < 30:
                    self.samples.append(f"{kind} {page}: {error}"[:300])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """One simulated user's session: cookies, CSRF, timed requests."""

    def __init__(self, base: str, kind: str, stats: Stats) -> None:
        self.base, self.kind, self.stats = base, kind, stats
        self.jar = http.cookiejar.CookieJar()
        self._location = ""
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, page: str, path: str, data: dict[str, Any] | None = None, *, staff: bool = False) -> str | None:
        """Timed request; returns the body, or None on an error (recorded)."""
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        headers = {"Accept-Language": "vi", "Referer": self.base + path}
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        began = time.perf_counter()
        error = None
        text = None
        try:
            with self.opener.open(req, timeout=TIMEOUT) as response:
                text = response.read().decode("utf-8", "replace")
                status = response.status
        except urllib.error.HTTPError as exc:
            exc.read()
            status = exc.code
            if status in (301, 302, 303):
                location = exc.headers.get("Location", "")
                text = ""
                if staff and "/accounts/login/" in location:
                    error = "redirected to login"
            elif page == "lookup_submit" and status == 422:
                error = "422: lookup refused the right PIN"
            else:
                error = f"{status}: {exc.reason}"
            self._location = exc.headers.get("Location", "")
        except Exception as exc:  # every failure of a simulated user counts as an error
            error = f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - began
        self.stats.add(self.kind, page, elapsed, error)
        return None if error else text

    def login(self, username: str) -> bool:
        page = self.request("login_form", "/accounts/login/")
        token = CSRF.search(page or "")
        if token is None:
            self.stats.add(self.kind, "login", 0.0, "no CSRF token on the login page")
            return False
        self._location = ""
        self.request("login", "/accounts/login/", {"username": username, "password": PASSWORD,
                                                   "csrfmiddlewaretoken": token.group(1)})  # fmt: skip
        if not self._location or "/accounts/login/" in self._location:
            self.stats.add(self.kind, "login", 0.0, f"login refused for {username}")
            return False
        return True


def totp(username: str, at: float | None = None) -> str:
    """The 6-digit code (RFC 6238: HMAC-SHA1, 30-second steps) of the bench login's authenticator."""
    key = bytes.fromhex(hmac.new(TOTP_SALT, username.encode(), hashlib.sha1).hexdigest())
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset : offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def second_factor(browser: Browser, username: str) -> bool:
    """Committee members must confirm the sign-in with their authenticator (the product's second-factor page)."""
    target = "/app/admission/home/"
    browser._location = ""
    page = browser.request("second_factor_form", f"{VERIFY}?next={target}", staff=True)
    if page is None:
        return False
    if browser._location.startswith(target) or page == "":
        return True  # already verified (or not asked): the page sent us on
    token = CSRF.search(page)
    if token is None:
        browser.stats.add(browser.kind, "second_factor", 0.0, "no CSRF token on the second-factor page")
        return False
    browser._location = ""
    data = {"code": totp(username), "next": target, "csrfmiddlewaretoken": token.group(1)}
    browser.request("second_factor", VERIFY, data, staff=True)
    if not browser._location.startswith(target):
        browser.stats.add(browser.kind, "second_factor", 0.0, f"second factor refused for {username}")
        return False
    return True


def staff_loop(browser: Browser, username: str, stop: float, rng: random.Random) -> None:
    if not browser.login(username):
        return
    if browser.kind == "approver" and not second_factor(browser, username):
        return
    while time.time() < stop:
        browser.request("work_page", "/app/admission/home/", staff=True)
        time.sleep(min(rng.uniform(3, 10), max(0.0, stop - time.time())))
        if time.time() >= stop:
            break
        listing = browser.request("case_list", "/app/admission/candidates/", staff=True)
        links = CASE_LINK.findall(listing or "")
        time.sleep(min(rng.uniform(3, 10), max(0.0, stop - time.time())))
        if links and time.time() < stop:
            browser.request("case_page", rng.choice(links), staff=True)
            time.sleep(min(rng.uniform(3, 10), max(0.0, stop - time.time())))
        if time.time() < stop:
            browser.request("deadline_board", "/app/notifications/board/", staff=True)
            time.sleep(min(rng.uniform(3, 10), max(0.0, stop - time.time())))


def candidate_loop(browser: Browser, username: str, stop: float, rng: random.Random) -> None:
    if not browser.login(username):
        return
    while time.time() < stop:
        browser.request("my_case", "/ho-so-cua-toi/", staff=True)
        time.sleep(min(rng.uniform(5, 20), max(0.0, stop - time.time())))


def public_loop(browser: Browser, code: str, stop: float, rng: random.Random) -> None:
    while time.time() < stop:
        browser.request("lookup_form", f"/tra-cuu/?ma={code}")
        time.sleep(min(rng.uniform(1, 4), max(0.0, stop - time.time())))
        if time.time() >= stop:
            break
        browser.request("lookup_submit", "/tra-cuu/", {"ma": code, "pin": PIN})
        time.sleep(min(rng.uniform(5, 20), max(0.0, stop - time.time())))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))]


def summarise(times: list[float], errors: int) -> dict[str, Any]:
    if not times:
        return {"n": 0, "errors": errors}
    ms = [t * 1000 for t in times]
    return {
        "n": len(ms),
        "errors": errors,
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(pct(ms, 0.95), 1),
        "p99_ms": round(pct(ms, 0.99), 1),
        "max_ms": round(max(ms), 1),
    }


def timeline(finished: list[tuple[float, float]], start: float, *, step: float) -> list[dict[str, Any]]:
    """Latencies by the window in which the requests ended (the sign-ins of the ramp come first)."""
    windows: dict[int, list[float]] = defaultdict(list)
    for ended, seconds in finished:
        windows[int((ended - start) // step)] += [seconds]
    return [
        {"from_s": int(n * step), "to_s": int((n + 1) * step), **summarise(values, 0)}
        for n, values in sorted(windows.items())
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=180)
    parser.add_argument("--ramp", type=float, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured requests first (every worker's first)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    base = loopback_only(args.base_url)
    if not 1 <= args.users <= 400 or not 1 <= args.duration <= 900 or not 0 <= args.ramp <= args.duration:
        raise SystemExit("bounds: 1 ≤ --users ≤ 400, 1 ≤ --duration ≤ 900, 0 ≤ --ramp ≤ --duration")
    counts = split(args.users)
    rng = random.Random(args.seed)
    warm = Browser(base, "warmup", Stats())
    for n in range(max(0, min(args.warmup, 200))):
        warm.request("warmup", "/accounts/login/" if n % 2 else "/tra-cuu/")
    stats = Stats()
    start = time.time()
    stop = start + args.duration
    plan: list[tuple[str, Any, str]] = []
    for n in range(counts["secretary"]):
        plan.append(("secretary", staff_loop, f"bench.bithu.{n + 1:05d}"))
    for n in range(counts["approver"]):
        plan.append(("approver", staff_loop, f"bench.btv.{n + 1:04d}"))
    for n in range(counts["candidate"]):
        plan.append(("candidate", candidate_loop, f"bench.ungvien.{n + 1:03d}"))
    for n in range(counts["public"]):
        plan.append(("public", public_loop, f"KN-UV-{n + 1:06d}"))
    rng.shuffle(plan)
    threads = []
    for i, (kind, loop, who) in enumerate(plan):
        delay = args.ramp * i / max(1, len(plan))
        user_rng = random.Random(rng.random())

        def run(kind: str = kind, loop: Any = loop, who: str = who, delay: float = delay, r: Any = user_rng) -> None:
            time.sleep(delay)
            loop(Browser(base, kind, stats), who, stop, r)

        thread = threading.Thread(target=run, name=f"{kind}-{who}", daemon=True)
        threads.append(thread)
        thread.start()
    print(f"{len(threads)} users {counts} against {base} for {args.duration:.0f} s", file=sys.stderr, flush=True)
    for thread in threads:
        thread.join(timeout=max(0.0, stop + TIMEOUT - time.time()))
    elapsed = time.time() - start
    abandoned = sum(thread.is_alive() for thread in threads)
    with stats.lock:
        times = dict(stats.times)
        errors = Counter(stats.errors)
        finished = list(stats.finished)
    by_page = {}
    by_kind: dict[str, tuple[list[float], int]] = defaultdict(lambda: ([], 0))
    all_times: list[float] = []
    for (kind, page), values in sorted(times.items()):
        wrong = sum(n for (k, p, _e), n in errors.items() if k == kind and p == page)
        by_page[f"{kind}/{page}"] = summarise(values, wrong)
        kind_times, kind_errors = by_kind[kind]
        by_kind[kind] = (kind_times + values, kind_errors + wrong)
        all_times += values
    total_errors = sum(errors.values())
    result = {
        "base_url": base,
        "users": counts,
        "duration_s": round(elapsed, 1),
        "requests": len(all_times),
        "requests_per_s": round(len(all_times) / elapsed, 2),
        "abandoned_users": abandoned,
        "overall": summarise(all_times, total_errors),
        "by_kind": {kind: summarise(values, wrong) for kind, (values, wrong) in by_kind.items()},
        "by_page": by_page,
        "timeline": timeline(finished, start, step=30.0),
        "errors": {f"{k}/{p}: {e}": n for (k, p, e), n in errors.most_common()},
        "error_samples": stats.samples,
    }
    for name, row in [("overall", result["overall"]), *result["by_kind"].items(), *by_page.items()]:
        print(
            f"{name:<32} n={row['n']:<6} errors={row['errors']:<4} p50={row.get('p50_ms', '-')} ms "
            f"p95={row.get('p95_ms', '-')} ms p99={row.get('p99_ms', '-')} ms"
        )
    for row in result["timeline"]:
        print(
            f"  {row['from_s']:>4}–{row['to_s']:<4} s  n={row['n']:<5} p50={row.get('p50_ms', '-')} ms "
            f"p95={row.get('p95_ms', '-')} ms"
        )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
