"""Reading rendered pages in tests: the text a person would read, entities decoded."""

import html


def page_text(response) -> str:
    """The response body with HTML entities decoded and runs of whitespace made single spaces."""
    return " ".join(html.unescape(response.content.decode()).split())
