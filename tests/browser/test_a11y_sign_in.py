"""Sign-in keeps where the person was going, and its errors are summarised (issue 21), played by
keyboard alone in Chromium.

An expired session during a dossier edit comes back, after sign-in, to the dossier with its
message and the text the server kept; a deep link behind sign-in returns to it; another host's
address is ignored; the sign-up link carries the destination to the confirmation page; a
refused sign-in or sign-up shows a summary that takes the focus and links each field.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from .keyboard import tab_to
from .mailbox import Mailbox
from .personas import APPLICANT_EMAIL, PASSWORD
from .registry import RENNES_DRAFT
from .server import Site
from .test_pages import violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EDIT = f"/candidatures/{RENNES_DRAFT}/modifier/"


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(locale="fr-FR")
    yield context.new_page()
    context.close()


def sign_in_by_keyboard(page: Page, email: str = APPLICANT_EMAIL) -> None:
    """On the login page: the address field has the focus; type, Tab, type, Enter."""
    address = page.get_by_label(re.compile(r"^Adresse électronique"))
    expect(address).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def test_a_deep_link_behind_sign_in_returns_to_it(page: Page, site: Site):
    page.goto(site.base_url + "/candidatures/")
    expect(page).to_have_url(site.base_url + "/compte/connexion/?next=/candidatures/")

    sign_in_by_keyboard(page)

    expect(page).to_have_url(site.base_url + "/candidatures/")
    expect(page.locator("h1")).to_have_text("Mes dossiers")


def test_a_next_address_on_another_host_is_ignored(page: Page, site: Site):
    page.goto(site.base_url + "/compte/connexion/?next=https://exemple.invalid/piege/")
    expect(page.locator("main input[name='next']")).to_have_count(0)

    sign_in_by_keyboard(page)

    expect(page).to_have_url(site.base_url + "/")


def test_an_expired_session_comes_back_to_the_dossier_with_the_kept_text(page: Page, site: Site):
    page.goto(site.base_url + EDIT)
    sign_in_by_keyboard(page)
    expect(page).to_have_url(site.base_url + EDIT)
    title = page.get_by_label(re.compile(r"^Titre du projet"))
    tab_to(page, title)
    page.keyboard.press("End")
    page.keyboard.type(" — version du soir")
    typed = title.input_value()

    # The session ends (expired on the server: the cookie no longer names one).
    page.context.add_cookies(
        [{"name": "sessionid", "value": "session-expiree", "url": site.base_url}]
    )
    page.keyboard.press("Tab")  # leaving the field autosaves, which the server refuses
    expect(page.locator("#autosave-status")).to_have_text(
        "Votre session a expiré : enregistrez avec le bouton, vos saisies seront conservées."
    )
    save = page.get_by_role("button", name="Enregistrer le brouillon").first
    tab_to(page, save, backwards=True)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(site.base_url + "/compte/connexion/?next=")))
    sign_in_by_keyboard(page)

    expect(page).to_have_url(re.compile(re.escape(site.base_url + EDIT) + r"\?restore=\S+$"))
    expect(page.locator(".messages .message-warning")).to_have_text(
        "Votre session avait expiré : voici ce que vous aviez saisi, pas encore enregistré. "
        "Vérifiez-le, puis enregistrez le brouillon. Les fichiers joints n'ont pas pu être "
        "conservés."
    )
    expect(page.get_by_label(re.compile(r"^Titre du projet"))).to_have_value(typed)


def test_the_sign_up_link_carries_the_destination_to_the_confirmed_sign_in(
    page: Page, site: Site, mailbox: Mailbox
):
    email = "agent.inscription@rennes.fr"
    page.goto(site.base_url + "/candidatures/")  # to the login page, with next
    tab_to(page, page.get_by_role("link", name="Créer un compte"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.base_url + "/compte/inscription/?next=/candidatures/")
    tab_to(page, page.get_by_label(re.compile(r"^Adresse électronique")))
    page.keyboard.type(email)
    tab_to(page, page.get_by_label(re.compile(r"^Nom complet")))
    page.keyboard.type("Agent inscrit depuis un lien")
    tab_to(page, page.get_by_label(re.compile(r"^Mot de passe")))
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_label(re.compile(r"^Confirmation du mot de passe")))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.base_url + "/compte/inscription/envoyee/")

    # The sign-up and its email are the task queue's work (accounts/tasks.py): the worker runs.
    site.manage("db_worker", "--batch", "-v0")
    message = mailbox.to(email, "Label Territoire Innovant : confirmez votre adresse électronique")
    link = re.search(r"http://\S+/compte/confirmation/\S+", message.get_content()).group(0)
    assert link.endswith("/?next=%2Fcandidatures%2F")
    page.goto(link)

    # The link signs the person in and continues where they were going.
    expect(page).to_have_url(site.base_url + "/candidatures/")
    expect(page.locator(".messages")).to_contain_text(f"Merci : l'adresse {email} est confirmée.")


def test_a_refused_sign_in_summarises_its_errors_and_takes_the_focus(page: Page, site: Site):
    page.goto(site.base_url + "/compte/connexion/")
    expect(page.get_by_label(re.compile(r"^Adresse électronique"))).to_be_focused()
    page.keyboard.press("Enter")  # in the empty address field

    expect(page).to_have_title(re.compile(r"^Erreur – Se connecter"))
    summary = page.locator(".error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_text(
        [
            "Adresse électronique : Ce champ est obligatoire.",
            "Mot de passe : Ce champ est obligatoire.",
        ]
    )
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the second link
    expect(page.get_by_label(re.compile(r"^Mot de passe"))).to_be_focused()
    expect(page.get_by_label(re.compile(r"^Mot de passe"))).to_have_attribute(
        "aria-invalid", "true"
    )
    assert violations(page) == []


def test_a_refused_sign_up_summarises_its_errors_and_takes_the_focus(page: Page, site: Site):
    page.goto(site.base_url + "/compte/inscription/")
    tab_to(page, page.get_by_label(re.compile(r"^Adresse électronique")))
    page.keyboard.type("agent.erreur@rennes.fr")
    tab_to(page, page.get_by_label(re.compile(r"^Mot de passe")))
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_label(re.compile(r"^Confirmation du mot de passe")))
    page.keyboard.type("un-autre-mot-de-passe-42")
    page.keyboard.press("Enter")

    expect(page).to_have_title(re.compile(r"^Erreur – Créer un compte"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Nom complet : Ce champ est obligatoire.",
            "Confirmation du mot de passe : Les deux mots de passe ne correspondent pas.",
        ]
    )
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label(re.compile(r"^Nom complet"))).to_be_focused()
    assert violations(page) == []
