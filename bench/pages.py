"""Weight and request count of each public page, loaded in Chromium from a production-like site.

The site is the browser tests' one (tests/browser/server.py): a fresh database with the real
referential, palmarès and transparency data and the demo editions, served by gunicorn with DEBUG
off, WhiteNoise and hashed, compressed static files. The public pages are the registry's pages
visited by an anonymous visitor that answer 200 (tests/browser/registry.py).

Each page is loaded once in a fresh browser context (empty cache: a first visit), by Debian's
Chromium through Playwright, until the network is idle. Counted as the page tests count it
(tests/browser/test_pages.py `transfer`): bytes received, headers and bodies as transferred
(compressed), images aside; every request, images included; requests to another host than the
site's. The budget (docs/architecture.md): under 60 KB, at most 6 requests, no third-party request.
Prints one JSON line per page:
{"name": "page_weight", "page": "/palmares/", "kb": 23.4, "requests": 3, "third_party": 0,
"within_budget": true}
and its EcoIndex (tests/browser/ecoindex.py: GreenIT's published method, DOM elements counted in the
loaded page, SVG drawings' insides aside as the reference scraper does; every request and byte
transferred, images included), graded A to G, the budget being A (DESIGN.md):
{"name": "ecoindex", "page": "/carte/", "score": 86, "grade": "A", "dom": 131,
"elements": 395, "requests": 3, "transfer_kb": 35.2, "within_budget": true}
Run: .venv/bin/python bench/pages.py   (a few minutes, most of them to build the site)
"""

import json
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from _site import ROOT  # noqa: F401 - puts the project on sys.path for the imports below

from tests.browser.ecoindex import EcoIndex, measure
from tests.browser.server import running_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def public_paths() -> list[str]:
    """The registry's visitor pages that answer 200, each path once, in registry order."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # for reverse() only
    import django

    django.setup()
    from tests.browser.registry import PAGES

    paths = [page.path for page in PAGES if page.persona == "visitor" and page.status == 200]
    return list(dict.fromkeys(paths))


def main() -> None:
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: `make system` installs it (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    paths = public_paths()
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_site(Path(tmp), "bench-pages") as site,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for path in paths:
                status, figures = visit(browser, site.base_url + path, site.host)
                if status != 200:
                    sys.exit(f"{path} answered {status}:\n{site.log.read_text()[-3000:]}")
                print(json.dumps(weight(path, figures, site.host), ensure_ascii=False), flush=True)
                print(json.dumps(ecoindex(path, figures), ensure_ascii=False), flush=True)
        finally:
            browser.close()


def visit(browser, url: str, host: str) -> tuple[int, dict]:
    """Load `url` in a fresh context (cold cache): its first status and what it transferred,
    counted as the page tests count it."""
    from tests.browser.test_pages import first_status, transfer

    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        requests: list = []
        page.on("request", lambda request: requests.append(request))
        response = page.goto(url, wait_until="networkidle")
        figures = transfer(requests, host)
        figures["ecoindex"] = measure(page, requests)
        return first_status(response), figures
    finally:
        context.close()


def weight(path: str, figures: dict, host: str) -> dict:
    """The JSON line of one page, from `transfer`'s figures."""
    from tests.browser.test_pages import MAX_BYTES, MAX_REQUESTS

    third_party = sum(1 for url in figures["urls"] if urlsplit(url).netloc != host)
    return {
        "name": "page_weight",
        "page": path,
        "kb": round(figures["bytes"] / 1024, 1),
        "requests": figures["requests"],
        "third_party": third_party,
        "within_budget": figures["bytes"] < MAX_BYTES
        and figures["requests"] <= MAX_REQUESTS
        and third_party == 0,
    }


def ecoindex(path: str, figures: dict) -> dict:
    """The JSON line of one page's EcoIndex, from `visit`'s figures."""
    measured: EcoIndex = figures["ecoindex"]
    return {
        "name": "ecoindex",
        "page": path,
        "score": measured.score,
        "grade": measured.grade,
        "dom": measured.dom,
        "elements": measured.elements,
        "requests": measured.requests,
        "transfer_kb": round(measured.kilobytes, 1),
        "within_budget": measured.grade == "A",
    }


if __name__ == "__main__":
    main()
