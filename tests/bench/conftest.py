import sys
from pathlib import Path

# The bench scripts import their helpers by module name (_rush_client, _site…), as they do when
# run as `python bench/<script>.py`.
BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
