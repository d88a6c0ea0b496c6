"""The applicant's whole journey, in Chromium, as a brand-new agent of Épernay Agglo (issue 3).

Sign up, confirm the address from the email, log in, ask to be attached to the CA Epernay,
Coteaux et Plaine de Champagne (an organiser confirms it in their own browser), write a joint
dossier with the commune of Épernay, attach a PDF, have a 12-minute video refused (its measured
duration shown) and a 3-minute one accepted, submit, and receive the PDF receipt by SMTP once
the task worker has run. Every page seen along the way passes axe-core.
"""

import hashlib
import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from contests.defaults import LABEL_CRITERIA

from .keyboard import reflow_problem
from .mailbox import Mailbox
from .server import Site
from .test_pages import violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EMAIL = "agent@epernay-agglo.fr"
FULL_NAME = "Camille Martin"
PASSWORD = "Coteaux-et-bulles-2027"  # a throw-away account on a throw-away site
AGGLO = "CA Epernay, Coteaux et Plaine de Champagne"
COMMUNE = "Épernay"
EDITION = "Label Territoire Innovant 2027"
THEME = "Gestion des données"
TITLE = "Observatoire partagé des données du vignoble"
PDF_NAME = "presentation-observatoire.pdf"


class Journey:
    """Keeps the time of each step and the axe-core findings of every page seen."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.started = self.last = time.monotonic()
        self.timings: list[tuple[str, float]] = []
        self.findings: dict[str, list[str]] = {}

    def url(self, path: str) -> str:
        return self.site.base_url + path

    def axe(self, page: Page, label: str) -> None:
        """axe-core and the 320 px reflow check (RGAA 10.11) on the page as it is now; findings
        are kept, asserted at the end."""
        found = violations(page)
        if reflow := reflow_problem(page):
            found.append(f"reflow: {reflow}")
        if found:
            self.findings[f"{label} ({page.url})"] = found

    def step(self, name: str) -> None:
        now = time.monotonic()
        self.timings.append((name, round(now - self.last, 1)))
        self.last = now

    def report(self) -> str:
        lines = [f"  {name}: {seconds} s" for name, seconds in self.timings]
        total = round(time.monotonic() - self.started, 1)
        return "\n".join(["Journey timings:", *lines, f"  total: {total} s"])


def field(scope, label: str):
    """The form field labelled `label` (Django adds its French label suffix, « : »; the dossier
    form adds the note of a field that submission requires)."""
    note = r"(\s*\(obligatoire pour déposer[^)]*\))?"
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}{note}\s*:?$"))


def message(page: Page, text: str) -> None:
    """The page shows `text` as one of its flash messages, exactly."""
    expect(page.locator(".messages .message").filter(has_text=text)).to_have_text(text)


def make_pdf(path: Path) -> Path:
    """A real PDF, as applicants make them (WeasyPrint)."""
    from weasyprint import HTML

    HTML(
        string=(
            "<html lang='fr'><body><h1>Observatoire partagé des données du vignoble</h1>"
            "<p>Présentation du projet d'Épernay Agglo et de la ville d'Épernay.</p></body></html>"
        )
    ).write_pdf(path)
    return path


def make_video(path: Path, seconds: int) -> Path:
    """A real MP4 of `seconds` (one black frame per second: quick to make, a few kilobytes)."""
    subprocess.run(  # noqa: S603 - Debian's ffmpeg, our arguments
        [
            shutil.which("ffmpeg") or "ffmpeg",
            *["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=black:s=160x120:r=1"],
            *["-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast"],
            *["-pix_fmt", "yuv420p", str(path)],
        ],
        check=True,
        timeout=60,
    )
    return path


def pdf_letters(pdf: bytes) -> str:
    """The PDF's text without any whitespace (long fingerprints wrap where the layout wants)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s", "", "".join(page.extract_text() for page in reader.pages))


def sign_up_and_log_in(page: Page, journey: Journey, mailbox: Mailbox) -> None:
    page.goto(journey.url("/compte/inscription/"))
    journey.axe(page, "inscription")
    field(page, "Adresse électronique").fill(EMAIL)
    field(page, "Nom complet").fill(FULL_NAME)
    field(page, "Mot de passe").fill(PASSWORD)
    field(page, "Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page).to_have_url(journey.url("/compte/inscription/envoyee/"))
    expect(page.locator("h1")).to_have_text("Vérifiez votre boîte de réception")
    journey.axe(page, "inscription envoyée")

    # Every email leaves through the outbox and the task queue: the real worker sends it (this
    # first run also sends what seed_demo queued).
    journey.site.manage("db_worker", "--batch", "-v0")
    email = mailbox.to(EMAIL, "Label Territoire Innovant : confirmez votre adresse électronique")
    body = email.get_content()
    links = re.findall(rf"{re.escape(journey.url('/compte/confirmation/'))}\S+/", body)
    assert len(links) == 1, body
    page.goto(links[0])
    # The link signs the new agent in and continues to « Mes dossiers » (issue 14).
    expect(page).to_have_url(journey.url("/candidatures/"))
    expect(page.locator("h1")).to_have_text("Mes dossiers")
    expect(page.locator("main .message-success")).to_have_text(
        f"Merci : l'adresse {EMAIL} est confirmée."
    )
    expect(page.get_by_role("link", name="Mes dossiers", exact=True)).to_be_visible()
    journey.axe(page, "mes dossiers, connecté")
    journey.step("sign up, confirm (signed in)")


def attach_to_the_agglo(page: Page, journey: Journey, mailbox: Mailbox, browser) -> None:
    page.goto(journey.url("/compte/structures/rattacher/"))
    journey.axe(page, "rattacher")
    field(page, "Nom, code INSEE, SIREN ou code postal").fill("epernay")
    page.locator("main").get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("row").filter(has_text=AGGLO)).to_have_count(1)
    journey.axe(page, "rattacher, résultats")
    page.get_by_role("button", name=f"Demander le rattachement à {AGGLO}", exact=True).click()
    expect(page).to_have_url(journey.url("/compte/"))
    # No domain of the agglo is verified: the page says an organiser must confirm, and why.
    message(
        page,
        f"Demande de rattachement à « {AGGLO} » enregistrée. Un organisateur doit confirmer "
        "votre rattachement ; vous recevrez un courriel.",
    )
    journey.axe(page, "mon compte, rattachement en attente")

    # The organiser, in their own browser, confirms the request.
    organiser = browser.new_context(locale="fr-FR")
    session = journey.site.sessions["organiser"]
    organiser.add_cookies([{"name": "sessionid", "value": session, "url": journey.url("/")}])
    desk = organiser.new_page()
    try:
        desk.goto(journey.url("/compte/rattachements/"))
        journey.axe(desk, "rattachements (organisatrice)")
        desk.get_by_role("button", name=f"Confirmer le rattachement de {EMAIL} à {AGGLO}").click()
        message(
            desk,
            f"Le rattachement de {EMAIL} à « {AGGLO} » est confirmé. Un courriel l'en informe.",
        )
        journey.axe(desk, "rattachements, décision prise")
    finally:
        organiser.close()
    journey.site.manage("db_worker", "--batch", "-v0")
    mailbox.to(EMAIL, f"Votre rattachement à {AGGLO} est confirmé")
    journey.step("attach, organiser confirms")


def write_the_dossier(page: Page, journey: Journey) -> str:
    """Create the dossier, fill every required field, add Épernay; its reference."""
    page.goto(journey.url("/candidatures/"))
    journey.axe(page, "mes dossiers")
    page.get_by_role("link", name=f"Nouveau dossier – {EDITION}").click()
    expect(page.get_by_role("radio", name=AGGLO)).to_be_checked()
    journey.axe(page, "nouveau dossier")
    page.get_by_role("button", name="Créer le dossier").click()
    found = re.fullmatch(
        re.escape(journey.url("/candidatures/")) + r"(LTI-2027-\d{4})/modifier/", page.url
    )
    assert found, page.url
    reference = found.group(1)
    message(
        page,
        f"Dossier {reference} créé : remplissez-le, il est enregistré comme brouillon.",
    )
    journey.axe(page, "dossier créé")

    field(page, "Thème").select_option(label=THEME)
    field(page, "Titre du projet").fill(TITLE)
    field(page, "Résumé").fill(
        "Les données du vignoble et du territoire, ouvertes et partagées par l'agglomération "
        "et la ville d'Épernay."
    )
    field(page, "Description").fill(
        "Un observatoire commun publie les données de l'eau, des sols et des déplacements."
    )
    for criterion in LABEL_CRITERIA:
        field(page, criterion.name).fill(f"Notre réponse : {criterion.name}.")
    field(page, "Stade du projet").select_option(label="Expérimentation")
    field(page, "Début du projet").fill("2026-03-02")
    field(page, "Publics ou services touchés").fill(
        "Les habitants, les viticulteurs et les services des 47 communes."
    )
    field(page, "Personne à contacter").fill(FULL_NAME)
    field(page, "Adresse de contact").fill(EMAIL)

    # The partner search saves what was typed, then lists what it found.
    partners = page.locator("#partenaires")
    field(partners, "Chercher une structure partenaire").fill("epernay")
    partners.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(
        journey.url(f"/candidatures/{reference}/modifier/?partenaire=epernay#partenaires")
    )
    journey.axe(page, "dossier, recherche de co-porteur")
    partners.get_by_role("button", name=f"Ajouter {COMMUNE}", exact=True).click()
    message(page, "Liste des co-porteurs enregistrée.")
    expect(partners.locator("ul.partner-list > li")).to_have_text(
        [f"{COMMUNE} (Commune) Retirer {COMMUNE}"]
    )
    journey.axe(page, "dossier, co-porteur ajouté")
    page.get_by_role("button", name="Enregistrer le brouillon").first.click()
    message(page, "Brouillon enregistré.")
    # What was typed before the search is still there, saved.
    expect(field(page, "Titre du projet")).to_have_value(TITLE)
    journey.axe(page, "brouillon enregistré")
    journey.step("create and write the dossier")
    return reference


def attach_files(page: Page, journey: Journey, reference: str, workdir: Path) -> None:
    pdf = make_pdf(workdir / PDF_NAME)
    too_long = make_video(workdir / "pitch-12-minutes.mp4", 12 * 60)
    short = make_video(workdir / "pitch-3-minutes.mp4", 3 * 60)
    journey.step("make the PDF and the videos")

    page.get_by_role("link", name="Pièces jointes et vidéo de présentation").click()
    expect(page).to_have_url(journey.url(f"/candidatures/{reference}/pieces/"))
    journey.axe(page, "pièces jointes")

    field(page, "Pièce jointe").set_input_files(pdf)
    page.get_by_role("button", name="Joindre le fichier").click()
    message(page, f"« {PDF_NAME} » est joint au dossier.")
    expect(
        page.get_by_role("row").filter(has_text=PDF_NAME).get_by_role("cell").first
    ).to_have_text("document PDF")
    journey.axe(page, "pièce jointe ajoutée")

    field(page, "Fichier vidéo").set_input_files(too_long)
    page.get_by_role("button", name="Déposer la vidéo").click()
    expect(page.locator("#id_video-file_error")).to_have_text(
        "La vidéo dure 12 min 00 s ; la durée maximale est de 10 min."
    )
    expect(page.locator("main")).to_contain_text("Pas encore de vidéo.")
    journey.axe(page, "vidéo refusée")

    field(page, "Fichier vidéo").set_input_files(short)
    page.get_by_role("button", name="Déposer la vidéo").click()
    message(page, "La vidéo est déposée (durée : 3 min 00 s).")
    expect(page.locator("main")).to_contain_text(
        "Fichier « pitch-3-minutes.mp4 », durée mesurée : 3 min 00 s."
    )
    journey.axe(page, "vidéo acceptée")
    journey.step("upload the files")


def submit(page: Page, journey: Journey, reference: str) -> str:
    """Submit from the form; the fingerprint the dossier page shows."""
    page.goto(journey.url(f"/candidatures/{reference}/modifier/"))
    journey.axe(page, "dossier avant dépôt")
    page.get_by_role("button", name="Déposer le dossier").click()
    expect(page).to_have_url(journey.url(f"/candidatures/{reference}/"))
    confirmation = page.locator(".messages .message-success")
    expect(confirmation).to_have_text(
        re.compile(
            r"^Dossier déposé le \d{1,2}(er)? \S+ \d{4} à \d\d:\d\d \(heure de Paris\)\. "
            r"Un accusé de réception en PDF est envoyé par courriel\.$"
        )
    )
    facts = page.locator("dl.facts").first
    expect(facts.locator("dt:text-is('État') + dd .badge")).to_have_text("Déposé")
    expect(facts.locator("dt:text-is('Structure porteuse') + dd")).to_have_text(AGGLO)
    expect(facts.locator("dt:text-is('Co-porteurs') + dd")).to_have_text(f"Commune d'{COMMUNE}")
    # The moment on the page is the one the confirmation gives, and the state is said once.
    moment = re.search(r"le (.+ à \d\d:\d\d) \(", confirmation.inner_text()).group(1)
    expect(facts.locator("dt:text-is('État') + dd")).to_have_text("Déposé")
    expect(facts.locator("dt:text-is('Date de dépôt') + dd")).to_have_text(
        f"{moment} (heure de Paris)"
    )
    fingerprint = facts.locator("dt:text-is('Empreinte SHA-256 du dépôt') + dd code").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint), fingerprint
    journey.axe(page, "dossier déposé")

    page.locator("main").get_by_role("link", name="Mes dossiers", exact=True).click()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row.get_by_role("cell")).to_have_text(
        [
            EDITION,
            "Déposé",
            re.compile(
                r"^\s*Candidatures closes \(recevabilité\) : \d{1,2}(er)? \S+ \d{4} à 12:00"
                r"\s+Sélections régionales : \d{1,2}(er)? \S+ \d{4} à 09:00\s*$"
            ),
            "Dossier déposé : l'équipe organisatrice l'examine. Rien à faire pour l'instant.",
        ]
    )
    journey.axe(page, "mes dossiers, dossier déposé")
    journey.step("submit")
    return fingerprint


def test_a_new_agent_applies_with_a_partner_and_receives_the_receipt(
    site: Site, browser, mailbox: Mailbox, tmp_path: Path
):
    journey = Journey(site)
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        sign_up_and_log_in(page, journey, mailbox)
        attach_to_the_agglo(page, journey, mailbox, browser)
        reference = write_the_dossier(page, journey)
        attach_files(page, journey, reference, tmp_path)
        fingerprint = submit(page, journey, reference)
    finally:
        context.close()

    # The receipt leaves through the task queue: nothing before the worker runs, then one run
    # of the real worker sends it.
    subject = f"Dossier {reference} déposé – {EDITION}"
    assert [m for m in mailbox.messages() if m["Subject"] == subject] == []
    site.manage("db_worker", "--batch", "-v0")
    journey.step("task worker")
    receipt = mailbox.to(EMAIL, subject)
    attachments = list(receipt.iter_attachments())
    assert [(a.get_filename(), a.get_content_type()) for a in attachments] == [
        (f"recepisse-{reference}.pdf", "application/pdf")
    ]
    pdf = attachments[0].get_content()
    assert pdf.startswith(b"%PDF")
    letters = pdf_letters(pdf)
    assert f"Dossier{reference}" in letters
    assert f"EmpreinteSHA-256ducontenudéposé{fingerprint}" in letters
    assert f"Co-porteurs{COMMUNE}" in letters
    # The attached PDF is listed with the fingerprint of the very file that was uploaded.
    assert hashlib.sha256((tmp_path / PDF_NAME).read_bytes()).hexdigest() in letters
    body = receipt.get_body(preferencelist=("plain",)).get_content()
    assert (
        f"Le dossier {reference} « {TITLE} » porté par « {AGGLO} » a été déposé au {EDITION} le "
        in body
    )
    assert f"Suivre le dossier : {site.base_url}/candidatures/{reference}/" in body.splitlines()
    journey.step("receipt checked")
    print(journey.report())

    assert journey.findings == {}
