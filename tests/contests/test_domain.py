from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contests import domain
from contests.enums import CAPABILITY_FLAGS, PhaseKind
from contests.models import Edition, Event
from contests.signals import elimination_rule_changed
from tests.factories import CriterionFactory, EditionFactory, PhaseFactory, ThemeFactory

from .conftest import paris

LABEL_CRITERIA = [
    "L'innovation",
    "La prise en compte des usagers",
    "La reproductibilité",
    "La mutualisation / interopérabilité",
    "L'utilité / efficacité",
    "Sobriété numérique / impact climatique",
]
DEFAULT_STARTS_2027 = [
    (PhaseKind.DRAFT, paris(2026, 6, 1, 9)),
    (PhaseKind.APPLICATIONS_OPEN, paris(2026, 10, 1, 9)),
    (PhaseKind.APPLICATIONS_CLOSED, paris(2026, 12, 15, 9)),
    (PhaseKind.REGIONAL_SELECTION, paris(2027, 1, 8, 9)),
    (PhaseKind.JURY_SCORING, paris(2027, 2, 1, 9)),
    (PhaseKind.AUDITIONS, paris(2027, 3, 1, 9)),
    (PhaseKind.DELIBERATION, paris(2027, 3, 15, 9)),
    (PhaseKind.EMBARGO, paris(2027, 3, 22, 9)),
    (PhaseKind.PUBLISHED, paris(2027, 4, 3, 9)),
    (PhaseKind.ARCHIVED, paris(2028, 4, 1, 9)),
]


def granted(edition: Edition) -> dict[str, list[str]]:
    return {
        phase.kind: [flag for flag in CAPABILITY_FLAGS if getattr(phase, flag)]
        for phase in edition.phases.all()
    }


def test_create_edition_adds_levels_criteria_and_phases(edition):
    assert list(edition.levels.values_list("code", "name", "rank")) == [
        ("or", "Or", 1),
        ("argent", "Argent", 2),
        ("bronze", "Bronze", 3),
    ]
    assert list(edition.criteria.values_list("name", "weight", "eliminatory", "position")) == [
        (name, Decimal("1.00"), True, position)
        for position, name in enumerate(LABEL_CRITERIA, start=1)
    ]
    assert edition.criteria.get(name="La reproductibilité").description == (
        "D'autres collectivités peuvent reprendre le projet grâce à une démarche documentée et "
        "à des conditions de mise en œuvre à leur portée."
    )
    assert [(phase.kind, phase.starts_at) for phase in edition.phases.all()] == DEFAULT_STARTS_2027
    # No phase allows applying: the call is unpublished until opened (contests.call).
    assert granted(edition) == {
        "draft": [],
        "applications_open": [],
        "applications_closed": [],
        "regional_selection": ["may_score"],
        "jury_scoring": ["may_score"],
        "auditions": ["may_score"],
        "deliberation": ["may_see_other_scores"],
        "embargo": ["may_see_other_scores", "may_publish"],
        "published": ["results_public"],
        "archived": ["results_public"],
    }
    assert (edition.is_historical, edition.forum) == (False, None)


def test_an_edition_of_a_contest_without_rounds_or_auditions_has_no_such_phases(startup, organiser):
    startup.uses_regional_rounds = startup.uses_auditions = False
    startup.save()

    edition = domain.create_edition(startup, 2027, by=organiser)

    assert [(phase.kind, phase.starts_at) for phase in edition.phases.all()] == [
        (kind, start)
        for kind, start in DEFAULT_STARTS_2027
        if kind not in (PhaseKind.REGIONAL_SELECTION, PhaseKind.AUDITIONS)
    ]


def test_an_edition_of_a_contest_without_auditions_keeps_its_regional_selection(startup, organiser):
    startup.uses_auditions = False
    startup.save()

    edition = domain.create_edition(startup, 2027, by=organiser)

    kinds = list(edition.phases.values_list("kind", flat=True))
    assert (len(kinds), PhaseKind.REGIONAL_SELECTION in kinds, PhaseKind.AUDITIONS in kinds) == (
        9,
        True,
        False,
    )


def test_create_edition_for_startups_adds_no_criteria(startup, organiser):
    edition = domain.create_edition(startup, 2027, by=organiser)

    assert (edition.levels.count(), edition.criteria.count(), edition.phases.count()) == (3, 0, 10)


def test_create_edition_without_defaults_adds_nothing(label, organiser):
    forum = Event.objects.create(kind="forum", name="Forum 2027", slug="forum-2027")

    edition = domain.create_edition(label, 2027, by=organiser, forum=forum, with_defaults=False)

    assert (edition.levels.count(), edition.criteria.count(), edition.phases.count()) == (0, 0, 0)
    assert edition.forum == forum


def test_create_edition_refuses_an_existing_year(edition, organiser):
    with pytest.raises(ValidationError) as error:
        domain.create_edition(edition.contest, 2027, by=organiser)

    assert error.value.messages == [
        "L'édition 2027 du concours « Label Territoire Innovant » existe déjà."
    ]
    assert Edition.objects.filter(contest=edition.contest).count() == 1


def test_copy_edition_copies_themes_criteria_levels(edition, organiser):
    ThemeFactory(edition=edition, name="Données", slug="donnees", description="Data", position=2)
    ThemeFactory(edition=edition, name="Inclusion numérique", slug="inclusion", position=1)
    edition.criteria.filter(name="L'innovation").update(weight=Decimal("2.50"), eliminatory=False)
    edition.levels.filter(code="bronze").delete()
    edition.levels.filter(code="or").update(min_score=Decimal("15.50"), max_per_theme=1)
    edition.max_video_minutes = 8
    edition.max_file_megabytes = 12
    edition.max_dossier_megabytes = 40
    edition.save()

    copy = domain.copy_edition(edition, 2028, by=organiser)

    assert (
        copy.contest,
        copy.year,
        copy.max_video_minutes,
        copy.max_file_megabytes,
        copy.max_dossier_megabytes,
        copy.forum,
    ) == (edition.contest, 2028, 8, 12, 40, None)
    assert list(copy.themes.values_list("name", "slug", "description", "position")) == [
        ("Inclusion numérique", "inclusion", "", 1),
        ("Données", "donnees", "Data", 2),
    ]
    assert list(copy.criteria.values_list("name", "weight", "eliminatory")) == [
        ("L'innovation", Decimal("2.50"), False),
        *[(name, Decimal("1.00"), True) for name in LABEL_CRITERIA[1:]],
    ]
    # The level rules the organisers set last year hold this year too.
    assert list(copy.levels.values_list("code", "rank", "min_score", "max_per_theme")) == [
        ("or", 1, Decimal("15.50"), 1),
        ("argent", 2, None, None),
    ]
    assert edition.themes.count() == 2  # the source keeps its rows


def test_copy_edition_shifts_phases_by_exactly_one_year(edition, organiser):
    # 14:30 on 1 March: standard time; 09:00 on 1 October: summer time. Both stay local times.
    edition.phases.filter(kind=PhaseKind.AUDITIONS).update(starts_at=paris(2027, 3, 1, 14, 30))
    edition.phases.filter(kind=PhaseKind.EMBARGO).update(may_publish=False)

    copy = domain.copy_edition(edition, 2028, by=organiser)

    assert [(phase.kind, phase.starts_at) for phase in copy.phases.all()] == [
        (PhaseKind.DRAFT, paris(2027, 6, 1, 9)),
        (PhaseKind.APPLICATIONS_OPEN, paris(2027, 10, 1, 9)),
        (PhaseKind.APPLICATIONS_CLOSED, paris(2027, 12, 15, 9)),
        (PhaseKind.REGIONAL_SELECTION, paris(2028, 1, 8, 9)),
        (PhaseKind.JURY_SCORING, paris(2028, 2, 1, 9)),
        (PhaseKind.AUDITIONS, paris(2028, 3, 1, 14, 30)),
        (PhaseKind.DELIBERATION, paris(2028, 3, 15, 9)),
        (PhaseKind.EMBARGO, paris(2028, 3, 22, 9)),
        (PhaseKind.PUBLISHED, paris(2028, 4, 3, 9)),
        (PhaseKind.ARCHIVED, paris(2029, 4, 1, 9)),
    ]
    assert granted(copy)["embargo"] == ["may_see_other_scores"]


def test_a_copied_edition_starts_unpublished_with_the_rules_text(edition, organiser):
    edition.phases.filter(kind=PhaseKind.APPLICATIONS_OPEN).update(may_apply=True)
    edition.rules_text = "Article 1 – Objet."
    edition.contact_email = "label@interconnectes.fr"
    edition.rules_pdf.name = "reglements/2027.pdf"
    edition.save()

    copy = domain.copy_edition(edition, 2028, by=organiser)

    assert [kind for kind, flags in granted(copy).items() if "may_apply" in flags] == []
    assert (copy.rules_text, copy.contact_email, copy.rules_pdf.name) == (
        "Article 1 – Objet.",
        "label@interconnectes.fr",
        "",
    )


def test_copy_edition_moves_29_february_to_28(label, organiser):
    source = EditionFactory(contest=label, year=2028)
    PhaseFactory(edition=source, kind=PhaseKind.DRAFT, starts_at=paris(2028, 2, 29, 10))

    copy = domain.copy_edition(source, 2029, by=organiser)

    assert [phase.starts_at for phase in copy.phases.all()] == [paris(2029, 2, 28, 10)]


def test_copy_of_an_edition_without_phases_gets_the_default_phases(label, organiser):
    historical = EditionFactory(contest=label, year=2026, is_historical=True)
    CriterionFactory(edition=historical, name="Innovation")

    copy = domain.copy_edition(historical, 2027, by=organiser)

    assert [(phase.kind, phase.starts_at) for phase in copy.phases.all()] == DEFAULT_STARTS_2027
    assert (copy.is_historical, list(copy.criteria.values_list("name", flat=True))) == (
        False,
        ["Innovation"],
    )


def test_copy_edition_refuses_an_existing_year(edition, organiser):
    EditionFactory(contest=edition.contest, year=2028)

    with pytest.raises(ValidationError) as error:
        domain.copy_edition(edition, 2028, by=organiser)

    assert error.value.messages == [
        "L'édition 2028 du concours « Label Territoire Innovant » existe déjà."
    ]
    assert Edition.objects.get(contest=edition.contest, year=2028).levels.count() == 0


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (paris(2026, 6, 1, 9) - timedelta(microseconds=1), None),
        (paris(2026, 6, 1, 9), PhaseKind.DRAFT),
        (paris(2026, 10, 1, 9) - timedelta(microseconds=1), PhaseKind.DRAFT),
        (paris(2026, 10, 1, 9), PhaseKind.APPLICATIONS_OPEN),
        (paris(2027, 4, 3, 9), PhaseKind.PUBLISHED),
        (paris(2040, 1, 1), PhaseKind.ARCHIVED),
    ],
)
def test_current_phase_at_boundaries(edition, at, expected):
    phase = domain.current_phase(edition, at)

    assert (phase.kind if phase else None) == expected


def test_edition_allows_reads_the_current_phase(edition):
    # As contests.call.open_call leaves it: the applications phase allows applying.
    edition.phases.filter(kind=PhaseKind.APPLICATIONS_OPEN).update(may_apply=True)
    edition = Edition.objects.prefetch_related("phases").get(pk=edition.pk)

    assert domain.edition_allows(edition, "may_apply", paris(2026, 10, 1, 9)) is True
    assert domain.edition_allows(edition, "may_apply", paris(2026, 12, 15, 9)) is False
    assert domain.edition_allows(edition, "may_apply", paris(2020, 1, 1)) is False


def test_edition_allows_refuses_an_unknown_capability(edition):
    with pytest.raises(ValueError, match="Unknown capability 'may_fly'"):
        domain.edition_allows(edition, "may_fly")


def test_results_are_public_from_the_published_phase(edition):
    assert domain.results_are_public(edition, paris(2027, 4, 3, 9)) is True
    assert domain.results_are_public(edition, paris(2027, 4, 3, 8, 59)) is False


def test_results_of_historical_editions_are_always_public(label):
    historical = EditionFactory(contest=label, year=2013, is_historical=True)

    assert domain.results_are_public(historical, paris(2000, 1, 1)) is True


def test_update_edition_creates_then_edits_its_forum(edition, organiser):
    forum = domain.ForumDetails(city="Marseille", venue="Palais du Pharo")

    domain.update_edition(edition, forum, by=organiser)
    domain.update_edition(edition, domain.ForumDetails(city="Nantes"), by=organiser)

    event = Event.objects.get()
    assert (event.kind, event.name, event.slug, event.city, event.venue) == (
        "forum",
        "Forum 2027",
        "forum-label-territoire-innovant-2027",
        "Nantes",
        "",
    )
    assert Edition.objects.get(pk=edition.pk).forum == event


def test_update_edition_without_forum_details_creates_no_event(edition, organiser):
    domain.update_edition(edition, domain.ForumDetails(), by=organiser)

    assert (Event.objects.count(), edition.forum) == (0, None)


@pytest.fixture
def announced_rules():
    """The rules elimination_rule_changed announced, collected by a receiver for the test."""
    rules: list[str] = []

    def receiver(sender, edition, **kwargs):
        rules.append(edition.elimination_rule)

    elimination_rule_changed.connect(receiver, dispatch_uid="test_announced_rules")
    yield rules
    elimination_rule_changed.disconnect(dispatch_uid="test_announced_rules")


def test_update_edition_announces_a_changed_elimination_rule(edition, organiser, announced_rules):
    edition.elimination_rule = "majority"

    domain.update_edition(edition, domain.ForumDetails(), by=organiser)

    assert announced_rules == ["majority"]


def test_update_edition_keeping_the_rule_announces_nothing(edition, organiser, announced_rules):
    edition.max_video_minutes = 8

    domain.update_edition(edition, domain.ForumDetails(), by=organiser)

    assert announced_rules == []
