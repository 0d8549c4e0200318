"""Parse speed of this checkout against an older commit, on one corpus, in one run.

    python -m bench.compare_parsers --rev 347ed13 --dir CORPUS [--rounds 3]

The older parser runs from a temporary `git worktree` of REV in its own process, the current
one from this checkout, alternately, each over the same report files after a short warm-up.
Prints CPU seconds and reports per CPU-second per round, and the load average: on a shared
machine the ratio of CPU seconds in one run is what can be compared, not wall time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_TIMER = """
import glob, os, sys, time
sys.path.insert(0, sys.argv[1])
from etl.parse import parse_file
files = sorted(glob.glob(os.path.join(sys.argv[2], "*.txt")))
for f in files[:50]:
    parse_file(f)
t0 = time.process_time()
for f in files:
    parse_file(f)
print(len(files), time.process_time() - t0)
"""


def _time(code_root: Path, corpus: Path) -> tuple[int, float]:
    out = subprocess.run(
        [sys.executable, "-c", _TIMER, str(code_root), str(corpus)],
        capture_output=True,
        text=True,
        check=True,
        cwd=code_root,
    ).stdout.split()
    return int(out[0]), float(out[1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", required=True, help="the older commit")
    ap.add_argument("--dir", required=True, type=Path, help="a folder of .txt reports")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(old), args.rev], cwd=ROOT, check=True
        )
        try:
            print(f"{'round':>5} {'parser':<10} {'reports':>8} {'CPU s':>7} {'per CPU-s':>10} load")
            for r in range(1, args.rounds + 1):
                for name, root in ((args.rev, old), ("current", ROOT)):
                    n, cpu = _time(root, args.dir)
                    load = os.getloadavg()[0]
                    print(f"{r:>5} {name:<10} {n:>8} {cpu:>7.2f} {n / cpu:>10.0f} {load:.1f}")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT)


if __name__ == "__main__":
    main()
