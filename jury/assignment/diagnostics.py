"""Why an assignment is impossible, and where a possible one departs from the soft rules, in
French sentences an organiser can act on.

Only the hard rules make an instance impossible (conflicts, jurors per dossier, hard minimum and
maximum loads). Cheap necessary conditions come first (each is a count over the allowed pairs,
vectorised), from the most specific to the most global: a dossier without enough jurors free of
conflict, a juror whose minimum exceeds the dossiers free of conflict, a theme whose dossiers need
more evaluations than its jurors can give (a Hall-type bound, see `_theme_causes`), the jury's
total capacity. When they all pass and the flow still fails, `cut_causes` reads the minimum cut
of a max flow on the hard graph (see `network.dossier_cut` and `network.juror_cut`).

`departures` lists, after a solve, what the soft rules could not get: dossier by dossier, two
jurors of one institution; juror by juror, a load outside its target.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from jury.assignment.cuts import dossier_cut, juror_cut
from jury.assignment.instance import ROW_BLOCK, Prepared
from jury.assignment.network import Network
from jury.assignment.problem import AssignmentProblem

LISTED = 10  # causes of one kind spelled out before "and N others"
NAMED = 5  # names spelled out in one sentence before "and N others"


def _n(value: int) -> str:
    """A count with the locale's thousands separator (2 970 in French)."""
    return number_format(int(value), force_grouping=True)


def _names(labels: Sequence[str], indices: np.ndarray) -> str:
    shown = [str(labels[i]) for i in indices[:NAMED]]
    rest = len(indices) - len(shown)
    if rest <= 0:
        return ", ".join(shown)
    return ngettext("%(names)s et %(count)s autre", "%(names)s et %(count)s autres", rest) % {
        "names": ", ".join(shown),
        "count": _n(rest),
    }


def _together(labels: Sequence[str], indices: np.ndarray) -> str:
    """« A et B », « A, B et C »: a few jurors named in a sentence."""
    names = [str(labels[i]) for i in indices]
    if len(names) < 2:
        return "".join(names)
    return gettext("%(first)s et %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _capped(causes: list[str], what: str) -> list[str]:
    if len(causes) <= LISTED:
        return causes
    rest = len(causes) - LISTED
    if what == "dossier":
        tail = ngettext(
            "… et %(count)s autre dossier dans le même cas.",
            "… et %(count)s autres dossiers dans le même cas.",
            rest,
        )
    else:
        tail = ngettext(
            "… et %(count)s autre juré dans le même cas.",
            "… et %(count)s autres jurés dans le même cas.",
            rest,
        )
    return [*causes[:LISTED], tail % {"count": _n(rest)}]


def _dossier_causes(problem: AssignmentProblem, prep: Prepared) -> list[str]:
    free = prep.allowed.sum(axis=1)
    causes = []
    for d in np.flatnonzero(prep.need > free):
        count = int(free[d] + prep.fixed_per_dossier[d])
        values = {
            "dossier": problem.dossier_labels[d],
            "count": _n(count),
            "needed": _n(problem.per_dossier),
        }
        if count == 0:
            sentence = gettext(
                "Dossier %(dossier)s : aucun juré n'est sans conflit, il en faut %(needed)s."
            )
        else:
            sentence = ngettext(
                "Dossier %(dossier)s : seul %(count)s juré est sans conflit, il en faut "
                "%(needed)s.",
                "Dossier %(dossier)s : seuls %(count)s jurés sont sans conflit, il en faut "
                "%(needed)s.",
                count,
            )
        causes.append(sentence % values)
    return _capped(causes, "dossier")


def _juror_causes(problem: AssignmentProblem, prep: Prepared) -> list[str]:
    free = prep.allowed.sum(axis=0)
    causes = []
    for j in np.flatnonzero(prep.low > free):
        count = int(free[j] + prep.fixed_per_juror[j])
        values = {
            "juror": problem.juror_labels[j],
            "minimum": _n(problem.capacity_min[j]),
            "count": _n(count),
        }
        if count == 0:
            sentence = gettext(
                "Juré %(juror)s : capacité minimale de %(minimum)s dossiers, "
                "mais aucun dossier n'est sans conflit."
            )
        else:
            sentence = ngettext(
                "Juré %(juror)s : capacité minimale de %(minimum)s dossiers, "
                "mais seul %(count)s dossier est sans conflit.",
                "Juré %(juror)s : capacité minimale de %(minimum)s dossiers, "
                "mais seuls %(count)s dossiers sont sans conflit.",
                count,
            )
        causes.append(sentence % values)
    return _capped(causes, "juror")


def _theme_sentence(theme: str, dossiers: int, needed: int, available: int) -> str:
    sentence = ngettext(
        "Thème « %(theme)s » : %(dossiers)s dossier demande %(needed)s évaluations, "
        "les jurés sans conflit ne peuvent en prendre que %(available)s.",
        "Thème « %(theme)s » : %(dossiers)s dossiers demandent %(needed)s évaluations, "
        "les jurés sans conflit ne peuvent en prendre que %(available)s.",
        dossiers,
    )
    return sentence % {
        "theme": theme,
        "dossiers": _n(dossiers),
        "needed": _n(needed),
        "available": _n(available),
    }


def _theme_causes(problem: AssignmentProblem, prep: Prepared) -> list[str]:
    """Hall-type bound per theme: what the jurors can give the theme's dossiers.

    Juror j gives theme t at most min(max_j, dossiers of t free of conflict for j); summed
    over the jurors this bounds the evaluations theme t can receive.
    """
    groups = np.asarray(problem.dossier_groups, dtype=np.int64)
    causes = []
    for theme in np.unique(groups[prep.need > 0]):
        rows = groups == theme
        available = int(np.minimum(prep.high, prep.allowed[rows].sum(axis=0)).sum())
        needed = int(prep.need[rows].sum())
        if needed > available:
            dossiers = int((prep.need[rows] > 0).sum())
            causes.append(_theme_sentence(problem.group_labels[theme], dossiers, needed, available))
    return causes


def _global_causes(prep: Prepared) -> list[str]:
    needed = int(prep.need.sum())
    causes = []
    if int(prep.high.sum()) < needed:
        causes.append(
            gettext(
                "La capacité totale des jurés (%(capacity)s) est inférieure aux %(needed)s "
                "évaluations demandées."
            )
            % {"capacity": _n(prep.high.sum()), "needed": _n(needed)}
        )
    if int(prep.low.sum()) > needed:
        causes.append(
            gettext(
                "Les capacités minimales des jurés totalisent %(minimum)s dossiers, plus que "
                "les %(needed)s évaluations demandées."
            )
            % {"minimum": _n(prep.low.sum()), "needed": _n(needed)}
        )
    return causes


def seats_short(prep: Prepared) -> bool:
    """Some dossier has fewer institutions free of conflict than jurors still to find (so one
    juror per institution is impossible). Reads the allowed pairs in blocks of rows."""
    order = np.argsort(prep.inst, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(prep.inst[order]) != 0])
    if prep.n_jurors == 0:
        return bool((prep.need > 0).any())
    for start in range(0, prep.n_dossiers, ROW_BLOCK):
        rows = slice(start, start + ROW_BLOCK)
        eligible = np.logical_or.reduceat(prep.allowed[rows][:, order], starts, axis=1)
        if (eligible.sum(axis=1) < prep.need[rows]).any():
            return True
    return False


def cheap_causes(problem: AssignmentProblem, prep: Prepared) -> list[str]:
    """Necessary conditions, most specific first; an empty list proves nothing."""
    return [
        *_dossier_causes(problem, prep),
        *_juror_causes(problem, prep),
        *_theme_causes(problem, prep),
        *_global_causes(prep),
    ]


def cut_causes(problem: AssignmentProblem, prep: Prepared, net: Network) -> list[str]:
    """Causes read from minimum cuts of the whole graph, when the cheap checks all passed."""
    causes = []
    groups = np.asarray(problem.dossier_groups, dtype=np.int64)
    short = dossier_cut(net, prep)
    if short is not None:
        dossiers, received = short
        needed = int(prep.need[dossiers].sum())
        themes = np.unique(groups[dossiers])
        theme_rows = np.flatnonzero((groups == themes[0]) & (prep.need > 0))
        if len(dossiers) == 1:
            sentence = gettext(
                "Dossier %(dossier)s : les jurés sans conflit ne peuvent lui donner que "
                "%(available)s évaluations, il en faut %(needed)s."
            ) % {
                "dossier": problem.dossier_labels[dossiers[0]],
                "available": _n(received + prep.fixed_per_dossier[dossiers[0]]),
                "needed": _n(problem.per_dossier),
            }
        elif len(themes) == 1 and np.array_equal(theme_rows, dossiers):
            label = problem.group_labels[themes[0]]
            sentence = _theme_sentence(label, len(dossiers), needed, received)
        else:
            sentence = gettext(
                "Dossiers %(dossiers)s : ils demandent %(needed)s évaluations, les jurés sans "
                "conflit ne peuvent leur en donner que %(available)s."
            ) % {
                "dossiers": _names(problem.dossier_labels, dossiers),
                "needed": _n(needed),
                "available": _n(received),
            }
        causes.append(sentence)
    short = juror_cut(net, prep)
    if short is not None:
        jurors, given = short
        if len(jurors) == 1:
            sentence = gettext(
                "Juré %(juror)s : capacité minimale de %(minimum)s dossiers, mais il ne peut en "
                "recevoir que %(available)s sans conflit."
            ) % {
                "juror": problem.juror_labels[jurors[0]],
                "minimum": _n(problem.capacity_min[jurors[0]]),
                "available": _n(given + prep.fixed_per_juror[jurors[0]]),
            }
        else:
            sentence = gettext(
                "Jurés %(jurors)s : leurs capacités minimales totalisent %(minimum)s dossiers, "
                "mais ils ne peuvent en recevoir que %(available)s."
            ) % {
                "jurors": _names(problem.juror_labels, jurors),
                "minimum": _n(prep.low[jurors].sum()),
                "available": _n(given),
            }
        causes.append(sentence)
    if not causes:
        causes.append(
            gettext(
                "Les capacités minimales des jurés ne peuvent pas être respectées en même temps "
                "que les %(per_dossier)s jurés par dossier."
            )
            % {"per_dossier": _n(problem.per_dossier)}
        )
    return causes


def _shared_institutions(problem: AssignmentProblem, pairs: np.ndarray) -> list[str]:
    """Dossier by dossier, the jurors of one institution sitting together on it."""
    institutions = np.asarray(problem.institutions, dtype=np.int64)
    n_inst = int(institutions.max(initial=0)) + 1
    seats = pairs[:, 0] * n_inst + institutions[pairs[:, 1]]
    keys, counts = np.unique(seats, return_counts=True)
    causes = []
    for seat in keys[counts >= 2]:  # in dossier order: the key starts with the dossier
        causes.append(
            gettext(
                "Dossier %(dossier)s : %(jurors)s sont de la même institution ; les conflits "
                "d'intérêts et les limites de charge ne permettaient pas de l'éviter."
            )
            % {
                "dossier": problem.dossier_labels[seat // n_inst],
                "jurors": _together(problem.juror_labels, pairs[seats == seat, 1]),
            }
        )
    return _capped(causes, "dossier")


def _loads_off_target(problem: AssignmentProblem, pairs: np.ndarray) -> list[str]:
    """Juror by juror, a load below or above its target."""
    low, high = problem.targets()
    load = np.bincount(pairs[:, 1], minlength=len(low))
    causes = []
    for j in np.flatnonzero((load < low) | (load > high)):
        target = (
            _n(low[j])
            if low[j] == high[j]
            else gettext("%(low)s à %(high)s") % {"low": _n(low[j]), "high": _n(high[j])}
        )
        values = {"juror": problem.juror_labels[j], "load": _n(load[j]), "target": target}
        if load[j] < low[j]:
            sentence = ngettext(
                "Juré %(juror)s : %(load)s dossier, moins que sa charge visée (%(target)s) ; les "
                "conflits d'intérêts et les autres règles ne permettaient pas de lui en confier "
                "plus.",
                "Juré %(juror)s : %(load)s dossiers, moins que sa charge visée (%(target)s) ; les "
                "conflits d'intérêts et les autres règles ne permettaient pas de lui en confier "
                "plus.",
                int(load[j]),
            )
        else:
            sentence = ngettext(
                "Juré %(juror)s : %(load)s dossier, plus que sa charge visée (%(target)s) ; les "
                "conflits d'intérêts et les autres règles ne permettaient pas de mieux répartir.",
                "Juré %(juror)s : %(load)s dossiers, plus que sa charge visée (%(target)s) ; les "
                "conflits d'intérêts et les autres règles ne permettaient pas de mieux répartir.",
                int(load[j]),
            )
        causes.append(sentence % values)
    return _capped(causes, "juror")


def departures(problem: AssignmentProblem, pairs: np.ndarray) -> list[str]:
    """What an assignment concedes on the soft rules: shared institutions, then loads."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return [*_shared_institutions(problem, pairs), *_loads_off_target(problem, pairs)]
