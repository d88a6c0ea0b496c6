"""The flow network of one mode, its solver and its duals (the pricing of excluded pairs).

Network (one unit of flow = one evaluation):
    source -> juror j                  the juror's load arcs (see `instance`)
    juror j -> (institution, dossier)  capacity 1, cost -weight[d, j]  (the seat node)
    juror j -> dossier d               capacity 1, cost -weight[d, j]  (no seat node needed)
    (institution, dossier) -> dossier  capacity 1, cost 0 (the institution's one seat), and,
                                       when seats are soft, capacity need_d, cost `seat_cost`
                                       (each extra juror of the institution)
    dossier d -> sink                  capacity need_d, cost 0
A seat node exists only where two candidate jurors of one institution may sit on one dossier, or
where a fixed juror already holds the institution's seat (then its free arc has capacity 0):
elsewhere it would have one arc in and one out.
Supplies: juror j supplies min_j, the source N - sum(min_j), the sink takes N = sum(need_d):
the standard lower-bound transformation, so the minimum is a HARD constraint; since the sink
takes exactly N and the arcs into it total N, every dossier gets exactly need_d jurors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from jury.assignment.instance import ROW_BLOCK, Prepared
from jury.assignment.problem import check_cost_range

SOURCE, SINK = 0, 1


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
    seat_arcs: int = 0  # the seat -> dossier arcs follow the pair arcs (free ones, then extra)

    def juror_node(self, j: np.ndarray | int) -> np.ndarray | int:
        return 2 + j

    def dossier_node(self, d: np.ndarray | int, n_jurors: int) -> np.ndarray | int:
        return 2 + n_jurors + d


def build_network(prep: Prepared, pair_d: np.ndarray, pair_j: np.ndarray) -> Network:
    """Vectorised arc arrays for the given candidate pairs (all numpy, no Python loop).

    Arcs in order: pairs, seat -> dossier (free), seat -> dossier (extra juror), dossier ->
    sink, load arcs.
    """
    n_dossiers, n_jurors = prep.n_dossiers, prep.n_jurors
    n_inst = max(prep.n_inst, 1)
    juror_nodes = 2 + np.arange(n_jurors, dtype=np.int64)
    dossier_nodes = 2 + n_jurors + np.arange(n_dossiers, dtype=np.int64)
    inst_start = 2 + n_jurors + n_dossiers
    pair_inst = prep.inst[pair_j]
    # The (institution, dossier) node only where two candidate jurors of one institution meet on
    # a dossier, or where a fixed juror holds the seat: a lone candidate needs no seat node
    # (see `price` for why that stays exact).
    keys = pair_d * n_inst + pair_inst
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    held = np.isin(keys, prep.used_seats)
    layered = (counts[inverse] >= 2) | held
    seat_keys, seat_of_pair = np.unique(keys[layered], return_inverse=True)
    targets = dossier_nodes[pair_d].copy()
    targets[layered] = inst_start + seat_of_pair
    inst_d, inst_i = seat_keys // n_inst, seat_keys % n_inst
    n_seats = len(seat_keys)
    seat_nodes = inst_start + np.arange(n_seats)
    free = (~np.isin(seat_keys, prep.used_seats)).astype(np.int64)
    # Extra jurors of an institution only when the rule is priced (soft seats).
    extra = n_seats if prep.seat_cost is not None else 0
    n_nodes = inst_start + n_seats
    n_units = int(prep.need.sum())

    tails = np.concatenate(
        [
            juror_nodes[pair_j],
            seat_nodes,
            seat_nodes[:extra],
            dossier_nodes,
            np.full(len(prep.load_juror), SOURCE),
        ]
    )
    heads = np.concatenate(
        [
            targets,
            dossier_nodes[inst_d],
            dossier_nodes[inst_d[:extra]],
            np.full(n_dossiers, SINK),
            juror_nodes[prep.load_juror],
        ]
    )
    caps = np.concatenate(
        [
            np.ones(len(pair_d), dtype=np.int64),
            free,
            prep.need[inst_d[:extra]],
            prep.need,
            prep.load_cap,
        ]
    )
    pair_weights = prep.weights[pair_d, pair_j]
    costs = np.concatenate(
        [
            -pair_weights,
            np.zeros(n_seats, dtype=np.int64),
            np.full(extra, prep.seat_cost or 0, dtype=np.int64),
            np.zeros(n_dossiers, dtype=np.int64),
            prep.load_cost,
        ]
    )
    largest = max(int(pair_weights.max(initial=0)), int(np.abs(prep.load_cost).max(initial=0)))
    check_cost_range(max(largest, (prep.seat_cost or 0) if extra else 0), n_nodes, n_units)
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[SOURCE] = n_units - int(prep.low.sum())
    supplies[juror_nodes] = prep.low
    supplies[SINK] = -n_units
    return Network(
        n_nodes=n_nodes,
        tails=tails.astype(np.int64),
        heads=heads.astype(np.int64),
        caps=caps.astype(np.int64),
        costs=costs.astype(np.int64),
        supplies=supplies,
        pair_d=pair_d,
        pair_j=pair_j,
        pair_start=0,
        inst_d=inst_d,
        inst_i=inst_i,
        inst_start=inst_start,
        lone=~layered & prep.multi[pair_inst],
        seat_arcs=n_seats + extra,
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


def potentials(net: Network, flows: np.ndarray, *, rounds: int | None = None) -> np.ndarray | None:
    """Node potentials pi with c(u, v) + pi(u) - pi(v) >= 0 on every residual arc.

    They are the shortest distances in the residual graph from a virtual root joined to every
    node by a zero-cost arc; they exist because an optimal flow leaves no negative cycle. Found
    by vectorised Bellman-Ford rounds (each relaxes every arc; rounds <= nodes). With `rounds`,
    None when they have not settled after that many (the flow may not be optimal).
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
    for _ in range(net.n_nodes + 1 if rounds is None else rounds):
        best = np.minimum.reduceat(dist[tails] + costs, starts) if len(starts) else starts
        improved = best < dist[targets]
        if not improved.any():
            return dist
        dist[targets[improved]] = best[improved]
    if rounds is not None:
        return None
    raise RuntimeError("negative cycle in the residual graph: the flow is not optimal")


def carry_flow(net: Network, flows: np.ndarray, wider: Network) -> np.ndarray:
    """The same flow on `wider`, the network of a superset of `net`'s candidate pairs (same
    instance and mode): new pairs carry nothing, each seat node what its pairs bring (its free
    arc first), the dossier -> sink and load arcs what they carried."""
    width = int(max(net.pair_j.max(initial=0), wider.pair_j.max(initial=0))) + 1
    n_pairs, n_seats = len(wider.pair_d), len(wider.inst_d)
    carried = np.zeros(len(wider.tails), dtype=np.int64)
    # Pairs are in (dossier, juror) order in both networks.
    at = np.searchsorted(wider.pair_d * width + wider.pair_j, net.pair_d * width + net.pair_j)
    carried[at] = flows[: len(net.pair_d)]
    into_seat = wider.heads[:n_pairs] >= wider.inst_start
    inflow = np.bincount(
        wider.heads[:n_pairs][into_seat] - wider.inst_start,
        weights=carried[:n_pairs][into_seat],
        minlength=n_seats,
    ).astype(np.int64)
    free = np.minimum(inflow, wider.caps[n_pairs : n_pairs + n_seats])
    carried[n_pairs : n_pairs + n_seats] = free
    extra = wider.seat_arcs - n_seats  # n_seats extra arcs with soft seats, none with hard ones
    carried[n_pairs + n_seats : n_pairs + n_seats + extra] = (inflow - free)[:extra]
    rest = len(net.tails) - len(net.pair_d) - net.seat_arcs  # dossier -> sink, then load arcs
    carried[len(wider.tails) - rest :] = flows[len(flows) - rest :]
    return carried


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
    graph has a seat node v = (institution, dossier) for every juror of an institution of >= 2
    jurors, with a free arc v -> d (capacity 1, or 0 once a fixed juror holds the seat) and,
    with soft seats, an extra arc v -> d (cost `seat_cost`). The restricted graph has it only
    where two candidates meet or the seat is held; a lone candidate j' goes straight to the
    dossier (the same path through the free arc, without its middle node). An excluded pair
    carries no flow, so it adds only the forward arc juror -> v, of reduced cost
    cost + pi(juror) - pi(v). For a seat node that exists, pi(v) is its potential. For a
    missing one, pi(v) may be chosen within what its arcs allow: pi(v) >= pi(d) - seat_cost
    (extra arc, empty; soft seats only); pi(v) >= pi(d) (free arc, empty) if no flow goes
    through it; pi(v) >= pi(j') + cost' and pi(v) <= pi(d) if the lone candidate j' uses it;
    and pi(v) <= cost + pi(juror) for each new arc. Taking the smallest allowed pi(v) (the
    interval is not empty, by the restricted optimality of the direct arc) makes the test
    exact. With every reduced cost non-negative no negative cycle exists in the whole residual
    graph, which is the optimality condition of a min-cost flow.
    """
    n_dossiers, n_jurors = prep.n_dossiers, prep.n_jurors
    n_inst = max(prep.n_inst, 1)
    pot_juror = dist[2 : 2 + n_jurors]
    pot_dossier = dist[2 + n_jurors : 2 + n_jurors + n_dossiers]
    pot_target = np.repeat(pot_dossier[:, None], n_inst, axis=1)
    if prep.seat_cost is not None:
        # A held seat without a node: only its extra arc is open. (With hard seats, a held
        # seat's institution is not allowed on the dossier at all.)
        held_d, held_i = prep.used_seats // n_inst, prep.used_seats % n_inst
        pot_target[held_d, held_i] = pot_dossier[held_d] - prep.seat_cost
    pot_target[net.inst_d, net.inst_i] = dist[net.inst_start : net.inst_start + len(net.inst_d)]
    pair_flows = flows[net.pair_start : net.pair_start + len(net.pair_d)]
    busy = net.lone & (pair_flows > 0)
    busy_d, busy_j = net.pair_d[busy], net.pair_j[busy]
    through_lone = pot_juror[busy_j] - prep.weights[busy_d, busy_j]
    if prep.seat_cost is not None:
        through_lone = np.maximum(through_lone, pot_dossier[busy_d] - prep.seat_cost)
    pot_target[busy_d, prep.inst[busy_j]] = through_lone
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
