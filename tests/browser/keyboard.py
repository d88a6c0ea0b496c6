"""Playing a page by keyboard alone, and the checks axe-core cannot make (RGAA 5.4, 10.11).

`tab_to` presses Tab (or Shift+Tab) until the wanted element has the focus, as a keyboard user
would, and fails if it is never reached: no test here clicks.
"""

from playwright.sync_api import Locator, Page

REFLOW_WIDTH = 320  # CSS pixels (RGAA 10.11, WCAG 1.4.10): 1280 px at 400 % zoom
MAX_TABS = 200


def has_focus(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def focused_description(page: Page) -> str:
    """What has the focus, for failure messages: tag, id and start of its text."""
    return page.evaluate(
        """() => { const e = document.activeElement; if (!e) return 'nothing';
        return `${e.tagName.toLowerCase()}#${e.id} « ${(e.innerText || e.value || '')
        .trim().slice(0, 40)} »`; }"""
    )


def tab_to(page: Page, locator: Locator, *, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab when `backwards`) until `locator` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        if has_focus(locator):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{locator} never received the focus by {key}")


def reflow_problem(page: Page) -> str | None:
    """At 320 px wide, the document must not scroll sideways (RGAA 10.11); the viewport is
    narrowed for the check and put back. None, or what overflows."""
    viewport = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": viewport["height"]})
    try:
        widths = page.evaluate(
            """() => { const root = document.documentElement;
            if (!document.body) return {scroll: 0, client: 0, wide: []};  // an SVG image
            const wide = [...document.body.querySelectorAll('*')]
              .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1
                           && !e.closest('table, .table-scroll'))
              .slice(0, 3).map(e => e.tagName.toLowerCase()
                + (e.className && typeof e.className === 'string' ? '.' + e.className : ''));
            return {scroll: root.scrollWidth, client: root.clientWidth, wide}; }"""
        )
    finally:
        page.set_viewport_size(viewport)
    if widths["scroll"] <= widths["client"]:
        return None
    return (
        f"at {REFLOW_WIDTH} px the page is {widths['scroll']} px wide "
        f"(wider elements: {', '.join(widths['wide']) or 'inside a table'})"
    )


def untitled_tables(page: Page) -> list[str]:
    """Data tables without a title (RGAA 5.4): a non-empty caption, or aria-labelledby /
    aria-label naming it. The start of each such table."""
    return page.evaluate(
        """() => [...document.querySelectorAll('table')].filter(table => {
            if (table.getAttribute('role') === 'presentation') return false;
            const caption = table.querySelector(':scope > caption');
            if (caption && caption.textContent.trim()) return false;
            if ((table.getAttribute('aria-label') || '').trim()) return false;
            const ids = (table.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
            return !ids.some(id => (document.getElementById(id)?.textContent || '').trim());
        }).map(table => table.outerHTML.slice(0, 80))"""
    )


def doctype_problem(page: Page) -> str | None:
    """An HTML page declares its document type (RGAA 8.1); an SVG or a file has none."""
    doctype = page.evaluate(
        "document.contentType === 'text/html'"
        " ? (document.doctype && document.doctype.name) : 'html'"
    )
    return None if doctype == "html" else f"no HTML document type ({doctype!r})"
