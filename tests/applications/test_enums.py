"""applications.enums: the dossier state groupings, one definition each, consistent together."""

from applications.enums import ApplicationState as S


def test_the_lifecycle_splits_into_editable_in_competition_dropped_out_and_concluded():
    parts = [S.editable(), S.in_competition(), S.dropped_out(), S.concluded()]

    assert [sorted(part) for part in parts] == [
        ["draft", "reopened"],
        ["auditioned", "shortlisted", "submitted"],
        ["ineligible", "withdrawn"],
        ["awarded", "eliminated", "not_awarded"],
    ]
    assert sum(len(part) for part in parts) == len(S) == len(frozenset().union(*parts))


def test_received_dossiers_are_those_in_competition_concluded_or_ineligible():
    assert S.submitted_states() == S.in_competition() | S.concluded() | {S.INELIGIBLE}


def test_the_narrower_groups_fit_the_lifecycle():
    assert sorted(S.awaiting_audition()) == ["shortlisted", "submitted"]
    assert S.awaiting_audition() < S.in_competition()
    assert sorted(S.eligibility_open()) == ["ineligible", "submitted"]
    assert sorted(S.reached_auditions()) == ["auditioned", "awarded"]
    assert not S.withdrawable() & (S.dropped_out() | S.concluded())
