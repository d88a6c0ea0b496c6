"""awards.publication: one transaction applies the palmarès; scheduled publication; emails."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.timezone import localtime

from applications.enums import ApplicationState
from applications.models import Transition
from awards.enums import DeliberationState, OrganisationMatch
from awards.models import Award, Deliberation
from awards.publication import (
    PublicationRefused,
    award_slug,
    publication_preview,
    publish,
    publish_if_due,
    schedule_publication,
)
from awards.tasks import publish_scheduled
from contests.activity import verify
from contests.domain import current_phase, results_are_public
from contests.models import ActivityEntry, Phase
from tests.factories import AwardFactory

from .publication_setup import (
    ARGENT_SLUG,
    LAUREATE_SLUG,
    LAUREATE_TITLE,
    deferred_tasks_fixture,  # noqa: F401
    fresh_cache_and_files_fixture,  # noqa: F401
    setup_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def states(setup) -> dict[str, str]:
    return {
        application.reference: application.state
        for application in setup.edition.applications.order_by("reference")
    }


# ------------------------------------------------------------------------------ publish


def test_publish_creates_one_award_per_level_with_the_dossier_s_organisations(
    setup, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        awards = publish(setup.deliberation, by=organiser)

    assert [(a.slug, a.level.code, a.theme.name) for a in awards] == [
        (LAUREATE_SLUG, "or", "Mobilité"),
        (ARGENT_SLUG, "argent", "Participation citoyenne"),
    ]
    award = Award.objects.get(slug=LAUREATE_SLUG)
    assert (award.title, award.summary, award.application) == (
        LAUREATE_TITLE,
        f"Résumé : {LAUREATE_TITLE}.",
        setup.laureate,
    )
    assert list(
        award.award_organisations.values_list(
            "organisation__name", "role", "position", "published_name", "match"
        )
    ) == [
        ("Rennes", "lead", 0, "Rennes", OrganisationMatch.DECLARED),
        ("Rennes Métropole", "partner", 1, "Rennes Métropole", OrganisationMatch.DECLARED),
    ]


def test_publish_concludes_every_dossier_through_the_workflow(setup, organiser):
    publish(setup.deliberation, by=organiser)

    assert states(setup) == {
        "LTI-2028-0001": ApplicationState.AWARDED,
        "LTI-2028-0002": ApplicationState.AWARDED,
        "LTI-2028-0003": ApplicationState.NOT_AWARDED,
        "LTI-2028-0004": ApplicationState.ELIMINATED,
    }
    transitions = Transition.objects.filter(application__edition=setup.edition).order_by(
        "application__reference"
    )
    assert [(t.from_state, t.to_state, t.by, t.reason) for t in transitions] == [
        ("auditioned", "awarded", organiser, "Publication du palmarès"),
        ("auditioned", "awarded", organiser, "Publication du palmarès"),
        ("auditioned", "not_awarded", organiser, "Publication du palmarès"),
        ("submitted", "eliminated", organiser, "Publication du palmarès"),
    ]


def test_publish_makes_the_results_public_from_that_moment(setup, organiser):
    before = timezone.now()
    assert not results_are_public(setup.edition)

    publish(setup.deliberation, by=organiser)

    setup.deliberation.refresh_from_db()
    at = setup.deliberation.published_at
    published = setup.edition.phases.get(kind="published")
    assert (setup.deliberation.state, published.starts_at) == (DeliberationState.PUBLISHED, at)
    assert at >= before
    assert results_are_public(setup.edition, at)
    assert not results_are_public(setup.edition, at - timedelta(microseconds=1))
    assert results_are_public(setup.edition, at + timedelta(days=100))  # still, later on


def test_publish_ends_an_earlier_phase_still_to_come(setup, organiser):
    """Published during the deliberation phase: the embargo, due later, must not hide the
    results again when its date comes."""
    setup.edition.phases.filter(kind="embargo").update(starts_at=timezone.now() + timedelta(days=3))
    at = timezone.now()

    publish(setup.deliberation, by=organiser, at=at)

    phases = dict(setup.edition.phases.values_list("kind", "starts_at"))
    assert phases["embargo"] == at - timedelta(seconds=1)
    assert phases["published"] == at
    assert current_phase(setup.edition, at + timedelta(days=10)).kind == "published"


def test_publish_changes_the_phases_through_contests_and_logs_them(setup, organiser):
    published_at = setup.edition.phases.get(kind="published").starts_at
    at = timezone.now()

    publish(setup.deliberation, by=organiser, at=at)

    entries = ActivityEntry.objects.filter(action__startswith="contests.phase").order_by("pk")
    assert [(e.action, e.subject, e.by, e.details) for e in entries] == [
        (
            "contests.phase_changed",
            "published",
            organiser,
            {
                "before": {"starts_at": localtime(published_at, PARIS).isoformat()},
                "after": {"starts_at": localtime(at, PARIS).isoformat()},
            },
        )
    ]
    # Logged before the publication itself, in the same chain.
    assert entries[0].pk < ActivityEntry.objects.get(action="awards.published").pk
    assert verify() is None


def test_publish_creates_the_published_phase_when_missing(setup, organiser):
    setup.edition.phases.filter(kind__in=["published", "archived"]).delete()
    at = timezone.now() - timedelta(minutes=5)

    publish(setup.deliberation, by=organiser, at=at)

    phase = Phase.objects.get(edition=setup.edition, kind="published")
    assert (phase.starts_at, phase.results_public, phase.may_publish) == (at, True, False)


def test_publish_keeps_a_published_phase_that_already_started(setup, organiser):
    started = timezone.now() - timedelta(days=2)
    setup.edition.phases.filter(kind="published").update(starts_at=started)
    setup.edition.phases.filter(kind="embargo").update(starts_at=started - timedelta(days=1))

    publish(setup.deliberation, by=organiser)

    assert setup.edition.phases.get(kind="published").starts_at == started


def test_publish_records_the_edition_s_funnel(setup, organiser):
    publish(setup.deliberation, by=organiser)

    setup.edition.refresh_from_db()
    edition = setup.edition
    funnel = (
        edition.applications_count,
        edition.auditioned_count,
        edition.laureates_count,
        edition.gold_count,
    )
    assert funnel == (4, 3, 2, 1)


def test_publish_logs_one_entry_and_keeps_the_log_chain(setup, organiser):
    publish(setup.deliberation, by=organiser)

    entry = ActivityEntry.objects.get(action="awards.published")
    setup.deliberation.refresh_from_db()
    assert (entry.edition, entry.by, entry.subject) == (
        setup.edition,
        organiser,
        "label-territoire-innovant/2028",
    )
    assert entry.details == {
        "published_at": setup.deliberation.published_at.isoformat(),
        "awards": [LAUREATE_SLUG, ARGENT_SLUG],
        "levels": {"argent": 1, "or": 1},
        "not_awarded": 1,
        "eliminated": 1,
        "ineligible": 0,
        "unexamined": {},
    }
    assert verify() is None


@pytest.mark.parametrize("state", [DeliberationState.OPEN, DeliberationState.PUBLISHED])
def test_publish_refuses_a_deliberation_not_validated(setup, organiser, state):
    Deliberation.objects.filter(pk=setup.deliberation.pk).update(state=state)
    message = {
        "open": r"La présidence du jury n'a pas encore validé le palmarès\.",
        "published": r"Le palmarès est déjà publié\.",
    }[state]

    with pytest.raises(PublicationRefused, match=message):
        publish(setup.deliberation, by=organiser)

    assert not Award.objects.exists()
    assert states(setup)["LTI-2028-0001"] == ApplicationState.AUDITIONED
    assert not ActivityEntry.objects.filter(action="awards.published").exists()


def test_publish_validated_deliberation_may_publish_once(setup, organiser):
    publish(setup.deliberation, by=organiser)

    with pytest.raises(PublicationRefused, match=r"Le palmarès est déjà publié\."):
        publish(setup.deliberation, by=organiser)
    assert Award.objects.count() == 2


def test_publish_refuses_a_labelled_dossier_withdrawn_since_and_changes_nothing(setup, organiser):
    type(setup.argent).objects.filter(pk=setup.argent.pk).update(state=ApplicationState.WITHDRAWN)

    with pytest.raises(PublicationRefused, match="LTI-2028-0002"):
        publish(setup.deliberation, by=organiser)

    assert not Award.objects.exists()
    assert states(setup)["LTI-2028-0001"] == ApplicationState.AUDITIONED
    assert setup.edition.phases.get(kind="published").starts_at > timezone.now()


def test_publish_refuses_a_moment_to_come(setup, organiser):
    with pytest.raises(PublicationRefused, match="programmez la publication"):
        publish(setup.deliberation, by=organiser, at=timezone.now() + timedelta(hours=1))


def test_award_slug_follows_the_importer_and_stays_unique(setup):
    AwardFactory(slug=LAUREATE_SLUG)
    taken = {LAUREATE_SLUG}

    assert award_slug(2028, LAUREATE_TITLE, taken) == f"{LAUREATE_SLUG}-2"
    assert award_slug(2028, LAUREATE_TITLE, taken) == f"{LAUREATE_SLUG}-3"
    long = award_slug(2028, "Un titre " + "très long " * 20, set())
    assert len(long) <= 80 and long.startswith("2028-un-titre-tres-long") and long[-1] != "-"


def test_preview_counts_by_theme_and_level(setup):
    preview = publication_preview(setup.deliberation)

    assert [level.code for level in preview.levels] == ["or", "argent", "bronze"]
    assert [(row.theme.name, row.by_level, row.not_awarded) for row in preview.rows] == [
        ("Mobilité", [1, 0, 0], 2),
        ("Participation citoyenne", [0, 1, 0], 0),
    ]
    assert (preview.totals, preview.awards, preview.not_awarded, preview.eliminated) == (
        [1, 1, 0],
        2,
        1,
        1,
    )
    assert preview.blocking == []


# --------------------------------------------------------------------------- scheduling


def test_schedule_stores_the_moment_and_queues_the_task_to_run_then(
    setup, organiser, deferred_tasks, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        schedule_publication(setup.deliberation, at, organiser)

    setup.deliberation.refresh_from_db()
    assert setup.deliberation.publish_at == at
    [queued] = deferred_tasks.results
    assert (queued.task.name, queued.args, queued.task.run_after) == (
        "publish_scheduled",
        [setup.deliberation.pk],
        at,
    )
    entry = ActivityEntry.objects.get(action="awards.publication_scheduled")
    assert entry.details == {"publish_at": at.isoformat()}


def test_scheduled_publication_does_nothing_before_its_time(setup, organiser, deferred_tasks):
    schedule_publication(setup.deliberation, timezone.now() + timedelta(days=2), organiser)

    assert publish_scheduled.call(setup.deliberation.pk) is False

    setup.deliberation.refresh_from_db()
    assert setup.deliberation.state == DeliberationState.VALIDATED
    assert not Award.objects.exists()


def passed(deliberation) -> None:
    """As if the scheduled moment had come: it is now one second ago."""
    Deliberation.objects.filter(pk=deliberation.pk).update(
        publish_at=timezone.now() - timedelta(seconds=1)
    )


def test_scheduled_publication_publishes_once_after_its_time(setup, organiser, deferred_tasks):
    schedule_publication(setup.deliberation, timezone.now() + timedelta(days=2), organiser)
    passed(setup.deliberation)
    at = Deliberation.objects.get(pk=setup.deliberation.pk).publish_at

    first = publish_scheduled.call(setup.deliberation.pk)
    second = publish_scheduled.call(setup.deliberation.pk)

    assert (first, second) == (True, False)
    setup.deliberation.refresh_from_db()
    assert (setup.deliberation.state, setup.deliberation.published_at) == (
        DeliberationState.PUBLISHED,
        at,
    )
    assert list(Award.objects.values_list("slug", flat=True).order_by("pk")) == [
        LAUREATE_SLUG,
        ARGENT_SLUG,
    ]
    assert ActivityEntry.objects.filter(action="awards.published").count() == 1
    assert verify() is None


def test_rescheduled_later_the_first_task_does_nothing(setup, organiser, deferred_tasks):
    schedule_publication(setup.deliberation, timezone.now() + timedelta(days=1), organiser)
    schedule_publication(setup.deliberation, timezone.now() + timedelta(days=2), organiser)

    # The first task's moment has come; the deliberation's is still to come.
    assert publish_if_due(setup.deliberation.pk) is None
    assert not Award.objects.exists()


def test_scheduled_task_does_nothing_once_the_palmares_is_published(
    setup, organiser, deferred_tasks
):
    schedule_publication(setup.deliberation, timezone.now() + timedelta(days=2), organiser)
    publish(setup.deliberation, by=organiser)
    passed(setup.deliberation)

    assert publish_scheduled.call(setup.deliberation.pk) is False
    assert Award.objects.count() == 2


def test_schedule_refuses_a_past_moment_or_an_unvalidated_deliberation(setup, organiser):
    with pytest.raises(PublicationRefused, match=r"Choisissez un moment à venir\."):
        schedule_publication(setup.deliberation, timezone.now() - timedelta(minutes=1), organiser)
    Deliberation.objects.filter(pk=setup.deliberation.pk).update(state=DeliberationState.OPEN)
    with pytest.raises(PublicationRefused, match="pas encore validé"):
        schedule_publication(setup.deliberation, timezone.now() + timedelta(days=1), organiser)
    setup.deliberation.refresh_from_db()
    assert setup.deliberation.publish_at is None
