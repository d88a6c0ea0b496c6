"""The referential's pages: public search and detail, creation of a body by organisers."""

import pytest
from django.urls import reverse

from territories.domain import search_organisations
from territories.models import Organisation
from territories.validators import luhn_is_valid

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("territories:organisation_list")
CREATE_URL = reverse("territories:organisation_create")


def detail_url(organisation: Organisation) -> str:
    return reverse("territories:organisation_detail", kwargs={"slug": organisation.slug})


def valid_siren(prefix: str) -> str:
    return next(prefix + key for key in "0123456789" if luhn_is_valid(prefix + key))


# --- list ----------------------------------------------------------------------------------


def test_list_without_query_explains_instead_of_listing(visitor):
    response = visitor.get(LIST_URL)

    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Saisissez un nom, même sans accents" in response.text
    assert "<table" not in response.text


def test_list_finds_epernay_without_accent(visitor):
    response = visitor.get(LIST_URL, {"q": "epernay"})

    page = response.context["page"]
    assert [o.name for o in page] == [
        "Épernay",
        "Épernay-sous-Gevrey",
        "CA Epernay, Coteaux et Plaine de Champagne",
    ]
    assert "3 structures trouvées" in response.text
    assert f'<a href="{detail_url(page[0])}">Épernay</a>' in response.text
    assert "INSEE 51230" in response.text
    assert "SIREN 215102120" in response.text
    assert "Marne (51)" in response.text


def test_list_keeps_the_query_in_the_search_field(visitor):
    response = visitor.get(LIST_URL, {"q": "épernay"})

    assert 'value="épernay"' in response.text


def test_list_with_no_match_says_so(visitor):
    response = visitor.get(LIST_URL, {"q": "xqzwvk"})

    assert (
        "Aucune structure nommée « xqzwvk ». Vérifiez l&#x27;orthographe, ou essayez un code "
        "INSEE, un numéro SIREN ou un code postal."
    ) in response.text


def test_list_is_paginated_by_20_and_keeps_the_query(visitor):
    response = visitor.get(LIST_URL, {"q": "saint", "page": 2})

    page = response.context["page"]
    assert (page.number, len(page.object_list)) == (2, 20)
    assert page.paginator.count == search_organisations("saint", limit=None).count()
    assert 'href="?q=saint&amp;page=1" rel="prev"' in response.text
    assert 'href="?q=saint&amp;page=3" rel="next"' in response.text


@pytest.mark.parametrize("number", [1, 3])
def test_list_query_count(visitor, django_assert_num_queries, number):
    for index in range(number):
        OrganisationFactory(name=f"Association Zorglub {index}")

    with django_assert_num_queries(2):  # count, then the page with its départements
        response = visitor.get(LIST_URL, {"q": "zorglub"})

    assert response.context["page"].paginator.count == number


def test_list_offers_creation_to_organiser(organiser_client):
    response = organiser_client.get(LIST_URL)

    assert f'href="{CREATE_URL}"' in response.text


def test_list_hides_creation_from_applicant(applicant_client):
    response = applicant_client.get(LIST_URL)

    assert response.status_code == 200
    assert f'href="{CREATE_URL}"' not in response.text


# --- detail --------------------------------------------------------------------------------


def test_detail_of_commune(visitor, rennes):
    response = visitor.get(detail_url(rennes))

    text = response.text
    assert response.status_code == 200
    assert "<h1>Rennes</h1>" in text
    assert "<dd>35238</dd>" in text
    assert f"<dd>{rennes.siren}</dd>" in text
    assert "de 200 000 à 999 999 habitants" in text
    assert ">Rennes Métropole</a> (métropole)" in text
    assert ">Ille-et-Vilaine</a> (35)" in text
    assert ">Bretagne</a>" in text
    assert "Hors référentiel officiel" not in text


def test_detail_of_epci_lists_its_members(visitor):
    rennes_metropole = Organisation.objects.get(siren="243500139")

    response = visitor.get(detail_url(rennes_metropole))

    assert "43 communes membres" in response.text
    assert len(response.context["members"]) == 43
    acigne = Organisation.objects.get(kind="commune", insee_code="35001")
    assert f'<a href="{detail_url(acigne)}">Acigné</a>' in response.text


def test_detail_of_epci_paginates_members_by_50(visitor):
    lyon = Organisation.objects.get(siren="200046977")  # Métropole de Lyon, 58 communes

    first = visitor.get(detail_url(lyon))
    second = visitor.get(detail_url(lyon), {"page": 2})

    assert len(first.context["members"]) == 50
    assert len(second.context["members"]) == 8
    assert "Page 2 sur 2" in second.text


@pytest.mark.parametrize(("siren", "queries"), [("243500139", 3), ("213502388", 1)])
def test_detail_query_count(visitor, django_assert_num_queries, siren, queries):
    organisation = Organisation.objects.get(siren=siren)  # Rennes Métropole, then Rennes

    # The organisation with its places; for an EPCI, its members' count and page.
    with django_assert_num_queries(queries):
        visitor.get(detail_url(organisation))


def test_detail_of_region_shows_no_departement(visitor):
    bretagne = Organisation.objects.get(kind="region", insee_code="53")

    response = visitor.get(detail_url(bretagne))

    assert (response.context["departement"], response.context["region"]) == (None, None)
    assert "<dd>Région</dd>" in response.text


def test_detail_of_hand_added_body_shows_badge(visitor):
    association = OrganisationFactory(name="Les Interconnectés")

    response = visitor.get(detail_url(association))

    assert '<span class="badge">Hors référentiel officiel</span>' in response.text
    assert "ajoutée par l'équipe organisatrice" in response.text


def test_detail_of_unknown_slug_is_404(visitor):
    assert visitor.get("/referentiel/structures/nulle-part/").status_code == 404


# --- create: who may -----------------------------------------------------------------------


def test_organiser_may_open_the_creation_form(organiser_client):
    response = organiser_client.get(CREATE_URL)

    assert response.status_code == 200
    kinds = [value for value, _label in response.context["form"].fields["kind"].choices]
    assert "commune" not in kinds
    assert kinds[0] == "syndicat"


def test_applicant_may_not_open_the_creation_form(applicant_client):
    assert applicant_client.get(CREATE_URL).status_code == 403


def test_anonymous_is_sent_to_login_for_creation(visitor):
    response = visitor.get(CREATE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={CREATE_URL}"


def test_applicant_may_not_create(applicant_client):
    response = applicant_client.post(
        CREATE_URL, {"kind": "association", "name": "Intrus", "siren": valid_siren("44444444")}
    )

    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Intrus").exists()


# --- create: what happens ------------------------------------------------------------------


def test_organiser_creates_body_and_sees_it_marked(organiser_client):
    siren = valid_siren("55555555")

    response = organiser_client.post(
        CREATE_URL,
        {
            "kind": "syndicat",
            "name": "Syndicat mixte Mégalis Bretagne",
            "siren": f"{siren[:3]} {siren[3:6]} {siren[6:]}",
            "departement": "35",
            "website": "https://megalis.bretagne.bzh",
        },
        follow=True,
    )

    created = Organisation.objects.get(siren=siren)
    assert response.redirect_chain == [(detail_url(created), 302)]
    assert (created.kind, created.name, created.slug) == (
        "syndicat",
        "Syndicat mixte Mégalis Bretagne",
        "syndicat-mixte-megalis-bretagne",
    )
    assert (created.departement.insee_code, created.region.insee_code) == ("35", "53")
    assert created.from_referential is False
    assert '<span class="badge">Hors référentiel officiel</span>' in response.text
    assert "La structure « Syndicat mixte Mégalis Bretagne » a été ajoutée." in response.text


def test_create_with_commune_code_derives_the_place(organiser_client):
    siren = valid_siren("66666666")

    organiser_client.post(
        CREATE_URL,
        {
            "kind": "office_tourisme",
            "name": "Office de tourisme",
            "siren": siren,
            "commune": "51230",
        },
    )

    created = Organisation.objects.get(siren=siren)
    assert (created.departement.name, created.region.name) == ("Marne", "Grand Est")


def test_create_with_invalid_siren_keeps_input_and_explains(organiser_client):
    response = organiser_client.post(
        CREATE_URL,
        {
            "kind": "association",
            "name": "Les Interconnectés",
            "siren": "123 456 789",
            "departement": "35",
        },
    )

    assert response.status_code == 200
    assert (
        "Le numéro SIREN « 123 456 789 » n&#x27;est pas valide (clé de contrôle incorrecte)."
        in (response.text)
    )
    assert 'value="Les Interconnectés"' in response.text
    assert 'value="123 456 789"' in response.text
    assert 'value="35"' in response.text
    assert '<option value="association" selected>' in response.text
    assert response.text.count('aria-invalid="true"') == 1
    assert "<title>Erreur – Ajouter une structure" in response.text
    assert not Organisation.objects.filter(name="Les Interconnectés").exists()


def test_create_with_taken_siren_names_its_holder(organiser_client, rennes):
    response = organiser_client.post(
        CREATE_URL, {"kind": "association", "name": "Doublon", "siren": rennes.siren}
    )

    assert "Ce numéro SIREN est déjà celui de « Rennes ». Cette structure existe déjà." in (
        response.text
    )
    assert not Organisation.objects.filter(name="Doublon").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"departement": "99"}, "departement", "Aucun département ne porte le code « 99 »."),
        (
            {"commune": "35000"},
            "commune",
            "Aucune commune actuelle ne porte le code INSEE « 35000 ». Le code INSEE n'est pas "
            "le code postal : cherchez la commune dans le référentiel.",
        ),
        (
            {"departement": "29", "commune": "35238"},
            "commune",
            "La commune Rennes n'est pas dans le département Finistère.",
        ),
        (
            {"kind": "commune"},
            "kind",
            "Sélectionnez un choix valide. commune n’en fait pas partie.",
        ),
        ({"website": "pas un site"}, "website", "Saisissez une URL valide."),
    ],
)
def test_create_refuses_bad_place_kind_or_website(organiser_client, fields, field, message):
    data = {"kind": "association", "name": "Association X", "siren": valid_siren("77777777")}

    response = organiser_client.post(CREATE_URL, {**data, **fields})

    assert response.context["form"].errors == {field: [message]}
    assert not Organisation.objects.filter(name="Association X").exists()
