"""Command line: `python -m etl parse FILE`, `build` and `export --parquet DIR`.

Exit status: 0 all files loaded or unchanged, 1 some file rejected (the rest still
loaded), 2 usage error. Typed errors print one line `Error: …` on stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

from etl import settings
from etl.errors import EtlError, RejectedInput, UsageError
from etl.read import read_document


def _parse(args: argparse.Namespace) -> int:
    """The build's own entry point (`parse_source`): a parser bug is `Error: …`, not a
    traceback, and the JSON is what the build would store."""
    from etl.parse import explain, parse_source
    from etl.sources import too_large

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no such file: {args.file}")
    limit = settings.current().max_bytes
    if path.stat().st_size > limit:
        raise too_large(limit)
    data = path.read_bytes()
    if args.explain:
        print(explain(read_document(path.name, data)))
        return 0
    _, result = parse_source(args.file, data, hashlib.sha256(data).hexdigest())
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def _build(args: argparse.Namespace) -> int:
    from etl.build import build

    if args.workers < 1:
        raise UsageError("--workers must be positive")
    conf = settings.current().with_overrides(max_mb=args.max_mb, db=args.db, reports=args.reports)
    summary = build(
        conf.reports,
        conf.db,
        workers=args.workers,
        progress=not args.no_progress,
        max_bytes=conf.max_bytes,
    )
    print("\n".join(summary.lines()))
    return 1 if summary.rejected else 0


def _export(args: argparse.Namespace) -> int:
    from etl.export import export_parquet

    conf = settings.current().with_overrides(db=args.db)
    names = export_parquet(conf.db, Path(args.parquet))
    print(f"exported {len(names)} tables and views → {args.parquet}")
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m etl", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="print the JSON of one report file")
    p.add_argument("file")
    p.add_argument(
        "--explain",
        action="store_true",
        help="show how the tables were read: regions, tokens, labels matched, values placed",
    )
    p.set_defaults(run=_parse)
    b = sub.add_parser("build", help="build or update the DuckDB file from a reports folder")
    b.add_argument(
        "--reports", help="folder of report files (default NIANBAO_REPORTS, data/reports/)"
    )
    b.add_argument(
        "--db", help="the DuckDB file to write (default NIANBAO_DB, data/disclosure.duckdb)"
    )
    b.add_argument("--workers", type=int, default=1, help="parser processes (default 1)")
    b.add_argument(
        "--max-mb", type=float, help="file size limit in MB (default NIANBAO_MAX_MB, 50)"
    )
    b.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    b.set_defaults(run=_build)
    e = sub.add_parser("export", help="write a read-only snapshot of the database")
    e.add_argument("--parquet", required=True, metavar="DIR", help="folder to create")
    e.add_argument("--db", help="the DuckDB file (default NIANBAO_DB, data/disclosure.duckdb)")
    e.set_defaults(run=_export)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return run_reporting_errors(lambda: args.run(args))


def run_reporting_errors(run: Callable[[], int]) -> int:
    """Run a command; each typed error becomes one line `Error: …` and its exit status."""
    from etl.build import one_line  # a path in a message must not forge a second line

    try:
        return run()
    except UsageError as e:
        print(f"Error: {one_line(str(e))}", file=sys.stderr)
        return 2
    except RejectedInput as e:
        print(f"Error: {one_line(e.reason)}", file=sys.stderr)
        return 1
    except EtlError as e:
        print(f"Error: {one_line(str(e))}", file=sys.stderr)
        return 1
    except OSError as e:  # a file the command itself names: unreadable, a folder, disk full
        where = f" ({e.filename})" if e.filename else ""
        print(f"Error: {one_line(f'{e.strerror or e}{where}')}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
