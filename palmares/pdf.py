"""Printing with WeasyPrint: receipts, press releases, certificates and minutes.

Every document is rendered in French with the one font the site ships, loaded from the disk by a
fetcher that refuses any other URL: the documents print names, titles and texts typed by users,
and nothing they type must make the server read a file or fetch a URL.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

FONT = "fonts/atkinson-hyperlegible-latin-400-normal.woff2"
DOCUMENT_LANGUAGE = "fr"


def font_url() -> str:
    """The file:// URL of the font the site ships, found like any static file."""
    path = finders.find(FONT)
    if not path:
        raise FileNotFoundError(f"The documents' font {FONT} is not among the static files.")
    return Path(path).resolve().as_uri()


def font_only_fetcher(allowed_url: str):
    # WeasyPrint is slow to import (fonts, cairo); only the processes that print pay for it.
    from weasyprint.urls import URLFetcher

    class FontOnlyFetcher(URLFetcher):
        """Loads the one font file and nothing else."""

        def fetch(self, url, headers=None):
            if url != allowed_url:
                raise ValueError(f"A document loads nothing but its font, not {url!r}.")
            return super().fetch(url, headers)

    return FontOnlyFetcher(allowed_protocols=["file"])


def render_pdf(template: str, context: dict[str, object], stylesheet: str) -> bytes:
    """`template` and its `stylesheet` (a template given `font_url`) rendered in French, as PDF."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    url = font_url()
    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string(template, context)
        css = render_to_string(stylesheet, {"font_url": url})
    fetcher = font_only_fetcher(url)
    # A stylesheet given apart declares its @font-face in a FontConfiguration shared with the
    # rendering; without it, WeasyPrint would fall back on the system's fonts.
    fonts = FontConfiguration()
    css_sheet = CSS(string=css, url_fetcher=fetcher, font_config=fonts)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css_sheet], font_config=fonts)
