# ruff: noqa: E501 (expected documents are compared line by line, as they print)
"""The press release: the 2024 history as imported, an edition deliberated on the platform,
figures left out when unknown, and the embargo (page, Markdown and PDF are "not found")."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from awards.documents.markdown import escape
from awards.documents.press_release import Figures, figures_sentence, forum_sentence
from contests.models import Contest, Edition, Event
from tests.catalogue.builders import make_award, make_edition, outline
from tests.factories import EditionFactory, PhaseFactory

from .documents_setup import build


def folded(markdown: str) -> str:
    """The Markdown without the two spaces that end a line to break it inside a paragraph (as
    in the 2024 release): the expected texts below are written without trailing spaces."""
    return markdown.replace("  \n", "\n")


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace folded (lines wrap where the layout wants)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def history(db) -> None:
    """data/palmares.csv, editions.csv and transparency.csv imported as in production."""
    call_command("import_palmares", "data/palmares.csv", verbosity=0)
    call_command("import_transparency", verbosity=0)


HISTORY_HEAD = """Communiqué de presse
4 avril 2024 à Marseille

# Forum des Interconnectés 2024 : annonce des lauréats « Label Territoire Innovant » 2024

Le Forum des Interconnectés 2024 s'est tenu du 3 au 4 avril 2024 à Marseille et a réuni 1130 participants.

**45 projets présentés, 28 ont été auditionnés et 21 ont été labellisés.**

Le label repose sur des valeurs qui sont aussi ses critères d'attribution :

- L'innovation
- La prise en compte des usagers
- La reproductibilité
- La mutualisation / interopérabilité
- L'utilité / efficacité
- Sobriété numérique / impact climatique

Le jury était composé de représentants de ces institutions : Intercommunalités de France, DINUM, Banque des Territoires, Association des Départements de France, AMF, Toulouse Métropole, Ekitia et Déclic.

## Les lauréats 2024

### Inclusion numérique

#### Label or

- **Métropole de Lyon**
  Inclusif, le jeu - Concevons nos services numériques pour tout le monde !

#### Label argent

- **Métropole d'Aix-Marseille-Provence et Hub du Sud**
  La Fabrique de l'Inclusion Numérique AMP

#### Label bronze

- **Nantes Métropole**
  Diagnostic et évaluation du plan d'actions médiation numérique
- **Communauté d'agglomération du Sicoval et Département de la Haute-Garonne**
  « Ma culture numérique »
- **Syndicat Anjou Numérique**
  Accueil numérique de proximité dans les mairies

### Participation citoyenne
"""

HISTORY_TAIL = """### Territoire intelligent et responsable

#### Label or

- **Métropole Rouen Normandie**
  Parcours de sensibilisation au numérique responsable à destination des entreprises, collectivités et administrations

#### Label argent

- **Région Occitanie**
  Démarche vers un numérique humain, responsable et souverain

#### Label bronze

- **Communauté urbaine de Dunkerque**
  Facili'city
- **Angers Loire Métropole**
  Plan d'actions pour un numérique plus responsable
- **Ville d'Antony**
  Surveillance de la qualité de l'air extérieur à Antony

« Label Territoire Innovant » est décerné par Les Interconnectés.

---

Le palmarès complet : <http://testserver/palmares/2024/>
"""


def test_markdown_of_the_2024_history_follows_the_published_release(history, visitor):
    response = visitor.get("/palmares/2024/communique.md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="communique-label-territoire-innovant-2024.md"'
    )
    text = response.content.decode()
    assert text.startswith("Communiqué de presse  \n4 avril 2024 à Marseille\n")
    assert "- **Métropole de Lyon**  \n  Inclusif, le jeu" in text
    text = folded(text)
    assert text.startswith(HISTORY_HEAD)
    assert text.endswith(HISTORY_TAIL)
    assert text.count("\n- **") == 21  # one item per laureate


def test_page_of_the_2024_history_lists_laureates_by_theme_then_level(history, visitor):
    response = visitor.get("/palmares/2024/communique/")

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "<strong>45 projets présentés, 28 ont été auditionnés et 21 ont été labellisés.</strong>"
        in html
    )
    lines = outline(html)
    assert lines[:9] == [
        "h2: Les lauréats 2024",
        "h3: Inclusion numérique",
        "h4: Label or",
        "Métropole de Lyon — Inclusif, le jeu - Concevons nos services numériques pour tout le monde !",
        "h4: Label argent",
        "Métropole d'Aix-Marseille-Provence et Hub du Sud — La Fabrique de l'Inclusion Numérique AMP",
        "h4: Label bronze",
        "Nantes Métropole — Diagnostic et évaluation du plan d'actions médiation numérique",
        "Communauté d'agglomération du Sicoval et Département de la Haute-Garonne — « Ma culture numérique »",
    ]
    assert [line for line in lines if line.startswith("h3: ")] == [
        "h3: Inclusion numérique",
        "h3: Participation citoyenne",
        "h3: Service usagers & accessibilité",
        "h3: Modernisation du service public",
        "h3: Gestion des données",
        "h3: Territoire intelligent et responsable",
    ]
    assert lines[-1] == "h2: Télécharger le communiqué"
    assert 'href="/palmares/2024/communique.pdf"' in html
    assert 'href="/palmares/2024/communique.md"' in html


def test_pdf_of_the_2024_history_prints_the_figures_and_laureates(history, visitor):
    response = visitor.get("/palmares/2024/communique.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="communique-label-territoire-innovant-2024.pdf"'
    )
    text = pdf_text(response.content)
    assert text.startswith(
        "Communiqué de presse 4 avril 2024 à Marseille Forum des Interconnectés 2024 : annonce "
        "des lauréats « Label Territoire Innovant » 2024 Le Forum des Interconnectés 2024 s'est "
        "tenu du 3 au 4 avril 2024 à Marseille et a réuni 1130 participants. 45 projets "
        "présentés, 28 ont été auditionnés et 21 ont été labellisés."
    )
    assert (
        "Les lauréats 2024 Inclusion numérique Label or Métropole de Lyon Inclusif, le jeu - "
        "Concevons nos services numériques pour tout le monde ! Label argent"
    ) in text
    assert "Toulouse Métropole, Ekitia et Déclic." in text


PLATFORM_MARKDOWN = """Communiqué de presse
6 avril 2028 à Lyon

# Forum des Interconnectés 2028 : annonce des lauréats « Label Territoire Innovant » 2028

Le Forum des Interconnectés 2028 s'est tenu du 5 au 6 avril 2028 à Lyon (Hôtel de Ville) et a réuni 900 participants.

**4 projets présentés, 3 ont été auditionnés et 2 ont été labellisés.**

Le label repose sur des valeurs qui sont aussi ses critères d'attribution :

- L'innovation
- La reproductibilité

Le jury, qui a auditionné les candidats lors de 2 séances en visioconférence, était composé de représentants de ces institutions : Banque des Territoires et DINUM.

## Les lauréats 2028

### Inclusion numérique

#### Label or

- **Rennes et Rennes Métropole**
  Ambassad'Ondes, balade des ondes

### Gestion des données

#### Label argent

- **Brest**
  Guichet \\*unique\\* des associations

« Label Territoire Innovant » est décerné par Les Interconnectés.

---

Le palmarès complet : <http://testserver/palmares/2028/>
"""


def test_markdown_of_a_platform_edition_counts_dossiers_and_names_the_jury(db, visitor):
    """Counted: 4 received (not the draft), 3 auditioned (2 awarded, 1 not labelled after its
    audition), 2 labelled; the accepted jurors' institutions once each, the declined one not."""
    build()

    response = visitor.get("/palmares/2028/communique.md")

    assert response.status_code == 200
    assert folded(response.content.decode()) == PLATFORM_MARKDOWN


def test_published_figures_win_over_counts(db, visitor):
    setup = build()
    Edition.objects.filter(pk=setup.edition.pk).update(
        applications_count=40, auditioned_count=20, laureates_count=12
    )

    text = visitor.get("/palmares/2028/communique.md").content.decode()

    assert "**40 projets présentés, 20 ont été auditionnés et 12 ont été labellisés.**" in text


def test_historical_edition_without_figures_prints_only_what_is_known(db, visitor):
    label = Contest.objects.get(slug="label-territoire-innovant")
    edition, levels = make_edition(label, 2013, is_historical=True)
    make_award(edition, "Grand Lyon SmartData", "Grand Lyon", level=levels["bronze"])

    text = visitor.get("/palmares/2013/communique.md").content.decode()

    assert folded(text) == (
        "Communiqué de presse\n"
        "\n"
        "# Annonce des lauréats « Label Territoire Innovant » 2013\n"
        "\n"
        "**1 projet a été labellisé.**\n"
        "\n"
        "## Les lauréats 2013\n"
        "\n"
        "### Label bronze\n"
        "\n"
        "- **Grand Lyon**\n"
        "  Grand Lyon SmartData\n"
        "\n"
        "« Label Territoire Innovant » est décerné par Les Interconnectés.\n"
        "\n"
        "---\n"
        "\n"
        "Le palmarès complet : <http://testserver/palmares/2013/>\n"
    )


@pytest.mark.parametrize(
    ("figures", "sentence"),
    [
        (
            Figures(45, 28, 21),
            "45 projets présentés, 28 ont été auditionnés et 21 ont été labellisés.",
        ),
        (Figures(None, 28, 21), "28 projets ont été auditionnés et 21 ont été labellisés."),
        (Figures(100, None, 25), "100 projets présentés et 25 ont été labellisés."),
        (Figures(None, None, 1), "1 projet a été labellisé."),
        (Figures(1, 1, None), "1 projet présenté et 1 a été auditionné."),
        (Figures(None, None, None), ""),
    ],
)
def test_figures_sentence_leaves_out_unknown_figures(figures, sentence):
    assert figures_sentence(figures) == sentence


@pytest.mark.parametrize(
    ("forum", "sentence"),
    [
        (
            Event(
                name="Forum 2017",
                city="Villeurbanne",
                starts_on=date(2017, 12, 5),
                ends_on=date(2017, 12, 6),
                participants=900,
            ),
            "Le Forum 2017 s'est tenu du 5 au 6 décembre 2017 à Villeurbanne et a réuni 900 participants.",
        ),
        (Event(name="Forum 2010", city="Lyon"), "Le Forum 2010 s'est tenu à Lyon."),
        (
            Event(name="Forum 2015", starts_on=date(2015, 12, 3)),
            "Le Forum 2015 s'est tenu le 3 décembre 2015.",
        ),
        (
            Event(name="Forum 2020", starts_on=date(2020, 11, 30), ends_on=date(2020, 12, 1)),
            "Le Forum 2020 s'est tenu du 30 novembre au 1er décembre 2020.",
        ),
        (Event(name="Forum 2019", participants=1), "Le Forum 2019 a réuni 1 participant."),
        (Event(name="Forum 2011"), ""),
    ],
)
def test_forum_sentence_says_only_what_is_known(forum, sentence):
    assert forum_sentence(Edition(year=2000, forum=forum)) == sentence


def test_forum_sentence_without_forum_is_empty():
    assert forum_sentence(Edition(year=2000)) == ""


def test_markdown_escapes_what_people_typed():
    assert escape("*Smart* city [beta] <b>") == r"\*Smart\* city \[beta\] \<b\>"
    assert escape("# Un titre") == r"\# Un titre"
    assert escape("1. Premier") == r"1\. Premier"
    assert escape("- tiret\n  et retour") == r"\- tiret et retour"
    assert escape("Pulse - Bordeaux") == "Pulse - Bordeaux"


@pytest.mark.parametrize("suffix", ["communique/", "communique.md", "communique.pdf"])
def test_press_release_under_embargo_is_not_found_even_for_organisers(
    db, visitor, organiser_client, suffix
):
    build(results_public=False)

    assert visitor.get(f"/palmares/2028/{suffix}").status_code == 404
    assert organiser_client.get(f"/palmares/2028/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["communique/", "communique.md", "communique.pdf"])
def test_press_release_of_public_results_is_public(db, visitor, suffix):
    build(results_public=True)

    assert visitor.get(f"/palmares/2028/{suffix}").status_code == 200


def test_press_release_is_the_labels_not_another_contests(db, visitor):
    """/palmares/<year>/ is the label's: a public edition of another contest has none here."""
    startups = Contest.objects.get(slug="start-up-interconnectee")
    edition = EditionFactory(contest=startups, year=2029, is_historical=True)
    make_award(edition, "Une start-up", "Start-up SAS")

    assert visitor.get("/palmares/2029/communique/").status_code == 404
    assert visitor.get("/palmares/2099/communique/").status_code == 404


def _edition_with_awards(count: int) -> None:
    label = Contest.objects.get(slug="label-territoire-innovant")
    edition, levels = make_edition(label, 2031)
    PhaseFactory(edition=edition, kind="published", results_public=True)
    for number in range(count):
        make_award(
            edition, f"Projet {number}", f"Commune {number}", f"EPCI {number}", level=levels["or"]
        )


@pytest.mark.parametrize("count", [1, 3])
def test_press_release_page_queries_do_not_grow_with_laureates(
    db, visitor, django_assert_num_queries, count
):
    _edition_with_awards(count)

    with django_assert_num_queries(9):  # the awards' distinctions: one query for all
        response = visitor.get("/palmares/2031/communique/")

    assert response.content.decode().count('class="award"') == count
