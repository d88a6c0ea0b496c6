"""No dead ends (issue 14): autosave keeps the last change when the person leaves the page, and
« Mes dossiers » reads on a phone (390 px) without scrolling sideways."""

import re

import pytest
from playwright.sync_api import Page, expect

from .registry import RENNES_DRAFT
from .server import Site
from .test_a11y_dossier import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE_WIDTH = 390


def test_leaving_the_form_keeps_the_last_change(browser, site: Site):
    page: Page = signed_in(browser, site, "applicant")
    edit = f"{site.base_url}/candidatures/{RENNES_DRAFT}/modifier/"
    dialogs = []

    def answer(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.accept()  # « Quitter la page » : the change is saved on the way out

    page.on("dialog", answer)
    try:
        page.goto(edit)
        field = page.get_by_label(re.compile(r"^Indicateurs"))
        field.fill("Saisi juste avant de partir, sans quitter le champ")
        # Leave at once by a link, the field still focused: no blur-save had its turn.
        page.locator("header, nav, main").get_by_role("link", name="Mes dossiers").first.click()
        expect(page).to_have_url(re.compile(re.escape(site.base_url) + r"/candidatures/$"))

        page.goto(edit)
        expect(page.get_by_label(re.compile(r"^Indicateurs"))).to_have_value(
            "Saisi juste avant de partir, sans quitter le champ"
        )
    finally:
        page.context.close()

    assert dialogs == ["beforeunload"]


def test_my_dossiers_fits_a_phone(browser, site: Site):
    page: Page = signed_in(
        browser, site, "applicant", viewport={"width": PHONE_WIDTH, "height": 800}
    )
    try:
        page.goto(f"{site.base_url}/candidatures/")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        labels = page.locator(".my-applications td").first.evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
    finally:
        page.context.close()

    assert overflow <= PHONE_WIDTH
    assert labels == '"Édition" " : "' or labels == '"Édition : "'
