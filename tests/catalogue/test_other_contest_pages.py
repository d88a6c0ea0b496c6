"""Public pages of another contest than the default one (settings.PUBLIC_PALMARES_CONTEST)."""

from django.test import Client
from django.urls import reverse
from django.utils import translation

from contests.models import Contest
from tests.factories import LevelFactory

from .builders import make_award, make_edition


def test_a_start_up_laureate_links_to_its_own_contest_s_year_page(label, db):
    start_ups = Contest.objects.get(slug="start-up-interconnectee")
    edition, levels = make_edition(start_ups, 2031, is_historical=True)
    award = make_award(edition, "Capteurs de crues", "Hydro (démo)", level=levels["or"])
    label_edition, _levels = make_edition(label, 2030, is_historical=True)
    label_award = make_award(label_edition, "Cartes des écoles", "Ville de Rennes")

    page = Client().get(reverse("catalogue:project", kwargs={"slug": award.slug}))
    year_url = "/palmares/2031/?concours=start-up-interconnectee"
    assert page.content.decode().count(f'href="{year_url}"') == 2  # breadcrumb and facts
    year_page = Client().get(year_url).content.decode()
    assert ("Capteurs de crues" in year_page, "Cartes des écoles" in year_page) == (True, False)
    assert Client().get("/palmares/2031/").status_code == 404

    label_page = Client().get(reverse("catalogue:project", kwargs={"slug": label_award.slug}))
    assert 'href="/palmares/2030/"' in label_page.content.decode()
    assert Client().get("/palmares/2030/?concours=inconnu").status_code == 404


def test_a_level_is_named_label_only_in_a_label(label, db):
    start_ups = Contest.objects.get(slug="start-up-interconnectee")
    edition, _levels = make_edition(start_ups, 2031)
    national = LevelFactory(edition=edition, code="laureat", name="Lauréat national", rank=4)
    _label_edition, label_levels = make_edition(label, 2031)
    assert (national.distinction, label_levels["or"].distinction) == (
        "lauréat national",
        "label or",
    )
    with translation.override("en"):
        assert label_levels["argent"].distinction == "silver label"
