"""The cache of laureates' pages for visitors (palmares.page_cache)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PhaseFactory, UserFactory

from .builders import make_award, make_edition, set_current_phase

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def award(label):
    edition, levels = make_edition(label, 2019, is_historical=True)
    return make_award(edition, "Cartes des écoles", "Ville de Rennes", level=levels["or"])


def url(award) -> str:
    return reverse("catalogue:project", kwargs={"slug": award.slug})


def test_a_visitor_s_second_visit_is_served_without_any_query(award, django_assert_num_queries):
    first = Client().get(url(award))
    with django_assert_num_queries(0):
        second = Client().get(url(award))
    assert (first.status_code, second.status_code) == (200, 200)
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert "Cartes des écoles" in second.content.decode()


def test_each_visitor_gets_his_own_working_csrf_token(award):
    Client().get(url(award))  # fills the cache
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(url(award))
        (token,) = set(TOKEN.findall(page.content.decode()))
        tokens.append(token)
        assert "\x00" not in page.content.decode()
        assert "csrftoken" in page.cookies
        switched = visitor.post(
            reverse("set_language"),
            {"language": "en", "next": url(award), "csrfmiddlewaretoken": token},
        )
        assert switched.status_code == 302
    assert tokens[0] != tokens[1]
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(reverse("catalogue:home"))
    refused = stranger.post(
        reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": "x" * 64}
    )
    assert refused.status_code == 403


def test_a_signed_in_user_is_never_served_a_cached_page(award):
    Client().get(url(award))
    member = Client()
    member.force_login(UserFactory(email="agent@rennes.fr"))
    response = member.get(url(award))
    assert response.status_code == 200
    assert "Se déconnecter" in response.content.decode()
    assert "Se déconnecter" not in Client().get(url(award)).content.decode()


def test_a_change_to_the_award_shows_at_once(award):
    assert "Cartes des écoles" in Client().get(url(award)).content.decode()
    award.title = "Carte scolaire ouverte"
    award.save()
    page = Client().get(url(award)).content.decode()
    assert ("Carte scolaire ouverte" in page, "Cartes des écoles" in page) == (True, False)


def test_each_language_has_its_own_copy(award):
    french = Client().get(url(award)).content.decode()
    english = Client(headers={"accept-language": "en"}).get(url(award)).content.decode()
    assert ('lang="fr"' in french, 'lang="en"' in english) == (True, True)


def test_a_page_not_found_under_embargo_is_not_kept(label):
    edition, levels = make_edition(label, 2031)
    set_current_phase(edition, "embargo", results_public=False)
    award = make_award(edition, "Projet sous embargo", "Ville de Rennes", level=levels["or"])
    assert Client().get(url(award)).status_code == 404
    PhaseFactory(edition=edition, kind="published", results_public=True)
    assert Client().get(url(award)).status_code == 200


def test_a_lifetime_of_zero_turns_the_cache_off(award, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url(award)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] >= 4
