"""The call for applications, in Chromium (issue 14, items 1 and 2).

A visitor lands on the home page, finds the open call of the 2027 demo edition (seed_demo opened
it through its checklist), reads its themes and its deadline, clicks « Candidater » and reaches
sign-up with the new dossier as `next`. An organiser creates the 2041 edition: its call is not
published (404), the checklist refuses to open it while the rules are missing, then opens it once
they are written. Every page seen passes axe-core.
"""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from .server import Site
from .test_pages import violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LABEL = "label-territoire-innovant"
CALL_2027 = f"/candidater/{LABEL}/2027/"
START_2027 = f"/candidatures/nouveau/{LABEL}/2027/"
EDITION_2041 = f"/organisation/concours/{LABEL}/2041/"
CALL_2041 = f"/candidater/{LABEL}/2041/"


def check(page: Page, findings: dict[str, list[str]], label: str) -> None:
    if found := violations(page):
        findings[f"{label} ({page.url})"] = found


def test_a_visitor_finds_the_open_call_and_reaches_sign_up(site: Site, browser):
    findings: dict[str, list[str]] = {}
    # JavaScript stays on for axe-core; the call page has no script (tests/applications).
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(site.base_url + "/")
        calls = page.get_by_role("region", name="Appels à candidatures ouverts")
        expect(calls).to_contain_text("(heure de Paris)")
        check(page, findings, "accueil")
        calls.get_by_role("link", name="Label Territoire Innovant 2027").click()

        expect(page).to_have_url(site.base_url + CALL_2027)
        expect(page.locator("h1")).to_have_text(
            "Appel à candidatures Label Territoire Innovant 2027"
        )
        expect(page.locator("main .lead")).to_contain_text(
            re.compile(
                r"Les dossiers se déposent jusqu'au \S+ \S+ \d{4} à \d\d:\d\d \(heure de Paris\)"
            )
        )
        expect(page.get_by_role("heading", name="Thèmes", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name="Gestion des données", level=3)).to_be_visible()
        expect(page.locator("main")).to_contain_text("Date limite de dépôt des dossiers")
        check(page, findings, "appel 2027")

        page.locator("main").get_by_role("link", name="Candidater", exact=True).first.click()
        expect(page).to_have_url(
            f"{site.base_url}/compte/inscription/?next={quote(START_2027, safe='')}"
        )
        expect(page.get_by_role("button", name="Créer mon compte")).to_be_visible()
        check(page, findings, "inscription depuis l'appel")

        page.goto(site.base_url + "/candidater/")
        expect(page.get_by_role("link", name="Label Territoire Innovant 2027")).to_be_visible()
        check(page, findings, "appels ouverts")
    finally:
        context.close()
    assert findings == {}


def test_the_organiser_opens_a_call_only_once_it_is_complete(site: Site, browser):
    findings: dict[str, list[str]] = {}
    context = browser.new_context(locale="fr-FR")
    url = site.base_url
    context.add_cookies([{"name": "sessionid", "value": site.sessions["organiser"], "url": url}])
    page = context.new_page()
    try:
        page.goto(f"{url}/organisation/concours/{LABEL}/editions/nouvelle/")
        page.get_by_label("Année").fill("2041")
        page.get_by_role("button", name=re.compile("Créer")).click()
        expect(page).to_have_url(url + EDITION_2041)
        assert page.request.get(url + CALL_2041).status == 404  # not published yet

        # A theme, so that only the rules and the contact are missing.
        page.goto(f"{url}{EDITION_2041}themes/")
        page.locator("[name=themes-0-name]").fill("Gestion des données")
        page.locator("main form").get_by_role("button", name="Enregistrer").click()

        page.goto(f"{url}{EDITION_2041}appel/")
        expect(page.locator("main")).to_contain_text("complétez : règlement, contact.")
        check(page, findings, "liste de vérification")
        page.get_by_role("button", name="Ouvrir l'appel à candidatures").click()
        expect(page.locator("main .message-error")).to_have_text(
            "L'appel ne peut pas être ouvert : il manque règlement, contact."
        )
        check(page, findings, "ouverture refusée")
        assert page.request.get(url + CALL_2041).status == 404

        page.get_by_role("link", name="Modifier : règlement").click()
        page.get_by_label("Règlement", exact=False).first.fill("Article 1 – Objet du concours.")
        page.get_by_label("Adresse de contact").fill("label@palmares.localhost")
        check(page, findings, "règlement")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator("main .message-success")).to_have_text("Le règlement a été enregistré.")

        page.goto(f"{url}{EDITION_2041}appel/")
        page.get_by_role("button", name="Ouvrir l'appel à candidatures").click()
        expect(page.locator("main .message-success")).to_contain_text(
            "L'appel à candidatures est ouvert jusqu'au 15 décembre 2040 à 09:00"
        )
        check(page, findings, "appel ouvert")

        page.goto(url + CALL_2041)
        expect(page.locator("main")).to_contain_text("Article 1 – Objet du concours.")
        expect(page.locator("main")).to_contain_text("label@palmares.localhost")
        check(page, findings, "appel 2041 publié")
    finally:
        context.close()
    assert findings == {}
