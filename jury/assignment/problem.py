"""The assignment problem, its result, its input checks and its exact integer costs.

Pure numpy: no Django model is imported, so the solver can be tested and benchmarked alone.

Affinity and exactness. The affinity is an arbitrary non-negative float matrix (D, J); the app
builds it from themes with `affinity_from_themes` (1.0 when the dossier's theme is one of the
juror's expertise themes, a lower level otherwise). The flow solver needs integer costs, so every
affinity a becomes g = round(a * S) with S = AFFINITY_DENOMINATOR = 2^6 * 3^2 * 5^6 * 7 * 11 * 13
= 9,009,000,000, divisible by 10^6 and by every integer from 1 to 16. So every affinity with at
most six decimals, or equal to a fraction k/q with q <= 16 (1/3, 2/7, 5/12...), is an exact
multiple of 1/S, and the rounding recovers it exactly (the float a is within half an ulp of g/S,
so |a*S - g| <= 2 ulp(a*S), far below 1/2): the integer objective of every assignment is exactly
S times its affinity objective, and the integer optimum *is* the affinity optimum, ties
included. `integer_weights` checks that property on the input; `AssignmentResult.optimal` is
true only when it holds and the flow optimum was certified. For affinities off that grid (say
cosine similarities) each pair is off by at most 1/(2S), so the answer is within n/S of the
optimum for n evaluations (3.3e-6 for 30,000 evaluations, against the 0.3 % OpenReview loses by
rounding to 0.01), but `optimal` is then false, since no lower bound on the gap between two
objectives exists for arbitrary reals. Dividing all weights by their gcd keeps every comparison
exact and shortens the cost-scaling phases of the solver (1.0 / 0.5 / 0.25 become 4 / 2 / 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

AFFINITY_DENOMINATOR = 2**6 * 3**2 * 5**6 * 7 * 11 * 13  # 9,009,000,000
# OR-Tools multiplies costs by (number of nodes + 1) and must stay within int64.
_COST_LIMIT = 2**62
_ROW_BLOCK = 512


@dataclass(frozen=True, eq=False)
class AssignmentProblem:
    """One jury-assignment instance, indices only (the Django adapter maps them to objects).

    affinity[d, j] >= 0 is what assigning juror j to dossier d is worth; the solver maximises
    its sum. `dossier_groups` and the labels only serve the French diagnostics.
    """

    affinity: np.ndarray  # float (D, J), >= 0
    conflicts: np.ndarray  # int (K, 2): (dossier_index, juror_index) forbidden
    institutions: np.ndarray  # int (J,): institution index of each juror
    capacity_min: np.ndarray  # int (J,): hard lower bound on the juror's dossiers
    capacity_max: np.ndarray  # int (J,): hard upper bound
    per_dossier: int
    dossier_groups: np.ndarray  # int (D,): theme index of each dossier
    group_labels: Sequence[str]
    juror_labels: Sequence[str]
    dossier_labels: Sequence[str]
    # The load each juror should have (the fair share, or what the organiser set), within the
    # hard bounds: met whenever the hard rules allow, else missed by as little as possible.
    # None: the hard bounds themselves (no target beyond them).
    target_min: np.ndarray | None = None  # int (J,)
    target_max: np.ndarray | None = None  # int (J,)

    @property
    def shape(self) -> tuple[int, int]:
        return self.affinity.shape  # type: ignore[return-value]

    def targets(self) -> tuple[np.ndarray, np.ndarray]:
        """(target_min, target_max) as int64 arrays, the hard bounds where none is given."""
        low = self.capacity_min if self.target_min is None else self.target_min
        high = self.capacity_max if self.target_max is None else self.target_max
        return np.asarray(low, dtype=np.int64), np.asarray(high, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class AssignmentResult:
    pairs: np.ndarray  # int (n, 2): (dossier_index, juror_index), sorted
    objective: float  # total affinity, fixed pairs included
    optimal: bool  # certified optimal (see the module docstring for what that means)
    # Where the soft rules could not be met, in French: dossier by dossier for two jurors of one
    # institution, juror by juror for a load outside its target (diagnostics.departures).
    departures: list[str] = field(default_factory=list)


class Infeasible(Exception):
    """No assignment satisfies the constraints; `causes` explains why, in French.

    The causes are translated sentences, the most specific first (a dossier, a juror, a theme,
    then the whole jury), so the organiser sees first what to fix.
    """

    def __init__(self, causes: list[str]) -> None:
        super().__init__("\n".join(causes))
        self.causes = causes


def affinity_from_themes(
    juror_theme_affinity: np.ndarray, dossier_groups: np.ndarray
) -> np.ndarray:
    """Dense (D, J) affinity from a (J, T) juror x theme table and each dossier's theme.

    E.g. juror_theme_affinity[j, t] = 1.0 if theme t is one of the juror's expertise themes,
    0.25 otherwise. Gathering a column per dossier is one vectorised copy.
    """
    table = np.asarray(juror_theme_affinity, dtype=np.float64)
    groups = np.asarray(dossier_groups, dtype=np.int64)
    if table.ndim != 2 or groups.ndim != 1:
        raise ValueError("juror_theme_affinity must be (J, T) and dossier_groups (D,)")
    if groups.size and (groups.min() < 0 or groups.max() >= table.shape[1]):
        raise ValueError("dossier_groups holds a theme index outside juror_theme_affinity")
    return np.ascontiguousarray(table[:, groups].T)


def _int_array(name: str, value: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    array = np.asarray(value)
    if array.size == 0:
        array = array.reshape(shape)
    if array.shape != shape or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must be an integer array of shape {shape}, got {array.shape}")
    return array.astype(np.int64)


def validate(problem: AssignmentProblem) -> None:
    """Raise ValueError on malformed input (a programming error, so English)."""
    affinity = np.asarray(problem.affinity)
    if affinity.ndim != 2 or not np.issubdtype(affinity.dtype, np.number):
        raise ValueError("affinity must be a numeric (D, J) array")
    n_dossiers, n_jurors = affinity.shape
    if not np.all(np.isfinite(affinity)) or (affinity.size and affinity.min() < 0):
        raise ValueError("affinity must be finite and non-negative")
    if affinity.size and float(affinity.max()) * AFFINITY_DENOMINATOR > 2**53:
        raise ValueError("affinity values must stay below 10^6 to be scaled exactly")
    if not isinstance(problem.per_dossier, int | np.integer) or problem.per_dossier < 1:
        raise ValueError("per_dossier must be a positive integer")
    conflicts = _int_array("conflicts", problem.conflicts, (len(problem.conflicts), 2))
    if conflicts.size and (
        conflicts.min() < 0
        or conflicts[:, 0].max() >= n_dossiers
        or conflicts[:, 1].max() >= n_jurors
    ):
        raise ValueError("conflicts holds a dossier or juror index out of range")
    institutions = _int_array("institutions", problem.institutions, (n_jurors,))
    if institutions.size and institutions.min() < 0:
        raise ValueError("institutions must be non-negative indices")
    low = _int_array("capacity_min", problem.capacity_min, (n_jurors,))
    high = _int_array("capacity_max", problem.capacity_max, (n_jurors,))
    if np.any(low < 0) or np.any(high < low):
        raise ValueError("capacities must satisfy 0 <= capacity_min <= capacity_max")
    target_low = _int_array("target_min", problem.targets()[0], (n_jurors,))
    target_high = _int_array("target_max", problem.targets()[1], (n_jurors,))
    if np.any(target_low < low) or np.any(target_high < target_low) or np.any(high < target_high):
        raise ValueError("targets must satisfy capacity_min <= target_min <= target_max <= max")
    groups = _int_array("dossier_groups", problem.dossier_groups, (n_dossiers,))
    if groups.size and (groups.min() < 0 or groups.max() >= len(problem.group_labels)):
        raise ValueError("dossier_groups holds an index outside group_labels")
    if len(problem.juror_labels) != n_jurors or len(problem.dossier_labels) != n_dossiers:
        raise ValueError("juror_labels and dossier_labels must have one label per index")


def validate_fixed(problem: AssignmentProblem, fixed: np.ndarray | None) -> np.ndarray:
    """Return the fixed pairs as a checked (F, 2) int array; they must respect every rule."""
    if fixed is None:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = _int_array("fixed", fixed, (len(fixed), 2))
    n_dossiers, n_jurors = problem.shape
    if pairs.size == 0:
        return pairs
    if pairs.min() < 0 or pairs[:, 0].max() >= n_dossiers or pairs[:, 1].max() >= n_jurors:
        raise ValueError("fixed holds a dossier or juror index out of range")
    if len(np.unique(pairs, axis=0)) != len(pairs):
        raise ValueError("fixed holds the same pair twice")
    conflicts = np.asarray(problem.conflicts, dtype=np.int64).reshape(-1, 2)
    keys = pairs[:, 0] * n_jurors + pairs[:, 1]
    if np.isin(keys, conflicts[:, 0] * n_jurors + conflicts[:, 1]).any():
        raise ValueError("fixed holds a conflicting pair")
    if np.bincount(pairs[:, 0], minlength=n_dossiers).max() > problem.per_dossier:
        raise ValueError("fixed gives a dossier more than per_dossier jurors")
    per_juror = np.bincount(pairs[:, 1], minlength=n_jurors)
    if np.any(per_juror > np.asarray(problem.capacity_max)):
        raise ValueError("fixed gives a juror more dossiers than capacity_max")
    # Two fixed jurors of one institution on a dossier are allowed: work already sent is kept,
    # and the institution rule is a preference (the solver then avoids adding a third).
    return pairs


def integer_weights(affinity: np.ndarray) -> tuple[np.ndarray, int, bool]:
    """Exact integer weights g = round(a * S) / gcd, the gcd, and whether a lies on the grid.

    The weights are what the flow maximises; see the module docstring for why the optimum of
    the weights is the optimum of the affinities when `on_grid` is true.
    """
    affinity = np.asarray(affinity, dtype=np.float64)
    weights = np.empty(affinity.shape, dtype=np.int64)
    on_grid, divisor = True, 0
    for start in range(0, len(affinity), _ROW_BLOCK):  # blocks keep the temporaries small
        scaled = affinity[start : start + _ROW_BLOCK] * AFFINITY_DENOMINATOR
        rounded = np.rint(scaled)
        # a = fl(g/S) gives |a*S - g| <= 2 ulp(a*S); 4 ulp leaves a margin for the product.
        error = np.abs(scaled - rounded)
        on_grid = on_grid and bool(np.all(error <= 4 * np.spacing(np.maximum(rounded, 1.0))))
        block = rounded.astype(np.int64)
        divisor = int(np.gcd.reduce(block.ravel(), initial=divisor))
        weights[start : start + _ROW_BLOCK] = block
    divisor = divisor or 1
    if divisor > 1:
        weights //= divisor
    return weights, divisor, on_grid


def check_cost_range(max_cost: int, n_nodes: int, n_units: int) -> None:
    """Refuse costs OR-Tools could overflow on, rather than let it fail obscurely."""
    if max_cost * (n_nodes + 1) >= _COST_LIMIT or max_cost * max(n_units, 1) >= _COST_LIMIT:
        raise ValueError("affinity range too wide for exact integer costs")
