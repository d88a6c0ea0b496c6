"""jury.domain.rounds: saving a round, filling it from the referential, staging and applying
promotions. Dossiers are Rennes (Bretagne), Brest (Bretagne) and Toulouse (Occitanie)."""

from decimal import Decimal

import pytest

from applications.enums import ApplicationState
from contests.models import ActivityEntry
from jury.domain import rounds as domain
from jury.enums import PromotionRule, PromotionState, RoundKind
from jury.models import Promotion, RoundEntry
from territories.models import Organisation
from tests.factories import ApplicationFactory, EditionFactory, ThemeFactory

from .factories import EligibilityFactory, RoundEntryFactory, RoundFactory

pytestmark = pytest.mark.django_db


def region(code: str) -> Organisation:
    return Organisation.objects.get(kind="region", insee_code=code)


def commune(code: str) -> Organisation:
    return Organisation.objects.get(kind="commune", insee_code=code)


@pytest.fixture
def edition():
    return EditionFactory(year=2026)


def eligible(edition, reference: str, insee_code: str, **kwargs):
    application = ApplicationFactory(
        edition=edition,
        reference=reference,
        lead_organisation=commune(insee_code),
        state=ApplicationState.SUBMITTED,
        **kwargs,
    )
    EligibilityFactory(application=application, eligible=True)
    return application


def regional(edition, slug: str, *codes: str, **kwargs):
    round_ = RoundFactory(edition=edition, slug=slug, kind=RoundKind.REGIONAL, **kwargs)
    round_.regions.set([region(code) for code in codes])
    return round_


def references(round_) -> list[str]:
    return sorted(round_.entries.values_list("application__reference", flat=True))


# ----------------------------------------------------------------------------- saving


def test_save_round_logs_creation_then_changes(edition, organiser):
    round_ = RoundFactory.build(edition=edition, name="Bretagne", slug="bretagne")
    round_.kind = RoundKind.REGIONAL
    domain.save_round(round_, regions=[region("53")], criteria=[], by=organiser)
    round_.promotion_rule = PromotionRule.TOP_N
    round_.promotion_count = 2
    domain.save_round(round_, regions=[region("53"), region("52")], criteria=[], by=organiser)

    entries = list(ActivityEntry.objects.order_by("pk").values("action", "subject", "details"))
    base = {
        "name": "Bretagne",
        "kind": "regional",
        "regions": ["53"],
        "event": None,
        "criteria": [],
        "promotion_rule": "manual",
        "promotion_count": None,
        "promotion_threshold": None,
        "next_round": None,
        "ends_on": None,
    }
    after = {**base, "regions": ["52", "53"], "promotion_rule": "top_n", "promotion_count": 2}
    assert entries == [
        {"action": "jury.round_created", "subject": "bretagne", "details": {"settings": base}},
        {
            "action": "jury.round_updated",
            "subject": "bretagne",
            "details": {"before": base, "after": after},
        },
    ]


def test_a_national_round_keeps_no_regions(edition, organiser):
    round_ = RoundFactory.build(edition=edition, slug="national", kind=RoundKind.NATIONAL)

    domain.save_round(round_, regions=[region("53")], criteria=[], by=organiser)

    assert list(round_.regions.all()) == []


# ----------------------------------------------------------------------------- filling


def test_a_rennes_dossier_goes_to_the_bretagne_round_not_to_occitanie(edition, organiser):
    eligible(edition, "LTI-2026-0001", "35238")  # Rennes
    eligible(edition, "LTI-2026-0002", "31555")  # Toulouse
    bretagne = regional(edition, "bretagne", "53")
    occitanie = regional(edition, "occitanie", "76")

    assert domain.fill_round(bretagne, by=organiser) == ["LTI-2026-0001"]
    assert domain.fill_round(occitanie, by=organiser) == ["LTI-2026-0002"]
    assert (references(bretagne), references(occitanie)) == (["LTI-2026-0001"], ["LTI-2026-0002"])


def test_filling_takes_only_eligible_submitted_dossiers_of_the_edition(edition, organiser):
    eligible(edition, "LTI-2026-0001", "35238")
    undecided = ApplicationFactory(
        edition=edition, reference="LTI-2026-0002", state=ApplicationState.SUBMITTED
    )
    ineligible = ApplicationFactory(
        edition=edition, reference="LTI-2026-0003", state=ApplicationState.INELIGIBLE
    )
    EligibilityFactory(application=ineligible, eligible=False, reason="Hors sujet.")
    withdrawn = eligible(edition, "LTI-2026-0004", "35238")
    withdrawn.state = ApplicationState.WITHDRAWN
    withdrawn.save()
    eligible(EditionFactory(), "LTI-2030-0001", "35238")
    national = RoundFactory(edition=edition, slug="national")

    added = domain.fill_round(national, by=organiser)

    assert (added, undecided.round_entries.exists()) == (["LTI-2026-0001"], False)


def test_filling_is_idempotent_and_logged_once(edition, organiser):
    eligible(edition, "LTI-2026-0001", "35238")
    eligible(edition, "LTI-2026-0002", "29019")
    bretagne = regional(edition, "bretagne", "53")

    first = domain.fill_round(bretagne, by=organiser)
    second = domain.fill_round(bretagne, by=organiser)

    assert (first, second, references(bretagne)) == (
        ["LTI-2026-0001", "LTI-2026-0002"],
        [],
        ["LTI-2026-0001", "LTI-2026-0002"],
    )
    assert list(ActivityEntry.objects.values("action", "subject", "details")) == [
        {
            "action": "jury.round_filled",
            "subject": "bretagne",
            "details": {"added": ["LTI-2026-0001", "LTI-2026-0002"], "total": 2},
        }
    ]


def test_a_national_round_fed_by_regional_rounds_takes_only_applied_promotions(edition, organiser):
    national = RoundFactory(edition=edition, slug="national")
    bretagne = regional(edition, "bretagne", "53", next_round=national)
    promoted = eligible(edition, "LTI-2026-0001", "35238")
    staged_only = eligible(edition, "LTI-2026-0002", "29019")
    eligible(edition, "LTI-2026-0003", "31555")
    Promotion.objects.create(round=bretagne, application=promoted, state=PromotionState.APPLIED)
    Promotion.objects.create(round=bretagne, application=staged_only)

    assert domain.fill_round(national, by=organiser) == ["LTI-2026-0001"]


# -------------------------------------------------------------------------- promotions


@pytest.fixture
def scored(edition):
    """A Bretagne round leading to the national round, two themes, stored scores:
    Mobilité 4.5, 4.0, 4.0, 3.0 and an eliminated 5.0; Données 3.5 and an unscored one."""
    national = RoundFactory(edition=edition, slug="national")
    round_ = regional(edition, "bretagne", "53", next_round=national, name="Sélection Bretagne")
    mobility = ThemeFactory(edition=edition, name="Mobilité")
    data = ThemeFactory(edition=edition, name="Données")
    rows = [
        ("LTI-2026-0001", mobility, "4.5", False),
        ("LTI-2026-0002", mobility, "4.0", False),
        ("LTI-2026-0003", mobility, "4.0", False),
        ("LTI-2026-0004", mobility, "3.0", False),
        ("LTI-2026-0005", mobility, "5.0", True),
        ("LTI-2026-0006", data, "3.5", False),
        ("LTI-2026-0007", data, None, False),
    ]
    for reference, theme, score, eliminated in rows:
        RoundEntryFactory(
            round=round_,
            application=eligible(edition, reference, "35238", theme=theme),
            score=Decimal(score) if score else None,
            eliminated=eliminated,
        )
    return round_


def staged(round_) -> list[str]:
    return sorted(
        round_.promotions.filter(state=PromotionState.STAGED).values_list(
            "application__reference", flat=True
        )
    )


@pytest.mark.parametrize(
    ("count", "expected", "tied"),
    [
        # 4.5 alone; Données 3.5.
        (1, ["LTI-2026-0001", "LTI-2026-0006"], []),
        # The second place is shared by 0002 and 0003 (4.0): both go, flagged.
        (2, ["LTI-2026-0001", "LTI-2026-0002", "LTI-2026-0003", "LTI-2026-0006"],
         ["LTI-2026-0002", "LTI-2026-0003"]),
        # Exactly three places, no tie at the cutoff.
        (3, ["LTI-2026-0001", "LTI-2026-0002", "LTI-2026-0003", "LTI-2026-0006"], []),
        (9, ["LTI-2026-0001", "LTI-2026-0002", "LTI-2026-0003", "LTI-2026-0004",
             "LTI-2026-0006"], []),
    ],
)  # fmt: skip
def test_top_n_per_theme_stages_the_best_and_every_tie(scored, organiser, count, expected, tied):
    scored.promotion_rule, scored.promotion_count = PromotionRule.TOP_N, count

    proposal = domain.stage_promotions(scored, by=organiser)

    assert (proposal.references, proposal.tied, staged(scored)) == (expected, tied, expected)


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        ("4.0", ["LTI-2026-0001", "LTI-2026-0002", "LTI-2026-0003"]),
        ("3.5", ["LTI-2026-0001", "LTI-2026-0002", "LTI-2026-0003", "LTI-2026-0006"]),
        ("4.6", []),
    ],
)
def test_threshold_stages_scores_at_or_above_it(scored, organiser, threshold, expected):
    scored.promotion_rule = PromotionRule.THRESHOLD
    scored.promotion_threshold = Decimal(threshold)

    domain.stage_promotions(scored, by=organiser)

    assert staged(scored) == expected


def test_manual_rule_stages_nothing_and_keeps_hand_picked(scored, organiser):
    domain.stage_promotion(scored, "LTI-2026-0004", by=organiser)

    proposal = domain.stage_promotions(scored, by=organiser)

    assert (proposal.references, staged(scored)) == ([], ["LTI-2026-0004"])


def test_restaging_replaces_staged_promotions_and_logs_the_difference(scored, organiser):
    scored.promotion_rule, scored.promotion_count = PromotionRule.TOP_N, 1
    domain.stage_promotion(scored, "LTI-2026-0004", by=organiser)

    domain.stage_promotions(scored, by=organiser)

    assert staged(scored) == ["LTI-2026-0001", "LTI-2026-0006"]
    log = ActivityEntry.objects.filter(action="jury.promotions_staged").get()
    assert (log.subject, log.details) == (
        "bretagne",
        {
            "rule": "top_n",
            "added": ["LTI-2026-0001", "LTI-2026-0006"],
            "removed": ["LTI-2026-0004"],
            "tied": [],
        },
    )


def test_staging_is_refused_without_a_next_round(scored, organiser):
    scored.next_round = None

    with pytest.raises(domain.RoundRefused) as refusal:
        domain.stage_promotions(scored, by=organiser)

    assert refusal.value.message == (
        "Le tour « Sélection Bretagne » n'a pas de tour suivant : choisissez-le dans les "
        "paramètres du tour avant de proposer des promotions."
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            PromotionRule.TOP_N,
            "La règle « les N premiers de chaque thème » demande un nombre de dossiers par "
            "thème : indiquez-le dans les paramètres du tour.",
        ),
        (
            PromotionRule.THRESHOLD,
            "La règle « note minimale » demande une note : indiquez-la dans les paramètres du "
            "tour.",
        ),
    ],
)
def test_staging_is_refused_when_the_rule_lacks_its_number(scored, organiser, rule, message):
    scored.promotion_rule = rule

    with pytest.raises(domain.RoundRefused) as refusal:
        domain.stage_promotions(scored, by=organiser)

    assert (refusal.value.message, staged(scored)) == (message, [])


def test_review_adds_and_removes_by_hand_with_logs(scored, organiser):
    domain.stage_promotion(scored, "LTI-2026-0004", by=organiser)
    domain.stage_promotion(scored, "LTI-2026-0006", by=organiser)
    domain.unstage_promotion(scored, "LTI-2026-0004", by=organiser)

    assert staged(scored) == ["LTI-2026-0006"]
    assert list(ActivityEntry.objects.order_by("pk").values_list("action", "subject")) == [
        ("jury.promotion_added", "LTI-2026-0004"),
        ("jury.promotion_added", "LTI-2026-0006"),
        ("jury.promotion_removed", "LTI-2026-0004"),
    ]


def test_review_refuses_dossiers_outside_the_round_or_twice(scored, organiser):
    domain.stage_promotion(scored, "LTI-2026-0001", by=organiser)

    with pytest.raises(domain.RoundRefused) as twice:
        domain.stage_promotion(scored, "LTI-2026-0001", by=organiser)
    with pytest.raises(domain.RoundRefused) as outside:
        domain.stage_promotion(scored, "LTI-2026-0999", by=organiser)

    assert (twice.value.message, outside.value.message) == (
        "Le dossier LTI-2026-0001 est déjà proposé pour le tour suivant.",
        "Le dossier LTI-2026-0999 ne figure pas dans ce tour.",
    )


def test_apply_adds_entries_to_the_next_round_and_marks_applied(scored, organiser):
    scored.promotion_rule, scored.promotion_count = PromotionRule.TOP_N, 1
    domain.stage_promotions(scored, by=organiser)

    promoted = domain.apply_promotions(scored, by=organiser)

    assert promoted == ["LTI-2026-0001", "LTI-2026-0006"]
    assert references(scored.next_round) == ["LTI-2026-0001", "LTI-2026-0006"]
    assert set(scored.promotions.values_list("state", flat=True)) == {PromotionState.APPLIED}
    log = ActivityEntry.objects.filter(action="jury.promotions_applied").get()
    assert (log.subject, log.details) == (
        "bretagne",
        {"next_round": "national", "promoted": ["LTI-2026-0001", "LTI-2026-0006"]},
    )
    # Applied promotions are not staged again, and there is nothing left to apply.
    domain.stage_promotions(scored, by=organiser)
    with pytest.raises(domain.RoundRefused) as refusal:
        domain.apply_promotions(scored, by=organiser)
    assert refusal.value.message == "Aucune promotion n'est proposée : rien à appliquer."


def test_apply_is_all_or_nothing(scored, organiser, monkeypatch):
    domain.stage_promotion(scored, "LTI-2026-0001", by=organiser)
    domain.stage_promotion(scored, "LTI-2026-0002", by=organiser)

    def broken_log(*args, **kwargs):
        raise RuntimeError("journal indisponible")

    monkeypatch.setattr(domain.activity, "record", broken_log)
    with pytest.raises(RuntimeError):
        domain.apply_promotions(scored, by=organiser)

    assert (references(scored.next_round), staged(scored)) == (
        [],
        ["LTI-2026-0001", "LTI-2026-0002"],
    )


def test_applied_promotions_are_what_the_national_round_is_filled_with(scored, organiser):
    domain.stage_promotion(scored, "LTI-2026-0002", by=organiser)
    domain.apply_promotions(scored, by=organiser)

    assert domain.fill_round(scored.next_round, by=organiser) == []
    assert RoundEntry.objects.filter(round=scored.next_round).count() == 1


def test_promotion_to_an_audition_round_shortlists_the_dossier(organiser):
    national = RoundFactory(slug="national", name="Jury national")
    auditions = RoundFactory(edition=national.edition, slug="auditions", kind=RoundKind.AUDITION)
    national.next_round = auditions
    national.save()
    entry = RoundEntryFactory(round=national, application__state=ApplicationState.SUBMITTED)
    domain.stage_promotion(national, entry.application.reference, by=organiser)
    assert domain.apply_promotions(national, by=organiser) == [entry.application.reference]
    entry.application.refresh_from_db()
    assert entry.application.state == ApplicationState.SHORTLISTED
    assert auditions.entries.filter(application=entry.application).exists()
    assert entry.application.transitions.get().reason == "Retenu pour l'audition (Jury national)."
