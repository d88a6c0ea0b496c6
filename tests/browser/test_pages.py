"""Every registered page, in Chromium, as its persona: status, axe-core, budget, no other host,
EcoIndex A for every public page (a visitor's page that answers 200), and what axe-core does not
check: reflow at 320 px (RGAA 10.11), a title on every table (5.4), a document type (8.1)."""

import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from .ecoindex import measure
from .keyboard import doctype_problem, reflow_problem, untitled_tables
from .registry import PAGES, Page
from .server import ROOT, Site

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# docs/architecture.md, "Budgets": a public page is under 60 KB transferred (images aside), at
# most 6 requests.
MAX_BYTES = 60 * 1024
MAX_REQUESTS = 6
BUDGET_FILE = ROOT / "var" / "browser-budget.jsonl"


def first_status(response) -> int:
    """Status of the first response of the navigation, before redirects were followed."""
    request = response.request
    while request.redirected_from is not None:
        request = request.redirected_from
    return request.response().status


def transfer(requests: list, site_host: str) -> dict:
    """Bytes received (headers + body as transferred) outside images, requests, other hosts."""
    network = [r for r in requests if urlsplit(r.url).scheme in {"http", "https"}]
    received = 0
    for request in network:
        if request.resource_type == "image":
            continue
        sizes = request.sizes()
        received += sizes["responseHeadersSize"] + sizes["responseBodySize"]
    return {
        "bytes": received,
        "requests": len(network),
        "other_hosts": sorted({urlsplit(r.url).netloc for r in network} - {site_host}),
        "urls": [r.url for r in network],
    }


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {', '.join(map(str, node['target']))}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def record(line: dict) -> None:
    BUDGET_FILE.parent.mkdir(exist_ok=True)
    with BUDGET_FILE.open("a", encoding="utf-8") as budget:
        budget.write(json.dumps(line, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("entry", PAGES, ids=lambda entry: entry.id)
def test_page(entry: Page, site: Site, browser, run_id: str):
    context = browser.new_context(locale="fr-FR")
    if entry.persona in site.sessions:
        context.add_cookies(
            [{"name": "sessionid", "value": site.sessions[entry.persona], "url": site.base_url}]
        )
    page = context.new_page()
    requests: list = []
    csp_errors: list[str] = []
    page.on("request", lambda request: requests.append(request))
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        response = page.goto(site.base_url + entry.path, wait_until="networkidle")
        status = first_status(response)
        figures = transfer(requests, site.host)
        sobriety = measure(page, requests)  # before axe-core adds its script to the page
        found = violations(page)
        reflow = reflow_problem(page)
        tables = untitled_tables(page)
        doctype = doctype_problem(page)
    finally:
        context.close()

    record(
        {
            "run": run_id,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "name": entry.name,
            "persona": entry.persona,
            "path": entry.path,
            "status": status,
            "bytes": figures["bytes"],
            "requests": figures["requests"],
            "axe_violations": len(found),
            "ecoindex": sobriety.score,
        }
    )
    problems = []
    if status != entry.status:
        problems.append(f"status {status}, expected {entry.status}")
        if status >= 500:
            problems.append(f"server log (end):\n{site.log.read_text()[-3000:]}")
    problems += [f"axe: {violation}" for violation in found]
    if reflow:
        problems.append(f"reflow (RGAA 10.11): {reflow}")
    problems += [f"table without a title (RGAA 5.4): {table}" for table in tables]
    if doctype:
        problems.append(f"RGAA 8.1: {doctype}")
    if figures["bytes"] > MAX_BYTES:
        problems.append(f"{figures['bytes']} bytes transferred, budget {MAX_BYTES}")
    if figures["requests"] > MAX_REQUESTS:
        problems.append(f"{figures['requests']} requests, budget {MAX_REQUESTS}: {figures['urls']}")
    if figures["other_hosts"]:
        problems.append(f"requests to other hosts: {figures['other_hosts']}")
    problems += [f"CSP: {error}" for error in csp_errors]
    # DESIGN.md, "Budgets": every public page graded A (GreenIT's EcoIndex, above 80).
    if entry.persona == "visitor" and entry.status == 200 and sobriety.grade != "A":
        problems.append(
            f"EcoIndex {sobriety.score} ({sobriety.grade}), budget A: {sobriety.dom} elements, "
            f"{sobriety.requests} requests, {sobriety.kilobytes:.1f} KB"
        )
    assert problems == [], f"{entry.id} ({entry.path}):\n" + "\n".join(problems)
