"""An edition's phases change only through contests.phases, and every change is logged."""

from dataclasses import replace

import pytest
from pytest_django.asserts import assertRedirects

from contests import activity, phases
from contests.domain import results_are_public
from contests.enums import PhaseKind
from contests.models import ActivityEntry

from .conftest import paris
from .formsets import formset_data

EDITION_2027 = "/organisation/concours/label-territoire-innovant/2027/"


def rows(edition) -> list[phases.PhaseRow]:
    return [phases.PhaseRow.of(phase) for phase in edition.phases.all()]


def changed(edition, kind: PhaseKind, **values) -> list[phases.PhaseRow]:
    return [replace(row, **values) if row.kind == kind else row for row in rows(edition)]


def logged() -> list[tuple]:
    return [
        (entry.action, entry.subject, entry.by_email, entry.details)
        for entry in ActivityEntry.objects.order_by("pk")
    ]


# ----------------------------------------------------------------------------- set_phases


def test_moving_a_phase_logs_its_start_before_and_after(edition, organiser):
    new_start = paris(2027, 3, 2, 14, 30)

    phases.set_phases(
        edition, changed(edition, PhaseKind.AUDITIONS, starts_at=new_start), by=organiser
    )

    assert edition.phases.get(kind=PhaseKind.AUDITIONS).starts_at == new_start
    assert logged() == [
        (
            "contests.phase_changed",
            "auditions",
            organiser.email,
            {
                "before": {"starts_at": "2027-03-01T09:00:00+01:00"},
                "after": {"starts_at": "2027-03-02T14:30:00+01:00"},
            },
        )
    ]
    assert activity.verify() is None


def test_lifting_an_embargo_is_logged(edition, organiser):
    during_embargo = paris(2027, 3, 25, 12)
    assert results_are_public(edition, during_embargo) is False

    phases.set_phases(
        edition, changed(edition, PhaseKind.EMBARGO, results_public=True), by=organiser
    )

    assert results_are_public(edition, during_embargo) is True
    assert logged() == [
        (
            "contests.phase_changed",
            "embargo",
            organiser.email,
            {"before": {"results_public": False}, "after": {"results_public": True}},
        )
    ]


def test_a_date_and_flags_changed_together_are_one_entry(edition, organiser):
    new_rows = changed(
        edition,
        PhaseKind.JURY_SCORING,
        starts_at=paris(2027, 2, 3, 9),
        may_score=False,
        may_see_other_scores=True,
    )

    entries = phases.set_phases(edition, new_rows, by=organiser)

    assert [(entry.subject, entry.details) for entry in entries] == [
        (
            "jury_scoring",
            {
                "before": {
                    "starts_at": "2027-02-01T09:00:00+01:00",
                    "may_score": True,
                    "may_see_other_scores": False,
                },
                "after": {
                    "starts_at": "2027-02-03T09:00:00+01:00",
                    "may_score": False,
                    "may_see_other_scores": True,
                },
            },
        )
    ]


def test_unchanged_phases_log_nothing(edition, organiser):
    entries = phases.set_phases(edition, rows(edition), by=organiser)

    assert entries == []
    assert not ActivityEntry.objects.exists()


def test_removing_then_adding_a_phase_logs_all_its_values(edition, organiser):
    kept = [row for row in rows(edition) if row.kind != PhaseKind.ARCHIVED]
    archived = phases.PhaseRow(PhaseKind.ARCHIVED, paris(2028, 4, 1, 9), results_public=True)
    values = {
        "starts_at": "2028-04-01T09:00:00+02:00",
        "may_apply": False,
        "may_score": False,
        "may_see_other_scores": False,
        "may_publish": False,
        "results_public": True,
    }

    phases.set_phases(edition, kept, by=organiser)
    assert not edition.phases.filter(kind=PhaseKind.ARCHIVED).exists()
    phases.set_phases(edition, [*kept, archived], by=organiser)

    assert edition.phases.get(kind=PhaseKind.ARCHIVED).results_public is True
    assert [(action, subject, details) for action, subject, _by, details in logged()] == [
        ("contests.phase_removed", "archived", {"before": values, "after": {}}),
        ("contests.phase_added", "archived", {"before": {}, "after": values}),
    ]


def test_a_kind_given_twice_is_refused_and_nothing_changes(edition, organiser):
    twice = [*rows(edition), phases.PhaseRow(PhaseKind.DRAFT, paris(2030, 1, 1))]

    with pytest.raises(ValueError, match="given twice"):
        phases.set_phases(edition, twice, by=organiser)

    assert edition.phases.get(kind=PhaseKind.DRAFT).starts_at == paris(2026, 6, 1, 9)
    assert not ActivityEntry.objects.exists()


# --------------------------------------------------------------------------- open_results


def test_open_results_ends_the_phases_still_to_come_and_logs_them(edition, organiser):
    at = paris(2027, 3, 10, 12)  # during the auditions

    phases.open_results(edition, at, by=organiser)

    assert results_are_public(edition, at) is True
    assert [(action, subject, details) for action, subject, _by, details in logged()] == [
        (
            "contests.phase_changed",
            "deliberation",
            {
                "before": {"starts_at": "2027-03-15T09:00:00+01:00"},
                "after": {"starts_at": "2027-03-10T11:59:58+01:00"},
            },
        ),
        (
            "contests.phase_changed",
            "embargo",
            {
                "before": {"starts_at": "2027-03-22T09:00:00+01:00"},
                "after": {"starts_at": "2027-03-10T11:59:59+01:00"},
            },
        ),
        (
            "contests.phase_changed",
            "published",
            {
                "before": {"starts_at": "2027-04-03T09:00:00+02:00"},
                "after": {"starts_at": "2027-03-10T12:00:00+01:00"},
            },
        ),
    ]


def test_open_results_creates_a_missing_published_phase(edition, organiser):
    edition.phases.filter(kind=PhaseKind.PUBLISHED).delete()
    at = paris(2027, 3, 25, 12)

    phases.open_results(edition, at, by=organiser)

    published = edition.phases.get(kind=PhaseKind.PUBLISHED)
    assert (published.starts_at, published.results_public) == (at, True)
    assert [(action, subject) for action, subject, _by, _details in logged()] == [
        ("contests.phase_added", "published")
    ]


def test_open_results_after_the_published_phase_started_logs_nothing(edition, organiser):
    phases.open_results(edition, paris(2027, 4, 10, 12), by=organiser)

    assert not ActivityEntry.objects.exists()


# ------------------------------------------------------------------------ the phases page


def page_data(client) -> dict[str, str]:
    return formset_data(client.get(f"{EDITION_2027}phases/").context["formset"])


def test_organiser_moving_a_phase_on_the_page_is_logged_as_them(
    organiser_client, organiser, edition
):
    data = page_data(organiser_client)
    data["phases-5-starts_at"] = "2027-03-02T14:30"

    response = organiser_client.post(f"{EDITION_2027}phases/", data)

    assertRedirects(response, f"{EDITION_2027}phases/")
    assert logged() == [
        (
            "contests.phase_changed",
            "auditions",
            organiser.email,
            {
                "before": {"starts_at": "2027-03-01T09:00:00+01:00"},
                "after": {"starts_at": "2027-03-02T14:30:00+01:00"},
            },
        )
    ]


def test_organiser_ticking_results_public_on_the_page_is_logged(organiser_client, edition):
    data = page_data(organiser_client)
    data["phases-7-results_public"] = "on"  # the embargo

    organiser_client.post(f"{EDITION_2027}phases/", data)

    assert [(subject, details) for _action, subject, _by, details in logged()] == [
        ("embargo", {"before": {"results_public": False}, "after": {"results_public": True}})
    ]


def test_saving_the_page_unchanged_logs_nothing(organiser_client, edition):
    response = organiser_client.post(f"{EDITION_2027}phases/", page_data(organiser_client))

    assertRedirects(response, f"{EDITION_2027}phases/")
    assert not ActivityEntry.objects.exists()


def test_a_refused_page_changes_and_logs_nothing(organiser_client, edition):
    data = page_data(organiser_client)
    data["phases-2-starts_at"] = "2026-09-30T18:00"  # applications closed before they open

    response = organiser_client.post(f"{EDITION_2027}phases/", data)

    assert response.status_code == 200
    assert edition.phases.get(kind=PhaseKind.APPLICATIONS_CLOSED).starts_at == paris(
        2026, 12, 15, 9
    )
    assert not ActivityEntry.objects.exists()


def test_applicant_may_not_change_phases(applicant_client, edition):
    response = applicant_client.post(f"{EDITION_2027}phases/", {})

    assert response.status_code == 403
    assert not ActivityEntry.objects.exists()
