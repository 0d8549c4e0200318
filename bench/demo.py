"""The demo database: a generated Ningxia corpus built into its own file, marked as simulated.

Why separate: supervisors can try the dashboard at scale without a single simulated figure
reaching the real database. The corpus goes to data/demo/reports/ (ground truths beside it
in data/demo/truth/), the database to data/demo/disclosure.duckdb with meta demo='true',
which makes the app show 「模拟数据，仅供演示」. Run as `python -m bench.demo [N]`
(etl never imports bench: generated reports stay out of the product's import graph).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

from etl import settings
from etl.__main__ import run_reporting_errors
from etl.build import BuildSummary, build
from etl.errors import UsageError

DEMO_N = 5000
DEMO_SEED = 2026
# Absolute, from the checkout: the guard must not depend on the working directory.
DEMO_REPORTS = settings.ROOT / "data" / "demo" / "reports"
DEMO_DB = settings.ROOT / "data" / "demo" / "disclosure.duckdb"
STAMP = ".demo-corpus"  # hidden: the build skips it
SYNTH_NAME = re.compile(r"\d{6,}_[0-9a-f]{16}(\.truth\.json|\.txt)")


def _same(a: Path, b: Path) -> bool:
    return a.absolute().resolve() == b.absolute().resolve()


def _check_paths(reports_dir: Path, db_path: Path) -> None:
    """Refuse the real folders (default and configured), and a reports folder holding
    anything not generated."""
    conf = settings.current()
    real_dbs, real_reports = (
        (settings.DEFAULT_DB, conf.db),
        (settings.DEFAULT_REPORTS, conf.reports),
    )
    if any(_same(db_path, p) for p in real_dbs) or any(_same(reports_dir, p) for p in real_reports):
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
        raise UsageError("the demo needs a positive number of reports")
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


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.demo [N]`: exit 0 built, 1 some file rejected, 2 usage error."""
    ap = argparse.ArgumentParser(prog="python -m bench.demo", description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=DEMO_N, help=f"reports (default {DEMO_N})")
    ap.add_argument("--reports", help="folder of the generated reports (data/demo/reports/)")
    ap.add_argument("--db", help="the demo database (data/demo/disclosure.duckdb)")
    ap.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    ap.add_argument("--max-mb", type=float, help="file size limit in MB (default NIANBAO_MAX_MB)")
    ap.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    args = ap.parse_args(argv)

    def run() -> int:
        if args.workers < 1:
            raise UsageError("--workers must be positive")
        conf = settings.current().with_overrides(max_mb=args.max_mb)
        reports = Path(args.reports or DEMO_REPORTS)
        db = Path(args.db or DEMO_DB)
        summary = build_demo(
            args.n,
            reports_dir=reports,
            db_path=db,
            workers=args.workers,
            progress=not args.no_progress,
            max_bytes=conf.max_bytes,
        )
        print("\n".join(summary.lines()))
        print(f"模拟数据已建好。打开看板：{how_to_open(reports, db)}")
        return 1 if summary.rejected else 0

    return run_reporting_errors(run)


if __name__ == "__main__":
    sys.exit(main())
