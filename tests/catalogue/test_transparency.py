"""Transparency pages of the editions: what was published, never under embargo; organisers edit."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from contests.models import Edition, EditionTransparency
from tests.factories import CriterionFactory, PhaseFactory

from .builders import make_edition, set_current_phase
from .test_map import tables

pytestmark = pytest.mark.django_db

JURY_2024 = [
    "Intercommunalités de France",
    "DINUM",
    "Banque des Territoires",
    "Association des Départements de France",
    "AMF",
    "Toulouse Métropole",
    "Ekitia",
    "Déclic",
]


@pytest.fixture
def imported(db):
    call_command("import_palmares", str(settings.BASE_DIR / "data/palmares.csv"), verbosity=0)


@pytest.fixture
def transparency_imported(imported, capsys):
    call_command("import_transparency", str(settings.BASE_DIR / "data/transparency.csv"))
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def embargoed(label):
    """A 2025 edition under embargo, whose transparency row is already marked published."""
    edition, _ = make_edition(label, 2025)
    set_current_phase(edition, "embargo", results_public=False)
    CriterionFactory(edition=edition, name="Innovation")
    EditionTransparency.objects.create(
        edition=edition, jury_institutions="DINUM", conflicts_handled=3, published=True
    )
    return edition


def url(year: int) -> str:
    return reverse("catalogue:transparency", args=[year])


def edit_url(year: int) -> str:
    return reverse("catalogue:transparency_edit", args=[year])


def test_import_transparency_records_the_published_facts(transparency_imported):
    assert transparency_imported == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    row = EditionTransparency.objects.get(edition__year=2024)
    assert row.jury_institutions.splitlines() == JURY_2024
    assert row.published is True
    assert row.elimination_rule == ""
    assert EditionTransparency.objects.get(edition__year=2022).elimination_rule == (
        "Chacun des six critères peut être éliminatoire s'il n'est pas jugé suffisant "
        "dans le projet."
    )


def test_import_transparency_again_changes_nothing_and_keeps_organisers_text(
    transparency_imported, capsys
):
    row = EditionTransparency.objects.get(edition__year=2024)
    row.jury_institutions = "Jury corrigé par l'organisatrice"
    row.published = False
    row.save()

    call_command("import_transparency", str(settings.BASE_DIR / "data/transparency.csv"))

    assert json.loads(capsys.readouterr().out) == {
        "rows": 2,
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }
    row.refresh_from_db()
    assert row.jury_institutions == "Jury corrigé par l'organisatrice"
    assert row.published is False


def test_import_transparency_stops_on_an_unknown_edition(db, tmp_path):
    source = tmp_path / "transparency.csv"
    source.write_text(
        "year,jury_institutions,elimination_rule,normalisation_method,conflicts_handled,source\n"
        "1990,DINUM,,,,source.txt\n",
        encoding="utf-8",
    )

    with pytest.raises(Exception, match=r"line 2: no edition 1990"):
        call_command("import_transparency", str(source))
    assert EditionTransparency.objects.count() == 0


def test_2024_page_shows_jury_and_criteria_from_the_press_release(visitor, transparency_imported):
    response = visitor.get(url(2024))

    assert response.status_code == 200
    assertContains(response, "<h1>Transparence : Label Territoire Innovant 2024</h1>", html=True)
    for institution in JURY_2024:
        assertContains(response, f"<li>{institution}</li>", html=True)
    criteria = tables(response)["Critères de jugement, leur poids et s'ils sont éliminatoires"]
    assert criteria[0] == [
        "L'innovation",
        "Le projet apporte une réponse nouvelle, par la technologie, l'usage ou l'organisation, "
        "au regard de ce qui se fait sur des territoires comparables.",
        "1",
        "oui",
    ]
    assert len(criteria) == 6
    assertContains(response, "<dt>Règle d'élimination</dt>", html=True)
    assertContains(response, "<p>Distribution des notes : non publié.</p>", html=True)
    assertContains(response, '<span class="not-published">non publié</span>', count=3)


def test_2022_page_shows_the_elimination_rule_and_the_number_of_criteria(
    visitor, transparency_imported
):
    response = visitor.get(url(2022))

    assertContains(response, "Chacun des six critères peut être éliminatoire")
    assertContains(
        response, "L'organisateur a publié le nombre de critères (6), pas leur liste : non publié."
    )
    assertContains(response, "<p>Institutions représentées au jury : non publié.</p>", html=True)


def test_unpublished_transparency_row_stays_hidden(visitor, imported):
    edition = Edition.objects.get(year=2024)
    EditionTransparency.objects.create(edition=edition, jury_institutions="DINUM", published=False)

    response = visitor.get(url(2024))

    assertNotContains(response, "DINUM")
    assertContains(response, "<p>Institutions représentées au jury : non publié.</p>", html=True)


def test_published_score_distribution_is_drawn_and_tabulated(visitor, imported):
    edition = Edition.objects.get(year=2024)
    EditionTransparency.objects.create(
        edition=edition,
        conflicts_handled=4,
        score_distribution={"Innovation": [0, 1, 4, 9, 12, 5]},
        published=True,
    )

    response = visitor.get(url(2024))

    assertContains(response, "<dd>4</dd>", html=True)
    assertContains(
        response,
        '<svg class="chart chart-columns" viewBox="0 0 264 158" role="img" '
        'aria-labelledby="notes-1-titre notes-1-desc">'
        '<title id="notes-1-titre">Notes du critère « Innovation »</title>',
    )
    assert tables(response)["Notes du critère « Innovation » (31 notes)"] == [
        ["0", "0"],
        ["1", "1"],
        ["2", "4"],
        ["3", "9"],
        ["4", "12"],
        ["5", "5"],
    ]


def test_embargoed_edition_has_no_transparency_page_even_for_organisers(
    visitor, organiser_client, embargoed
):
    assert visitor.get(url(2025)).status_code == 404
    assert organiser_client.get(url(2025)).status_code == 404


def test_published_edition_shows_its_transparency_page(visitor, embargoed):
    publish(embargoed)

    response = visitor.get(url(2025))

    assert response.status_code == 200
    assertContains(response, "<li>DINUM</li>", html=True)
    assertContains(response, "<dd>3</dd>", html=True)


def publish(edition) -> None:
    """The embargo ends: a phase that makes the results public starts."""
    PhaseFactory(
        edition=edition,
        kind="published",
        starts_at=timezone.now() - timedelta(hours=1),
        results_public=True,
    )


def test_unknown_year_has_no_transparency_page(visitor, imported):
    assert visitor.get(url(1999)).status_code == 404


def test_organiser_sees_the_edit_link_and_visitors_do_not(
    visitor, organiser_client, transparency_imported
):
    link = f'<a href="{edit_url(2024)}">Modifier la page de transparence</a>'

    assertContains(organiser_client.get(url(2024)), link, html=True)
    assertNotContains(visitor.get(url(2024)), "Modifier la page de transparence")


def test_anonymous_visitor_is_sent_to_login_to_edit(visitor, imported):
    response = visitor.get(edit_url(2024))

    assertRedirects(
        response,
        f"{reverse('accounts:login')}?next={edit_url(2024)}",
        fetch_redirect_response=False,
    )


def test_applicant_may_not_edit_transparency(applicant_client, imported):
    assert applicant_client.get(edit_url(2024)).status_code == 403
    assert applicant_client.post(edit_url(2024), {"published": "on"}).status_code == 403
    assert not EditionTransparency.objects.exists()


def test_organiser_may_edit_and_publish_transparency(organiser_client, imported):
    response = organiser_client.post(
        edit_url(2024),
        {
            "jury_institutions": "DINUM\nAMF",
            "elimination_rule": "Un critère insuffisant élimine le dossier.",
            "normalisation_method": "",
            "conflicts_handled": "2",
            "score_distribution": '{"Innovation": [1, 2, 3]}',
            "published": "on",
        },
    )

    assertRedirects(response, url(2024))
    row = EditionTransparency.objects.get(edition__year=2024)
    assert row.jury_institutions == "DINUM\nAMF"
    assert row.conflicts_handled == 2
    assert row.score_distribution == {"Innovation": [1, 2, 3]}
    assert row.published is True


def test_organiser_may_prepare_transparency_under_embargo(organiser_client, embargoed):
    response = organiser_client.get(edit_url(2025))

    assert response.status_code == 200
    assertContains(
        response,
        "Les résultats de cette édition ne sont pas publics : la page de transparence n'est pas "
        "visible.",
    )


def test_bad_score_distribution_is_explained_and_kept(organiser_client, imported):
    response = organiser_client.post(
        edit_url(2024),
        {"jury_institutions": "DINUM", "score_distribution": '{"Innovation": [1, -2]}'},
    )

    assert response.status_code == 200
    assertContains(response, "<title>Erreur – Modifier la transparence")
    assertContains(
        response,
        "Donnez un objet dont chaque clé est un critère et chaque valeur une liste de nombres "
        "entiers positifs ou nuls (au plus 21 valeurs).",
    )
    assertContains(response, "[1, -2]")
    assertContains(response, ">\nDINUM</textarea>")
    assert not EditionTransparency.objects.exists()


@pytest.mark.parametrize("criteria", [1, 3])
def test_transparency_query_count_does_not_grow_with_criteria(
    visitor, label, django_assert_num_queries, criteria
):
    edition, _ = make_edition(label, 2030, is_historical=True)
    for number in range(criteria):
        CriterionFactory(edition=edition, name=f"Critère {number}")
    EditionTransparency.objects.create(
        edition=edition, score_distribution={"Critère 0": [1, 2]}, published=True
    )

    # The contest (?concours=), the edition, its criteria, its published transparency row.
    with django_assert_num_queries(4):
        response = visitor.get(url(2030))

    assert len(
        tables(response)["Critères de jugement, leur poids et s'ils sont éliminatoires"]
    ) == (criteria)
