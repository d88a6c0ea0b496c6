"""Exact assignment by min-cost flow on a growing set of candidate pairs, and a greedy baseline.

Why not hand OR-Tools the whole graph: at 10,000 dossiers x 1,000 jurors it has 10 million pair
arcs, which takes over a gigabyte and several seconds just to build and solve. Most pairs can
never matter (a dossier takes 3 jurors), so the solver starts from K candidate jurors per dossier
(the best weights, ties broken at random so the load spreads), solves that restricted graph
exactly, then prices every excluded pair with the optimal potentials of the restricted flow
(`network.price`). An excluded pair with negative reduced cost is added and the graph solved
again; when none is left, the potentials prove the restricted optimum optimal for the whole
graph (LP duality of min-cost flow), so the reduction is exact, not a heuristic. Small instances
(D x J <= DENSE_PAIRS) use every pair at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext
from ortools.graph.python import min_cost_flow

from jury.assignment.diagnostics import cheap_causes, cut_causes
from jury.assignment.network import (
    ROW_BLOCK,
    Prepared,
    build_network,
    feasible_pairs,
    full_network,
    potentials,
    prepare,
    price,
    solve_min_cost,
)
from jury.assignment.problem import (
    AssignmentProblem,
    AssignmentResult,
    Infeasible,
    validate,
    validate_fixed,
)

DENSE_PAIRS = 200_000
SEED = 20260  # fixed, so the same input always gives the same pairs


@dataclass
class SolveStats:
    """What the bench reports: the size of the last graph and how many pricing rounds ran."""

    arcs: int = 0
    nodes: int = 0
    candidate_pairs: int = 0
    rounds: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def solve_assignment(
    problem: AssignmentProblem, *, fixed: np.ndarray | None = None
) -> AssignmentResult:
    """The assignment of maximum total affinity, or Infeasible with its causes in French.

    `fixed` pairs stay in the result and count towards the dossier's and the juror's numbers.
    """
    return solve_detailed(problem, fixed=fixed)[0]


def _theme_plan(prep: Prepared, groups: np.ndarray) -> np.ndarray | None:
    """How many dossiers of each theme each juror takes in the aggregated problem (J, T).

    Jurors -> themes instead of jurors -> dossiers (J x T arcs, solved in milliseconds), each
    arc worth the juror's mean weight on the theme and capped by the dossiers it may take.
    Ignoring institutions it is a relaxation, so it only guides the choice of candidates
    (the pricing keeps the result exact); None when even it is infeasible.
    """
    n_jurors, n_themes = prep.n_jurors, int(groups.max()) + 1
    free = np.zeros((n_jurors, n_themes), dtype=np.int64)
    worth = np.zeros((n_jurors, n_themes), dtype=np.int64)
    need = np.bincount(groups, weights=prep.need, minlength=n_themes).astype(np.int64)
    for theme in range(n_themes):
        rows = np.flatnonzero(groups == theme)
        for start in range(0, len(rows), ROW_BLOCK):
            block = rows[start : start + ROW_BLOCK]
            allowed = prep.allowed[block]
            free[:, theme] += allowed.sum(axis=0)
            worth[:, theme] += np.where(allowed, prep.weights[block], 0).sum(axis=0)
    juror_nodes, theme_nodes = 2 + np.arange(n_jurors), 2 + n_jurors + np.arange(n_themes)
    jj, tt = np.nonzero(free)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.zeros(n_jurors, dtype=np.int64), juror_nodes[jj], theme_nodes]),
        np.concatenate([juror_nodes, theme_nodes[tt], np.ones(n_themes, dtype=np.int64)]),
        np.concatenate([prep.high - prep.low, np.minimum(prep.high[jj], free[jj, tt]), need]),
        np.concatenate(
            [
                np.zeros(n_jurors, dtype=np.int64),
                -(worth[jj, tt] // free[jj, tt]),
                np.zeros(n_themes, dtype=np.int64),
            ]
        ),
    )
    supplies = np.zeros(2 + n_jurors + n_themes, dtype=np.int64)
    supplies[0], supplies[1] = need.sum() - prep.low.sum(), -need.sum()
    supplies[juror_nodes] = prep.low
    solver.set_nodes_supplies(np.arange(len(supplies)), supplies)
    if solver.solve() != solver.OPTIMAL:
        return None
    plan = np.zeros((n_jurors, n_themes), dtype=np.int64)
    flows = np.asarray(solver.flows(np.arange(n_jurors, n_jurors + len(jj))))
    plan[jj, tt] = flows
    return plan


def _initial_candidates(prep: Prepared, groups: np.ndarray, per_dossier: int) -> np.ndarray:
    """About `per_dossier` allowed jurors per dossier, chosen to hold an optimum.

    Drawn, for a dossier of theme t, among the jurors the aggregated plan sends to t, with
    probability proportional to their share (weighted sampling without replacement, by
    Efraimidis-Spirakis keys log(U) / share), so each juror appears in a few times as many lists
    as its share: the restricted graph then almost always holds a feasible and optimal flow.
    Lists are completed by the best weights. A mere top-K by weight would send every dossier of
    a popular theme to the same experts and leave the restricted graph infeasible.
    """
    n_jurors = prep.n_jurors
    if per_dossier >= n_jurors or prep.allowed.size == 0:
        return prep.allowed.copy()
    plan = _theme_plan(prep, groups)
    candidate = np.zeros_like(prep.allowed)
    rng = np.random.default_rng(SEED)
    scale = float(prep.weights.max(initial=0)) + 1.0
    for theme in range(int(groups.max()) + 1):
        share = plan[:, theme] if plan is not None else np.zeros(n_jurors)
        pool = share > 0
        rows = np.flatnonzero(groups == theme)
        for start in range(0, len(rows), ROW_BLOCK):
            block = rows[start : start + ROW_BLOCK]
            key = prep.weights[block] / scale - 2.0  # in [-2, -1): after the pool
            noise = np.log(rng.random((len(block), int(pool.sum()))))  # in (-inf, 0)
            key[:, pool] = np.maximum(noise / share[pool], -1.0 + 1e-9)
            key[~prep.allowed[block]] = -np.inf
            cols = np.argpartition(-key, per_dossier - 1, axis=1)[:, :per_dossier]
            chosen = np.zeros((len(block), n_jurors), dtype=bool)
            np.put_along_axis(chosen, cols, True, axis=1)
            candidate[block] = chosen & prep.allowed[block]
    return candidate


def solve_detailed(
    problem: AssignmentProblem,
    *,
    fixed: np.ndarray | None = None,
    candidates_per_dossier: int | None = None,
    added_per_round: int | None = None,
) -> tuple[AssignmentResult, SolveStats]:
    """`solve_assignment` with its statistics; the two knobs only exist to test the pricing."""
    clock = time.perf_counter()
    stats = SolveStats()
    validate(problem)
    fixed_pairs = validate_fixed(problem, fixed)
    prep = prepare(problem, fixed_pairs)
    groups = np.asarray(problem.dossier_groups, dtype=np.int64)
    causes = cheap_causes(problem, prep)
    if causes:
        raise Infeasible(causes)
    stats.seconds["prepare"] = time.perf_counter() - clock

    clock = time.perf_counter()
    if candidates_per_dossier is None and prep.allowed.size <= DENSE_PAIRS:
        candidate = prep.allowed.copy()
    else:
        per_dossier = candidates_per_dossier or 4 * problem.per_dossier + 4
        candidate = _initial_candidates(prep, groups, per_dossier)
    stats.seconds["candidates"] = time.perf_counter() - clock
    added = added_per_round or 2 * problem.per_dossier
    stats.seconds["flow"] = stats.seconds["pricing"] = 0.0
    while True:
        clock = time.perf_counter()
        pair_d, pair_j = np.nonzero(candidate)
        net = build_network(prep, pair_d.astype(np.int64), pair_j.astype(np.int64))
        flows = solve_min_cost(net)
        stats.rounds += 1
        stats.seconds["flow"] += time.perf_counter() - clock
        if flows is None:
            whole = full_network(prep)
            found = None if len(whole.pair_d) == len(pair_d) else feasible_pairs(whole, prep)
            if found is None:
                raise Infeasible(cut_causes(problem, prep, whole))
            candidate[found] = True  # now the restricted graph holds a feasible flow
            continue
        clock = time.perf_counter()
        new_d, new_j = price(prep, candidate, net, flows, potentials(net, flows), added)
        stats.seconds["pricing"] += time.perf_counter() - clock
        if len(new_d) == 0:
            break
        candidate[new_d, new_j] = True

    used = flows[net.pair_start : net.pair_start + len(net.pair_d)] > 0
    pairs = np.concatenate([np.column_stack([net.pair_d[used], net.pair_j[used]]), fixed_pairs])
    stats.arcs, stats.nodes, stats.candidate_pairs = len(net.tails), net.n_nodes, len(pair_d)
    return _result(problem, pairs, optimal=prep.on_grid), stats


def _result(problem: AssignmentProblem, pairs: np.ndarray, *, optimal: bool) -> AssignmentResult:
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    affinity = np.asarray(problem.affinity, dtype=np.float64)
    objective = float(affinity[pairs[:, 0], pairs[:, 1]].sum())
    return AssignmentResult(pairs=pairs, objective=objective, optimal=optimal)


def greedy_assignment(problem: AssignmentProblem) -> AssignmentResult:
    """Baseline for the bench: each dossier in turn takes its best free jurors.

    Among equal affinities it prefers jurors still owing their minimum, then those with the
    most capacity left. It respects every rule or raises Infeasible (it may fail where the exact
    solver succeeds), so its objective is always at most the optimum.
    """
    validate(problem)
    prep = prepare(problem, np.zeros((0, 2), dtype=np.int64))
    left = prep.high.copy()
    owed = prep.low.copy()
    chosen_d, chosen_j = [], []
    for d in range(prep.n_dossiers):
        free = np.flatnonzero(prep.allowed[d] & (left > 0))
        order = free[np.lexsort((-left[free], ~(owed[free] > 0), -prep.weights[d, free]))]
        taken: set[int] = set()
        for j in order:
            if len(taken) == prep.need[d]:
                break
            if prep.inst[j] in taken:
                continue
            taken.add(int(prep.inst[j]))
            chosen_d.append(d)
            chosen_j.append(int(j))
            left[j] -= 1
            owed[j] = max(owed[j] - 1, 0)
        if len(taken) < prep.need[d]:
            raise Infeasible(
                [
                    gettext("L'heuristique gloutonne n'a pas pu compléter le dossier %(dossier)s.")
                    % {"dossier": problem.dossier_labels[d]}
                ]
            )
    if owed.any():
        raise Infeasible(
            [gettext("L'heuristique gloutonne ne respecte pas les capacités minimales des jurés.")]
        )
    return _result(problem, np.column_stack([chosen_d, chosen_j]), optimal=False)
