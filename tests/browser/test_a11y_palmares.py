"""The palmarès filters and pages by keyboard (issue 21; RGAA 7.1, 7.4, 12.8).

Filters apply as the page says: with the « Appliquer les filtres » button, never on change, so
unticking a box leaves its group open and the focus on it, and the arrow keys of the year list
send nothing. Applying the filters or going to the next page moves the focus to the results
heading and updates the document title. Without JavaScript the same form works.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from .keyboard import has_focus, tab_to
from .server import Site

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PALMARES = "/palmares/"
COUNT = r"\d+ lauréats?"


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(locale="fr-FR")
    yield context.new_page()
    context.close()


def searches(page: Page) -> list[str]:
    """The requests of the palmarès page to itself, from now on (HTMX or not)."""
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if PALMARES in request.url else 0)
    return sent


def kind_group(page: Page):
    """The folding group of the kinds of structure."""
    return page.locator("details.facet-group").filter(
        has=page.locator("summary", has_text="Type de structure")
    )


def settle(page: Page) -> None:
    """Leave any request a key would have sent the time to leave and come back."""
    page.wait_for_timeout(400)
    page.wait_for_load_state("networkidle")


def test_unticking_a_filter_keeps_its_group_open_and_the_focus(page: Page, site: Site):
    page.goto(site.base_url + PALMARES + "?kind=commune")
    group = kind_group(page)
    expect(group).to_have_attribute("open", "")
    commune = page.get_by_role("checkbox", name=re.compile(r"^Commune \(\d+\)$"))
    expect(commune).to_be_checked()
    sent = searches(page)

    tab_to(page, commune)
    page.keyboard.press("Space")
    settle(page)

    expect(commune).not_to_be_checked()
    assert has_focus(commune)
    expect(group).to_have_attribute("open", "")
    assert sent == []

    tab_to(page, page.get_by_role("button", name="Appliquer les filtres"))
    page.keyboard.press("Enter")

    heading = page.locator("#resultats-titre")
    expect(heading).to_be_focused()
    expect(page).to_have_url(re.compile(r"/palmares/\?q=&year=&level="))
    assert "kind=" not in page.url
    expect(group).to_have_attribute("open", "")
    expect(page).to_have_title(re.compile(rf"^Recherche dans le palmarès – {COUNT} · Palmarès$"))
    expect(page).to_have_title(f"Recherche dans le palmarès – {heading.inner_text()} · Palmarès")


def test_next_page_moves_the_focus_to_the_results_heading_and_titles_it(page: Page, site: Site):
    page.goto(site.base_url + PALMARES)
    expect(page).not_to_have_title("Palmarès · Palmarès")
    first = page.locator(".search-awards h3").first.inner_text()

    tab_to(page, page.get_by_role("link", name="Page suivante"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(site.base_url + PALMARES + "?page=2")
    expect(page.locator("#resultats-titre")).to_be_focused()
    expect(page).to_have_title(
        re.compile(rf"^Recherche dans le palmarès – {COUNT} – page 2 · Palmarès$")
    )
    expect(page.locator(".pagination [aria-current='page']")).to_have_text(
        re.compile(r"^\s*Page 2 sur \d+\s*$")
    )
    expect(page.locator(".search-awards h3").first).not_to_have_text(first)


def test_arrow_keys_in_the_year_list_send_nothing_until_applied(page: Page, site: Site):
    page.goto(site.base_url + PALMARES)
    year = page.get_by_label("Année")
    sent = searches(page)

    tab_to(page, year)
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    settle(page)

    assert sent == []
    assert has_focus(year)
    chosen = year.input_value()
    assert re.fullmatch(r"\d{4}", chosen)

    tab_to(page, page.get_by_role("button", name="Appliquer les filtres"))
    page.keyboard.press("Enter")

    expect(page.locator("#resultats-titre")).to_be_focused()
    expect(page).to_have_url(re.compile(rf"year={chosen}"))
    assert len(sent) == 1
    expect(page.locator(".search-awards .award-facts").first).to_contain_text(chosen)


def test_the_filters_work_without_javascript(browser, site: Site):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site.base_url + PALMARES)
        summary = kind_group(page).locator("summary")
        tab_to(page, summary)
        page.keyboard.press("Enter")  # opens the group: <details> needs no script
        commune = page.get_by_role("checkbox", name=re.compile(r"^Commune \(\d+\)$"))
        tab_to(page, commune)
        page.keyboard.press("Space")
        tab_to(page, page.get_by_role("button", name="Appliquer les filtres"))
        page.keyboard.press("Enter")

        expect(page).to_have_url(re.compile(r"kind=commune"))
        expect(page.get_by_role("checkbox", name=re.compile(r"^Commune"))).to_be_checked()
        expect(page).to_have_title(
            re.compile(rf"^Recherche dans le palmarès – {COUNT} · Palmarès$")
        )
    finally:
        context.close()
