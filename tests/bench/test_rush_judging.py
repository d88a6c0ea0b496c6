"""How the deadline rush plans its steps and judges its outcome (bench/rush.py), without a server.

The rush itself runs in test_deadline_rush.py; here each rule of the judgement is checked on
exchanges written by hand, each "accepted" with its "refused" twin.
"""

from datetime import UTC, datetime

import pytest
import rush
from _rush_client import Exchange, content, plan
from _rush_data import Applicant, Dossier

DEADLINE = 1_000.0
MESSAGE = "La date limite de dépôt était le 24/11/2026 à 01:16 (heure de Paris) ; votre dossier…"
APPLICANT = Applicant(
    reference="LTI-2040-0001",
    session_key="session",
    version=2,
    form={"description": "Première version.", "criterion_1": "Première réponse."},
    criterion="criterion_1",
)


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def exchange(kind: str, number: int, handled: float, status: int, body: str = "") -> Exchange:
    """An exchange the server handled in the 10 ms from `handled`."""
    return Exchange(
        applicant=0,
        kind=kind,
        content=number,
        sent=handled - 0.1,
        received=handled + 0.1,
        status=status,
        final_status=200 if status == 302 else status,
        server_started=handled,
        server_ended=handled + 0.01,
        body=body,
        requests=2 if status == 302 else 1,
    )


def dossier(state: str, number: int, submitted_at: float | None = None) -> Dossier:
    """A dossier holding content `number` (0: the one it was built with)."""
    description, criterion = (
        content(APPLICANT.reference, number)
        if number
        else (APPLICANT.form["description"], APPLICANT.form["criterion_1"])
    )
    return Dossier(
        state=state,
        submitted_at=at(submitted_at) if submitted_at else None,
        description=description,
        criterion_text=criterion,
    )


def judged(exchanges: list[Exchange], stored: Dossier) -> tuple[dict, list[str]]:
    return rush.judge([APPLICANT], exchanges, {APPLICANT.reference: stored}, DEADLINE, MESSAGE)


def test_plan_keeps_every_step_in_the_window_and_clear_of_the_deadline():
    plans = plan(count=10, autosaves=3, start=0.0, window=30.0, seed=1)

    submits = sorted(steps[-1].at for steps in plans)
    assert [[step.kind for step in steps] for steps in plans] == [
        ["autosave", "autosave", "autosave", "submit"]
    ] * 10
    assert [[step.content for step in steps] for steps in plans] == [[1, 2, 3, 4]] * 10
    assert all(0.0 <= step.at <= 30.0 for steps in plans for step in steps)
    assert all(steps[-1].at >= step.at for steps in plans for step in steps)
    # Five mean to submit in [3 s, 12 s], five in [18 s, 30 s]: 3 s or more from the deadline.
    assert [round(moment, 1) for moment in submits] == [
        3.9,
        5.7,
        7.5,
        9.3,
        11.1,
        19.2,
        21.6,
        24.0,
        26.4,
        28.8,
    ]


def test_plan_is_the_same_for_the_same_seed_and_differs_for_another():
    first = plan(count=4, autosaves=2, start=0.0, window=8.0, seed=1)

    assert plan(count=4, autosaves=2, start=0.0, window=8.0, seed=1) == first
    assert plan(count=4, autosaves=2, start=0.0, window=8.0, seed=2) != first


def test_a_submission_handled_before_the_deadline_and_accepted_passes():
    exchanges = [
        exchange("autosave", 1, DEADLINE - 5, 200),
        exchange("submit", 2, DEADLINE - 2, 302, "Dossier déposé le 24/11/2026 à 01:15."),
    ]

    report, failures = judged(exchanges, dossier("submitted", 2, submitted_at=DEADLINE - 2))

    assert failures == []
    assert (report["accepted"], report["accepted_on_time"], report["submits_on_time"]) == (1, 1, 1)
    assert (report["refused_late"], report["lost_drafts"], report["requests"]) == (0, 0, 3)


def test_a_submission_handled_before_the_deadline_and_refused_fails():
    exchanges = [exchange("submit", 1, DEADLINE - 2, 409, MESSAGE)]

    report, failures = judged(exchanges, dossier("draft", 0))

    assert (report["accepted"], report["refused_late"], report["lost_drafts"]) == (0, 0, 0)
    assert len(failures) == 1
    assert failures[0].startswith("LTI-2040-0001: submit 1 (on_time): refused before the deadline")


def test_a_submission_handled_after_the_deadline_refused_with_the_message_passes():
    exchanges = [
        exchange("autosave", 1, DEADLINE - 5, 200),
        exchange("submit", 2, DEADLINE + 1, 409, f"… {MESSAGE} Vos saisies…"),
    ]

    report, failures = judged(exchanges, dossier("draft", 1))

    assert failures == []
    assert (report["refused_late"], report["refused_after_deadline"]) == (1, 1)
    assert (report["accepted"], report["submits_late"], report["lost_drafts"]) == (0, 1, 0)


def test_a_refusal_without_the_deadline_message_fails():
    exchanges = [exchange("submit", 1, DEADLINE + 1, 409, "Erreur.")]

    report, failures = judged(exchanges, dossier("draft", 0))

    assert report["refused_late"] == 0
    assert failures == [
        "LTI-2040-0001: submit 1 (late): refused (409) without the deadline message: Erreur."
    ]


def test_a_dossier_submitted_at_or_after_the_deadline_fails():
    exchanges = [exchange("submit", 1, DEADLINE - 0.005, 302, "Dossier déposé le …")]

    report, failures = judged(exchanges, dossier("submitted", 1, submitted_at=DEADLINE))

    assert report["accepted"] == 0
    assert len(failures) == 1
    assert failures[0].startswith("LTI-2040-0001: submit 1 (straddling): accepted at ")


def test_a_save_refused_across_the_deadline_after_saving_counts_its_content():
    # The view saved the form, then the submission was refused: the page shows why (200).
    exchanges = [exchange("submit", 1, DEADLINE - 0.005, 200, MESSAGE)]

    report, failures = judged(exchanges, dossier("draft", 1))

    assert failures == []
    assert report["refused_late"] == 1
    assert (report["submits_straddling"], report["lost_drafts"]) == (1, 0)


def test_a_draft_without_its_last_acknowledged_content_is_lost():
    exchanges = [
        exchange("autosave", 1, DEADLINE - 6, 200),
        exchange("autosave", 2, DEADLINE - 5, 200),
        exchange("submit", 3, DEADLINE + 1, 409, MESSAGE),
    ]

    report, failures = judged(exchanges, dossier("draft", 1))

    assert report["lost_drafts"] == 1
    assert failures == [
        "LTI-2040-0001: holds 'Description, version 1 du dossier LTI-2040-0001.', last "
        "acknowledged 'Description, version 2 du dossier LTI-2040-0001.'"
    ]


@pytest.mark.parametrize(
    ("handled", "expected_failures"),
    [(DEADLINE + 1, 0), (DEADLINE - 1, 1)],
    ids=["late autosave may be refused", "on-time autosave may not"],
)
def test_an_autosave_is_refused_only_after_the_deadline(handled, expected_failures):
    exchanges = [
        exchange("autosave", 1, handled, 409, MESSAGE),
        exchange("submit", 2, DEADLINE + 2, 409, MESSAGE),
    ]

    report, failures = judged(exchanges, dossier("draft", 0))

    assert report["autosaves_refused_late"] == 1 - expected_failures
    assert len(failures) == expected_failures


def test_a_request_without_answer_fails():
    lost = Exchange(applicant=0, kind="submit", content=1, sent=DEADLINE - 3, error="timeout")

    report, failures = judged([lost], dossier("draft", 0))

    assert (report["no_answer"], report["requests"]) == (1, 1)
    assert failures == ["LTI-2040-0001: submit 1 got no answer (timeout)"]
