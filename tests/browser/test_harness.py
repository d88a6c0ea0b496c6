"""The harness itself: it must see what it is meant to catch (the "may not" of test_pages)."""

import pytest

from .test_pages import transfer, violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_axe_reports_each_violation_with_its_target(browser):
    page = browser.new_page()
    page.set_content('<html><head><title>T</title></head><body><img src="data:,"></body></html>')

    found = violations(page)

    page.close()
    assert "html-has-lang (serious): html" in found
    assert "image-alt (critical): img" in found


def test_axe_accepts_a_clean_page(browser):
    page = browser.new_page()
    page.set_content(
        '<html lang="fr"><head><title>Accueil</title></head>'
        "<body><main><h1>Palmarès</h1><p>Bonjour.</p></main></body></html>"
    )

    found = violations(page)

    page.close()
    assert found == []


def test_transfer_counts_requests_and_reports_other_hosts(browser):
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.route(
        "http://tiers.example/**",
        lambda route: route.fulfill(status=200, content_type="text/css", body="p{}"),
    )
    page.set_content('<html><head><link rel="stylesheet" href="http://tiers.example/a.css">')
    page.wait_for_load_state("networkidle")

    figures = transfer(requests, "127.0.0.1:8000")

    page.close()
    assert figures["requests"] == 1
    assert figures["other_hosts"] == ["tiers.example"]
    assert figures["urls"] == ["http://tiers.example/a.css"]
