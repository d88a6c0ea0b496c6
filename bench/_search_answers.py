"""What bench/search.py checks in every answer it times: a bench that times error pages (or the
API's rate limit, 429) instead of searches must fail, not report a fast figure.

An answer's signature is what must not change from one round to the next: the page's count
(its results heading) and the awards it lists, the API's count and ids. The warm-up round
records each URL's signature; every timed answer must give the same one. The page and the API
must agree on the count of the same query.
"""

import itertools
import re

# Attributes may follow (tabindex, lang): tests/bench/test_search_answers.py reads the real page.
_COUNT = re.compile(r'<h2 id="resultats-titre"[^>]*>([^<]*)</h2>')
_AWARD = re.compile(r'<h3 class="award-title"[^>]*><a href="([^"]+)"')
_addresses = itertools.count(1)


def spread_address() -> dict[str, str]:
    """A new client address (TEST-NET and private ranges), so that no address reaches the API's
    rate limit of 120 requests a minute during the bench."""
    number = next(_addresses)
    return {"REMOTE_ADDR": f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"}


def signature(url: str, response) -> tuple:
    """(count, listed awards) of an answer, after checking its status."""
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
    if url.startswith("/api/"):
        data = response.json()
        return data["count"], tuple(result["id"] for result in data["results"])
    html = response.content.decode()
    heading = _COUNT.search(html)
    if heading is None:
        raise AssertionError(f"{url}: no results heading, not the search page")
    digits = re.sub(r"\D", "", heading.group(1))
    return int(digits or 0), tuple(_AWARD.findall(html))


class Answers:
    """The warm-up's signature of each URL; `check` compares a timed answer with it."""

    def __init__(self) -> None:
        self.expected: dict[str, tuple] = {}

    def record(self, url: str, response) -> None:
        self.expected[url] = signature(url, response)

    def check(self, url: str, response) -> None:
        found = signature(url, response)
        if found != self.expected[url]:
            raise AssertionError(f"{url}: {found[:1]} differs from the warm-up's answer")

    def check_agreement(self, page_url: str, api_url: str) -> None:
        page, api = self.expected[page_url][0], self.expected[api_url][0]
        if page != api:
            raise AssertionError(f"{page_url} counts {page}, {api_url} {api}")
