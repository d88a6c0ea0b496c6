"""The call for applications played whole, as a person lives it (issue 14, how it is checked).

A visitor lands on the home page, finds the open 2027 call, reads it, clicks « Candidater »,
signs up, confirms by the emailed link (real SMTP on loopback) and is signed in on the step that
continues: the new dossier asks for a structure. The new agent types « Commune de Brest », asks
to be attached; the organiser receives the digest of attachment requests, sees the counter on
the dashboard and confirms from there. The agent, told by email, comes back to the new dossier,
writes it, submits it and receives the PDF receipt. axe-core finds nothing on every page seen;
each step leaves a screenshot in /tmp/journey-call/ for a person to look at.
"""

import re
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from contests.defaults import LABEL_CRITERIA

from .mailbox import Mailbox
from .server import Site
from .test_journey_application import field, message
from .test_pages import violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path(tempfile.gettempdir()) / "journey-call"  # screenshots, for a person to look at
EMAIL = "camille.le-goff@laposte.example"  # no verified domain: an organiser must confirm
FULL_NAME = "Camille Le Goff"
PASSWORD = "Rade-de-Brest-2027"  # a throw-away account on a throw-away site
ORGANISER = "organisatrice@interconnectes.fr"
EDITION = "Label Territoire Innovant 2027"
START = "/candidatures/nouveau/label-territoire-innovant/2027/"
TITLE = "Carte partagée des usages du littoral"


class Walk:
    """One person's walk: screenshots numbered in order, axe-core findings kept for the end."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.count = 0
        self.findings: dict[str, list[str]] = {}
        SHOTS.mkdir(parents=True, exist_ok=True)

    def url(self, path: str) -> str:
        return self.site.base_url + path

    def see(self, page: Page, name: str) -> None:
        """Screenshot the whole page and run axe-core on it."""
        self.count += 1
        page.screenshot(path=SHOTS / f"{self.count:02d}-{name}.png", full_page=True)
        if found := violations(page):
            self.findings[f"{name} ({page.url})"] = found

    def worker(self) -> None:
        """Emails leave through the outbox and the task queue: one run of the real worker."""
        self.site.manage("db_worker", "--batch", "-v0")


def visitor_finds_the_call_and_signs_up(page: Page, walk: Walk, mailbox: Mailbox) -> None:
    page.goto(walk.url("/"))
    walk.see(page, "accueil")
    page.get_by_role("banner").get_by_role("link", name="Candidater", exact=True).click()
    expect(page).to_have_url(walk.url("/candidater/"))
    walk.see(page, "appels-ouverts")
    page.locator("main").get_by_role("link", name=EDITION).click()
    expect(page.locator("h1")).to_have_text(f"Appel à candidatures {EDITION}")
    expect(page.locator("main .lead")).to_contain_text("(heure de Paris)")
    expect(page.get_by_role("heading", name="Gestion des données", level=3)).to_be_visible()
    walk.see(page, "appel-2027")

    page.locator("main").get_by_role("link", name="Candidater", exact=True).first.click()
    expect(page).to_have_url(walk.url(f"/compte/inscription/?next={quote(START, safe='')}"))
    walk.see(page, "inscription")
    field(page, "Adresse électronique").fill(EMAIL)
    field(page, "Nom complet").fill(FULL_NAME)
    field(page, "Mot de passe").fill(PASSWORD)
    field(page, "Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("h1")).to_have_text("Vérifiez votre boîte de réception")
    walk.see(page, "inscription-envoyee")

    walk.worker()
    email = mailbox.to(EMAIL, "Label Territoire Innovant : confirmez votre adresse électronique")
    links = re.findall(rf"{re.escape(walk.url('/compte/confirmation/'))}\S+", email.get_content())
    assert len(links) == 1, email.get_content()
    page.goto(links[0])
    # Signed in, on the step that continues: the new dossier, which first needs a structure.
    expect(page).to_have_url(walk.url(START))
    message(page, f"Merci : l'adresse {EMAIL} est confirmée.")
    expect(page.locator("h1")).to_have_text(f"Nouveau dossier – {EDITION}")
    walk.see(page, "confirme-nouveau-dossier-sans-structure")


def agent_asks_for_brest(page: Page, walk: Walk) -> None:
    page.locator("main").get_by_role("link", name="Rattacher mon compte à une structure").click()
    walk.see(page, "rattacher")
    field(page, "Nom, code INSEE, SIREN ou code postal").fill("Commune de Brest")
    page.locator("main").get_by_role("button", name="Rechercher").click()
    first = page.locator("table.results tbody tr").first
    expect(first.locator("th, td").first).to_contain_text("Brest")
    walk.see(page, "rattacher-commune-de-brest")
    first.get_by_role("button", name="Demander le rattachement à Brest", exact=True).click()
    # Back on the new dossier, which says what it waits for.
    expect(page).to_have_url(walk.url(START))
    message(
        page,
        "Demande de rattachement à « Commune de Brest » enregistrée. Un organisateur doit "
        "confirmer votre rattachement ; vous recevrez un courriel.",
    )
    expect(page.locator("main .message-warning")).to_contain_text(
        "Votre demande de rattachement à « Commune de Brest » attend la confirmation de "
        "l'équipe organisatrice du Label Territoire Innovant ; vous recevrez un courriel. "
        "Revenez ensuite sur cette page pour créer le dossier."
    )
    walk.see(page, "rattachement-demande")


def organiser_confirms_from_the_dashboard(browser, walk: Walk, mailbox: Mailbox) -> str:
    """The organiser confirms; the link the agent's email gives to go on."""
    walk.site.manage("send_membership_digest", "-v0")
    walk.worker()
    digest = mailbox.wait_for(
        lambda m: ORGANISER in str(m["To"]) and "demande(s) de rattachement" in str(m["Subject"])
    )[-1]
    body = digest.get_content()
    assert f"{FULL_NAME} ({EMAIL}) pour Commune de Brest, demandé le " in body, body
    assert walk.url("/compte/rattachements/") in body

    context = browser.new_context(locale="fr-FR")
    session = walk.site.sessions["organiser"]
    context.add_cookies([{"name": "sessionid", "value": session, "url": walk.url("/")}])
    desk = context.new_page()
    try:
        desk.goto(walk.url("/organisation/"))
        counter = desk.locator("main").get_by_role("link", name=re.compile("rattachement"))
        expect(counter).to_have_text(re.compile(r"demandes? de rattachement attend"))
        walk.see(desk, "organisatrice-tableau-de-bord")
        counter.click()
        expect(desk).to_have_url(re.compile(re.escape(walk.url("/compte/rattachements/"))))
        walk.see(desk, "organisatrice-rattachements")
        desk.get_by_role(
            "button", name=f"Confirmer le rattachement de {EMAIL} à Brest", exact=True
        ).click()
        message(
            desk,
            f"Le rattachement de {EMAIL} à « Commune de Brest » est confirmé. "
            "Un courriel l'en informe.",
        )
        walk.see(desk, "organisatrice-rattachement-confirme")
    finally:
        context.close()
    walk.worker()
    confirmed = mailbox.to(EMAIL, "Votre rattachement à Brest est confirmé").get_content()
    links = re.findall(rf"{re.escape(walk.url('/candidatures/'))}(?=\s)", confirmed)
    assert len(links) == 1, confirmed
    return links[0]


def agent_writes_and_submits(page: Page, walk: Walk, applications_url: str) -> str:
    # From the email, to « Mes dossiers », which offers the dossier of the open call.
    page.goto(applications_url)
    walk.see(page, "mes-dossiers-rattache")
    page.get_by_role("link", name=f"Nouveau dossier – {EDITION}").click()
    expect(page).to_have_url(walk.url(START))
    expect(page.get_by_role("radio", name="Brest")).to_be_checked()
    walk.see(page, "nouveau-dossier")
    page.get_by_role("button", name="Créer le dossier").click()
    found = re.fullmatch(
        re.escape(walk.url("/candidatures/")) + r"(LTI-2027-\d{4})/modifier/", page.url
    )
    assert found, page.url
    reference = found.group(1)
    walk.see(page, "dossier-cree")

    field(page, "Thème").select_option(label="Gestion des données")
    field(page, "Titre du projet").fill(TITLE)
    field(page, "Résumé").fill("Les usages de la rade cartographiés avec les habitants.")
    field(page, "Description").fill("Une carte ouverte des usages du littoral brestois.")
    for criterion in LABEL_CRITERIA:
        field(page, criterion.name).fill(f"Notre réponse : {criterion.name}.")
    field(page, "Stade du projet").select_option(label="Expérimentation")
    field(page, "Début du projet").fill("2026-04-01")
    field(page, "Publics ou services touchés").fill("Les habitants et les usagers de la rade.")
    field(page, "Personne à contacter").fill(FULL_NAME)
    field(page, "Adresse de contact").fill(EMAIL)
    walk.see(page, "dossier-rempli")
    page.get_by_role("button", name="Déposer le dossier").click()
    expect(page).to_have_url(walk.url(f"/candidatures/{reference}/"))
    expect(page.locator(".messages .message-success")).to_contain_text("Dossier déposé le ")
    walk.see(page, "dossier-depose")
    return reference


def test_a_visitor_answers_the_call_as_a_new_agent_of_brest(site: Site, browser, mailbox: Mailbox):
    walk = Walk(site)
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        visitor_finds_the_call_and_signs_up(page, walk, mailbox)
        agent_asks_for_brest(page, walk)
        applications_url = organiser_confirms_from_the_dashboard(browser, walk, mailbox)
        reference = agent_writes_and_submits(page, walk, applications_url)
    finally:
        context.close()

    walk.worker()
    receipt = mailbox.to(EMAIL, f"Dossier {reference} déposé – {EDITION}")
    assert [a.get_filename() for a in receipt.iter_attachments()] == [f"recepisse-{reference}.pdf"]
    assert walk.findings == {}
