"""The receipt email promises what the dossier's contest holds: auditions only where it has them."""

import pytest

from applications import domain, receipts

AUDITIONS = "les dossiers retenus sont auditionnés"


@pytest.fixture
def submitted(complete_dossier, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return domain.submit_application(complete_dossier, by=applicant)


def test_receipt_of_a_contest_with_auditions_announces_them(submitted):
    body = receipts.receipt_email(submitted).body

    assert AUDITIONS in body


def test_receipt_of_a_contest_without_auditions_does_not_promise_them(submitted):
    contest = submitted.edition.contest
    contest.uses_auditions = False
    contest.uses_regional_rounds = False
    contest.save()

    body = receipts.receipt_email(submitted).body

    assert AUDITIONS not in body
    assert "audition" not in body.lower()
    assert "Sélections régionales" not in body
    assert (
        "Après la clôture des candidatures, les organisateurs vérifient la recevabilité des "
        "dossiers, puis le jury les examine." in body
    )
