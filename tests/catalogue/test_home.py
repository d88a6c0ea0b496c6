from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from territories.models import Organisation
from tests.factories import ContestFactory, EventFactory, PhaseFactory, ThemeFactory

from .builders import make_award, make_edition, outline, set_current_phase

pytestmark = pytest.mark.django_db

# The h2 sections that follow the palmarès on the home page, always present.
# The contest presents itself from its data (its description, who awards it).
PRESENTATION = ["h2: Qui le décerne"]


@pytest.fixture
def palmares_2024(label):
    """Part of the real 2024 palmarès, recorded out of order, plus older and unrelated awards."""
    forum = EventFactory(name="Forum des Interconnectés 2024", city="Marseille")
    edition, levels = make_edition(label, 2024, is_historical=True, forum=forum)
    inclusion = ThemeFactory(edition=edition, name="Inclusion numérique", position=0)
    participation = ThemeFactory(edition=edition, name="Participation citoyenne", position=1)
    make_award(
        edition,
        "Plateforme numérique participative de territoire",
        "Grenoble-Alpes Métropole",
        level=levels["argent"],
        theme=participation,
    )
    make_award(
        edition,
        "Accueil numérique de proximité dans les mairies",
        "Syndicat Anjou Numérique",
        level=levels["bronze"],
        theme=inclusion,
    )
    make_award(
        edition,
        "Ambassad'Ondes - Balade urbaine de découverte des champs électromagnétiques",
        "Ville de Rennes",
        "Rennes Métropole",
        level=levels["or"],
        theme=participation,
    )
    make_award(
        edition,
        "Inclusif, le jeu - Concevons nos services numériques pour tout le monde !",
        "Métropole de Lyon",
        level=levels["or"],
        theme=inclusion,
    )
    make_award(
        edition,
        "Diagnostic et évaluation du plan d'actions médiation numérique",
        "Nantes Métropole",
        level=levels["bronze"],
        theme=inclusion,
    )
    older, older_levels = make_edition(label, 2013, is_historical=True)
    make_award(older, "Brest Créative", "Ville de Brest", level=older_levels["or"])
    startups, _ = make_edition(
        ContestFactory(name="Start-up Interconnectée"), 2025, is_historical=True
    )
    make_award(startups, "Une start-up", "Une jeune pousse")
    return edition


def test_home_shows_latest_public_palmares_grouped_by_theme_then_level(visitor, palmares_2024):
    response = visitor.get(reverse("catalogue:home"))

    assert response.status_code == 200
    assert outline(response.content.decode()) == [
        "h2: Les lauréats 2024",
        "h3: Inclusion numérique",
        "h4: Label or",
        "Métropole de Lyon — Inclusif, le jeu - Concevons nos services numériques pour tout le "
        "monde !",
        "h4: Label bronze",
        "Syndicat Anjou Numérique — Accueil numérique de proximité dans les mairies",
        "Nantes Métropole — Diagnostic et évaluation du plan d'actions médiation numérique",
        "h3: Participation citoyenne",
        "h4: Label or",
        "Ville de Rennes, Rennes Métropole — Ambassad'Ondes - Balade urbaine de découverte des "
        "champs électromagnétiques",
        "h4: Label argent",
        "Grenoble-Alpes Métropole — Plateforme numérique participative de territoire",
        *PRESENTATION,
    ]
    assert (
        "5 projets labellisés, annoncés à Marseille lors de l'événement "
        "« Forum des Interconnectés 2024 »."
    ) in (response.content.decode())


def test_home_without_themes_lists_levels_then_unknown_level(visitor, label):
    edition, levels = make_edition(label, 2013, is_historical=True)
    make_award(edition, "Sans niveau connu", "Ville de Thionville")
    make_award(edition, "Brest Créative", "Ville de Brest", level=levels["or"])
    make_award(edition, "DIVA", "Lille Métropole", level=levels["or"])

    response = visitor.get(reverse("catalogue:home"))

    assert outline(response.content.decode()) == [
        "h2: Les lauréats 2013",
        "h3: Label or",
        "Ville de Brest — Brest Créative",
        "Lille Métropole — DIVA",
        "h3: Niveau non publié",
        "Ville de Thionville — Sans niveau connu",
        *PRESENTATION,
    ]
    assert "3 projets labellisés." in response.content.decode()


def test_home_hides_awards_of_an_edition_under_embargo(visitor, label, palmares_2024):
    edition_2025, levels = make_edition(label, 2025)
    set_current_phase(edition_2025, "embargo", results_public=False)
    # Publication is scheduled but has not started yet: the embargo still holds.
    PhaseFactory(
        edition=edition_2025,
        kind="published",
        starts_at=timezone.now() + timedelta(days=1),
        results_public=True,
    )
    make_award(edition_2025, "Projet sous embargo", "Ville de Rennes", level=levels["or"])

    response = visitor.get(reverse("catalogue:home"))

    content = response.content.decode()
    assert outline(content)[0] == "h2: Les lauréats 2024"
    assert "Projet sous embargo" not in content


def test_home_shows_awards_of_an_edition_once_published(visitor, label, palmares_2024):
    edition_2025, levels = make_edition(label, 2025)
    set_current_phase(edition_2025, "published", results_public=True)
    make_award(edition_2025, "Projet publié", "Ville de Rennes", level=levels["or"])

    response = visitor.get(reverse("catalogue:home"))

    assert outline(response.content.decode()) == [
        "h2: Les lauréats 2025",
        "h3: Label or",
        "Ville de Rennes — Projet publié",
        *PRESENTATION,
    ]


def test_home_without_public_palmares_says_so(visitor, label):
    edition, levels = make_edition(label, 2025)
    set_current_phase(edition, "embargo", results_public=False)
    make_award(edition, "Projet sous embargo", "Ville de Rennes", level=levels["or"])

    response = visitor.get(reverse("catalogue:home"))

    assert "Aucun palmarès n'est encore publié." in response.content.decode()
    assert "Projet sous embargo" not in response.content.decode()


def test_home_names_an_organisation_by_its_referential_name_when_none_was_published(
    visitor, label, rennes
):
    edition, levels = make_edition(label, 2024, is_historical=True)
    award = make_award(edition, "Ambassad'Ondes", level=levels["or"])
    award.award_organisations.create(organisation=rennes, role="lead")

    response = visitor.get(reverse("catalogue:home"))

    assert "Rennes — Ambassad'Ondes" in outline(response.content.decode())


@pytest.mark.parametrize("match", ["successor", "alias"])
def test_home_names_a_renamed_organisation_and_the_name_it_was_published_under(
    visitor, label, match
):
    lyon = Organisation.objects.get(kind="metropole", siren="200046977")
    edition, levels = make_edition(label, 2013, is_historical=True)
    award = make_award(edition, "Lyon Living Lab", level=levels["or"])
    award.award_organisations.create(
        organisation=lyon, role="lead", published_name="Grand Lyon", match=match
    )

    response = visitor.get(reverse("catalogue:home"))

    content = response.content.decode()
    assert "Métropole de Lyon (publié sous le nom « Grand Lyon ») — Lyon Living Lab" in (
        outline(content)
    )
    assert (
        'Métropole de Lyon <span class="published-name">(publié sous le nom « Grand Lyon »)'
        "</span>" in content
    )


def test_home_does_not_say_published_under_for_a_name_match(visitor, label, rennes):
    edition, levels = make_edition(label, 2013, is_historical=True)
    award = make_award(edition, "Ambassad'Ondes", level=levels["or"])
    award.award_organisations.create(
        organisation=rennes, role="lead", published_name="Ville de Rennes", match="name"
    )

    response = visitor.get(reverse("catalogue:home"))

    content = response.content.decode()
    assert "Ville de Rennes — Ambassad'Ondes" in outline(content)
    assert "publié sous le nom" not in content


@pytest.mark.parametrize("awards_count", [1, 3])
def test_home_queries_do_not_grow_with_awards(
    visitor, label, awards_count, django_assert_num_queries
):
    edition, levels = make_edition(label, 2024, is_historical=True)
    theme = ThemeFactory(edition=edition, name="Gestion des données")
    for number in range(awards_count):
        make_award(
            edition,
            f"Projet {number}",
            f"Structure {number}",
            f"Partenaire {number}",
            level=levels["argent"],
            theme=theme,
        )

    # The edition, its awards with level and theme, their organisations, their distinctions.
    with django_assert_num_queries(4):
        response = visitor.get(reverse("catalogue:home"))

    assert outline(response.content.decode())[3 : 3 + awards_count] == [
        f"Structure {n}, Partenaire {n} — Projet {n}" for n in range(awards_count)
    ]


def test_home_presents_the_contest_from_its_data(visitor, label):
    label.name, label.description = "Label Numérique Inclusif", "Un label en cinq niveaux."
    label.awarder_name, label.awarder_website = "Ville Numérique", ""
    label.save()

    content = visitor.get(reverse("catalogue:home")).content.decode()

    assert "<h1>Label Numérique Inclusif</h1>" in content
    assert "<p>Un label en cinq niveaux.</p>" in content
    assert "<p>Ville Numérique</p>" in content
    for word in ("Interconnect", "Territoire Innovant", "argent", "Forum"):
        assert word not in content
