"""Every public surface per contest (issue 16, item 2): a contest of another shape (five
numbered levels, no themes, another awarding organisation) is named on its own pages, badges
and documents, and the Label is not."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from awards.documents.certificate import build_certificate
from awards.models import Deliberation
from awards.publication.emails import result_message
from catalogue.search import index_awards
from contests.presentation import awarded_by
from tests.factories import ApplicationFactory
from tests.jury.factories import RoundFactory

from .builders import make_award, make_edition
from .other_shape import NAME, ORGANISATION, SLUG, YEAR, build_other_contest

QUERY = f"?concours={SLUG}"


@pytest.fixture
def other(label, rennes):
    # Awarded by its own organiser (Contest.organiser): every surface must read it.
    return build_other_contest(rennes)


@pytest.fixture
def label_award(label, brest):
    edition, levels = make_edition(label, YEAR, is_historical=True)
    award = make_award(edition, "Cartes des écoles", "Brest", level=levels["or"])
    award.award_organisations.update(organisation=brest)
    index_awards()
    return award


def test_the_contests_page_lists_each_contest_with_its_pages(other, label_award):
    page = Client().get(reverse("catalogue:contests"))

    assertContains(page, f'<h2 id="concours-{SLUG}">{NAME}</h2>', html=True)
    assertContains(page, "5 lauréats publiés, dernière édition : 2031.")
    assertContains(page, "1 lauréat publié, dernière édition : 2031.")
    assertContains(page, f'href="/palmares/{YEAR}/{QUERY}"')
    assertContains(page, f'href="/statistiques/{QUERY}"')
    assertContains(page, 'href="/statistiques/"')  # the default contest's, without a query
    assertContains(page, f"Décerné par {ORGANISATION}.", count=1)
    assertContains(page, "Décerné par Les Interconnectés.", count=2)  # the Label, the start-ups


def test_the_palmares_search_shows_one_contest_with_a_contest_facet(other, label_award):
    own = Client().get(reverse("catalogue:palmares") + QUERY).content.decode()
    default = Client().get(reverse("catalogue:palmares")).content.decode()

    assert ("Projet niveau-3 numéro 0" in own, "Cartes des écoles" in own) == (True, False)
    assert ("Projet niveau-3 numéro 0" in default, "Cartes des écoles" in default) == (False, True)
    assert f'<option value="{SLUG}" selected>{NAME} (5)</option>' in own
    assert '<option value="label-territoire-innovant">Label Territoire Innovant (1)</option>' in own
    assert "Niveau 3 (1)" in own and "Or (1)" not in own  # its own level facet


def test_a_single_contest_with_laureates_shows_no_contest_facet(other):
    page = Client().get(reverse("catalogue:palmares") + QUERY).content.decode()

    assert 'id="id_concours"' not in page
    assert f'<input type="hidden" name="concours" value="{SLUG}" form="recherche">' in page


def test_an_unknown_contest_is_not_found_on_every_page(other):
    for name in ("palmares", "map", "map_table", "statistics", "statistics_tables"):
        assert Client().get(reverse(f"catalogue:{name}") + "?concours=inconnu").status_code == 404


def test_the_map_and_its_table_count_the_chosen_contest(other, label_award):
    for name in ("catalogue:map", "catalogue:map_table"):
        own = Client().get(reverse(name) + QUERY)
        default = Client().get(reverse(name))

        assertContains(own, "5 labels décernés comptés pour cette sélection.")
        assertContains(own, f"Concours : <strong>{NAME}</strong>, décerné par {ORGANISATION}.")
        assertContains(own, f'<input type="hidden" name="concours" value="{SLUG}">', html=True)
        assertContains(default, "1 label décerné compté pour cette sélection.")
        assertNotContains(default, 'name="concours"')


def test_statistics_count_by_the_contest_s_own_levels(other, label_award):
    own = Client().get(reverse("catalogue:statistics") + QUERY)
    tables = Client().get(reverse("catalogue:statistics_tables") + QUERY)
    default = Client().get(reverse("catalogue:statistics"))

    assertContains(own, f"Les lauréats du concours « {NAME} » depuis sa création")
    for page in (own, tables):
        assertNotContains(page, "Labels or")
        assertNotContains(page, "Territoire Innovant")
        assertNotContains(page, "Par thème")  # a contest without themes
    assert "Niveau 5" in tables.content.decode()
    assertContains(default, "Labels or par région")


def test_transparency_pages_belong_to_their_contest(other, label):
    url = reverse("catalogue:transparency", kwargs={"year": YEAR})

    assertContains(Client().get(url + QUERY), f"Transparence : {NAME} {YEAR}")
    assert Client().get(url).status_code == 404  # the Label has no public 2031 edition


def test_the_year_page_names_its_contest_and_links_its_own_press_release(other, label_award):
    page = Client().get(reverse("catalogue:edition", kwargs={"year": YEAR}) + QUERY)

    assertContains(page, f"Décerné par {ORGANISATION}.")
    assertContains(page, f'href="/palmares/{YEAR}/communique/{QUERY}"')
    assertNotContains(page, f'href="/palmares/{YEAR}/communique/"')
    assertNotContains(page, "Label niveau")
    assertContains(page, '<h3 class="level-heading level-niveau-2" id="niveau-niveau-2">')


def test_a_year_of_250_laureates_has_a_navigation_by_level(rennes):
    build_other_contest(rennes, per_level=50)

    page = Client().get(reverse("catalogue:edition", kwargs={"year": YEAR}) + QUERY)

    body = page.content.decode()
    assert body.count('class="award"') == 250
    for rank in range(1, 6):
        assert f'<a href="#niveau-niveau-{rank}">Niveau {rank}</a> (50)' in body
        assert f'id="niveau-niveau-{rank}"' in body
    assert len(page.content) <= 200_000  # 250 laureates: the budget is for lighter pages


def test_the_press_release_is_the_contest_s_own(other, label_award):
    url = reverse("awards:press_release", kwargs={"year": YEAR})
    own = Client().get(url + QUERY)
    default = Client().get(url)

    assertContains(own, f"« {NAME} » est décerné par {ORGANISATION}.")
    assertContains(own, "Niveau 1")
    assertNotContains(own, "Cartes des écoles")
    assertNotContains(own, "Label niveau")
    assertContains(own, f'href="/palmares/{YEAR}/communique.pdf{QUERY}"')
    assertContains(default, "Cartes des écoles")
    assertNotContains(default, "Projet niveau-1")
    markdown = Client().get(reverse("awards:press_release_md", kwargs={"year": YEAR}) + QUERY)
    assert f"« {NAME} » est décerné par {ORGANISATION}." in markdown.content.decode()
    assert f"/palmares/{YEAR}/{QUERY}" in markdown.content.decode()


def test_badge_and_verification_name_the_contest_and_its_organisation(other):
    award = other.awards[1]  # niveau-2
    badge = Client().get(reverse("catalogue:badge", kwargs={"slug": award.slug}))
    page = Client().get(reverse("catalogue:badge_verify", kwargs={"slug": award.slug}))

    assertContains(badge, f"{NAME} {YEAR} — Niveau 2")
    assertContains(badge, f">Décerné par {ORGANISATION}</text>")
    assertNotContains(badge, "Interconnectés")
    assertContains(page, f"Cette récompense a été décernée par {ORGANISATION}, dans le cadre de")
    assertContains(page, f"<dd>{ORGANISATION}</dd>", html=True)
    assertNotContains(page, "Interconnectés")
    unknown = Client().get(reverse("catalogue:badge_verify", kwargs={"slug": "inconnu"}))
    assertNotContains(unknown, "Interconnectés", status_code=404)


def test_the_certificate_prints_the_level_once_and_the_organisation(other):
    award = other.awards[1]

    certificate = build_certificate(award)

    assert (certificate.label, certificate.level, certificate.awarded_by) == (
        f"{NAME} {YEAR}",
        "Niveau 2",
        f"Décerné par {ORGANISATION}",
    )
    response = Client().get(reverse("awards:certificate", kwargs={"slug": award.slug}))
    assert response.status_code == 200


def test_a_label_certificate_keeps_its_level_wording(label_award):
    assert build_certificate(label_award).level == "niveau or"


def test_awarded_by_falls_back_on_the_site_s_setting(settings, other):
    settings.DEFAULT_AWARDING_ORGANISATION = "Une autre association"
    assert awarded_by(other.contest) == ORGANISATION
    other.contest.awarder_name = ""
    assert awarded_by(other.contest) == "Une autre association"


def test_the_result_email_names_the_contest_its_level_and_its_organisation(other):
    application = ApplicationFactory(edition=other.edition, title="Capteurs de crues")
    award = other.awards[1]
    award.application = application
    award.save()
    deliberation = Deliberation.objects.create(
        edition=other.edition, round=RoundFactory(edition=other.edition)
    )

    subject, body = result_message(deliberation, application)

    assert subject == f"{NAME} {YEAR} : le projet « Capteurs de crues » est lauréat"
    assert (
        f"Le jury du {NAME} {YEAR} a distingué le projet « Capteurs de crues » (dossier "
        f"{application.reference}) : Niveau 2." in body
    )
    assert body.endswith(f"L'équipe du {NAME}\n{ORGANISATION}")
    assert "Interconnectés" not in body and "label niveau" not in body
