"""The deadline rush's clients (bench/rush.py): applicants autosaving, then submitting.

Each applicant, signed in by its session cookie, has its dossier's edit page open (`open_forms`,
before the rush: it gives the CSRF token), then autosaves N times with distinct content and
presses « Déposer le dossier », which posts the whole form with its last content. Those steps
are dated in advance (`plan`) and run in order; a bounded pool of threads runs every applicant's
next due step, so at most `workers` requests are in flight and an applicant never has two.
The standard library only (http.client): no new dependency. Every exchange is recorded with the
server's own stamps (bench/_rush_clock.py).
"""

import heapq
import html
import http.client
import json
import random
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from _rush_clock import ENDED, STARTED
from _rush_data import Applicant

TIMEOUT_SECONDS = 120
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Step:
    kind: str  # "autosave" or "submit"
    at: float  # when it is due (time.time())
    content: int  # which content the step sends (0: the one built with the dossier)


@dataclass
class Exchange:
    """One step's request and its answer (after following one redirect)."""

    applicant: int
    kind: str
    content: int
    sent: float
    received: float = 0.0
    status: int = 0  # of the first answer; 0 when there was none (a transport error)
    final_status: int = 0  # after the redirect, if any
    server_started: float = 0.0
    server_ended: float = 0.0
    body: str = ""  # of the last answer, HTML entities decoded
    requests: int = 0
    error: str = ""


@dataclass
class Browser:
    """What one applicant's browser keeps between steps."""

    applicant: Applicant
    steps: list[Step]
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""
    version: int = 0


def content(reference: str, number: int) -> tuple[str, str]:
    """(description, first criterion's answer) of content `number`: distinct for each save."""
    return (
        f"Description, version {number} du dossier {reference}.",
        f"Réponse au premier critère, version {number} du dossier {reference}.",
    )


def plan(count: int, autosaves: int, start: float, window: float, seed: int) -> list[list[Step]]:
    """Each applicant's steps within [start, start + window]: `autosaves` autosaves at random
    moments of the half window before its submission, then the submission.

    The deadline is in the middle of the window. Half the applicants (drawn at random) mean to
    submit before it, evenly over [10 %, 40 %] of the window, the others after it, over
    [60 %, 100 %]: the margins keep the intended side clear of the deadline. On a loaded
    machine requests still slip past it; they are judged as the server handled them."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible schedule, not a secret
    order = list(range(count))
    rng.shuffle(order)
    early = (count + 1) // 2
    plans = []
    for applicant in range(count):
        rank = order[applicant]
        if rank < early:
            submit_at = start + window * (0.1 + 0.3 * (rank + 0.5) / early)
        else:
            submit_at = start + window * (0.6 + 0.4 * (rank - early + 0.5) / (count - early))
        # Autosaves in the half window before the submission: the load spreads over the window.
        first = max(start, submit_at - window / 2)
        saves = sorted(rng.uniform(first, submit_at) for _ in range(autosaves))
        plans.append(
            [
                *(Step("autosave", at, number) for number, at in enumerate(saves, start=1)),
                Step("submit", submit_at, autosaves + 1),
            ]
        )
    return plans


def open_forms(
    base_url: str, applicants: list[Applicant], workers: int
) -> tuple[list[Browser], list[Exchange]]:
    """Each applicant's browser with its edit page open (signed in, CSRF token read)."""
    browsers = [
        Browser(applicant, [], {"sessionid": applicant.session_key}, "", applicant.version)
        for applicant in applicants
    ]
    now = time.time()
    for browser in browsers:
        browser.steps = [Step("open", now, 0)]
    return browsers, run(base_url, browsers, workers)


def run(base_url: str, browsers: list[Browser], workers: int) -> list[Exchange]:
    """Play every browser's steps against the site with `workers` threads; every exchange."""
    due = [(browser.steps[0].at, index) for index, browser in enumerate(browsers)]
    heapq.heapify(due)
    pending = len(browsers)
    exchanges: list[Exchange] = []
    condition = threading.Condition()

    def next_due() -> int | None:
        with condition:
            while True:
                if not due:
                    if pending == 0:
                        return None
                    condition.wait()
                    continue
                delay = due[0][0] - time.time()
                if delay <= 0:
                    return heapq.heappop(due)[1]
                condition.wait(timeout=delay)

    def worker() -> None:
        nonlocal pending
        while (index := next_due()) is not None:
            browser = browsers[index]
            step = browser.steps.pop(0)
            try:
                exchange = play(base_url, index, browser, step)
            except Exception as error:  # recorded as a failure: the rush goes on, and stops
                exchange = Exchange(index, step.kind, step.content, sent=step.at, error=repr(error))
            with condition:
                exchanges.append(exchange)
                if browser.steps:
                    heapq.heappush(due, (browser.steps[0].at, index))
                else:
                    pending -= 1
                condition.notify_all()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(exchanges, key=lambda exchange: exchange.sent)


def play(base_url: str, index: int, browser: Browser, step: Step) -> Exchange:
    reference = browser.applicant.reference
    exchange = Exchange(index, step.kind, step.content, sent=time.time())
    try:
        if step.kind == "open":
            answer = fetch(base_url, browser, "GET", f"/candidatures/{reference}/modifier/")
        else:
            description, criterion = content(reference, step.content)
            form = {
                **browser.applicant.form,
                "description": description,
                browser.applicant.criterion: criterion,
                "version": str(browser.version),
                "csrfmiddlewaretoken": browser.csrf_token,
            }
            if step.kind == "autosave":
                path = f"/candidatures/{reference}/enregistrement-automatique/"
                answer = fetch(base_url, browser, "POST", path, form, json_answer=True)
            else:
                path = f"/candidatures/{reference}/deposer/"
                answer = fetch(base_url, browser, "POST", path, {**form, "action": "submit"})
    except (OSError, http.client.HTTPException) as error:
        exchange.received = time.time()
        exchange.error = f"{type(error).__name__}: {error}"
        return exchange
    exchange.received = time.time()
    first, last, exchange.requests = answer
    exchange.status, exchange.final_status = first.status, last.status
    exchange.server_started = float(first.headers.get(STARTED.lower()) or 0)
    exchange.server_ended = float(first.headers.get(ENDED.lower()) or 0)
    if step.kind == "autosave":
        # JSON, as the page's script reads it: the new version, or why nothing was saved.
        payload = json.loads(last.text) if last.text.startswith("{") else {}
        exchange.body = payload.get("message", last.text)
        if first.status == 200:
            browser.version = payload["version"]
        return exchange
    exchange.body = html.unescape(last.text)
    if step.kind == "open":
        found = CSRF_INPUT.search(last.text)
        browser.csrf_token = found.group(1) if found else ""
    return exchange


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str


def fetch(base_url, browser, method, path, form=None, *, json_answer=False):
    """One request, and one redirect followed (GET) as a browser would: (first answer, last
    answer, number of requests)."""
    first = send(base_url, browser, method, path, form, json_answer=json_answer)
    if first.status in (301, 302, 303) and "location" in first.headers:
        location = urlsplit(first.headers["location"])
        target = location.path + (f"?{location.query}" if location.query else "")
        return first, send(base_url, browser, "GET", target), 2
    return first, first, 1


def send(base_url, browser, method, path, form=None, *, json_answer=False) -> Answer:
    parts = urlsplit(base_url)
    headers = {
        "Accept-Language": "fr-FR,fr;q=0.9",
        "Accept": "application/json" if json_answer else "text/html",
        "Cookie": "; ".join(f"{name}={value}" for name, value in browser.cookies.items()),
    }
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                browser.cookies.pop(name, None)  # Django deletes a cookie this way
            else:
                browser.cookies[name] = morsel.coded_value
    return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
