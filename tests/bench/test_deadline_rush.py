"""The deadline rush in short form (bench/rush.py, `make rush` in full): 30 applicants over 12 s.

Same code as `make rush`: gunicorn and its own database, on the engine of this pass — a database
created on the PostgreSQL server of DATABASE_URL when it names one (CI's second pass), a SQLite
file otherwise (gunicorn's workers share it in WAL mode). Outcomes are judged on the server's
clock, so a loaded machine moves submissions from one side of the deadline to the other but
never changes what must hold. No timing is asserted.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
APPLICANTS = 30
AUTOSAVES = 3
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")


def _rush(window: int) -> dict:
    configured = os.environ.get("DATABASE_URL", "")
    server = configured if urlsplit(configured).scheme in POSTGRES_SCHEMES else ""
    command = [sys.executable, "bench/rush.py", "--applicants", str(APPLICANTS)]
    command += ["--window", str(window), "--autosaves", str(AUTOSAVES), "--database-url", server]

    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )

    assert result.returncode == 0, result.stderr[-6000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["database"] == ("postgresql" if server else "sqlite")
    return figures


def test_deadline_rush_loses_no_draft_and_accepts_none_late():
    # A machine loaded enough to push every submission past the deadline of a 12 s window
    # would exercise one side only: the rush is then run again over a window three times wider.
    for window in (12, 36):
        figures = _rush(window)
        if figures["submits_on_time"] and figures["submits_late"]:
            break
    assert (figures["applicants"], figures["autosaves"]) == (APPLICANTS, APPLICANTS * AUTOSAVES)
    # No server error, every request answered, every acknowledged save kept.
    assert (figures["errors_5xx"], figures["no_answer"], figures["lost_drafts"]) == (0, 0, 0)
    assert figures["failures"] == 0
    # Every submission handled before the deadline was accepted; every one handled after it was
    # refused with the exact deadline message; each either accepted or refused.
    assert figures["accepted_on_time"] == figures["submits_on_time"]
    assert figures["refused_after_deadline"] == figures["submits_late"]
    assert figures["accepted"] + figures["refused_late"] == APPLICANTS
    on_time, late = figures["submits_on_time"], figures["submits_late"]
    assert on_time + late + figures["submits_straddling"] == APPLICANTS
    # Both sides of the deadline were exercised (half the applicants aim well before it).
    assert on_time >= 1
    assert late >= 1
