"""RoundForm: every rule of a round's settings, with its French message."""

import pytest

from jury.enums import RoundKind
from jury.forms.rounds import RoundForm
from territories.models import Organisation
from tests.factories import EditionFactory

from .factories import RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(year=2026)


def data(**overrides) -> dict:
    values = {
        "name": "Sélection Bretagne",
        "slug": "bretagne",
        "kind": "regional",
        "regions": ["53"],
        "promotion_rule": "manual",
        "position": "1",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def errors(edition, instance=None, **overrides) -> dict:
    form = RoundForm(data(**overrides), edition=edition, instance=instance)
    form.is_valid()
    return form.errors


def test_a_valid_regional_round(edition):
    assert errors(edition) == {}


@pytest.mark.parametrize("threshold", ["0", "5", "3.25"])
def test_threshold_between_0_and_5_is_accepted(edition, threshold):
    assert errors(edition, promotion_rule="threshold", promotion_threshold=threshold) == {}


@pytest.mark.parametrize("threshold", ["-0.5", "5.01", "12"])
def test_threshold_outside_0_to_5_is_refused(edition, threshold):
    assert errors(edition, promotion_rule="threshold", promotion_threshold=threshold) == {
        "promotion_threshold": ["La note minimale doit être comprise entre 0 et 5."]
    }


@pytest.mark.parametrize("count", ["0", "-2"])
def test_top_n_needs_at_least_one(edition, count):
    assert errors(edition, promotion_rule="top_n", promotion_count=count) == {
        "promotion_count": ["Indiquez au moins 1 dossier promu par thème."]
    }


def test_each_rule_needs_its_number(edition):
    assert errors(edition, promotion_rule="top_n") == {
        "promotion_count": ["Indiquez combien de dossiers de chaque thème sont promus."]
    }
    assert errors(edition, promotion_rule="threshold") == {
        "promotion_threshold": ["Indiquez la note minimale, entre 0 et 5."]
    }


def test_slug_is_unique_per_edition_only(edition):
    RoundFactory(edition=edition, slug="bretagne")
    RoundFactory(edition=EditionFactory(year=2027), slug="occitanie")

    assert errors(edition) == {
        "slug": ["Un autre tour de cette édition a déjà l'identifiant « bretagne »."]
    }
    assert errors(edition, slug="occitanie") == {}


def test_a_round_keeps_its_own_slug_when_edited(edition):
    round_ = RoundFactory(edition=edition, slug="bretagne", kind=RoundKind.REGIONAL)

    assert errors(edition, instance=round_) == {}


def test_the_creation_path_is_not_a_slug(edition):
    assert errors(edition, slug="nouveau") == {
        "slug": ["« nouveau » est réservé : choisissez un autre identifiant."]
    }


def test_a_regional_round_needs_a_region(edition):
    assert errors(edition, regions=[]) == {
        "regions": ["Choisissez au moins une région pour une sélection régionale."]
    }


def test_a_national_round_has_no_region(edition):
    assert errors(edition, kind="national") == {
        "regions": ["Un jury national ne couvre pas de régions : décochez-les."]
    }
    assert errors(edition, kind="national", regions=[]) == {}


def test_a_region_belongs_to_one_regional_round(edition):
    other = RoundFactory(edition=edition, name="Grand Ouest", kind=RoundKind.REGIONAL)
    other.regions.set(Organisation.objects.filter(kind="region", insee_code__in=["53", "52"]))

    assert errors(edition, slug="bretagne", regions=["53", "76"]) == {
        "regions": ["Déjà couvert par un autre tour : Bretagne (« Grand Ouest »)."]
    }


def test_a_round_cannot_be_its_own_next_round(edition):
    round_ = RoundFactory(edition=edition, slug="bretagne", kind=RoundKind.REGIONAL)

    assert errors(edition, instance=round_, next_round="bretagne") == {
        "next_round": ["Un tour ne peut pas être son propre tour suivant."]
    }


def test_the_next_round_must_be_of_the_same_edition(edition):
    RoundFactory(edition=EditionFactory(year=2027), slug="national")

    assert errors(edition, next_round="national") == {
        "next_round": ["Choisissez un tour de cette édition."]
    }


def test_rounds_cannot_loop(edition):
    round_ = RoundFactory(edition=edition, slug="bretagne", kind=RoundKind.REGIONAL)
    RoundFactory(edition=edition, name="Jury national", slug="national", next_round=round_)

    assert errors(edition, instance=round_, next_round="national") == {
        "next_round": ["Ce choix formerait une boucle : « Jury national » mène déjà à ce tour."]
    }


def test_an_unchanged_save_keeps_the_next_round_and_the_stage(edition):
    """The selects are keyed by slug: the form must show the stored links as slugs, so that
    posting the page as it is keeps them (issue 15: « Tour suivant » and the stage were lost)."""

    from contests.enums import EventKind
    from tests.factories import EventFactory

    national = RoundFactory(edition=edition, slug="national", kind=RoundKind.NATIONAL)
    stage = EventFactory(kind=EventKind.STAGE, slug="etape-rennes")
    regional = RoundFactory(
        edition=edition, slug="bretagne", kind=RoundKind.REGIONAL, next_round=national, event=stage
    )
    regional.regions.set([Organisation.objects.get(kind="region", insee_code="53")])
    shown = RoundForm(instance=regional, edition=edition)
    assert shown["next_round"].value() == "national"
    assert shown["event"].value() == "etape-rennes"
    posted = {
        name: shown[name].value()
        for name in ("name", "slug", "kind", "promotion_rule", "position", "next_round", "event")
    }
    posted["regions"] = ["53"]
    form = RoundForm(posted, instance=regional, edition=edition)
    assert form.is_valid(), form.errors
    saved = form.save()
    saved.refresh_from_db()
    assert (saved.next_round, saved.event) == (national, stage)
    # And a deliberate choice of « Aucun » still clears it.
    cleared = RoundForm({**posted, "next_round": ""}, instance=regional, edition=edition)
    assert cleared.is_valid(), cleared.errors
    assert cleared.save().next_round is None
