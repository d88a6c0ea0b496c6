"""The graph of the hard rules alone: a first feasible flow, and the minimum cuts that say why
there is none (read by `diagnostics.cut_causes`)."""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow

from jury.assignment.instance import Prepared
from jury.assignment.network import SINK, SOURCE, Network


def hard_network(prep: Prepared) -> Network:
    """Every allowed pair straight to its dossier, one arc source -> juror (max - min): the
    hard rules only, to prove infeasibility or find a first feasible flow (the institution rule
    and the targets never make an instance infeasible)."""
    pair_d, pair_j = (a.astype(np.int64) for a in np.nonzero(prep.allowed))
    n_dossiers, n_jurors = prep.n_dossiers, prep.n_jurors
    juror_nodes = 2 + np.arange(n_jurors, dtype=np.int64)
    dossier_nodes = 2 + n_jurors + np.arange(n_dossiers, dtype=np.int64)
    n_units = int(prep.need.sum())
    supplies = np.zeros(2 + n_jurors + n_dossiers, dtype=np.int64)
    supplies[SOURCE] = n_units - int(prep.low.sum())
    supplies[juror_nodes] = prep.low
    supplies[SINK] = -n_units
    empty = np.zeros(0, dtype=np.int64)
    return Network(
        n_nodes=len(supplies),
        tails=np.concatenate([np.full(n_jurors, SOURCE), juror_nodes[pair_j], dossier_nodes]),
        heads=np.concatenate([juror_nodes, dossier_nodes[pair_d], np.full(n_dossiers, SINK)]),
        caps=np.concatenate(
            [prep.high - prep.low, np.ones(len(pair_d), dtype=np.int64), prep.need]
        ).astype(np.int64),
        costs=np.zeros(n_jurors + len(pair_d) + n_dossiers, dtype=np.int64),
        supplies=supplies,
        pair_d=pair_d,
        pair_j=pair_j,
        pair_start=n_jurors,
        inst_d=empty,
        inst_i=empty,
        inst_start=len(supplies),
        lone=np.zeros(len(pair_d), dtype=bool),
    )


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
