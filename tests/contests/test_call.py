"""The call for applications (contests.call): unpublished at creation, its checklist, opening,
closing early and extending the deadline, each logged."""

from datetime import timedelta

import pytest

from contests import call, domain
from contests.enums import PhaseKind
from contests.models import ActivityEntry, Edition, Theme
from contests.signals import call_deadline_extended

from .conftest import paris

# The default calendar of the 2027 edition: draft 1 June 2026, applications 1 October 2026,
# deadline 15 December 2026 at 09:00, regional selections 8 January 2027 (Paris time).
BEFORE_OPENING = paris(2026, 9, 1, 10)
DURING = paris(2026, 11, 2, 14)


def fresh(edition: Edition) -> Edition:
    return Edition.objects.prefetch_related("phases").get(pk=edition.pk)


def complete(edition: Edition) -> Edition:
    Theme.objects.create(edition=edition, name="Inclusion numérique", slug="inclusion")
    edition.rules_text = "Article 1 – Objet."
    edition.contact_email = "label@interconnectes.fr"
    edition.save()
    return fresh(edition)


def actions(edition: Edition) -> list[str]:
    return list(ActivityEntry.objects.filter(edition=edition).values_list("action", flat=True))


def test_a_new_edition_is_unpublished_and_takes_no_application(edition):
    edition = fresh(edition)

    assert call.is_published(edition) is False
    assert domain.edition_allows(edition, "may_apply", paris(2026, 10, 2)) is False
    assert call.open_editions(paris(2026, 10, 2)) == []


def test_the_checklist_names_what_is_missing(edition):
    items = call.checklist(fresh(edition), BEFORE_OPENING)

    assert [(item.key, item.done, item.required) for item in items] == [
        ("themes", False, True),
        ("criteria", True, True),
        ("levels", True, True),
        ("dates", True, True),
        ("rules", False, True),
        ("contact", False, True),
        ("ceremony", False, False),
    ]
    assert items[3].detail == ("Date limite de dépôt : 15 décembre 2026 à 09:00 (heure de Paris).")


def test_a_contest_without_themes_opens_its_call_without_any(edition, organiser):
    edition.contest.uses_themes = False
    edition.contest.save(update_fields=["uses_themes"])
    edition.rules_text = "Article 1 – Objet."
    edition.contact_email = "contact@exemple.org"
    edition.save()

    items = call.checklist(fresh(edition), BEFORE_OPENING)
    opened = call.open_call(fresh(edition), by=organiser, now=DURING)

    assert [item.key for item in items] == [
        "criteria",
        "levels",
        "dates",
        "rules",
        "contact",
        "ceremony",
    ]
    assert call.is_published(fresh(opened)) is True
    assert edition.themes.count() == 0


def test_a_contest_with_themes_may_not_open_its_call_without_any(edition, organiser):
    edition.rules_text = "Article 1 – Objet."
    edition.contact_email = "contact@exemple.org"
    edition.save()

    with pytest.raises(call.CallRefused, match="il manque thèmes"):
        call.open_call(fresh(edition), by=organiser, now=DURING)


def test_the_checklist_refuses_a_deadline_already_past(edition):
    dates = call.checklist(complete(edition), paris(2026, 12, 20))[3]

    assert (dates.key, dates.done) == ("dates", False)
    assert dates.detail == (
        "La date limite de dépôt (15 décembre 2026 à 09:00) est passée : choisissez-en une à venir."
    )


def test_opening_is_refused_while_a_required_item_is_missing(edition, organiser):
    with pytest.raises(call.CallRefused) as refusal:
        call.open_call(edition, by=organiser, now=BEFORE_OPENING)

    assert refusal.value.message == (
        "L'appel ne peut pas être ouvert : il manque thèmes, règlement, contact."
    )
    assert call.is_published(fresh(edition)) is False
    assert actions(edition) == []


def test_opening_starts_applications_now_and_is_logged(edition, organiser):
    edition = call.open_call(complete(edition), by=organiser, now=BEFORE_OPENING)

    opening = call.opening_phase(edition)
    assert (opening.starts_at, opening.may_apply) == (BEFORE_OPENING, True)
    assert call.is_open(edition, BEFORE_OPENING) is True
    assert call.is_open(edition, BEFORE_OPENING - timedelta(seconds=1)) is False
    assert call.open_editions(BEFORE_OPENING) == [edition]
    assert actions(edition) == ["contests.phase_changed", "contests.call_opened"]
    opened = ActivityEntry.objects.get(action="contests.call_opened")
    assert (opened.by, opened.details) == (
        organiser,
        {"deadline": "2026-12-15T09:00:00+01:00"},
    )


def test_opening_before_the_draft_phase_moves_it_back(edition, organiser):
    now = paris(2026, 5, 1, 9)

    edition = call.open_call(complete(edition), by=organiser, now=now)

    starts = {phase.kind: phase.starts_at for phase in edition.phases.all()}
    assert (starts[PhaseKind.DRAFT], starts[PhaseKind.APPLICATIONS_OPEN]) == (
        now - timedelta(seconds=1),
        now,
    )
    assert domain.current_phase(edition, now + timedelta(days=40)).kind == "applications_open"


def test_opening_twice_is_refused(edition, organiser):
    call.open_call(complete(edition), by=organiser, now=BEFORE_OPENING)

    with pytest.raises(call.CallRefused, match="déjà ouvert"):
        call.open_call(edition, by=organiser, now=DURING)


def test_closing_early_moves_the_deadline_to_now_and_is_logged(edition, organiser):
    call.open_call(complete(edition), by=organiser, now=BEFORE_OPENING)

    edition = call.close_call(edition, by=organiser, now=DURING)

    assert call.deadline(edition) == DURING
    assert call.is_open(edition, DURING) is False
    assert call.is_open(edition, DURING - timedelta(seconds=1)) is True
    closed = ActivityEntry.objects.get(action="contests.call_closed")
    assert closed.details == {
        "planned_deadline": "2026-12-15T09:00:00+01:00",
        "closed_at": "2026-11-02T14:00:00+01:00",
    }


def test_closing_a_call_not_open_is_refused(edition, organiser):
    with pytest.raises(call.CallRefused, match="rien à clore"):
        call.close_call(complete(edition), by=organiser, now=DURING)


@pytest.fixture
def announced():
    received: list[tuple] = []

    def receiver(sender, edition, previous, deadline, **kwargs):
        received.append((edition.year, previous, deadline))

    call_deadline_extended.connect(receiver, dispatch_uid="test_call_announced")
    yield received
    call_deadline_extended.disconnect(dispatch_uid="test_call_announced")


def test_extending_moves_the_deadline_logs_and_announces(edition, organiser, announced):
    call.open_call(complete(edition), by=organiser, now=BEFORE_OPENING)
    later = paris(2027, 1, 5, 12)

    edition = call.extend_deadline(edition, later, by=organiser, now=DURING)

    assert call.deadline(edition) == later
    extended = ActivityEntry.objects.get(action="contests.deadline_extended")
    assert extended.details == {
        "before": "2026-12-15T09:00:00+01:00",
        "after": "2027-01-05T12:00:00+01:00",
    }
    assert announced == [(2027, paris(2026, 12, 15, 9), later)]


@pytest.mark.parametrize(
    ("new_deadline", "message"),
    [
        (
            paris(2026, 12, 1, 9),
            "La nouvelle date limite doit être postérieure à la date actuelle "
            "(15 décembre 2026 à 09:00).",
        ),
        (
            paris(2027, 1, 8, 9),
            "La nouvelle date limite doit précéder le début de la phase « Sélections régionales » "
            "(8 janvier 2027 à 09:00) : déplacez d'abord cette phase.",
        ),
        (paris(2026, 11, 1, 9), "La nouvelle date limite doit être à venir."),
    ],
)
def test_an_extension_out_of_bounds_is_refused(
    edition, organiser, announced, new_deadline, message
):
    call.open_call(complete(edition), by=organiser, now=BEFORE_OPENING)

    with pytest.raises(call.CallRefused) as refusal:
        call.extend_deadline(edition, new_deadline, by=organiser, now=DURING)

    assert refusal.value.message == message
    assert call.deadline(fresh(edition)) == paris(2026, 12, 15, 9)
    assert (announced, actions(edition).count("contests.deadline_extended")) == ([], 0)


def test_an_unpublished_call_cannot_be_extended(edition, organiser):
    with pytest.raises(call.CallRefused, match="ouvrez-le d'abord"):
        call.extend_deadline(complete(edition), paris(2027, 1, 5), by=organiser, now=DURING)


def test_the_first_of_the_month_is_written_1er():
    assert call.paris_text(paris(2027, 2, 1, 12)) == "1er février 2027 à 12:00"
    assert call.paris_text(paris(2027, 2, 11, 8, 5)) == "11 février 2027 à 08:05"
