"""The dossier form and page by keyboard (issue 21): fields that submission requires are marked
before any attempt, a refused submission's summary takes the focus and links every missing
field (RGAA 11.10), the sticky save bar never hides the focused field, the skip link's ring
shows in full, a submitted dossier reflows at 320 px, and an English page writes its dates in
English.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from contests.defaults import LABEL_CRITERIA

from .keyboard import REFLOW_WIDTH, focused_description, reflow_problem, tab_to
from .registry import LABEL, RENNES_DRAFT, SUBMITTED_DOSSIER
from .server import Site
from .test_pages import violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

REQUIRED = "(obligatoire pour déposer)"


def signed_in(browser, site: Site, persona: str, *, language: str = "fr", **options) -> Page:
    context = browser.new_context(locale="fr-FR", **options)
    context.add_cookies(
        [
            {"name": "sessionid", "value": site.sessions[persona], "url": site.base_url},
            {"name": "django_language", "value": language, "url": site.base_url},
        ]
    )
    return context.new_page()


@pytest.fixture
def applicant(browser, site: Site) -> Page:
    page = signed_in(browser, site, "applicant")
    yield page
    page.context.close()


def test_fields_that_submission_requires_are_marked_before_any_attempt(applicant, site: Site):
    applicant.goto(f"{site.base_url}/candidatures/{RENNES_DRAFT}/modifier/")

    form = applicant.locator("#dossier")
    for label in [
        "Thème",
        "Titre du projet",
        "Résumé",
        "Description",
        *(criterion.name for criterion in LABEL_CRITERIA),
        "Stade du projet",
        "Publics ou services touchés",
        "Personne à contacter",
        "Adresse de contact",
    ]:
        expect(form.get_by_label(f"{label} {REQUIRED}\u00a0:", exact=True)).to_have_count(1)
    expect(
        form.get_by_label(
            "Début du projet (obligatoire pour déposer un projet en expérimentation ou déployé)"
            "\u00a0:",
            exact=True,
        )
    ).to_have_count(1)
    # Optional for submission: no note.
    for label in ["Budget (euros)", "Financements", "Téléphone de contact"]:
        expect(form.get_by_label(f"{label}\u00a0:", exact=True)).to_have_count(1)
    expect(form.locator(".submission-note").first).to_be_visible()


def test_a_refused_submission_links_every_missing_field_and_takes_the_focus(applicant, site: Site):
    applicant.goto(f"{site.base_url}/candidatures/nouveau/{LABEL}/2027/")
    tab_to(applicant, applicant.get_by_role("button", name="Créer le dossier"))
    applicant.keyboard.press("Enter")
    expect(applicant).to_have_url(re.compile(r"/candidatures/LTI-2027-\d{4}/modifier/$"))
    reference = re.search(r"LTI-2027-\d{4}", applicant.url).group(0)
    tab_to(applicant, applicant.get_by_label(re.compile(r"^Titre du projet")))
    applicant.keyboard.type("Un titre, et rien d'autre")
    tab_to(applicant, applicant.get_by_role("button", name="Déposer le dossier"))
    applicant.keyboard.press("Enter")

    expect(applicant).to_have_title(f"Erreur – Modifier le dossier {reference} · Palmarès")
    summary = applicant.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.get_by_role("link")
    expect(links).to_have_text(
        [
            "le thème",
            "le résumé",
            "la description",
            *(f"la réponse au critère « {criterion.name} »" for criterion in LABEL_CRITERIA),
            "le stade du projet",
            "les publics ou services touchés",
            "la personne à contacter",
            "l'adresse de contact",
        ]
    )
    # Every link leads to a field flagged as invalid, whose error is tied to it.
    for href in links.evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        target = applicant.locator(href)
        expect(target).to_have_attribute("aria-invalid", "true")
        expect(target).to_have_attribute("aria-describedby", re.compile(r"_error\b"))
    applicant.keyboard.press("Tab")
    applicant.keyboard.press("Tab")
    applicant.keyboard.press("Enter")  # « le résumé »
    expect(applicant.get_by_label(re.compile(r"^Résumé"))).to_be_focused()
    assert violations(applicant) == []


@pytest.mark.parametrize("width", [1280, REFLOW_WIDTH])
def test_the_save_bar_never_covers_the_focused_field(browser, site: Site, width: int):
    page = signed_in(browser, site, "applicant", viewport={"width": width, "height": 700})
    try:
        page.goto(f"{site.base_url}/candidatures/{RENNES_DRAFT}/modifier/")
        last = page.get_by_role("button", name="Déposer le dossier")
        tab_to(page, last)
        hidden = []
        # Up the whole form with Shift+Tab, as far as the bar's own button.
        for _ in range(120):
            page.keyboard.press("Shift+Tab")
            covered = page.evaluate(
                """async () => { const bar = document.querySelector('.dossier-toolbar');
                // Smooth scrolling: measure once the page has stopped moving. A loaded
                // machine may start the scroll a few frames late, so the page must stay
                // still for ten frames in a row, not two.
                const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
                for (let last = scrollY, still = 0, i = 0; i < 600 && still < 10; i++) {
                  await frame();
                  still = scrollY === last ? still + 1 : 0;
                  last = scrollY;
                }
                const focused = document.activeElement;
                if (bar.contains(focused)) return 'bar';
                const top = focused.getBoundingClientRect().top;
                return top < bar.getBoundingClientRect().bottom ? 'covered' : 'visible'; }"""
            )
            if covered == "bar":
                break
            if covered == "covered":
                hidden.append(focused_description(page))
        else:
            raise AssertionError("Shift+Tab never reached the save bar")
    finally:
        page.context.close()

    assert hidden == []


def test_the_skip_link_shows_its_whole_focus_ring(browser, site: Site):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(site.base_url + "/")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Aller au contenu")
        expect(skip).to_be_focused()
        ring = skip.evaluate(
            """link => { const style = getComputedStyle(link);
            const reach = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
            const box = link.getBoundingClientRect();
            return {style: style.outlineStyle, top: box.top - reach, left: box.left - reach}; }"""
        )
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
    finally:
        context.close()

    assert ring["style"] == "solid"
    assert ring["top"] >= 0 and ring["left"] >= 0, ring


def test_a_submitted_dossier_reflows_at_320_px(browser, site: Site):
    page = signed_in(browser, site, "organiser", viewport={"width": REFLOW_WIDTH, "height": 640})
    try:
        page.goto(f"{site.base_url}/candidatures/{SUBMITTED_DOSSIER}/")
        fingerprint = page.locator("dt:text-is('Empreinte SHA-256 du dépôt') + dd code")
        expect(fingerprint).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        receipt = page.get_by_role("link", name="Accusé de réception (PDF)")
        tab_to(page, receipt)
        right = receipt.evaluate("link => link.getBoundingClientRect().right")
        problem = reflow_problem(page)
    finally:
        page.context.close()

    assert problem is None
    assert right <= REFLOW_WIDTH


def test_an_english_dossier_page_writes_its_dates_in_english(browser, site: Site):
    page = signed_in(browser, site, "applicant", language="en")
    try:
        page.goto(f"{site.base_url}/candidatures/{RENNES_DRAFT}/")
        deadline = page.locator("dt:text-is('Submission deadline') + dd").inner_text()
        page.goto(f"{site.base_url}/candidatures/{RENNES_DRAFT}/modifier/")
        lead = page.locator("p.lead").inner_text()
    finally:
        page.context.close()

    english = r"[A-Z][a-z]{2}\.? \d{1,2}, \d{4} at (noon|midnight|\d{1,2}(:\d\d)? [ap]\.m\.)"
    assert re.fullmatch(rf"{english} \(Paris time\)", deadline), deadline
    assert re.search(rf"To be submitted before {english} \(Paris time\)\.", lead), lead
    assert " à " not in deadline + lead
