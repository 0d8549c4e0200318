"""The demo database: a generated Ningxia corpus built into its own file, marked as simulated.

Why separate: supervisors can try the dashboard at scale without a single simulated figure
reaching the real database. The corpus goes to data/demo/reports/ (ground truths beside it
in data/demo/truth/), the database to data/demo/disclosure.duckdb with meta demo='true',
which makes the app show 「模拟数据，仅供演示」. Run through `python -m etl build --demo [N]`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from etl.build import BuildSummary, build
from etl.errors import UsageError

DEMO_N = 5000
DEMO_SEED = 2026
DEMO_REPORTS = Path("data/demo/reports")
DEMO_DB = Path("data/demo/disclosure.duckdb")
REAL_DB = Path("data/disclosure.duckdb")
REAL_REPORTS = Path("data/reports")
STAMP = ".demo-corpus"  # hidden: the build skips it
SYNTH_NAME = re.compile(r"\d{6,}_[0-9a-f]{16}(\.truth\.json|\.txt)")


def _same(a: Path, b: Path) -> bool:
    return a.absolute().resolve() == b.absolute().resolve()


def _check_paths(reports_dir: Path, db_path: Path) -> None:
    """Refuse the real folders, and a reports folder holding anything not generated."""
    if _same(db_path, REAL_DB) or _same(reports_dir, REAL_REPORTS):
        raise UsageError("the demo never writes to data/disclosure.duckdb or data/reports/")
    if reports_dir.is_dir():
        foreign = [
            p.name
            for p in reports_dir.iterdir()
            if p.name != STAMP and not SYNTH_NAME.fullmatch(p.name)
        ]
        if foreign:
            raise UsageError(f"{reports_dir} holds files the demo did not write: {foreign[0]}")


def write_demo_corpus(reports_dir: Path, n: int, seed: int = DEMO_SEED, workers: int = 1) -> int:
    """Generate the corpus unless the folder already holds this one; returns its size."""
    from bench.synth import write_corpus

    stamp = reports_dir / STAMP
    want = f"n={n} seed={seed}\n"
    if stamp.is_file() and stamp.read_text() == want:
        return n
    shutil.rmtree(reports_dir, ignore_errors=True)
    truth = reports_dir.parent / "truth"
    shutil.rmtree(truth, ignore_errors=True)
    write_corpus(reports_dir, n, seed, workers=workers)
    truth.mkdir(parents=True)
    for p in reports_dir.glob("*.truth.json"):
        p.rename(truth / p.name)
    stamp.write_text(want)
    return n


def build_demo(
    n: int = DEMO_N,
    *,
    reports_dir: Path = DEMO_REPORTS,
    db_path: Path = DEMO_DB,
    seed: int = DEMO_SEED,
    workers: int = 1,
    progress: bool = False,
    max_bytes: int | None = None,
) -> BuildSummary:
    """Generate `n` reports (fixed seed) and build them into the demo database."""
    if n < 1:
        raise UsageError("--demo needs a positive number of reports")
    reports_dir, db_path = Path(reports_dir), Path(db_path)
    _check_paths(reports_dir, db_path)
    write_demo_corpus(reports_dir, n, seed, workers)
    return build(
        reports_dir, db_path, workers=workers, progress=progress, max_bytes=max_bytes, demo=True
    )


def how_to_open(reports_dir: Path, db_path: Path) -> str:
    """The command that opens the dashboard on the demo database (and keeps it a demo:
    NIANBAO_REPORTS points the app's auto-build at the demo corpus, not data/reports/)."""
    return f"NIANBAO_DB={db_path} NIANBAO_REPORTS={reports_dir} streamlit run app.py"
