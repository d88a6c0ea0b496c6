"""An organiser imports a past palmarès of another contest, in Chromium (issue 16, item 4).

The contest and its five levels (niveau-1 … niveau-5) are created on the site's database; the
organiser opens the import page from the contest's page, uploads the file, reads the preview,
fixes a misspelt name, previews again and imports. Every page seen passes axe-core.
"""

import pytest
from playwright.sync_api import Page, expect

from .server import Site
from .test_pages import violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SLUG = "territoires-connectes-navigateur"
CREATE_CONTEST = f"""
from contests.models import Contest, ContestLevel
contest, _ = Contest.objects.get_or_create(
    slug="{SLUG}", defaults={{"name": "Territoires connectés (essai)"}}
)
for rank in range(1, 6):
    ContestLevel.objects.get_or_create(
        contest=contest,
        code=f"niveau-{{rank}}",
        defaults={{"name": f"{{6 - rank}} étoiles", "rank": rank}},
    )
"""
FILE = (
    "year,level,theme,organisations,project_title,notes,source\n"
    "2019,niveau-1,,Bordeaux Metropol,Capteurs de crues (essai),,\n"
    "2019,niveau-5,,Ville de Rennes | Association des maires ruraux,Navettes (essai),,\n"
)


def check(page: Page, findings: dict[str, list[str]], label: str) -> None:
    if found := violations(page):
        findings[f"{label} ({page.url})"] = found


def test_the_organiser_previews_fixes_a_name_and_imports(site: Site, browser):
    site.manage("shell", "-c", CREATE_CONTEST)
    findings: dict[str, list[str]] = {}
    context = browser.new_context(locale="fr-FR")
    url = site.base_url
    context.add_cookies([{"name": "sessionid", "value": site.sessions["organiser"], "url": url}])
    page = context.new_page()
    try:
        page.goto(f"{url}/organisation/concours/{SLUG}/")
        page.get_by_role("link", name="Importer un palmarès passé (CSV)").click()
        check(page, findings, "téléversement")
        page.get_by_label("Fichier du palmarès (CSV)").set_input_files(
            {"name": "palmares.csv", "mimeType": "text/csv", "buffer": FILE.encode("utf-8")}
        )
        page.get_by_role("button", name="Voir l'aperçu").click()

        first = page.locator("#nom-0")
        expect(first).to_have_attribute("data-status", "unmatched")
        expect(page.locator("#nom-1")).to_have_attribute("data-status", "matched")
        check(page, findings, "aperçu")
        page.get_by_label("Nom corrigé pour « Bordeaux Metropol »").fill("Bordeaux Métropole")
        page.get_by_role("button", name="Mettre à jour l'aperçu").click()
        expect(page.locator("#nom-0")).to_have_attribute("data-status", "matched")
        check(page, findings, "aperçu corrigé")
        page.get_by_role("button", name="Importer", exact=True).click()

        expect(page).to_have_url(f"{url}/organisation/concours/{SLUG}/")
        expect(page.locator("main")).to_contain_text(
            "Palmarès importé : 2 lauréats créés, 0 modifiés, 0 inchangés."
        )
        check(page, findings, "concours après l'import")
    finally:
        context.close()
    assert findings == {}
