"""Exact jury assignment (issues 4 and 15): pure numpy + OR-Tools, no Django model.

Hard rules: each dossier gets exactly `per_dossier` jurors, each juror between its minimum and
maximum number of dossiers, no pair in conflict. Within them, lexicographically: the fewest
dossiers with two jurors of one institution, then loads as even as possible around each juror's
target (the fair share), then the largest total affinity. See `solver` for the method,
`problem` for why the integer costs are exact, `instance` for the levels and their costs,
`network` for the flow graph and its duals, `cuts` and `diagnostics` for the French causes of
infeasibility and the departures from the soft rules.
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
