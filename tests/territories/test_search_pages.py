"""The one structure search on its three forms: the public structure list, the attachment page
and the dossier's co-porteur search. Each finds the body under the name agents type, says what
it understood when nothing matches, and answers a query too short or too long with a French
message, keeping what was typed in the field."""

import html
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from applications.models import Application

# The dossier of the applications suite (Rennes, lead; Saint-Malo, co-porteur) and what it needs.
from ..applications.conftest import dossier, label, open_edition, saint_malo  # noqa: F401

pytestmark = pytest.mark.django_db

LIST_URL = reverse("territories:organisation_list")
ATTACH_URL = reverse("accounts:attach")
LONG_QUERY = " ".join(["Communauté de communes"] * 13)  # 298 characters
TOO_SHORT = (
    "« B » est trop court pour chercher une structure : saisissez au moins 2 lettres ou chiffres "
    "de son nom, ou son code INSEE, son numéro SIREN ou son code postal."
)
TOO_LONG = (
    "Votre recherche est trop longue (298 caractères) : saisissez au plus 100 caractères, par "
    "exemple le nom de la structure, son code INSEE, son numéro SIREN ou son code postal."
)
BRESTT = "Aucune commune nommée « Brestt » ; vouliez-vous dire « Brest » ou « Brestot » ?"


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def draft(request) -> Application:
    return request.getfixturevalue("dossier")


def edit_url(application: Application, query: str | None = None) -> str:
    url = reverse("applications:edit", kwargs={"reference": application.reference})
    return url if query is None else f"{url}?{urlencode({'partenaire': query})}"


# --- the public structure list and the attachment page (the same search form) -------------


@pytest.fixture(params=["list", "attach"])
def search_page(request, visitor, applicant_client):
    """(client, URL) of each page that searches with OrganisationSearchForm."""
    if request.param == "list":
        return visitor, LIST_URL
    return applicant_client, ATTACH_URL


def test_search_page_finds_the_commune_under_its_usual_name(search_page):
    client, url = search_page

    response = client.get(url, {"q": "Commune de Brest"})

    names = [row[0].name for row in response.context["rows"]]
    assert names[:3] == ["Brest", "Brestot", "Esboz-Brest"]
    assert response.context["no_match"] is None


def test_search_page_says_what_it_understood_and_links_the_suggestions(search_page):
    client, url = search_page

    response = client.get(url, {"q": "Commune de Brestt"})

    text = text_of(response)
    assert f'<p role="status">{BRESTT}</p>' in text
    assert '<a href="?q=Brest">Brest</a> (Commune, Finistère)' in text
    assert '<a href="?q=Brestot">Brestot</a> (Commune, Eure)' in text
    assert 'value="Commune de Brestt"' in text


@pytest.mark.parametrize(("query", "message"), [("B", TOO_SHORT), (LONG_QUERY, TOO_LONG)])
def test_search_page_refuses_a_bad_query_with_a_message_and_keeps_it(search_page, query, message):
    client, url = search_page

    response = client.get(url, {"q": query})

    text = text_of(response)
    assert response.status_code == 200
    assert response.context["form"].errors == {"q": [message]}
    assert message in text
    assert f'value="{query}"' in text
    assert response.context["page"] is None
    assert "<table" not in text


def test_search_page_finds_a_departement_by_its_council_and_code(search_page):
    client, url = search_page

    response = client.get(url, {"q": "CD 35"})

    assert [row[0].name for row in response.context["rows"]] == ["Ille-et-Vilaine"]


def test_search_page_may_not_suggest_when_nothing_is_close(search_page):
    client, url = search_page

    response = client.get(url, {"q": "Zzzzzz"})

    assert response.context["no_match"].suggestions == []
    assert "Structures suggérées" not in response.content.decode()


# --- the co-porteur search of the dossier form ---------------------------------------------


def test_partner_search_finds_the_departement_under_its_council(applicant_client, draft):
    response = applicant_client.get(edit_url(draft, "Conseil départemental du Finistère"))

    assert [o.name for o in response.context["partner_results"]] == ["Finistère"]
    assert response.context["partner_no_match"] is None


def test_partner_search_says_what_it_understood_and_offers_to_add(applicant_client, draft):
    response = applicant_client.get(edit_url(draft, "Commune de Brestt"))

    text = text_of(response)
    assert f'<p role="status">{BRESTT}</p>' in text
    brest = response.context["partner_no_match"].suggestions[0]
    assert f'<button type="submit" name="add_partner" value="{brest.slug}"' in text
    assert 'value="Commune de Brestt"' in text


@pytest.mark.parametrize(("query", "message"), [("B", TOO_SHORT), (LONG_QUERY, TOO_LONG)])
def test_partner_search_refuses_a_bad_query_with_a_message_and_keeps_it(
    applicant_client, draft, query, message
):
    response = applicant_client.get(edit_url(draft, query))

    text = text_of(response)
    assert response.status_code == 200
    assert f'<p class="message message-error" role="alert">{message}</p>' in text
    assert f'value="{query}"' in text
    assert response.context["partner_results"] == []


def test_partner_search_of_a_long_query_still_saves_the_draft(applicant_client, draft):
    """The search box is part of the dossier form: a long query must not block the save."""
    data = {"version": draft.version, "title": "Un titre", "partner_query": LONG_QUERY}

    response = applicant_client.post(edit_url(draft), {**data, "search_partner": "1"})

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.title == "Un titre"
    page = applicant_client.get(response["Location"])
    assert TOO_LONG in text_of(page)
