"""Edition pages and project pages, on the real imported palmarès."""

import re
from html import unescape

import pytest
from django.urls import reverse

from accounts.enums import MembershipState
from awards.models import Award
from catalogue.models import ExperienceShare
from tests.factories import MembershipFactory

from .builders import make_award, make_edition, outline

pytestmark = pytest.mark.django_db

AMBASSADONDES = "Ambassad'Ondes - Balade urbaine de découverte des champs électromagnétiques"
INCLUSIF = "Inclusif, le jeu - Concevons nos services numériques pour tout le monde !"


def text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    # Only ASCII whitespace: non-breaking spaces (thousands) are part of the text.
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def facts(html: str) -> list[tuple[str, str]]:
    """The (term, description) pairs of every <dl> of the page, in order."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html, flags=re.S)
    return [(text(term), text(description)) for term, description in pairs]


def project_url(title: str) -> str:
    return reverse("catalogue:project", kwargs={"slug": Award.objects.get(title=title).slug})


# Edition page


def test_edition_2024_shows_its_published_funnel_and_forum(visitor, imported_palmares):
    response = visitor.get(reverse("catalogue:edition", kwargs={"year": 2024}))

    assert response.status_code == 200
    assert facts(response.content.decode()) == [
        ("Dossiers déposés", "45"),
        ("Dossiers auditionnés", "28"),
        ("Projets labellisés", "21"),
        ("Forum", "Marseille, du 3 avril 2024 au 4 avril 2024"),
    ]
    assert (
        '<a href="/palmares/2024/transparence/">Comment le jury a travaillé en 2024 '
        "(page de transparence)</a>"
    ) in response.content.decode()


def test_edition_2021_says_non_publie_instead_of_inventing_figures(visitor, imported_palmares):
    response = visitor.get(reverse("catalogue:edition", kwargs={"year": 2021}))

    content = response.content.decode()
    assert response.status_code == 200
    assert facts(content) == [
        ("Dossiers déposés", "non publié"),
        ("Dossiers auditionnés", "non publié"),
        ("Projets labellisés", "non publié"),
        ("Forum", "non publié"),
    ]
    assert "La liste des lauréats de cette édition n'a pas été publiée." in content


def test_edition_2024_lists_awards_by_theme_then_level_with_links(visitor, imported_palmares):
    response = visitor.get(reverse("catalogue:edition", kwargs={"year": 2024}))

    content = response.content.decode()
    assert outline(content)[:9] == [
        "h2: L'édition en bref",
        "h2: Les lauréats",
        "h3: Inclusion numérique",
        "h4: Label or",
        f"Métropole de Lyon — {INCLUSIF}",
        "h4: Label argent",
        "Métropole d'Aix-Marseille-Provence, Hub du Sud — La Fabrique de l'Inclusion Numérique AMP",
        "h4: Label bronze",
        "Nantes Métropole — Diagnostic et évaluation du plan d'actions médiation numérique",
    ]
    assert len([line for line in outline(content) if " — " in line]) == 21
    assert f'href="{project_url(AMBASSADONDES)}"' in content


def test_edition_links_previous_and_next_public_editions(visitor, imported_palmares):
    response = visitor.get(reverse("catalogue:edition", kwargs={"year": 2021}))

    content = response.content.decode()
    assert '<a href="/palmares/2020/" rel="prev">← Édition 2020</a>' in content
    assert '<a href="/palmares/2022/" rel="next">Édition 2022 →</a>' in content


def test_latest_edition_has_no_next_link(visitor, imported_palmares):
    response = visitor.get(reverse("catalogue:edition", kwargs={"year": 2024}))

    content = response.content.decode()
    assert '<a href="/palmares/2023/" rel="prev">' in content
    assert 'rel="next"' not in content


def test_edition_of_a_year_without_edition_is_not_found(visitor, imported_palmares):
    response = visitor.get(reverse("catalogue:edition", kwargs={"year": 2019}))

    assert response.status_code == 404


def test_edition_under_embargo_is_not_found_nor_linked(visitor, imported_palmares, embargoed_award):
    embargoed = visitor.get(reverse("catalogue:edition", kwargs={"year": 2025}))
    latest = visitor.get(reverse("catalogue:edition", kwargs={"year": 2024}))

    assert embargoed.status_code == 404
    assert "/palmares/2025/" not in latest.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_edition_queries_do_not_grow_with_awards(visitor, label, count, django_assert_num_queries):
    edition, levels = make_edition(label, 2024, is_historical=True)
    for number in range(count):
        make_award(edition, f"Projet {number}", f"Structure {number}", level=levels["or"])

    # The edition, its awards, their organisations, their distinctions, the years of the public
    # editions.
    with django_assert_num_queries(5):
        response = visitor.get(reverse("catalogue:edition", kwargs={"year": 2024}))

    assert len([line for line in outline(response.content.decode()) if " — " in line]) == count


# Project page


def test_project_page_describes_the_award_and_its_organisations(visitor, imported_palmares):
    response = visitor.get(project_url(AMBASSADONDES))

    content = response.content.decode()
    assert response.status_code == 200
    assert (
        "<h1>Ambassad&#x27;Ondes - Balade urbaine de découverte des champs électromagnétiques</h1>"
        in content
    )
    assert facts(content) == [
        ("Édition", "2024"),
        ("Décerné par", "Les Interconnectés"),
        ("Niveau", "Or"),
        ("Thème", "Participation citoyenne"),
        ("Nature", "Commune"),
        ("Population", "230\xa0890 habitants (de 200 000 à 999 999 habitants)"),
        ("Département", "Ille-et-Vilaine (35)"),
        ("Région", "Bretagne"),
        ("Code INSEE", "35238"),
        ("Numéro SIREN", "213502388"),
        ("Nature", "Métropole"),
        ("Population", "473\xa0973 habitants (de 200 000 à 999 999 habitants)"),
        ("Département", "Ille-et-Vilaine (35)"),
        ("Région", "Bretagne"),
        ("Numéro SIREN", "243500139"),
    ]
    assert '<p class="lead level-or">Label Territoire Innovant 2024 — Or</p>' in content


def test_project_page_links_other_awards_of_the_same_organisations(visitor, imported_palmares):
    response = visitor.get(project_url(AMBASSADONDES))

    content = response.content.decode()
    others = re.findall(r'<ul class="other-awards">(.*?)</ul>', content, flags=re.S)
    assert [text(html) for html in others] == [
        "Projet numérique autour des cimetières (2015)",
        "INFOLAB, pour comprendre et innover avec l'Open Data (2013, label argent)",
    ]
    assert f'href="{project_url("Projet numérique autour des cimetières")}"' in content


def test_project_page_follows_codes_across_names(visitor, imported_palmares):
    # "Grand Lyon" (2013) was matched to its successor, the Métropole de Lyon.
    response = visitor.get(project_url(INCLUSIF))

    others = re.findall(r'<ul class="other-awards">(.*?)</ul>', response.content.decode(), re.S)
    assert [text(html) for html in others] == [
        "Self data (2022, label or) Grand Lyon SmartData (2013, label bronze)"
    ]


def test_project_page_says_under_which_name_an_award_was_published(visitor, imported_palmares):
    response = visitor.get(project_url("Grand Lyon SmartData"))

    content = response.content.decode()
    assert '<p class="published-name">Publié sous le nom « Grand Lyon »</p>' in content
    assert ">Métropole de Lyon</a></h3>" in content


def test_project_page_without_published_experience_says_so(visitor, imported_palmares):
    response = visitor.get(project_url(AMBASSADONDES))

    content = response.content.decode()
    assert "La structure lauréate n'a pas encore publié son retour d'expérience." in content
    assert "Aucun échange avec d'autres collectivités sur la plateforme pour l'instant." in content
    assert edit_url() not in content


def test_project_page_shows_the_retour_d_experience(visitor, imported_palmares):
    award = Award.objects.get(title=AMBASSADONDES)
    ExperienceShare.objects.create(
        award=award, outcomes="1 200 participants.", reused_by="Ville de Nantes"
    )

    response = visitor.get(project_url(AMBASSADONDES))

    content = response.content.decode()
    section = content[content.index('id="retour-experience"') :]
    assert "<dt>Résultats obtenus</dt><dd><p>1 200 participants.</p></dd>" in section
    assert "<dt>Qui l'a réutilisé</dt><dd><p>Ville de Nantes</p></dd>" in section
    assert "Coûts et moyens" not in section


def test_project_of_an_embargoed_award_is_not_found(visitor, imported_palmares, embargoed_award):
    response = visitor.get(reverse("catalogue:project", kwargs={"slug": embargoed_award.slug}))

    assert response.status_code == 404


def test_embargoed_award_is_not_listed_among_other_awards(
    visitor, imported_palmares, embargoed_award
):
    # The embargoed award went to the Ville de Rennes, a laureate of this project too.
    response = visitor.get(project_url(AMBASSADONDES))

    assert "Projet sous embargo" not in response.content.decode()


def test_unknown_project_is_not_found(visitor, imported_palmares):
    response = visitor.get(reverse("catalogue:project", kwargs={"slug": "projet-inconnu"}))

    assert response.status_code == 404


# Editing the retour d'expérience: the laureate's members only


def edit_url(title: str = AMBASSADONDES) -> str:
    slug = Award.objects.get(title=title).slug
    return reverse("catalogue:project_experience_edit", kwargs={"slug": slug})


EXPERIENCE = {
    "outcomes": "Trois balades, 90 habitants.",
    "costs": "4 000 € et deux agents.",
    "lessons": "Commencer par les écoles.",
    "reused_by": "",
}


def test_laureate_member_may_write_the_retour_d_experience(
    applicant, applicant_client, imported_palmares
):
    response = applicant_client.post(edit_url(), EXPERIENCE)

    share = ExperienceShare.objects.get(award__title=AMBASSADONDES)
    assert response.status_code == 302
    assert response["Location"] == project_url(AMBASSADONDES) + "#retour-experience"
    assert (share.outcomes, share.costs, share.lessons, share.reused_by) == (
        "Trois balades, 90 habitants.",
        "4 000 € et deux agents.",
        "Commencer par les écoles.",
        "",
    )
    assert share.updated_by == applicant


def test_member_of_a_co_laureate_may_write_the_retour_d_experience(client, imported_palmares):
    # Rennes Métropole shares the award with the Ville de Rennes.
    award = Award.objects.get(title=AMBASSADONDES)
    metropole = award.award_organisations.get(organisation__kind="metropole").organisation
    member = MembershipFactory(organisation=metropole, state=MembershipState.CONFIRMED).user
    client.force_login(member)

    response = client.get(edit_url())

    assert response.status_code == 200


def test_laureate_member_sees_the_edit_link(applicant_client, imported_palmares):
    response = applicant_client.get(project_url(AMBASSADONDES))

    assert f'href="{edit_url()}">Écrire le retour d\'expérience</a>' in response.content.decode()


def test_other_agent_may_not_write_the_retour_d_experience(
    other_applicant_client, imported_palmares
):
    page = other_applicant_client.get(project_url(AMBASSADONDES))
    response = other_applicant_client.post(edit_url(), EXPERIENCE)

    assert edit_url() not in page.content.decode()
    assert response.status_code == 403
    assert not ExperienceShare.objects.exists()


def test_pending_member_may_not_write_the_retour_d_experience(
    client, pending_applicant, imported_palmares
):
    client.force_login(pending_applicant)

    response = client.get(edit_url())

    assert response.status_code == 403


def test_member_of_another_laureate_may_not_write_this_one(
    other_applicant_client, imported_palmares
):
    # Brest is a laureate (2013, 2022), not of this project.
    response = other_applicant_client.get(edit_url("Brest Créative"))

    assert response.status_code == 200
    assert other_applicant_client.get(edit_url()).status_code == 403


def test_anonymous_visitor_is_sent_to_login_to_write_the_retour(visitor, imported_palmares):
    response = visitor.post(edit_url(), EXPERIENCE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={edit_url()}"
    assert not ExperienceShare.objects.exists()


def test_retour_d_experience_of_an_embargoed_award_is_not_found_even_for_its_members(
    applicant_client, imported_palmares, embargoed_award
):
    url = reverse("catalogue:project_experience_edit", kwargs={"slug": embargoed_award.slug})

    response = applicant_client.get(url)

    assert response.status_code == 404
