"""Time the deliberation's aggregation on 100,000 dossiers x 3 jurors x 6 criteria (1.8 M scores).

The instance is random but deterministic (numpy default_rng(2028)): 2,000 jurors, each with a
systematic severity b_j ~ N(0, 0.5); each dossier has a true quality in [1, 4.5] and 3 distinct
jurors drawn uniformly; each score is quality + b_j + N(0, 0.7) on each of 6 criteria (weights
2, 1, 1, 1, 1, 1), rounded to an integer and kept within 0–5; 6 themes; 5 % of the dossiers
eliminated; levels or (≥ 4, at most one per theme), argent (≥ 3.5), bronze (≥ 3). The scores come
in the order a query `ORDER BY dossier, juror, criterion` gives them.

Timed (one run, after a warm-up on a small instance): juror_totals, normalise_severity,
weighted_mean, bootstrap_interval (mean, 90 %, 1,000 resamples per dossier, the function's
default: with ≤ 6 jurors per dossier it draws how many resamples fall on each of the 10
multisets of 3 jurors rather than every resample — the same bootstrap in distribution, at a
cost that does not grow with the number of resamples) and propose_levels.
Prints one JSON line: seconds (the total of those steps) and each step's seconds, the number of
scores and resamples, "juror_totals_shuffled" (juror_totals again on the rows in random order:
the sorting path, not counted in the total), the RMS error of the fitted juror biases against
the true ones (a check that the fit recovers them) and the number of dossiers per level.
Run: .venv/bin/python bench/deliberation.py   (a few seconds)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django.conf import settings  # noqa: E402

if not settings.configured:  # METHOD_DESCRIPTION is a lazy translated string
    settings.configure(USE_I18N=False)

from awards import aggregation  # noqa: E402

DOSSIERS = 100_000
JURORS = 2_000
PER_DOSSIER = 3
WEIGHTS = np.array([2.0, 1.0, 1.0, 1.0, 1.0, 1.0])
THEMES = 6
RESAMPLES = 1000  # the default; with 3 jurors the cost does not depend on it (see below)
RULES = [
    aggregation.LevelRule(min_score=4.0, max_per_theme=1),
    aggregation.LevelRule(min_score=3.5, max_per_theme=None),
    aggregation.LevelRule(min_score=3.0, max_per_theme=None),
]


def instance(n_dossiers: int, n_jurors: int, seed: int = 2028):
    """The long-form scores, themes, eliminations and true biases (module docstring)."""
    rng = np.random.default_rng(seed)
    bias = rng.normal(0.0, 0.5, n_jurors)
    quality = rng.uniform(1.0, 4.5, n_dossiers)
    # Three distinct jurors per dossier: a first one, then two different non-zero offsets.
    first = rng.integers(0, n_jurors, n_dossiers)
    second = rng.integers(1, n_jurors, n_dossiers)
    third = rng.integers(1, n_jurors - 1, n_dossiers)
    third += third >= second
    jurors = np.sort(np.stack([first, first + second, first + third], axis=1) % n_jurors, axis=1)
    n_criteria = len(WEIGHTS)
    dossier = np.repeat(np.arange(n_dossiers), PER_DOSSIER * n_criteria)
    juror = np.repeat(jurors.ravel(), n_criteria)
    criterion = np.tile(np.arange(n_criteria), n_dossiers * PER_DOSSIER)
    noise = rng.normal(0.0, 0.7, len(dossier))
    value = np.clip(np.rint(quality[dossier] + bias[juror] + noise), 0, 5)
    scores = aggregation.Scores(
        dossier, juror, criterion, value, WEIGHTS, n_dossiers=n_dossiers, n_jurors=n_jurors
    )
    theme = rng.integers(0, THEMES, n_dossiers)
    eliminated = rng.random(n_dossiers) < 0.05
    return scores, theme, eliminated, bias


def deliberate(scores, theme, eliminated) -> dict[str, float]:
    """Run the timed steps; return each step's seconds and the results."""
    steps: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        steps[name] = round(now - clock, 3)
        clock = now

    totals = aggregation.juror_totals(scores)
    lap("juror_totals")
    normalised = aggregation.normalise_severity(totals)
    lap("normalise_severity")
    score = aggregation.weighted_mean(normalised)
    lap("weighted_mean")
    aggregation.bootstrap_interval(normalised, resamples=RESAMPLES, confidence=0.9, seed=0)
    lap("bootstrap_interval")
    levels = aggregation.propose_levels(score, theme, eliminated, RULES)
    lap("propose_levels")
    return {"steps": steps, "totals": totals, "levels": levels}


def main() -> None:
    deliberate(*instance(2_000, 100)[:3])  # warm-up: imports, caches
    scores, theme, eliminated, bias = instance(DOSSIERS, JURORS)
    result = deliberate(scores, theme, eliminated)
    shuffle = np.random.default_rng(0).permutation(len(scores.value))
    shuffled = aggregation.Scores(
        scores.dossier[shuffle],
        scores.juror[shuffle],
        scores.criterion[shuffle],
        scores.value[shuffle],
        scores.weights,
        n_dossiers=scores.n_dossiers,
        n_jurors=scores.n_jurors,
    )
    clock = time.perf_counter()
    aggregation.juror_totals(shuffled)
    shuffled_seconds = round(time.perf_counter() - clock, 3)
    fitted = aggregation.severity_bias(result["totals"])
    true = bias - bias.mean()
    counts = np.bincount(result["levels"] + 1, minlength=len(RULES) + 1)
    line = {
        "name": f"deliberation_{DOSSIERS}x{PER_DOSSIER}x{len(WEIGHTS)}",
        "seconds": round(sum(result["steps"].values()), 3),
        "scores": len(scores.value),
        "jurors": JURORS,
        "resamples": RESAMPLES,
        "steps": result["steps"],
        "juror_totals_shuffled": shuffled_seconds,
        "bias_rmse": round(float(np.sqrt(np.mean((fitted - true) ** 2))), 4),
        "levels": {"none": int(counts[0]), "or": int(counts[1]), "argent": int(counts[2])}
        | {"bronze": int(counts[3])},
    }
    print(json.dumps(line))


if __name__ == "__main__":
    main()
