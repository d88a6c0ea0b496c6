"""The whole of a page by Tab (issue 21; RGAA 10.7, 12.8, 12.9), in Chromium.

On pages of every kind, Tab from the top of the page visits every control in the order of the
document, each with a visible focus ring (an outline of at least 2 px), inside the window, and
comes out at the end: no trap. The map is left out: its départements show the focus with their
outline in the drawing (a stroke), not with a ring.
"""

import pytest
from playwright.sync_api import Page

from .registry import AMBASSADONDES, E2024, GRAND_OUEST, JUROR_TODO, RENNES_DRAFT
from .server import Site

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EDITION = f"/organisation/concours/{E2024['contest_slug']}/{E2024['year']}/"
JURY = f"/jury/{GRAND_OUEST['contest_slug']}/{GRAND_OUEST['year']}/{GRAND_OUEST['round_slug']}/"
PAGES = [
    ("visitor", "/"),
    ("visitor", "/palmares/"),
    ("visitor", f"/projets/{AMBASSADONDES}/"),
    ("visitor", "/statistiques/"),
    ("visitor", "/compte/connexion/"),
    ("applicant", f"/candidatures/{RENNES_DRAFT}/modifier/"),
    ("organiser", EDITION),
    ("juror", f"{JURY}{JUROR_TODO}/"),
]
MAX_STOPS = 400
# The controls Tab should reach: visible, enabled, not folded away in a closed <details>; a
# group of radio buttons is one stop (its checked button, or its first).
TABBABLE = """() => {
  const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),'
    + ' select:not([disabled]), textarea:not([disabled]), details > summary, [tabindex="0"]';
  const groups = new Set();
  return [...document.querySelectorAll(selector)].filter(element => {
    if (!element.getClientRects().length || getComputedStyle(element).visibility === 'hidden') {
      return false;
    }
    const folded = element.closest('details:not([open])');
    if (folded && element.parentElement !== folded) return false;
    if (element.type === 'radio') {
      if (groups.has(element.name)) return false;
      groups.add(element.name);
    }
    return true;
  }).length;
}"""

# What has the focus now: where it is, how its ring looks, whether it follows the previous one
# in the document.
FOCUSED = """previous => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  // A date field takes several stops (day, month, year) on the same element.
  const after = !previous || !previous.isConnected || previous === element ||
    Boolean(previous.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING);
  window.__lastFocused = element;
  (window.__visited = window.__visited || new Set()).add(element);
  return {
    name: `${element.tagName.toLowerCase()}#${element.id} « ${(element.innerText || element.value
      || element.getAttribute('aria-label') || '').trim().slice(0, 30)} »`,
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    inside: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
      && box.right > 0 && box.left < innerWidth,
    after,
  };
}"""


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_tab_visits_every_control_in_order_with_a_visible_ring(
    browser, site: Site, persona: str, path: str
):
    context = browser.new_context(locale="fr-FR", reduced_motion="reduce")
    if persona in site.sessions:
        context.add_cookies(
            [{"name": "sessionid", "value": site.sessions[persona], "url": site.base_url}]
        )
    page: Page = context.new_page()
    problems: list[str] = []
    try:
        page.goto(site.base_url + path)
        # From the top of the page, whatever has the focus on load (an autofocus field).
        page.evaluate(
            """() => { const start = document.createElement('span'); start.tabIndex = -1;
            document.body.prepend(start); start.focus(); start.remove(); }"""
        )
        tabbable = page.evaluate(TABBABLE)
        for _stop in range(MAX_STOPS):
            page.keyboard.press("Tab")
            focused = page.evaluate(f"({FOCUSED})(window.__lastFocused)")
            if focused is None:  # out of the page, past its last control
                break
            if not focused["ring"]:
                problems.append(f"no visible ring: {focused['name']}")
            if not focused["inside"]:
                problems.append(f"outside the window: {focused['name']}")
            if not focused["after"]:
                problems.append(f"out of document order: {focused['name']}")
        else:
            problems.append(f"still inside the page after {MAX_STOPS} Tab presses (trap?)")
        visited = page.evaluate("window.__visited ? window.__visited.size : 0")
    finally:
        context.close()

    assert problems == []
    assert visited == tabbable  # every control was reached
