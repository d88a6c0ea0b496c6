"""The /palmares/ page: form without JavaScript, facets with counts, HTMX partial, messages."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from catalogue.search import index_awards
from tests.factories import AwardOrganisationFactory, ThemeFactory

from .builders import make_award, make_edition, set_current_phase

pytestmark = pytest.mark.django_db

URL = "/palmares/"


@pytest.fixture
def edition(label):
    """A published 2024 edition with one theme; awards are added by each test."""
    edition, levels = make_edition(label, 2024, is_historical=True)
    edition.levels_by_code = levels
    return edition


def award_to(edition, title, organisation, level="or", theme=None):
    award = make_award(edition, title, level=edition.levels_by_code[level], theme=theme)
    AwardOrganisationFactory(award=award, organisation=organisation, published_name="")
    return award


def test_url_is_french_and_stable():
    assert reverse("catalogue:palmares") == URL


def test_page_lists_results_with_their_facts_and_project_link(visitor, edition, rennes):
    theme = ThemeFactory(edition=edition, name="Gestion des données", slug="gestion-des-donnees")
    award = award_to(edition, "Carte des données", rennes, theme=theme)
    index_awards()

    response = visitor.get(URL, {"q": "donnees"})

    assert response.status_code == 200
    assertTemplateUsed(response, "catalogue/search/palmares.html")
    assertContains(response, "<title>« donnees » dans le palmarès – 1 lauréat · Palmarès</title>")
    assertContains(response, '<input type="search" name="q" id="id_q" value="donnees">')
    assertContains(response, '<h2 id="resultats-titre" tabindex="-1">1 lauréat</h2>', html=True)
    assertContains(
        response,
        f'<h3 class="award-title"><a href="/projets/{award.slug}/">Carte des données</a></h3>',
        html=True,
    )
    assertContains(response, '<p class="award-organisations">Rennes</p>', html=True)
    assertContains(
        response,
        '<p class="award-facts">Label Territoire Innovant 2024 · label or · '
        "Gestion des données</p>",
        html=True,
    )


def test_facets_show_counts_and_keep_the_chosen_values(visitor, edition, rennes, brest):
    award_to(edition, "Carte des données", rennes)
    award_to(edition, "Données ouvertes", brest, level="argent")
    award_to(edition, "Budget participatif", brest, level="bronze")
    index_awards()

    response = visitor.get(URL, {"q": "donnees", "level": "or", "kind": "commune"})

    assertContains(response, '<h2 id="resultats-titre" tabindex="-1">1 lauréat</h2>', html=True)
    assertContains(
        response,
        '<select name="level" id="id_level" form="recherche">'
        '<option value="">Tous les niveaux</option>'
        '<option value="or" selected>Or (1)</option>'
        '<option value="argent">Argent (1)</option></select>',
        html=True,
    )
    assertContains(response, '<option value="53">Bretagne (1)</option>', html=True)
    assertContains(
        response,
        '<input type="checkbox" name="kind" value="commune" id="id_kind_commune" form="recherche" '
        "checked>",
        html=True,
    )
    assertContains(response, '<label for="id_kind_commune">Commune (1)</label>', html=True)


def test_without_htmx_the_whole_page_is_sent(visitor, edition, rennes):
    award_to(edition, "Carte des données", rennes)
    index_awards()

    response = visitor.get(URL)

    assertContains(response, '<script src="/static/js/htmx.min.js" defer></script>', html=True)
    assertContains(response, 'hx-get="/palmares/" hx-target="#resultats-recherche"')
    assertContains(response, '<form id="recherche" class="form search-form" method="get"')
    assertNotContains(response, "hx-swap-oob")
    assert response["Vary"].startswith("HX-Request")


def test_htmx_request_gets_the_results_region_only(visitor, edition, rennes):
    award_to(edition, "Carte des données", rennes)
    index_awards()

    response = visitor.get(URL, {"q": "carte"}, headers={"HX-Request": "true"})

    assertTemplateUsed(response, "catalogue/search/results.html")
    assertNotContains(response, "<html")
    assertNotContains(response, 'id="recherche"')
    assertContains(
        response, '<p id="etat-recherche" hx-swap-oob="innerHTML">1 lauréat</p>', html=True
    )
    assertContains(response, '<h2 id="resultats-titre" tabindex="-1">1 lauréat</h2>', html=True)
    # htmx sets the document title from the region's own (RGAA 8.6, issue 21).
    assertContains(response, "<title>« carte » dans le palmarès – 1 lauréat · Palmarès</title>")


def test_filters_apply_with_their_button_never_on_change(visitor, edition, rennes):
    award_to(edition, "Carte des données", rennes)
    index_awards()

    response = visitor.get(URL, {"q": "carte"})  # with words, the results can be sorted

    assertContains(response, 'hx-trigger="submit"')
    assertNotContains(response, "change from:")
    assertContains(
        response,
        '<button type="submit" class="button" form="recherche">Appliquer les filtres</button>',
        html=True,
    )
    assertContains(
        response,
        '<button type="submit" class="button" form="recherche">Trier</button>',
        html=True,
    )


def test_htmx_history_restoration_gets_the_whole_page(visitor, edition, rennes):
    award_to(edition, "Carte des données", rennes)
    index_awards()

    response = visitor.get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assertContains(response, "<html")


def a_published_and_an_embargoed_carte(label, edition, rennes):
    """« Carte des données publiées » in `edition`, « … sous embargo » in 2025 under embargo;
    indexed. Returns the 2025 edition."""
    award_to(edition, "Carte des données publiées", rennes)
    embargoed, levels = make_edition(label, 2025)
    set_current_phase(embargoed, "embargo", results_public=False)
    hidden = make_award(embargoed, "Carte des données sous embargo", level=levels["or"])
    AwardOrganisationFactory(award=hidden, organisation=rennes)
    index_awards()
    return embargoed


def test_embargoed_award_is_absent_from_the_page(visitor, label, edition, rennes):
    a_published_and_an_embargoed_carte(label, edition, rennes)

    response = visitor.get(URL, {"q": "carte"})

    assertContains(response, "Carte des données publiées")
    assertNotContains(response, "sous embargo")
    assertNotContains(response, "2025")


def test_facet_counts_follow_an_embargo_lifted_between_two_pages(visitor, label, edition, rennes):
    embargoed = a_published_and_an_embargoed_carte(label, edition, rennes)
    before = visitor.get(URL, {"q": "carte"})  # the counts of this page are kept

    # A bulk update sends no signal: the counts are kept under the documents they counted, and
    # the public editions are read on every request.
    embargoed.phases.filter(kind="embargo").update(results_public=True)
    after = visitor.get(URL, {"q": "carte"})

    years = (
        '<select name="year" id="id_year" form="recherche">'
        '<option value="">Toutes les années</option>'
    )
    assertContains(before, f'{years}<option value="2024">2024 (1)</option></select>', html=True)
    assertContains(
        after,
        f'{years}<option value="2025">2025 (1)</option><option value="2024">2024 (1)</option>'
        "</select>",
        html=True,
    )
    assertContains(after, '<p class="award-organisations">Rennes</p>', count=2, html=True)


def test_a_kept_award_is_written_in_the_language_of_each_page(visitor, edition, rennes, settings):
    award = award_to(edition, "Carte des données", rennes)
    index_awards()
    link = f'<a href="/projets/{award.slug}/">Carte des données</a>'

    french = visitor.get(URL, {"q": "carte"})  # the award is kept, with its French HTML
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = visitor.get(URL, {"q": "carte"})
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french_again = visitor.get(URL, {"q": "carte"})

    for response in (french, french_again):
        assertContains(response, f'<h3 class="award-title">{link}</h3>', html=True)
        assertContains(response, "Label Territoire Innovant 2024 · label or</p>")
    # On an English page the title is marked French, and the level is in English.
    assertContains(english, f'<h3 class="award-title" lang="fr">{link}</h3>', html=True)
    assertContains(english, "Label Territoire Innovant 2024 · gold label</p>")
    assertNotContains(english, "label or")


def test_pagination_keeps_the_search(visitor, edition, rennes):
    for number in range(21):
        award_to(edition, f"Projet numéro {number:02}", rennes)
    index_awards()

    first = visitor.get(URL, {"q": "projet"})
    second = visitor.get(URL, {"q": "projet", "page": "2"})

    assertContains(first, '<a href="?q=projet&amp;page=2" rel="next">Page suivante</a>', html=True)
    assertContains(first, "Page 1 sur 2")
    assertContains(second, "Projet numéro 20")
    assertContains(
        second, "<title>« projet » dans le palmarès – 21 lauréats – page 2 · Palmarès</title>"
    )


@pytest.mark.parametrize("q", ["%%%", "de la le"])
def test_query_without_words_says_so_and_lists_everything(visitor, edition, rennes, q):
    award_to(edition, "Carte des données", rennes)
    index_awards()

    response = visitor.get(URL, {"q": q})

    assert response.status_code == 200
    assertContains(
        response,
        f"« {q} » ne contient aucun mot assez significatif pour chercher : voici tout le palmarès.",
    )
    assertContains(response, "Carte des données")


def test_query_finding_nothing_names_the_unknown_word_and_suggests(visitor, edition, rennes):
    award_to(edition, "Carte des données", rennes)
    index_awards()

    response = visitor.get(URL, {"q": "données licorne", "year": "2024"})

    assertContains(response, '<h2 id="resultats-titre" tabindex="-1">Aucun lauréat</h2>', html=True)
    assertContains(response, "Aucun projet du palmarès ne contient le mot « licorne ».")
    assertContains(
        response,
        '<a href="/palmares/?q=donn%C3%A9es%20licorne">'
        "Chercher « données licorne » sans filtre</a>",
        html=True,
    )
    assertContains(response, '<a href="/palmares/">Voir tout le palmarès</a>', html=True)


def test_absurd_parameters_are_ignored_and_named(visitor, edition, rennes):
    award_to(edition, "Carte des données", rennes)
    index_awards()

    response = visitor.get(
        URL, {"q": "x" * 500, "level": "platine", "year": "abc", "page": "zz", "region": "99"}
    )

    assert response.status_code == 200
    assertContains(response, "<li>Niveau : « platine » n&#x27;est pas un niveau de label.</li>")
    assertContains(response, "<li>Année : « abc » n&#x27;est pas une année.</li>")
    assertContains(response, "<li>Région : « 99 » n&#x27;est pas un code de région.</li>")
    assertContains(response, '<h2 id="resultats-titre" tabindex="-1">Aucun lauréat</h2>', html=True)


@pytest.mark.parametrize("awards", [1, 3])
def test_page_queries_do_not_grow_with_results(
    visitor, edition, rennes, brest, awards, django_assert_num_queries
):
    for number in range(awards):
        award = award_to(edition, f"Projet numéro {number}", rennes)
        AwardOrganisationFactory(award=award, organisation=brest, position=1)
    index_awards()

    # The contest (?concours=), index token, facets load (documents, territory names), public
    # editions, the word's documents (anywhere, in titles; on PostgreSQL each look-up switches
    # sequential scans off and back in the same round trip), awards, their organisations, their
    # distinctions.
    with django_assert_num_queries(10):
        response = visitor.get(URL, {"q": "projet"})
    assertContains(response, "Projet numéro 0")
    # Then the facets, the word's documents and the page's awards are in memory: contest,
    # token, public editions.
    with django_assert_num_queries(3):
        visitor.get(URL, {"q": "projet"})


def test_awards_kept_from_an_earlier_page_are_dropped_when_one_is_saved(
    visitor, edition, rennes, django_assert_num_queries
):
    award = award_to(edition, "Projet d'origine", rennes)
    index_awards()
    visitor.get(URL, {"q": "projet"})
    award.title = "Projet renommé"
    award.save()  # no new index: the title's words are the same

    # Contest, token, public editions, and the awards with their organisations and
    # distinctions again.
    with django_assert_num_queries(6):
        response = visitor.get(URL, {"q": "projet"})

    assertContains(response, "Projet renommé")
    assertNotContains(response, "Projet d'origine")


def test_no_award_is_kept_when_public_pages_are_not(
    visitor, edition, rennes, settings, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    award_to(edition, "Projet gardé", rennes)
    index_awards()
    visitor.get(URL, {"q": "projet"})

    # Nothing kept: contest, token, public editions, awards, organisations, distinctions.
    with django_assert_num_queries(6):
        visitor.get(URL, {"q": "projet"})
