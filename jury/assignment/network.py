"""The flow network: the instance left after fixed pairs, its arcs, the solvers and the duals.

Network (one unit of flow = one evaluation):
    source -> juror j                  capacity max_j - min_j, cost 0
    juror j -> (institution, dossier)  capacity 1, cost -weight[d, j]  (the seat node)
    juror j -> dossier d               capacity 1, cost -weight[d, j]  (no seat node needed)
    (institution, dossier) -> dossier  capacity 1, cost 0  (at most one juror per institution)
    dossier d -> sink                  capacity need_d, cost 0
A seat node exists only where two candidate jurors of one institution may sit on one dossier
(never for institutions of one juror): elsewhere it would have one arc in and one out.
Supplies: juror j supplies min_j, the source N - sum(min_j), the sink takes N = sum(need_d).
This is the standard lower-bound transformation of the arc source -> juror with flow in
[min_j, max_j]: the arc keeps max_j - min_j and min_j units are forced out of the juror node, so
a feasible flow gives every juror between min_j and max_j dossiers: the minimum capacities are
HARD constraints. Since the sink takes exactly N and the arcs into it total N, every dossier gets
exactly need_d jurors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from jury.assignment.problem import AssignmentProblem, check_cost_range, integer_weights

SOURCE, SINK = 0, 1
ROW_BLOCK = 512  # rows of the dense (D, J) matrices handled at once, to bound temporaries


@dataclass
class Prepared:
    """The instance once the fixed pairs are taken out: what is left to assign."""

    need: np.ndarray  # (D,) evaluations still needed per dossier
    low: np.ndarray  # (J,) minimum still owed by each juror
    high: np.ndarray  # (J,) maximum still available
    allowed: np.ndarray  # bool (D, J): pair may still be added
    inst: np.ndarray  # (J,) institution, renumbered 0..n_inst-1
    multi: np.ndarray  # bool (n_inst,): institution with >= 2 jurors, so it needs the layer
    weights: np.ndarray  # int64 (D, J) exact integer weights
    on_grid: bool
    fixed: np.ndarray  # (F, 2)
    fixed_per_dossier: np.ndarray  # (D,)
    fixed_per_juror: np.ndarray  # (J,)

    @property
    def n_dossiers(self) -> int:
        return len(self.need)

    @property
    def n_jurors(self) -> int:
        return len(self.low)

    @property
    def n_inst(self) -> int:
        return len(self.multi)


def prepare(problem: AssignmentProblem, fixed: np.ndarray) -> Prepared:
    """Subtract the fixed pairs from the needs and capacities, and forbid what they exclude."""
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

    allowed = np.ones((n_dossiers, n_jurors), dtype=bool)
    conflicts = np.asarray(problem.conflicts, dtype=np.int64).reshape(-1, 2)
    allowed[conflicts[:, 0], conflicts[:, 1]] = False
    # A fixed juror takes its institution's only seat on that dossier (itself included).
    same = inst[None, :] == inst[fixed_j][:, None]
    rows, cols = np.nonzero(same)
    allowed[fixed_d[rows], cols] = False
    allowed[:, high <= 0] = False
    allowed[need <= 0, :] = False
    weights, _, on_grid = integer_weights(problem.affinity)
    return Prepared(
        need=need,
        low=low,
        high=high,
        allowed=allowed,
        inst=inst,
        multi=multi,
        weights=weights,
        on_grid=on_grid,
        fixed=fixed,
        fixed_per_dossier=per_dossier,
        fixed_per_juror=per_juror,
    )


@dataclass
class Network:
    n_nodes: int
    tails: np.ndarray
    heads: np.ndarray
    caps: np.ndarray
    costs: np.ndarray
    supplies: np.ndarray
    pair_d: np.ndarray
    pair_j: np.ndarray
    pair_start: int  # pair arcs are tails[pair_start:pair_start + len(pair_d)]
    inst_d: np.ndarray  # (U,) dossier of each (institution, dossier) node
    inst_i: np.ndarray  # (U,) institution of each such node
    inst_start: int  # first (institution, dossier) node id
    lone: np.ndarray  # bool (P,): pair of a multi-juror institution alone on its dossier

    def juror_node(self, j: np.ndarray | int) -> np.ndarray | int:
        return 2 + j

    def dossier_node(self, d: np.ndarray | int, n_jurors: int) -> np.ndarray | int:
        return 2 + n_jurors + d


def build_network(prep: Prepared, pair_d: np.ndarray, pair_j: np.ndarray) -> Network:
    """Vectorised arc arrays for the given candidate pairs (all numpy, no Python loop)."""
    n_dossiers, n_jurors = prep.n_dossiers, prep.n_jurors
    juror_nodes = 2 + np.arange(n_jurors, dtype=np.int64)
    dossier_nodes = 2 + n_jurors + np.arange(n_dossiers, dtype=np.int64)
    inst_start = 2 + n_jurors + n_dossiers
    pair_inst = prep.inst[pair_j]
    # The (institution, dossier) node only where two candidate jurors of one institution meet on
    # a dossier: a lone candidate needs no seat node (see `price` for why that stays exact).
    keys = pair_d * max(prep.n_inst, 1) + pair_inst
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    layered = counts[inverse] >= 2
    seat_keys, seat_of_pair = np.unique(keys[layered], return_inverse=True)
    targets = dossier_nodes[pair_d].copy()
    targets[layered] = inst_start + seat_of_pair
    inst_d, inst_i = seat_keys // max(prep.n_inst, 1), seat_keys % max(prep.n_inst, 1)
    n_nodes = inst_start + len(seat_keys)
    n_units = int(prep.need.sum())

    tails = np.concatenate(
        [
            np.full(n_jurors, SOURCE),
            juror_nodes[pair_j],
            inst_start + np.arange(len(inst_d)),
            dossier_nodes,
        ]
    )
    heads = np.concatenate([juror_nodes, targets, dossier_nodes[inst_d], np.full(n_dossiers, SINK)])
    caps = np.concatenate(
        [prep.high - prep.low, np.ones(len(pair_d) + len(inst_d), dtype=np.int64), prep.need]
    )
    pair_weights = prep.weights[pair_d, pair_j]
    costs = np.zeros(len(tails), dtype=np.int64)
    costs[n_jurors : n_jurors + len(pair_d)] = -pair_weights
    check_cost_range(int(pair_weights.max(initial=0)), n_nodes, n_units)
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[SOURCE] = n_units - int(prep.low.sum())
    supplies[juror_nodes] = prep.low
    supplies[SINK] = -n_units
    return Network(
        n_nodes=n_nodes,
        tails=tails.astype(np.int64),
        heads=heads.astype(np.int64),
        caps=caps.astype(np.int64),
        costs=costs,
        supplies=supplies,
        pair_d=pair_d,
        pair_j=pair_j,
        pair_start=n_jurors,
        inst_d=inst_d,
        inst_i=inst_i,
        inst_start=inst_start,
        lone=~layered & prep.multi[pair_inst],
    )


def solve_min_cost(net: Network) -> np.ndarray | None:
    """Optimal flows of the network with OR-Tools, or None when no feasible flow exists."""
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.caps, net.costs)
    solver.set_nodes_supplies(np.arange(net.n_nodes), net.supplies)
    status = solver.solve()
    if status == solver.INFEASIBLE:
        return None
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return np.asarray(solver.flows(np.arange(len(net.tails))), dtype=np.int64)


def potentials(net: Network, flows: np.ndarray) -> np.ndarray:
    """Node potentials pi with c(u, v) + pi(u) - pi(v) >= 0 on every residual arc.

    They are the shortest distances in the residual graph from a virtual root joined to every
    node by a zero-cost arc; they exist because an optimal flow leaves no negative cycle. Found
    by vectorised Bellman-Ford rounds (each relaxes every arc; rounds <= nodes).
    """
    forward = flows < net.caps
    backward = flows > 0
    tails = np.concatenate([net.tails[forward], net.heads[backward]])
    heads = np.concatenate([net.heads[forward], net.tails[backward]])
    costs = np.concatenate([net.costs[forward], -net.costs[backward]])
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]]) if len(heads) else heads
    targets = heads[starts]
    dist = np.zeros(net.n_nodes, dtype=np.int64)
    for _ in range(net.n_nodes + 1):
        best = np.minimum.reduceat(dist[tails] + costs, starts) if len(starts) else starts
        improved = best < dist[targets]
        if not improved.any():
            return dist
        dist[targets[improved]] = best[improved]
    raise RuntimeError("negative cycle in the residual graph: the flow is not optimal")


def price(
    prep: Prepared,
    candidate: np.ndarray,
    net: Network,
    flows: np.ndarray,
    dist: np.ndarray,
    limit: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Excluded pairs whose arc has a negative reduced cost (at most `limit` per dossier).

    Why an empty answer proves the restricted optimum optimal for the whole graph. The whole
    graph has a seat node (institution, dossier) for every juror of an institution of >= 2
    jurors; the restricted one only where two candidates meet, a lone candidate j' going
    straight to the dossier (the same path without its middle node). An excluded pair carries
    no flow, so it adds only the forward arc juror -> seat, of reduced cost
    cost + pi(juror) - pi(seat). For a seat node that exists, pi(seat) is its potential. For a
    missing seat node v, pi(v) may be chosen: its arcs need pi(v) >= pi(dossier) if no flow
    goes through it, or pi(v) >= cost' + pi(j') if the lone candidate j' uses it, and pi(v) <=
    cost + pi(juror) for each new arc; taking the smallest allowed pi(v) (which is <= pi(dossier)
    by the restricted optimality of the direct arc) makes the test exact. With every reduced
    cost non-negative no negative cycle exists in the whole residual graph, which is the
    optimality condition of a min-cost flow.
    """
    n_dossiers, n_jurors = prep.n_dossiers, prep.n_jurors
    pot_juror = dist[2 : 2 + n_jurors]
    pot_dossier = dist[2 + n_jurors : 2 + n_jurors + n_dossiers]
    pot_target = np.repeat(pot_dossier[:, None], max(prep.n_inst, 1), axis=1)
    pot_target[net.inst_d, net.inst_i] = dist[net.inst_start : net.inst_start + len(net.inst_d)]
    pair_flows = flows[net.pair_start : net.pair_start + len(net.pair_d)]
    busy = net.lone & (pair_flows > 0)
    busy_d, busy_j = net.pair_d[busy], net.pair_j[busy]
    pot_target[busy_d, prep.inst[busy_j]] = pot_juror[busy_j] - prep.weights[busy_d, busy_j]
    found_d, found_j = [], []
    for start in range(0, n_dossiers, ROW_BLOCK):
        rows = slice(start, min(start + ROW_BLOCK, n_dossiers))
        reduced = pot_juror[None, :] - prep.weights[rows] - pot_target[rows][:, prep.inst]
        reduced[~prep.allowed[rows] | candidate[rows]] = 0
        if not (reduced < 0).any():
            continue
        if limit < n_jurors:
            cols = np.argpartition(reduced, limit - 1, axis=1)[:, :limit]
        else:
            cols = np.broadcast_to(np.arange(n_jurors), reduced.shape)
        picked = np.take_along_axis(reduced, cols, axis=1) < 0
        block_rows = np.broadcast_to(np.arange(start, rows.stop)[:, None], cols.shape)
        found_d.append(block_rows[picked])
        found_j.append(cols[picked])
    if not found_d:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found_d), np.concatenate(found_j)


def _max_flow(
    n_nodes: int, tails: np.ndarray, heads: np.ndarray, caps: np.ndarray, source: int, sink: int
) -> tuple[int, np.ndarray, max_flow.SimpleMaxFlow]:
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(tails, heads, caps)
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:
        raise RuntimeError(f"max flow failed with status {status}")
    flows = np.asarray(solver.flows(np.arange(len(tails))), dtype=np.int64)
    return int(solver.optimal_flow()), flows, solver


def full_network(prep: Prepared) -> Network:
    """Every allowed pair: used only to prove infeasibility or find a first feasible flow."""
    pair_d, pair_j = np.nonzero(prep.allowed)
    return build_network(prep, pair_d.astype(np.int64), pair_j.astype(np.int64))


def feasible_pairs(net: Network, prep: Prepared) -> tuple[np.ndarray, np.ndarray] | None:
    """Pairs of some feasible flow (minimums included), or None if none exists.

    Lower bounds by the classical circulation: add sink -> source, turn every node's supply
    into an arc from a super-source (or to a super-sink); feasible iff that max flow saturates
    the super-source.
    """
    super_source, super_sink = net.n_nodes, net.n_nodes + 1
    supplies = net.supplies
    givers, takers = np.flatnonzero(supplies > 0), np.flatnonzero(supplies < 0)
    tails = np.concatenate([net.tails, np.full(len(givers), super_source), takers])
    heads = np.concatenate([net.heads, givers, np.full(len(takers), super_sink)])
    caps = np.concatenate([net.caps, supplies[givers], -supplies[takers]])
    value, flows, _ = _max_flow(net.n_nodes + 2, tails, heads, caps, super_source, super_sink)
    if value < int(supplies[givers].sum()):
        return None
    used = flows[net.pair_start : net.pair_start + len(net.pair_d)] > 0
    return net.pair_d[used], net.pair_j[used]


def dossier_cut(net: Network, prep: Prepared) -> tuple[np.ndarray, int] | None:
    """Ignoring minimums, a smallest set of dossiers the jurors cannot serve, and what they get.

    Max flow source -> jurors (max) -> dossiers (need) -> sink. If it falls short of N, the
    sink side T of the minimum cut closest to the sink holds dossiers X whose needs exceed
    every flow into them; the flow that reaches X equals the cut's capacity minus the needs of
    the dossiers on the source side, i.e. exactly what the jurors can give X.
    """
    caps = net.caps.copy()
    caps[: prep.n_jurors] = prep.high
    value, flows, solver = _max_flow(net.n_nodes, net.tails, net.heads, caps, SOURCE, SINK)
    if value >= int(prep.need.sum()):
        return None
    sink_side = np.zeros(net.n_nodes, dtype=bool)
    sink_side[np.asarray(solver.get_sink_side_min_cut(), dtype=np.int64)] = True
    dossiers = np.flatnonzero(sink_side[2 + prep.n_jurors : 2 + prep.n_jurors + prep.n_dossiers])
    dossiers = dossiers[prep.need[dossiers] > 0]
    received = int(flows[-prep.n_dossiers :][dossiers].sum())
    return dossiers, received


def juror_cut(net: Network, prep: Prepared) -> tuple[np.ndarray, int] | None:
    """Ignoring the exact need of dossiers, a smallest set of jurors whose minimums can't be met.

    Max flow source -> jurors (min) -> dossiers (need) -> sink; if short of sum(min), the
    source side of the cut closest to the source holds jurors Z whose minimums exceed what can
    leave them, which is the flow out of Z.
    """
    caps = net.caps.copy()
    caps[: prep.n_jurors] = prep.low
    value, flows, solver = _max_flow(net.n_nodes, net.tails, net.heads, caps, SOURCE, SINK)
    if value >= int(prep.low.sum()):
        return None
    source_side = np.zeros(net.n_nodes, dtype=bool)
    source_side[np.asarray(solver.get_source_side_min_cut(), dtype=np.int64)] = True
    jurors = np.flatnonzero(source_side[2 : 2 + prep.n_jurors])
    jurors = jurors[prep.low[jurors] > 0]
    return jurors, int(flows[: prep.n_jurors][jurors].sum())
