"""Command line: `python -m etl parse FILE` and `python -m etl build [--demo [N]]`.

Exit status: 0 all files loaded or unchanged, 1 some file rejected (the rest still
loaded), 2 usage error. Typed errors print one line `Error: …` on stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from etl.errors import EtlError, RejectedInput, UsageError
from etl.read import MAX_BYTES_DEFAULT, read_document


def _parse(args: argparse.Namespace) -> int:
    from etl.parse import parse_document

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no such file: {args.file}")
    data = path.read_bytes()
    doc = read_document(path.name, data)
    if args.explain:
        from etl.parse import explain

        print(explain(doc))
        return 0
    result = parse_document(doc, source=args.file, sha256=hashlib.sha256(data).hexdigest())
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def _build(args: argparse.Namespace) -> int:
    from etl.load import build

    if args.workers < 1 or args.max_mb <= 0:
        raise UsageError("--workers and --max-mb must be positive")
    if args.demo is not None:
        return _build_demo(args)
    summary = build(
        Path(args.reports or "data/reports/"),
        Path(args.db or "data/disclosure.duckdb"),
        workers=args.workers,
        progress=not args.no_progress,
        max_bytes=int(args.max_mb * 1024 * 1024),
    )
    print("\n".join(summary.lines()))
    return 1 if summary.rejected else 0


def _build_demo(args: argparse.Namespace) -> int:
    """Generated reports into their own database, marked as simulated (see bench.demo)."""
    from bench import demo

    reports = Path(args.reports or demo.DEMO_REPORTS)
    db = Path(args.db or demo.DEMO_DB)
    summary = demo.build_demo(
        args.demo,
        reports_dir=reports,
        db_path=db,
        workers=args.workers,
        progress=not args.no_progress,
    )
    print("\n".join(summary.lines()))
    print(f"模拟数据已建好。打开看板：{demo.how_to_open(reports, db)}")
    return 1 if summary.rejected else 0


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
    b.add_argument("--reports", help="folder of report files (default data/reports/)")
    b.add_argument("--db", help="the DuckDB file to write (default data/disclosure.duckdb)")
    b.add_argument("--workers", type=int, default=1, help="parser processes (default 1)")
    b.add_argument(
        "--max-mb", type=float, default=MAX_BYTES_DEFAULT / 1024 / 1024, help="file size limit"
    )
    b.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    b.add_argument(
        "--demo",
        nargs="?",
        type=int,
        const=5000,
        metavar="N",
        help="generate N simulated reports (default 5000, fixed seed) into data/demo/reports/ "
        "and build them into data/demo/disclosure.duckdb, marked as demo data",
    )
    b.set_defaults(run=_build)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    except RejectedInput as e:
        print(f"Error: {e.reason}", file=sys.stderr)
        return 1
    except EtlError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
