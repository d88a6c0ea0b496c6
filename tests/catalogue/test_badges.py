"""Badges: the SVG, its verification page, and what both say of an unknown or unpublished award."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from awards.models import Award
from contests.models import Contest

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
AMBASSADONDES = "Ambassad'Ondes - Balade urbaine de découverte des champs électromagnétiques"


def slug_of(title: str) -> str:
    return Award.objects.get(title=title).slug


def badge(client, slug: str):
    response = client.get(reverse("catalogue:badge", kwargs={"slug": slug}))
    return response, ET.fromstring(response.content)  # noqa: S314 (our own response)


def verification_url(slug: str) -> str:
    return reverse("catalogue:badge_verify", kwargs={"slug": slug})


def test_badge_is_an_accessible_svg_naming_label_year_level_and_awarder(visitor, imported_palmares):
    slug = slug_of(AMBASSADONDES)

    response, svg = badge(visitor, slug)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "badge-title"
    assert svg.find(f"{SVG}title").text == "Label Territoire Innovant 2024 — Or"
    assert svg.find(f"{SVG}title").get("id") == "badge-title"
    texts = svg.findall(f".//{SVG}text")
    assert [text.text for text in texts] == [
        "Label Territoire Innovant 2024 — Or",
        "Décerné par Les Interconnectés",
    ]
    # The awarder's line is smaller, under the first, and fits in the badge's width.
    assert [(text.get("font-size"), text.get("y")) for text in texts] == [("12", "18"), ("9", "32")]
    # No link inside: embedded as an image it could not be followed, and a link inside role="img"
    # is a nested interactive element. The embed snippet links to the verification page.
    assert svg.find(f"{SVG}a") is None
    assert (
        svg.find(f"{SVG}desc").text == "Décerné par Les Interconnectés. "
        f"Vérifiable sur http://testserver{verification_url(slug)}"
    )
    assert (svg.get("width"), svg.get("height")) == ("286", "40")
    assert [text.get("textLength") for text in texts] == ["238", "153"]


def test_badge_of_a_contest_without_known_awarder_keeps_one_line(
    visitor, imported_palmares, settings
):
    slug = slug_of(AMBASSADONDES)
    settings.DEFAULT_AWARDING_ORGANISATION = ""
    Contest.objects.filter(slug="label-territoire-innovant").update(awarder_name="")

    _response, svg = badge(visitor, slug)

    assert [text.text for text in svg.findall(f".//{SVG}text")] == [
        "Label Territoire Innovant 2024 — Or"
    ]
    assert (svg.get("width"), svg.get("height")) == ("286", "28")
    assert "Décerné" not in svg.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Collec-Data – Automatiser la chaîne de publication des données publiques des "
            "collectivités bretonnes",
            "Label Territoire Innovant 2024 — Argent",
        ),
        ("Facili'city", "Label Territoire Innovant 2024 — Bronze"),
        # The source did not publish this award's level: the badge does not invent one.
        ("Projet numérique autour des cimetières", "Label Territoire Innovant 2015"),
    ],
)
def test_badge_says_the_published_level_only(visitor, imported_palmares, title, text):
    _response, svg = badge(visitor, slug_of(title))

    assert svg.find(f"{SVG}title").text == text


def test_badge_of_an_unknown_award_says_so(visitor, imported_palmares):
    response, svg = badge(visitor, "projet-inconnu")

    assert response.status_code == 404
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert svg.find(f"{SVG}title").text == "Label inconnu ou non publié"
    assert [text.text for text in svg.findall(f".//{SVG}text")] == ["Label inconnu ou non publié"]
    assert svg.find(f"{SVG}desc") is None
    assert svg.find(f"{SVG}a") is None


def test_badge_of_an_embargoed_award_says_unknown_or_unpublished(
    visitor, imported_palmares, embargoed_award
):
    response, svg = badge(visitor, embargoed_award.slug)

    assert response.status_code == 404
    assert svg.find(f"{SVG}title").text == "Label inconnu ou non publié"
    assert "Projet sous embargo" not in response.content.decode()


def test_verification_page_states_who_holds_the_label(visitor, imported_palmares):
    response = visitor.get(verification_url(slug_of(AMBASSADONDES)))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Le badge « Label Territoire Innovant 2024 — Or » est authentique." in content
    assert '<ul class="holders"><li>Rennes</li><li>Rennes Métropole</li></ul>' in content
    assert "<dt>Année</dt>\n    <dd>2024</dd>" in content
    assert "<dt>Niveau</dt>\n    <dd>Or</dd>" in content
    assert "<dt>Thème</dt>\n    <dd>Participation citoyenne</dd>" in content
    assert (
        "Cette récompense a été décernée par Les Interconnectés, dans le cadre de l'édition "
        "2024 de « Label Territoire Innovant »."
    ) in content


def test_verification_page_says_under_which_name_it_was_published(visitor, imported_palmares):
    response = visitor.get(verification_url(slug_of("Grand Lyon SmartData")))

    assert (
        '<li>Métropole de Lyon <span class="published-name">(publié sous le nom « Grand Lyon »)'
        "</span></li>"
    ) in response.content.decode()


def test_verification_page_of_an_unknown_award_says_so(visitor, imported_palmares):
    response = visitor.get(verification_url("projet-inconnu"))

    assert response.status_code == 404
    assert "<h1>Label inconnu ou non publié</h1>" in response.content.decode()


def test_verification_page_of_an_embargoed_award_says_unknown_or_unpublished(
    visitor, imported_palmares, embargoed_award
):
    response = visitor.get(verification_url(embargoed_award.slug))

    content = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Label inconnu ou non publié</h1>" in content
    assert "Projet sous embargo" not in content
    assert "Rennes" not in content


def test_project_page_shows_the_badge_and_its_embed_snippet(visitor, imported_palmares):
    slug = slug_of("Pulse - Bordeaux")

    response = visitor.get(reverse("catalogue:project", kwargs={"slug": slug}))

    content = response.content.decode()
    base = "http://testserver/projets/2024-pulse-bordeaux"
    assert (
        f'<a href="{base}/verification/"><img src="{base}/badge.svg" width="286" height="40" '
        'alt="Label Territoire Innovant 2024 — Or, décerné à Bordeaux Métropole"></a>'
    ) in content
    assert (
        f'<pre class="badge-snippet"><code>&lt;a href=&quot;{base}/verification/&quot;&gt;&lt;img '
        f"src=&quot;{base}/badge.svg&quot; alt=&quot;Label Territoire Innovant 2024 — Or, "
        "décerné à Bordeaux Métropole&quot;&gt;&lt;/a&gt;</code></pre>"
    ) in content
