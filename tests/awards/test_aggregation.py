"""The aggregation measures, on hand-computed cases (pure numpy: no database)."""

import numpy as np
import pytest

from awards.aggregation import (
    METHOD_DESCRIPTION,
    LevelRule,
    Scores,
    Totals,
    _argsort,
    _enumerated,
    bootstrap_interval,
    disagreement_flags,
    juror_totals,
    leave_one_out,
    median,
    normalise_severity,
    propose_levels,
    score_range,
    severity_bias,
    standard_deviation,
    weighted_mean,
)

NAN = np.nan


def scores(rows: list[tuple[int, int, int, float]], weights, n_dossiers: int, n_jurors: int):
    dossier, juror, criterion, value = (np.array(column) for column in zip(*rows, strict=True))
    return Scores(
        dossier, juror, criterion, value.astype(float), np.array(weights, dtype=float),
        n_dossiers=n_dossiers, n_jurors=n_jurors,
    )  # fmt: skip


# juror_totals ------------------------------------------------------------------------------


def test_juror_totals_weighted_mean_over_criteria():
    rows = [(0, 0, 0, 3), (0, 0, 1, 0), (1, 1, 0, 4), (1, 1, 1, 5), (1, 0, 0, 1), (1, 0, 1, 1)]
    totals = juror_totals(scores(rows, [2, 1], n_dossiers=2, n_jurors=2))
    # Dossier 0: juror 0 (2·3 + 1·0) / 3 = 2, juror 1 did not evaluate it.
    # Dossier 1: juror 0 (2 + 1) / 3 = 1, juror 1 (8 + 5) / 3 = 13/3.
    np.testing.assert_allclose(totals.to_dense(), [[2, NAN], [1, 13 / 3]])
    np.testing.assert_array_equal(totals.juror, [[0, -1], [0, 1]])
    assert totals.n_jurors == 2


def test_juror_totals_renormalises_weights_over_criteria_scored():
    # Juror 1 left criterion 1 blank: their total is the criterion-0 score, not (2·4)/3.
    rows = [(0, 0, 0, 3), (0, 0, 1, 0), (0, 1, 0, 4)]
    totals = juror_totals(scores(rows, [2, 1], n_dossiers=1, n_jurors=2))
    np.testing.assert_allclose(totals.to_dense(), [[2.0, 4.0]])


def test_juror_totals_same_result_in_any_row_order():
    rows = [(d, j, c, (d + 2 * j + c) % 6) for d in range(4) for j in range(3) for c in range(3)]
    ordered = juror_totals(scores(rows, [1, 2, 3], n_dossiers=5, n_jurors=3))
    shuffled = juror_totals(scores(rows[::-1], [1, 2, 3], n_dossiers=5, n_jurors=3))
    np.testing.assert_array_equal(ordered.values, shuffled.values)
    np.testing.assert_array_equal(ordered.juror, shuffled.juror)
    assert np.isnan(ordered.values[4]).all()  # dossier 4: nobody


def test_juror_totals_of_an_empty_round():
    empty = Scores(*(np.array([], dtype=int),) * 3, np.array([]), np.ones(6), 2, n_jurors=3)
    totals = juror_totals(empty)
    assert totals.values.shape == (2, 1) and np.isnan(totals.values).all()
    np.testing.assert_array_equal(severity_bias(totals), [0.0, 0.0, 0.0])
    assert np.isnan(weighted_mean(totals)).all()
    assert np.isnan(bootstrap_interval(totals)[0]).all()


def test_argsort_packed_and_fallback_agree():
    key = np.array([5, 1, 5, 0, 3, 1])
    np.testing.assert_array_equal(_argsort(key, bound=6), [3, 1, 5, 4, 0, 2])
    np.testing.assert_array_equal(_argsort(key, bound=2**62), [3, 1, 5, 4, 0, 2])


def test_totals_dense_round_trip():
    dense = np.array([[NAN, 2.5, 1.0], [NAN, NAN, NAN], [4.0, NAN, NAN]])
    totals = Totals.from_dense(dense)
    np.testing.assert_array_equal(totals.juror, [[1, 2], [-1, -1], [0, -1]])
    np.testing.assert_array_equal(totals.to_dense(), dense)


# per-dossier statistics ---------------------------------------------------------------------

BOARD = Totals.from_dense(
    np.array(
        [
            [2.0, 3.0, 4.0, NAN],  # three jurors
            [1.0, NAN, NAN, 4.0],  # two jurors
            [NAN, 3.5, NAN, NAN],  # one juror
            [NAN, NAN, NAN, NAN],  # nobody
        ]
    ),
)


def test_mean_median_deviation_range():
    np.testing.assert_allclose(weighted_mean(BOARD), [3.0, 2.5, 3.5, NAN])
    np.testing.assert_allclose(median(BOARD), [3.0, 2.5, 3.5, NAN])
    # Sample deviation: (1 + 0 + 1) / 2 = 1; (1.5² + 1.5²) / 1 = 4.5.
    np.testing.assert_allclose(standard_deviation(BOARD), [1.0, np.sqrt(4.5), 0.0, NAN])
    np.testing.assert_allclose(score_range(BOARD), [2.0, 3.0, 0.0, NAN])


def test_median_of_an_even_count_is_the_middle_mean():
    assert median(np.array([[5.0, 1.0, 2.0, 4.0]]))[0] == 3.0


def test_statistics_accept_a_bare_array_in_any_slot_order():
    padded = np.array([[NAN, 4.0, 2.0, 3.0]])
    assert weighted_mean(padded)[0] == 3.0
    assert median(padded)[0] == 3.0
    assert standard_deviation(padded)[0] == 1.0
    assert score_range(padded)[0] == 2.0


def test_disagreement_flags_strictly_above_threshold():
    np.testing.assert_array_equal(disagreement_flags(BOARD, 1.0), [False, True, False, False])
    np.testing.assert_array_equal(disagreement_flags(BOARD, 0.99), [True, True, False, False])


# severity ------------------------------------------------------------------------------------


def severe_round() -> Totals:
    """Juror 0 always 1 below jurors 1 and 2 on the dossiers they share."""
    return Totals.from_dense(
        np.array(
            [
                [2.0, NAN, NAN],  # juror 0 alone
                [NAN, 3.0, NAN],  # juror 1 alone
                [2.0, 3.0, 3.0],
                [3.0, 4.0, 4.0],
                [5.0, NAN, NAN],  # juror 0 alone, corrected past 5
            ]
        )
    )


def test_severity_bias_exact_and_zero_sum():
    bias = severity_bias(severe_round())
    # Zero residual fit: b = (−2/3, 1/3, 1/3), μ_2 = 8/3, μ_3 = 11/3.
    np.testing.assert_allclose(bias, [-2 / 3, 1 / 3, 1 / 3], atol=1e-12)
    assert abs(bias.sum()) < 1e-12


def test_normalise_severity_makes_the_severe_juror_comparable():
    raw = severe_round()
    corrected = normalise_severity(raw)
    # Raw, dossier 1 (3) beats dossier 0 (2); corrected both are worth 8/3.
    np.testing.assert_allclose(weighted_mean(raw)[:2], [2.0, 3.0])
    np.testing.assert_allclose(weighted_mean(corrected), [8 / 3, 8 / 3, 8 / 3, 11 / 3, 5.0])
    np.testing.assert_allclose(corrected.to_dense()[4], [5.0, NAN, NAN])  # 5 + 2/3 clipped
    np.testing.assert_array_equal(corrected.juror, raw.juror)


def test_severity_bias_zero_sum_per_group_and_zero_when_alone():
    totals = Totals.from_dense(
        np.array(
            [
                [1.0, 3.0, NAN, NAN, NAN],
                [NAN, NAN, 4.0, 2.0, NAN],
                [NAN, NAN, NAN, NAN, 3.0],  # juror 4 shares nothing: no evidence of severity
            ]
        )
    )
    np.testing.assert_allclose(severity_bias(totals), [-1.0, 1.0, 1.0, -1.0, 0.0], atol=1e-12)


def test_severity_bias_matches_dense_least_squares():
    rng = np.random.default_rng(7)
    dense = np.where(rng.random((40, 8)) < 0.4, rng.integers(0, 6, (40, 8)).astype(float), NAN)
    bias = severity_bias(Totals.from_dense(dense))
    # Reference: lstsq on the explicit design [dossier dummies | juror dummies] + Σ b = 0.
    dossier, juror = np.nonzero(~np.isnan(dense))
    design = np.zeros((len(dossier) + 1, 40 + 8))
    design[np.arange(len(dossier)), dossier] = 1
    design[np.arange(len(dossier)), 40 + juror] = 1
    design[-1, 40:] = 1
    target = np.append(dense[dossier, juror], 0.0)
    expected = np.linalg.lstsq(design, target, rcond=None)[0][40:]
    np.testing.assert_allclose(bias, expected, atol=1e-9)


def test_severity_without_shared_dossier_changes_nothing():
    totals = Totals.from_dense(np.array([[2.0, NAN], [NAN, 4.0]]))
    np.testing.assert_array_equal(severity_bias(totals), [0.0, 0.0])
    np.testing.assert_array_equal(normalise_severity(totals).values, totals.values)


def test_method_description_is_french():
    assert str(METHOD_DESCRIPTION).startswith("Pour corriger la sévérité")


# leave one out -------------------------------------------------------------------------------


def test_leave_one_out_empties_that_juror_only():
    without = leave_one_out(BOARD, 0)
    np.testing.assert_array_equal(
        without.to_dense(), np.where(np.arange(4) == 0, NAN, BOARD.to_dense())
    )
    np.testing.assert_array_equal(without.juror[:2], [[-1, 1, 2], [-1, 3, -1]])
    np.testing.assert_allclose(weighted_mean(without), [3.5, 4.0, 3.5, NAN])
    np.testing.assert_array_equal(BOARD.juror[0], [0, 1, 2])  # the input is untouched
    lower, upper = bootstrap_interval(without)  # a hole in the slots is fine
    assert lower[1] == upper[1] == 4.0


# bootstrap -----------------------------------------------------------------------------------


def test_bootstrap_exact_quantiles_with_many_resamples():
    totals = np.array([[2.0, 3.0, 4.0]])
    # Resampled means: 2 (1/27), 7/3 (3/27), 8/3 (6/27), 3 (7/27), 10/3 (6/27), 11/3 (3/27),
    # 4 (1/27): the 5 % quantile is 7/3, the 95 % one 11/3.
    lower, upper = bootstrap_interval(totals, resamples=100_000)
    np.testing.assert_allclose([lower[0], upper[0]], [7 / 3, 11 / 3])
    # Resampled medians: 2 (7/27), 3 (13/27), 4 (7/27).
    lower, upper = bootstrap_interval(totals, statistic="median", resamples=100_000)
    np.testing.assert_allclose([lower[0], upper[0]], [2.0, 4.0])


def test_bootstrap_interpolates_like_numpy_quantile():
    class FixedDraws:
        def multinomial(self, n, pvals, size):
            assert n == 7 and size == 1
            return np.array([[2, 0, 1, 0, 0, 3, 0, 0, 1, 0]])  # 7 resamples over 10 multisets

    values = np.array([[2.0, 3.0, 4.0]])
    quantiles = np.array([0.1, 0.5, 0.95])
    bounds = _enumerated(values, "mean", 7, quantiles, FixedDraws())
    # Multisets (0,0,0) ×2, (0,0,2) ×1, (0,2,2) ×3, (1,2,2) ×1, as explicit resamples:
    explicit = [2.0, 2.0, 8 / 3, 10 / 3, 10 / 3, 10 / 3, 11 / 3]
    np.testing.assert_allclose(bounds[:, 0], np.quantile(explicit, quantiles))


def test_bootstrap_contains_the_mean_and_is_deterministic():
    rng = np.random.default_rng(3)
    totals = rng.integers(0, 6, (500, 3)).astype(float)
    totals[:100, 2] = NAN  # some dossiers with two jurors
    first = bootstrap_interval(totals, seed=11)
    again = bootstrap_interval(totals, seed=11)
    other = bootstrap_interval(totals, seed=12)
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])
    mean = weighted_mean(totals)
    assert (first[0] <= mean + 1e-12).all() and (mean <= first[1] + 1e-12).all()


def test_bootstrap_one_juror_is_degenerate_and_nobody_is_nan():
    lower, upper = bootstrap_interval(BOARD)
    assert lower[2] == upper[2] == 3.5
    assert np.isnan(lower[3]) and np.isnan(upper[3])
    assert lower[0] < 3.0 < upper[0]


def test_bootstrap_many_jurors_draws_every_resample():
    totals = np.array([[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 5.0], [2.0] * 7])  # 7 jurors
    lower, upper = bootstrap_interval(totals, resamples=500, seed=1)
    again = bootstrap_interval(totals, resamples=500, seed=1)
    np.testing.assert_array_equal(lower, again[0])
    assert 0.0 < lower[0] < 20 / 7 < upper[0] < 5.0
    assert lower[1] == upper[1] == 2.0


def test_bootstrap_unknown_statistic_refused():
    with pytest.raises(ValueError, match="mode"):
        bootstrap_interval(BOARD, statistic="mode")


# propose_levels ------------------------------------------------------------------------------

OR_ARGENT_BRONZE = [
    LevelRule(min_score=4.0, max_per_theme=1),
    LevelRule(min_score=3.0, max_per_theme=None),
    LevelRule(min_score=2.0, max_per_theme=None),
]


def levels(score, theme, eliminated=None, rules=OR_ARGENT_BRONZE):
    eliminated = np.zeros(len(score), dtype=bool) if eliminated is None else eliminated
    return propose_levels(np.array(score), np.array(theme), np.array(eliminated), rules).tolist()


def test_levels_thresholds_and_one_or_per_theme():
    # 4.2 reaches « or » but the theme already has one: it gets argent; 1.0 gets no level.
    assert levels([3.1, 4.5, 1.0, 4.2, 2.5], [0] * 5) == [1, 0, -1, 1, 2]


def test_levels_quota_counts_per_theme():
    assert levels([4.5, 4.2, 4.1, 4.3], [0, 1, 0, 1]) == [0, 1, 1, 0]


def test_levels_eliminated_and_nan_get_none_and_take_no_place():
    score = [4.8, 4.3, NAN, 3.5]
    assert levels(score, [0] * 4, [True, False, False, False]) == [-1, 0, -1, 1]


def test_levels_tie_at_the_quota_cutoff_both_go_down_and_the_level_closes():
    # Two 4.4: one « or » for two equal dossiers → both argent; 4.1 does not take the « or ».
    assert levels([4.1, 4.4, 4.4], [0] * 3) == [1, 1, 1]


def test_levels_tie_within_quota_both_get_the_level():
    rules = [LevelRule(min_score=None, max_per_theme=2), LevelRule(None, 1)]
    assert levels([3.0, 3.0, 2.0, 1.0], [5] * 4, rules=rules) == [0, 0, 1, -1]


def test_levels_full_lower_quota_means_no_level():
    rules = [LevelRule(min_score=4.0, max_per_theme=1), LevelRule(min_score=None, max_per_theme=1)]
    assert levels([4.5, 4.2, 3.0], [0] * 3, rules=rules) == [0, 1, -1]


def test_levels_zero_quota_and_no_rules():
    assert levels([4.5, 3.5], [0, 0], rules=[LevelRule(None, 0), LevelRule(3.0, None)]) == [1, 1]
    assert levels([4.5], [0], rules=[]) == [-1]
    assert levels([], []) == []
