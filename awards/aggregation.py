"""Aggregating one round's evaluations: per-dossier measures, severity, intervals, levels.

Pure numpy/scipy (no Django model, no query): the caller (``awards.deliberation``) loads the
scores, maps its ids to dense indices 0..n-1 and calls one function per measure.

Representation — ``Totals`` (not a dense dossier × juror matrix: 100 000 dossiers × 2 000
jurors would not fit), built by ``juror_totals``:

- ``Totals.values``: float64 (D, K). Row d = the totals of the jurors who evaluated dossier d,
  in slots 0..k_d-1 (jurors in increasing index order), NaN in slots k_d..K-1. K = the largest
  number of jurors of one dossier in the round (at least 1).
- ``Totals.juror``: int64 (D, K), the juror index (0..n_jurors-1) of each slot, -1 where the
  value is NaN.
- ``Totals.n_jurors``: int. ``Totals.from_dense(matrix)`` builds one from a (D, J) array with
  NaN where a juror did not evaluate (handy for small cases and tests); ``to_dense()`` gives it
  back (only for small boards).

Functions (D = number of dossiers, J = number of jurors):

- ``juror_totals(scores) -> Totals``: each juror's weighted mean over criteria for each dossier,
  weights renormalised over the criteria that juror scored (a missing criterion is left out,
  not counted as 0). When every juror scored every criterion, the mean of these totals equals
  the score of ``jury/scoring.py``.
- ``totals_from_sums(dossier, juror, weighted, weight, n_dossiers, n_jurors) -> Totals``: the
  same from each pair's Σ weight × value and Σ weight, summed by the database.
- Per-dossier statistics, each (D,) float, NaN for a dossier without any juror. They take a
  ``Totals`` or a bare 2-D float array whose rows are dossiers (NaN = absent; slot order
  does not matter):
  ``weighted_mean`` (mean over the jurors present — the dossier's score), ``median``,
  ``standard_deviation`` (SAMPLE standard deviation, ddof=1, for ≥ 2 jurors; 0.0 for one
  juror), ``score_range`` (max − min; 0.0 for one juror), ``disagreement_flags(totals,
  threshold)`` -> bool (D,), standard deviation > threshold (False without juror).
- ``severity_bias(totals) -> (J,)``: each juror's bias b_j of the additive model
  total_dj = μ_d + b_j + ε fitted by least squares over the round, solved exactly (normal
  equations on the jurors, conjugate gradient to machine precision); Σ b_j = 0 within each
  group of jurors linked by shared dossiers (so Σ b_j = 0 overall); 0 for a juror who shares
  no dossier with another juror (nothing to compare them with).
- ``normalise_severity(totals) -> Totals``: same layout, values − b_j clipped to [0, 5].
  ``METHOD_DESCRIPTION``: the one-sentence plain-French description for the page (lazy
  gettext).
- ``bootstrap_interval(totals, *, statistic="mean" | "median", resamples=1000,
  confidence=0.9, seed=0) -> (lower, upper)``, each (D,) float: percentile bootstrap, each
  dossier's jurors resampled with replacement; deterministic for a given seed; one juror →
  lower == upper == its total; no juror → NaN.
- ``leave_one_out(totals, juror) -> Totals``: same layout, that juror's slots set to NaN (and
  juror index -1); the other slots do not move.
- ``propose_levels(score, theme, eliminated, rules) -> int (D,)``: index into ``rules``
  (``LevelRule(min_score, max_per_theme)``, sorted best first: 0 = highest level) or -1 for no
  level. Eliminated dossiers and NaN scores get -1 and take no place in a quota. Within each
  theme, dossiers are taken by decreasing score; each gets the best level whose min_score it
  reaches and whose per-theme quota is not yet full, else the next level down that it
  qualifies for, else -1. TIES: dossiers with exactly equal scores always get the same level:
  a group of equal scores that would overflow a level's quota gets the next level down (and
  that level is then closed to the rest of the theme). Round the scores first (e.g. to the 3
  decimals shown) if near-equal scores must count as ties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations_with_replacement
from math import factorial
from typing import Literal

import numpy as np
from django.utils.translation import gettext_lazy as _
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import cg

MIN_SCORE = 0.0
MAX_SCORE = 5.0

METHOD_DESCRIPTION = _(
    "Pour corriger la sévérité ou l'indulgence habituelle de chaque juré, on mesure sur "
    "l'ensemble du tour de combien ses notes s'écartent en moyenne de celles des autres jurés "
    "pour les mêmes dossiers (modèle additif ajusté par les moindres carrés), puis on retire "
    "cet écart de chacune de ses notes, en les gardant entre 0 et 5."
)


@dataclass(frozen=True)
class Scores:
    """One round's evaluations in long form: one row per (dossier, juror, criterion)."""

    dossier: np.ndarray  # int (n,) 0..n_dossiers-1
    juror: np.ndarray  # int (n,) 0..n_jurors-1
    criterion: np.ndarray  # int (n,) 0..len(weights)-1
    value: np.ndarray  # float (n,) 0..5 (« insuffisant » counts as 0, as jury/scoring.py does)
    weights: np.ndarray  # float (n_criteria,) > 0
    n_dossiers: int
    n_jurors: int


@dataclass(frozen=True)
class Totals:
    """Each juror's total for each dossier, one row per dossier (layout: module docstring)."""

    values: np.ndarray  # float (D, K), NaN where no juror
    juror: np.ndarray  # int (D, K), -1 where no juror
    n_jurors: int

    @classmethod
    def from_dense(cls, matrix: np.ndarray) -> Totals:
        """From a (D, J) array, NaN where juror j did not evaluate dossier d."""
        matrix = np.asarray(matrix, dtype=float)
        dossier, juror = np.nonzero(~np.isnan(matrix))  # row-major: by dossier, then juror
        return _pack(dossier, juror, matrix[dossier, juror], matrix.shape[0], matrix.shape[1])

    def to_dense(self) -> np.ndarray:
        """The (D, J) array, NaN where absent: for small boards only."""
        dense = np.full((self.values.shape[0], self.n_jurors), np.nan)
        dossier, slot = np.nonzero(self.juror >= 0)
        dense[dossier, self.juror[dossier, slot]] = self.values[dossier, slot]
        return dense


@dataclass(frozen=True)
class LevelRule:
    """One level of the edition, as the proposal needs it (rules are sorted best first)."""

    min_score: float | None
    max_per_theme: int | None


def _pack(
    dossier: np.ndarray, juror: np.ndarray, total: np.ndarray, n_dossiers: int, n_jurors: int
) -> Totals:
    """Totals from (dossier, juror, total) triples sorted by dossier then juror."""
    counts = np.bincount(dossier, minlength=n_dossiers)
    starts = np.cumsum(counts) - counts
    slot = np.arange(len(dossier)) - starts[dossier]
    width = max(int(counts.max(initial=0)), 1)
    values = np.full((n_dossiers, width), np.nan)
    jurors = np.full((n_dossiers, width), -1, dtype=np.int64)
    values[dossier, slot] = total
    jurors[dossier, slot] = juror
    return Totals(values, jurors, n_jurors)


def juror_totals(scores: Scores) -> Totals:
    """Each juror's weighted mean over the criteria they scored, for each dossier."""
    key = scores.dossier.astype(np.int64) * scores.n_jurors + scores.juror
    weight = np.asarray(scores.weights, dtype=float)[scores.criterion]
    weighted = weight * scores.value
    if not np.all(key[1:] >= key[:-1]):  # not in the usual ORDER BY dossier, juror: sort
        order = _argsort(key, scores.n_dossiers * scores.n_jurors)
        key, weight, weighted = key[order], weight[order], weighted[order]
    new = np.empty(len(key), dtype=bool)
    new[:1] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    pair = np.cumsum(new) - 1
    keys = key[new]
    total = np.bincount(pair, weights=weighted) / np.bincount(pair, weights=weight)
    n_jurors = scores.n_jurors
    return _pack(keys // n_jurors, keys % n_jurors, total, scores.n_dossiers, n_jurors)


def totals_from_sums(
    dossier: np.ndarray,
    juror: np.ndarray,
    weighted: np.ndarray,
    weight: np.ndarray,
    n_dossiers: int,
    n_jurors: int,
) -> Totals:
    """Totals from each (dossier, juror) pair's Σ weight × value and Σ weight over the criteria
    that juror scored, one row per pair in any order: what a database summing each evaluation
    gives, the same totals as ``juror_totals`` on the evaluations' scores."""
    key = dossier.astype(np.int64) * n_jurors + juror
    total = weighted / weight
    if not np.all(key[1:] >= key[:-1]):
        order = _argsort(key, n_dossiers * n_jurors)
        key, total = key[order], total[order]
    return _pack(key // n_jurors, key % n_jurors, total, n_dossiers, n_jurors)


def _argsort(key: np.ndarray, bound: int) -> np.ndarray:
    """Indices sorting `key` (non-negative, < bound).

    Sorting the keys with each row's index packed in the low bits is several times faster
    than numpy's argsort (a plain sort of integers is vectorised); argsort when they don't fit.
    """
    shift = max(len(key) - 1, 1).bit_length()
    if bound >= 1 << (62 - shift):
        return np.argsort(key, kind="stable")
    packed = np.sort((key << shift) | np.arange(len(key)))
    return packed & ((1 << shift) - 1)


def _sorted(totals: Totals | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row sorted ascending with NaN last, the count of jurors present, and its mask > 0."""
    values = np.sort(totals.values if isinstance(totals, Totals) else totals, axis=1)
    count = np.count_nonzero(~np.isnan(values), axis=1)
    return values, count, count > 0


def _nth(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    return np.take_along_axis(values, index[:, None], axis=1)[:, 0]


def weighted_mean(totals: Totals | np.ndarray) -> np.ndarray:
    """The mean of the jurors' totals (each already a weighted mean over criteria)."""
    values, count, present = _sorted(totals)
    result = np.full(len(values), np.nan)
    np.divide(np.nansum(values, axis=1), count, out=result, where=present)
    return result


def median(totals: Totals | np.ndarray) -> np.ndarray:
    """The median of the jurors' totals (mean of the two middle ones for an even count)."""
    values, count, present = _sorted(totals)
    low = _nth(values, np.maximum(count - 1, 0) // 2)
    high = _nth(values, count // 2)
    return np.where(present, (low + high) / 2, np.nan)


def standard_deviation(totals: Totals | np.ndarray) -> np.ndarray:
    """Sample standard deviation (ddof=1) of the jurors' totals; 0 for one juror."""
    values, count, present = _sorted(totals)
    mean = weighted_mean(values)
    squares = np.nansum((values - mean[:, None]) ** 2, axis=1)
    result = np.where(present, 0.0, np.nan)
    np.divide(squares, count - 1, out=result, where=count >= 2)
    return np.sqrt(result)


def score_range(totals: Totals | np.ndarray) -> np.ndarray:
    """Highest minus lowest juror total; 0 for one juror."""
    values, count, present = _sorted(totals)
    return np.where(present, _nth(values, np.maximum(count - 1, 0)) - values[:, 0], np.nan)


def disagreement_flags(totals: Totals | np.ndarray, threshold: float) -> np.ndarray:
    """True where the jurors' standard deviation is above the threshold."""
    deviation = standard_deviation(totals)
    return np.greater(
        deviation, threshold, where=~np.isnan(deviation), out=np.zeros_like(deviation, dtype=bool)
    )


def severity_bias(totals: Totals) -> np.ndarray:
    """Each juror's additive bias b_j, fitted by least squares over the round (Σ b_j = 0).

    Minimising Σ (total_dj − μ_d − b_j)² over μ and b: for fixed b, μ_d is the mean of
    total_dj − b_j over the dossier's jurors; putting it back leaves the normal equations
    L b = c on the jurors alone, with L = Σ_d (diag(a_d) − a_d a_dᵀ / k_d) (a_d marks the k_d
    jurors of dossier d: a graph Laplacian, sparse, J × J) and c_j = Σ_d (total_dj − mean_d).
    A dossier with one juror says nothing about severity and drops out. L is singular along
    each connected group of jurors (adding a constant to a group's b and removing it from its
    dossiers' μ changes nothing): the zero-sum solution of each group is the one kept.
    """
    n_jurors = totals.n_jurors
    present = totals.juror >= 0
    count = present.sum(axis=1)
    shared = count >= 2
    values, jurors, present, count = (
        totals.values[shared],
        totals.juror[shared],
        present[shared],
        count[shared],
    )
    bias = np.zeros(n_jurors)
    if not len(values):
        return bias
    mean = np.where(present, values, 0.0).sum(axis=1) / count
    deviation = (values - mean[:, None])[present]
    rhs = np.bincount(jurors[present], weights=deviation, minlength=n_jurors)
    diagonal = np.bincount(jurors[present], minlength=n_jurors).astype(float)

    width = values.shape[1]
    first, second = (axis.ravel() for axis in np.indices((width, width)))
    both = present[:, first] & present[:, second]
    weight = np.broadcast_to((-1.0 / count)[:, None], both.shape)[both]
    laplacian = sparse.coo_matrix(
        (weight, (jurors[:, first][both], jurors[:, second][both])), shape=(n_jurors, n_jurors)
    ).tocsr() + sparse.diags(diagonal)

    active = np.flatnonzero(laplacian.diagonal() > 1e-12)
    system = laplacian[active][:, active]
    jacobi = sparse.diags(1.0 / system.diagonal())
    solution, info = cg(
        system, rhs[active], rtol=1e-12, atol=0.0, M=jacobi, maxiter=10 * len(active) + 100
    )
    if info != 0:  # pragma: no cover - a Laplacian system always converges
        raise RuntimeError(f"severity fit did not converge (info={info})")
    # Zero sum within each group of jurors linked by shared dossiers (CG leaves an arbitrary
    # constant per group along L's null space).
    n_groups, group = connected_components(system, directed=False)
    group_mean = np.bincount(group, weights=solution, minlength=n_groups) / np.bincount(group)
    bias[active] = solution - group_mean[group]
    return bias


def normalise_severity(totals: Totals) -> Totals:
    """The totals with each juror's bias removed (``severity_bias``), kept within 0–5."""
    bias = severity_bias(totals)
    if bias.size == 0:  # no juror has scored anything yet: nothing to correct
        return Totals(totals.values.copy(), totals.juror.copy(), totals.n_jurors)
    corrected = totals.values - bias[np.maximum(totals.juror, 0)]
    return Totals(np.clip(corrected, MIN_SCORE, MAX_SCORE), totals.juror.copy(), totals.n_jurors)


def leave_one_out(totals: Totals, juror: int) -> Totals:
    """The totals without that juror (their slots emptied, the others unmoved)."""
    left = totals.juror == juror
    return Totals(
        np.where(left, np.nan, totals.values), np.where(left, -1, totals.juror), totals.n_jurors
    )


def bootstrap_interval(
    totals: Totals | np.ndarray,
    *,
    statistic: Literal["mean", "median"] = "mean",
    resamples: int = 1000,
    confidence: float = 0.9,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of each dossier's mean or median over its jurors.

    Each of the `resamples` resamples draws k_d totals with replacement among the dossier's
    k_d totals; the bounds are the (1 − confidence)/2 and (1 + confidence)/2 quantiles (numpy's
    default, linear) of the statistic over the resamples.

    Why it is fast: for k ≤ 6 jurors a resample is one of the few multisets of k slots (10 for
    k = 3), of known probabilities, so drawing how many of the resamples fall on each multiset
    (one multinomial draw per dossier) gives the very same resampled values, in distribution,
    as drawing every resample, at a cost that does not grow with `resamples`. Above 6 jurors,
    every resample is drawn. Dossiers are handled by groups of equal k (no loop per dossier).
    """
    if statistic not in ("mean", "median"):
        raise ValueError(f"unknown statistic {statistic!r}")
    values, count, _present = _sorted(totals)  # each row's totals first, NaN after
    lower = np.full(len(values), np.nan)
    upper = np.full(len(values), np.nan)
    quantiles = np.array([(1.0 - confidence) / 2, (1.0 + confidence) / 2])
    rng = np.random.default_rng(seed)
    for k in np.unique(count[count > 0]).tolist():
        rows = np.flatnonzero(count == k)
        if k <= _ENUMERATED_UP_TO:
            bounds = _enumerated(values[rows, :k], statistic, resamples, quantiles, rng)
        else:
            bounds = _drawn(values[rows, :k], statistic, resamples, quantiles, rng)
        lower[rows], upper[rows] = bounds
    return lower, upper


_ENUMERATED_UP_TO = 6  # 462 multisets of 6 slots; 1,716 for 7


@cache
def _multisets(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Every multiset of k slots among k (M, k), and its probability in a resample (M,)."""
    slots = np.array(list(combinations_with_replacement(range(k), k)))
    repeats = np.stack([np.count_nonzero(slots == slot, axis=1) for slot in range(k)], axis=1)
    ways = factorial(k) / np.prod([[factorial(r) for r in row] for row in repeats], axis=1)
    return slots, ways / k**k


def _statistic(drawn: np.ndarray, statistic: str) -> np.ndarray:
    """The mean or median along the last axis (no NaN here)."""
    return drawn.mean(axis=-1) if statistic == "mean" else np.median(drawn, axis=-1)


def _enumerated(
    values: np.ndarray,
    statistic: str,
    resamples: int,
    quantiles: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """(2, n) bounds for n dossiers of k jurors each, from the multiset counts."""
    slots, probability = _multisets(values.shape[1])
    outcome = _statistic(values[:, slots], statistic)  # (n, M)
    hits = rng.multinomial(resamples, probability, size=len(values))  # (n, M), rows sum to R
    order = np.argsort(outcome, axis=1, kind="stable")
    outcome = np.take_along_axis(outcome, order, axis=1)
    reached = np.take_along_axis(hits, order, axis=1).cumsum(axis=1)
    # Order statistic i of the resampled values is the first outcome whose running count
    # exceeds i; then numpy's linear interpolation between statistics floor(h) and ceil(h).
    position = (resamples - 1) * quantiles
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, resamples - 1)
    bounds = []
    for low, high, fraction in zip(below, above, position - below, strict=True):
        first = _nth(outcome, np.count_nonzero(reached <= low, axis=1))
        second = _nth(outcome, np.count_nonzero(reached <= high, axis=1))
        bounds.append(first + (second - first) * fraction)
    return np.array(bounds)


def _drawn(
    values: np.ndarray,
    statistic: str,
    resamples: int,
    quantiles: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """(2, n) bounds for n dossiers of k jurors each, drawing every resample."""
    n, k = values.shape
    block = max(1, 2**22 // (resamples * k))  # bounds the memory to ~32 MB of draws
    bounds = np.empty((2, n))
    for start in range(0, n, block):
        chunk = values[start : start + block]
        slots = rng.integers(0, k, size=(len(chunk), resamples, k))
        drawn = np.take_along_axis(chunk[:, None, :], slots, axis=2)
        outcome = _statistic(drawn, statistic)
        bounds[:, start : start + block] = np.quantile(outcome, quantiles, axis=1)
    return bounds


def propose_levels(
    score: np.ndarray,
    theme: np.ndarray,
    eliminated: np.ndarray,
    rules: Sequence[LevelRule],
) -> np.ndarray:
    """Each dossier's proposed level: index into `rules` (0 = best) or -1 (rule: docstring).

    Why segments: going down a theme's ranking, the levels still open only close and the
    levels a dossier qualifies for only shrink (scores decrease), so the level given never
    improves: each level takes one contiguous run of the ranking, computed with two binary
    searches instead of a walk dossier by dossier.
    """
    score = np.asarray(score, dtype=float)
    theme = np.asarray(theme)
    level = np.full(len(score), -1, dtype=np.int64)
    ranked = np.flatnonzero(~np.asarray(eliminated, dtype=bool) & ~np.isnan(score))
    ranked = ranked[np.lexsort((ranked, -score[ranked], theme[ranked]))]
    splits = np.flatnonzero(theme[ranked][1:] != theme[ranked][:-1]) + 1
    for dossiers in np.split(ranked, splits):
        descending = -score[dossiers]  # ascending, for searchsorted
        start = 0
        for index, rule in enumerate(rules):
            stop = len(dossiers)
            if rule.min_score is not None:
                stop = int(np.searchsorted(descending, -rule.min_score, side="right"))
            stop = max(stop, start)
            if rule.max_per_theme is not None and stop - start > rule.max_per_theme:
                stop = start + rule.max_per_theme
                # Equal scores get equal levels: the tied group at the cutoff goes down whole.
                stop = int(np.searchsorted(descending, descending[stop], side="left"))
            level[dossiers[start:stop]] = index
            start = stop
    return level
