"""Exact jury assignment (issue 4): pure numpy + OR-Tools, no Django model.

Maximise the total affinity of (dossier, juror) pairs, each dossier getting exactly
`per_dossier` jurors, each juror between its minimum and maximum number of dossiers, no pair in
conflict, at most one juror of an institution per dossier. See `solver` for the method,
`problem` for why the integer costs are exact, `network` for the flow graph and its duals,
`diagnostics` for the French causes of infeasibility.
"""

from jury.assignment.problem import (
    AFFINITY_DENOMINATOR,
    AssignmentProblem,
    AssignmentResult,
    Infeasible,
    affinity_from_themes,
)
from jury.assignment.solver import SolveStats, greedy_assignment, solve_assignment, solve_detailed

__all__ = [
    "AFFINITY_DENOMINATOR",
    "AssignmentProblem",
    "AssignmentResult",
    "Infeasible",
    "SolveStats",
    "affinity_from_themes",
    "greedy_assignment",
    "solve_assignment",
    "solve_detailed",
]
