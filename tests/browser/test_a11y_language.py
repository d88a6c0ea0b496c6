"""Every registered page in English marks the French content it shows (RGAA 8.7, issue 21).

What organisers and applicants typed — theme names, criteria and their explanations, project
titles and summaries — stays in French on English pages, and a screen reader must read it with
a French voice: each text holding such content lies inside an element with lang="fr". The
content is read from the browser site's own database, so the check follows the data.
"""

import json

import pytest

from .registry import PAGES, Page
from .server import Site

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# The content typed in French on the browser site (seeded and imported data).
CONTENT_QUERY = """
import json
from applications.models import Application
from awards.models import Award
from contests.models import Criterion, Theme
texts = set(Theme.objects.values_list("name", flat=True))
texts |= set(Criterion.objects.values_list("name", flat=True))
texts |= set(Criterion.objects.values_list("description", flat=True))
texts |= set(Award.objects.values_list("title", flat=True))
texts |= set(Application.objects.values_list("title", flat=True))
texts |= set(Application.objects.values_list("summary", flat=True))
print(json.dumps(sorted(text.strip() for text in texts if len(text.strip()) >= 8)))
"""
# A text node is French content when it is one of these texts, or holds one long enough not to
# be an ordinary word of the interface.
UNMARKED = """texts => {
  if (!document.body) return [];  // an SVG badge
  const exact = new Set(texts);
  const long = texts.filter(text => text.length >= 20);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text.length < 8 || !node.parentElement) continue;
    // Not read on its own: a chart drawn as one image (its title and table say it all).
    if (node.parentElement.closest('[role="img"], [aria-hidden="true"]')) continue;
    if (!exact.has(text) && !long.some(content => text.includes(content))) continue;
    const marked = node.parentElement.closest('[lang]');
    if (!marked || !marked.lang.startsWith('fr')) found.push(text.slice(0, 80));
  }
  return found;
}"""

HTML_PAGES = [page for page in PAGES if page.status == 200 and page.name != "catalogue:badge"]


@pytest.fixture(scope="module")
def french_content(site: Site) -> list[str]:
    return json.loads(site.manage("shell", "-c", CONTENT_QUERY).strip().splitlines()[-1])


def test_the_site_has_french_content_to_look_for(french_content: list[str]):
    assert "Inclusion numérique" in french_content  # a theme of the label
    assert len(french_content) > 100


@pytest.mark.parametrize("entry", HTML_PAGES, ids=lambda entry: entry.id)
def test_french_content_is_marked_on_english_pages(
    entry: Page, site: Site, browser, french_content: list[str]
):
    context = browser.new_context(locale="en-GB")
    cookies = [{"name": "django_language", "value": "en", "url": site.base_url}]
    if entry.persona in site.sessions:
        cookies.append(
            {"name": "sessionid", "value": site.sessions[entry.persona], "url": site.base_url}
        )
    context.add_cookies(cookies)
    page = context.new_page()
    try:
        page.goto(site.base_url + entry.path)
        language = page.locator("html").get_attribute("lang")
        unmarked = page.evaluate(UNMARKED, french_content)
    finally:
        context.close()

    assert language == "en"
    assert unmarked == [], f'{entry.id}: French content without lang="fr"'
