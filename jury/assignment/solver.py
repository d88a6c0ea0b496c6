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

The modes (`instance.MODES`) are tried in order, each solved exactly this way: the soft rules
hard, then the loads priced, then the institutions too; the first feasible one is the optimum.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext
from ortools.graph.python import min_cost_flow

from jury.assignment.cuts import feasible_pairs, hard_network
from jury.assignment.diagnostics import cheap_causes, cut_causes, departures, seats_short
from jury.assignment.instance import MODES, ROW_BLOCK, Prepared, in_mode, prepare
from jury.assignment.network import (
    Network,
    build_network,
    carry_flow,
    potentials,
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
# Bellman-Ford rounds allowed to settle the potentials of a wider graph under the same flow
# (they settle in 10 to 20 on the bench; more means a negative cycle, so solve again).
SETTLE_ROUNDS = 100
SEED = 20260  # fixed, so the same input always gives the same pairs


@dataclass
class SolveStats:
    """What the bench reports: the size of the last graph and how many pricing rounds ran."""

    arcs: int = 0
    nodes: int = 0
    candidate_pairs: int = 0
    rounds: int = 0  # min-cost flows solved
    certified: int = 0  # pricing rounds settled without solving again
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
    arc worth the juror's mean weight on the theme and capped by the dossiers it may take, the
    jurors fed by the mode's own load arcs (so the plan shares the work as the mode does).
    Ignoring institutions it is a relaxation, so it only guides the choice of candidates (the
    pricing keeps the result exact); None when even it is infeasible.
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
    jj, tt = np.nonzero(free)
    juror_nodes, theme_nodes = 2 + np.arange(n_jurors), 2 + n_jurors + np.arange(n_themes)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([juror_nodes[jj], theme_nodes, np.zeros(len(prep.load_juror), np.int64)]),
        np.concatenate(
            [theme_nodes[tt], np.ones(n_themes, np.int64), juror_nodes[prep.load_juror]]
        ),
        np.concatenate([np.minimum(prep.high[jj], free[jj, tt]), need, prep.load_cap]),
        np.concatenate(
            [-(worth[jj, tt] // free[jj, tt]), np.zeros(n_themes, np.int64), prep.load_cost]
        ),
    )
    supplies = np.zeros(2 + n_jurors + n_themes, dtype=np.int64)
    supplies[0], supplies[1] = need.sum() - prep.low.sum(), -need.sum()
    supplies[juror_nodes] = prep.low
    solver.set_nodes_supplies(np.arange(len(supplies)), supplies)
    if solver.solve() != solver.OPTIMAL:
        return None
    plan = np.zeros((n_jurors, n_themes), dtype=np.int64)
    plan[jj, tt] = np.asarray(solver.flows(np.arange(len(jj))))
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
    base = prepare(problem, fixed_pairs)
    groups = np.asarray(problem.dossier_groups, dtype=np.int64)
    causes = cheap_causes(problem, base)
    if causes:
        raise Infeasible(causes)
    stats.seconds["prepare"] = time.perf_counter() - clock
    stats.seconds["candidates"] = stats.seconds["flow"] = stats.seconds["pricing"] = 0.0
    dense = candidates_per_dossier is None and base.allowed.size <= DENSE_PAIRS
    per_dossier = candidates_per_dossier or 4 * problem.per_dossier + 4
    added = added_per_round or 2 * problem.per_dossier
    candidate = np.zeros_like(base.allowed)
    for number, mode in enumerate(MODES):
        prep = in_mode(base, **mode)
        if number < len(MODES) - 1 and _obviously_infeasible(prep):
            continue
        clock = time.perf_counter()
        # Each mode's candidates follow its own plan of the loads; earlier ones are kept.
        candidate |= prep.allowed if dense else _initial_candidates(prep, groups, per_dossier)
        stats.seconds["candidates"] += time.perf_counter() - clock
        solved = _solve_restricted(prep, candidate, added, stats)
        if solved is not None:
            break
    else:
        raise Infeasible(cut_causes(problem, base, hard_network(base)))
    net, flows = solved
    used = flows[net.pair_start : net.pair_start + len(net.pair_d)] > 0
    pairs = np.concatenate([np.column_stack([net.pair_d[used], net.pair_j[used]]), fixed_pairs])
    return _result(problem, pairs, optimal=base.on_grid), stats


def _obviously_infeasible(prep: Prepared) -> bool:
    """Counts that rule a mode out at once (a juror whose target minimum exceeds the dossiers
    free of conflict is the usual reason the targets cannot all be met)."""
    need = int(prep.need.sum())
    return bool(
        (prep.low > prep.allowed.sum(axis=0)).any()
        or int(prep.low.sum()) > need
        or int(prep.high.sum()) < need
    )


def _solve_restricted(
    prep: Prepared, candidate: np.ndarray, added: int, stats: SolveStats
) -> tuple[Network, np.ndarray] | None:
    """The optimal flow of one mode (see `instance.MODES`), or None if the mode is infeasible.

    Solves on the candidate pairs, prices the others with the flow's potentials and adds those
    that would improve it, until none does (then the flow is optimal on every allowed pair).
    `candidate` grows in place, so the next mode starts from what this one learnt.
    """
    while True:
        clock = time.perf_counter()
        net = build_network(prep, *_pairs(candidate & prep.allowed))
        flows = solve_min_cost(net)
        stats.rounds += 1
        stats.seconds["flow"] += time.perf_counter() - clock
        if flows is None:
            whole_d, whole_j = _pairs(prep.allowed)
            if len(whole_d) == len(net.pair_d) or (prep.seat_cost is None and seats_short(prep)):
                return None
            found = feasible_pairs(build_network(prep, whole_d, whole_j), prep)
            if found is None:
                return None
            candidate[found] = True  # now the restricted graph holds a feasible flow
            continue
        clock = time.perf_counter()
        dist = potentials(net, flows)
        while True:
            new_d, new_j = price(prep, candidate, net, flows, dist, added)
            if len(new_d) == 0:
                stats.seconds["pricing"] += time.perf_counter() - clock
                stats.arcs, stats.nodes = len(net.tails), net.n_nodes
                stats.candidate_pairs = len(net.pair_d)
                return net, flows
            candidate[new_d, new_j] = True
            # Potentials are not unique: the flow often stays optimal with the new pairs, and
            # the potentials of the wider graph, if they settle, prove it without solving again.
            wider = build_network(prep, *_pairs(candidate & prep.allowed))
            carried = carry_flow(net, flows, wider)
            dist = potentials(wider, carried, rounds=SETTLE_ROUNDS)
            if dist is None:  # a negative cycle, most likely: solve the wider graph
                stats.seconds["pricing"] += time.perf_counter() - clock
                break
            net, flows = wider, carried
            stats.certified += 1


def _pairs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = np.nonzero(mask)
    return rows.astype(np.int64), cols.astype(np.int64)


def _result(problem: AssignmentProblem, pairs: np.ndarray, *, optimal: bool) -> AssignmentResult:
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    affinity = np.asarray(problem.affinity, dtype=np.float64)
    objective = float(affinity[pairs[:, 0], pairs[:, 1]].sum())
    return AssignmentResult(
        pairs=pairs,
        objective=objective,
        optimal=optimal,
        departures=departures(problem, pairs),
    )


def greedy_assignment(problem: AssignmentProblem) -> AssignmentResult:
    """Baseline for the bench: each dossier in turn takes its best free jurors.

    Among its allowed jurors a dossier prefers, in order: an institution not on it yet, a juror
    still owing its target minimum, one below its target maximum, the best weight, the most
    capacity left. It respects every hard rule or raises Infeasible (it may fail where the
    exact solver succeeds); its soft departures are reported like the solver's.
    """
    validate(problem)
    prep = prepare(problem, np.zeros((0, 2), dtype=np.int64))
    left = prep.high.copy()
    load = np.zeros(prep.n_jurors, dtype=np.int64)
    chosen_d, chosen_j = [], []
    for d in range(prep.n_dossiers):
        free = np.flatnonzero(prep.allowed[d] & (left > 0))
        order = free[
            np.lexsort(
                (
                    -left[free],
                    -prep.weights[d, free],
                    load[free] >= prep.band_high[free],
                    load[free] >= prep.band_low[free],
                )
            )
        ]
        taken: list[int] = []
        for pass_ in range(2):  # first institutions not on the dossier yet, then any
            for j in order:
                if len(taken) == prep.need[d]:
                    break
                if j in taken or (pass_ == 0 and prep.inst[j] in prep.inst[taken]):
                    continue
                taken.append(int(j))
        if len(taken) < prep.need[d]:
            raise Infeasible(
                [
                    gettext("L'heuristique gloutonne n'a pas pu compléter le dossier %(dossier)s.")
                    % {"dossier": problem.dossier_labels[d]}
                ]
            )
        for j in taken:
            chosen_d.append(d)
            chosen_j.append(j)
            left[j] -= 1
            load[j] += 1
    if np.any(load < prep.low):
        raise Infeasible(
            [gettext("L'heuristique gloutonne ne respecte pas les capacités minimales des jurés.")]
        )
    return _result(problem, np.column_stack([chosen_d, chosen_j]), optimal=False)
