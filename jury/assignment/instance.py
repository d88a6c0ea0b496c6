"""The instance the flow solves: what is left after the fixed pairs, and the soft rules priced.

What the min-cost flow optimises, level by level (each level's unit costs more than everything
the levels below can change, so the integer objective is lexicographic and exact):
1. the fewest extra jurors of one institution on a dossier (none whenever the jury allows it);
2. loads as even as the hard rules allow: a juror's k-th dossier below its target minimum, or
   k-th above its target maximum, costs k (convex: two jurors one dossier off cost 2, one juror
   two off costs 3); above the target the steps stop growing after `target_max` of them;
3. the total affinity (weights, see `problem.integer_weights`).
Hard rules: no pair in conflict, exactly per_dossier jurors per dossier, every juror within
capacity_min..capacity_max.

Load arcs (source -> juror j), for the dossiers j may take beyond its hard minimum, in increasing
cost: one arc per dossier below the target minimum (cost -load unit * the deficit it fills), one
arc up to the target maximum (cost 0), one arc per dossier above it (cost load unit * the excess,
for `target_max` steps) and one for the rest (the last step's cost). The costs increase along
them, so a min-cost flow fills them in order and pays exactly the convex penalty of the load, up
to a constant.

Big costs slow the cost-scaling solver down, so `MODES` first makes the soft rules hard: when
the hard rules allow every target and one juror per institution, that flow is already the
lexicographic optimum (both penalties are 0) and its costs are the small affinity weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from jury.assignment.problem import AssignmentProblem, integer_weights

ROW_BLOCK = 512  # rows of the dense (D, J) matrices handled at once, to bound temporaries


@dataclass
class Prepared:
    """The instance once the fixed pairs are taken out: what is left to assign."""

    need: np.ndarray  # (D,) evaluations still needed per dossier
    low: np.ndarray  # (J,) minimum still owed by each juror (hard)
    high: np.ndarray  # (J,) maximum still available (hard)
    band_low: np.ndarray  # (J,) target minimum still owed, within low..high
    band_high: np.ndarray  # (J,) target maximum still available, within band_low..high
    allowed: np.ndarray  # bool (D, J): pair may still be added
    inst: np.ndarray  # (J,) institution, renumbered 0..n_inst-1
    multi: np.ndarray  # bool (n_inst,): institution with >= 2 jurors, so it needs the layer
    used_seats: np.ndarray  # sorted keys d * n_inst + i of seats a fixed juror already holds
    weights: np.ndarray  # int64 (D, J) exact integer weights
    on_grid: bool
    fixed: np.ndarray  # (F, 2)
    fixed_per_dossier: np.ndarray  # (D,)
    fixed_per_juror: np.ndarray  # (J,)
    affinity_range: int  # no assignment's total weight exceeds it (level 3's range)
    targets: tuple[np.ndarray, np.ndarray]  # the problem's target_min, target_max (totals)
    # Set by `in_mode`: the load arcs (source -> juror) as juror, capacity, cost; the cost of
    # one extra juror of an institution on a dossier (level 1), None when the rule is hard.
    load_juror: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    load_cap: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    load_cost: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    seat_cost: int | None = None

    @property
    def n_dossiers(self) -> int:
        return len(self.need)

    @property
    def n_jurors(self) -> int:
        return len(self.low)

    @property
    def n_inst(self) -> int:
        return len(self.multi)


def _runs(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For runs of the given lengths: each element's run index and position in its run."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - starts[owner]


def _load_arcs(
    low: np.ndarray,
    high: np.ndarray,
    forced_load: np.ndarray,
    targets: tuple[np.ndarray, np.ndarray],
    *,
    unit: int,
    flow: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The load arcs of every juror (see the module docstring) and the largest total their
    flow can cost minus the smallest (the range level 1 must outweigh).

    `forced_load` is each juror's load before its optional dossiers (fixed + hard minimum);
    `flow` the units that go through load arcs at most.
    """
    target_low, target_high = targets
    optional = high - low
    deficit = target_low - forced_load  # how far below the target minimum, before any arc
    below = np.clip(deficit, 0, optional)
    upto = np.clip(target_high - forced_load, below, optional)
    rest = optional - upto
    first_excess = forced_load + upto + 1 - target_high  # >= 1
    steps = np.maximum(target_high, 1)
    stepped = np.clip(steps - first_excess + 1, 0, rest)
    tail = rest - stepped

    below_j, below_k = _runs(below)
    step_j, step_k = _runs(stepped)
    band_j = np.flatnonzero(upto > below)
    tail_j = np.flatnonzero(tail > 0)
    below_cost = -(deficit[below_j] - below_k)
    step_cost = first_excess[step_j] + step_k
    tail_cost = steps[tail_j] + 1
    juror = np.concatenate([below_j, band_j, step_j, tail_j])
    cap = np.concatenate(
        [np.ones(len(below_j)), (upto - below)[band_j], np.ones(len(step_j)), tail[tail_j]]
    ).astype(np.int64)
    cost = np.concatenate(
        [below_cost, np.zeros(len(band_j), dtype=np.int64), step_cost, tail_cost]
    ).astype(np.int64)
    # Rewards collected at most once each; penalties at most once per unit of flow.
    units = min(int(optional.sum()), flow)
    reward = int(-below_cost.sum())
    steps_total = int(step_cost.sum()) + sum(
        int(c) * min(int(t), units) for c, t in zip(tail_cost, tail[tail_j], strict=True)
    )
    worst_step = int(max(step_cost.max(initial=0), tail_cost.max(initial=0)))
    penalty = min(steps_total, worst_step * units)
    return juror, cap, cost * unit, (reward + penalty) * unit


def prepare(problem: AssignmentProblem, fixed: np.ndarray) -> Prepared:
    """Subtract the fixed pairs from the needs and capacities, and forbid what they exclude
    (the hard rules only: `in_mode` adds the soft ones)."""
    n_dossiers, n_jurors = problem.shape
    _, inst = np.unique(np.asarray(problem.institutions, dtype=np.int64), return_inverse=True)
    inst = inst.astype(np.int64).reshape(n_jurors)
    n_inst = int(inst.max()) + 1 if n_jurors else 0
    multi = np.bincount(inst, minlength=n_inst) >= 2
    fixed_d, fixed_j = fixed[:, 0], fixed[:, 1]
    per_dossier = np.bincount(fixed_d, minlength=n_dossiers)
    per_juror = np.bincount(fixed_j, minlength=n_jurors)
    need = problem.per_dossier - per_dossier
    high = np.asarray(problem.capacity_max, dtype=np.int64) - per_juror
    low = np.maximum(np.asarray(problem.capacity_min, dtype=np.int64) - per_juror, 0)
    target_low, target_high = problem.targets()
    band_low = np.clip(target_low - per_juror, low, high)
    band_high = np.clip(target_high - per_juror, band_low, high)

    allowed = np.ones((n_dossiers, n_jurors), dtype=bool)
    conflicts = np.asarray(problem.conflicts, dtype=np.int64).reshape(-1, 2)
    allowed[conflicts[:, 0], conflicts[:, 1]] = False
    allowed[fixed_d, fixed_j] = False
    allowed[:, high <= 0] = False
    allowed[need <= 0, :] = False
    used_seats = np.unique(fixed_d * max(n_inst, 1) + inst[fixed_j])
    weights, _, on_grid = integer_weights(problem.affinity)
    # Level 3's range: no assignment is worth more than each dossier's best weights.
    best = np.zeros(n_dossiers, dtype=np.int64)
    for start in range(0, n_dossiers, ROW_BLOCK):
        rows = slice(start, start + ROW_BLOCK)
        best[rows] = np.where(allowed[rows], weights[rows], 0).max(axis=1, initial=0)
    return Prepared(
        need=need,
        low=low,
        high=high,
        band_low=band_low,
        band_high=band_high,
        allowed=allowed,
        inst=inst,
        multi=multi,
        used_seats=used_seats,
        weights=weights,
        on_grid=on_grid,
        fixed=fixed,
        fixed_per_dossier=per_dossier,
        fixed_per_juror=per_juror,
        affinity_range=int((best * need).sum()),
        targets=(target_low, target_high),
    )


def in_mode(prep: Prepared, *, soft_loads: bool, soft_seats: bool) -> Prepared:
    """The instance with the soft rules either hard or priced (see `MODES`).

    Hard loads: every juror within its target (the load arcs are one free arc each). Hard
    seats: at most one juror of an institution per dossier (no extra-juror arc; a seat a fixed
    juror holds is closed to the rest of its institution).
    """
    low, high, allowed = prep.low, prep.high, prep.allowed
    if soft_loads:
        unit = prep.affinity_range + 1
        juror, cap, cost, load_range = _load_arcs(
            low,
            high,
            prep.fixed_per_juror + low,
            prep.targets,
            unit=unit,
            flow=int(prep.need.sum() - low.sum()),
        )
    else:
        low, high = prep.band_low, prep.band_high
        allowed = allowed & (high > 0)[None, :]
        juror = np.flatnonzero(high > low)
        cap, cost, load_range = (high - low)[juror], np.zeros(len(juror), dtype=np.int64), 0
    seat_cost = load_range + prep.affinity_range + 1 if soft_seats else None
    if not soft_seats and len(prep.fixed):
        # A fixed juror holds its institution's only seat on that dossier.
        n_inst = max(prep.n_inst, 1)
        held_d, held_i = prep.used_seats // n_inst, prep.used_seats % n_inst
        same = prep.inst[None, :] == held_i[:, None]
        rows, cols = np.nonzero(same)
        allowed = allowed.copy() if allowed is prep.allowed else allowed
        allowed[held_d[rows], cols] = False
    return replace(
        prep,
        low=low,
        high=high,
        allowed=allowed,
        load_juror=juror,
        load_cap=cap,
        load_cost=cost,
        seat_cost=seat_cost,
    )


# The solver tries them in order, the first feasible one is the lexicographic optimum: when
# the hard rules allow every target and one juror per institution, no priced level can do
# better than that (their penalties are then 0), and the costs stay small (fast cost scaling).
MODES = (
    {"soft_loads": False, "soft_seats": False},
    {"soft_loads": True, "soft_seats": False},
    {"soft_loads": True, "soft_seats": True},
)
