"""Time the referential import into a fresh SQLite database, then a second (no-op) run.

Prints one JSON line per figure: {"name": ..., "seconds": ...}.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"),
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        for name in ("import_territories_first_run", "import_territories_second_run"):
            started = time.monotonic()
            result = subprocess.run(
                [*manage, "import_territories"], env=env, check=True, capture_output=True, text=True
            )
            report = json.loads(result.stdout.strip().splitlines()[-1])
            print(
                json.dumps(
                    {
                        "name": name,
                        "seconds": round(time.monotonic() - started, 2),
                        "import_seconds": report["seconds"],
                        "created": report["created"],
                        "updated": report["updated"],
                    }
                )
            )


if __name__ == "__main__":
    main()
