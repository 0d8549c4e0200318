"""How exactly the parser reads each rendering class: the lead's instrument for the table reader.

    python -m bench.accuracy [--dir D ...] [--n N] [--seed S] [--show N] [--class C]

Without --dir it measures the cached rendering corpus of bench.renderings (`--n` reports from
`--seed`, built on first use) and the seed relayouts of bench.relayout. Every rendering goes
through `etl.parse.parse_source` in this one process; per class (extractor or relayout kind)
it prints: reports, rejected, cells, right, wrong (a value differing from the truth, including a
value where the truth is blank), missing (truth has a value, parser none), of those how many
have a warning naming their row, agency/year/format right, and parse speed.

A warning "names a row" when it contains the table id and the row id as a word
(`requests: … row partial …`, `requests: no cells read for rows new, carried_in`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl import spec
from etl.errors import RejectedInput
from etl.normalize import BLANK, NUMBER, classify
from etl.parse import parse_source

Key = tuple[str, str, str]
_SKIP = (".truth.json", "manifest.json")


@dataclass
class Diff:
    """One cell the parser got wrong or missed."""

    report: str
    cls: str
    key: Key
    expected: Any
    raw: Any
    got: Any
    line: int | None
    text: str  # the rendering's line the parser read the value from (or should have)
    kind: str  # wrong | missing | missing-warned


@dataclass
class Stats:
    reports: int = 0
    rejected: int = 0
    cells: int = 0
    right: int = 0
    wrong: int = 0
    missing: int = 0
    missing_warned: int = 0
    agency: int = 0
    year: int = 0
    format: int = 0
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)

    def row(self, name: str) -> list[str]:
        rate = f"{self.reports / self.seconds:.0f}" if self.seconds else "-"
        return [
            name, str(self.reports), str(self.rejected), str(self.cells), str(self.right),
            str(self.wrong), str(self.missing), str(self.missing_warned),
            str(self.agency), str(self.year), str(self.format), rate,
        ]  # fmt: skip


HEADER = [
    "class", "reports", "rejected", "cells", "right", "wrong", "missing", "miss+warn",
    "agency", "year", "format", "rep/s",
]  # fmt: skip


def rendering_class(path: Path) -> str:
    """`x.pdftotext-layout.txt` → `pdftotext-layout`; `x.pdf` → `pdf`; relayout kinds are
    prefixed `relayout:` (their directory is named relayout-…)."""
    parts = path.name.split(".")
    cls = parts[1] if len(parts) > 2 else parts[-1]
    return f"relayout:{cls}" if path.parent.name.startswith("relayout") else cls


def truth_path(path: Path) -> Path:
    """A rendering's own truth (`a.tab.truth.json`) or its report's (`a.truth.json`)."""
    own = path.with_name(path.name.rsplit(".", 1)[0] + ".truth.json")
    return own if own.exists() else path.with_name(path.name.split(".")[0] + ".truth.json")


def renderings(dirs: Iterable[Path]) -> Iterator[Path]:
    for d in dirs:
        for p in sorted(d.iterdir()):
            if p.is_file() and not p.name.endswith(_SKIP) and not p.name.startswith("."):
                yield p


def _printed_kind(fact: dict) -> str:
    """number, mark (`/`, `-`, 无) or blank, as the parser classifies a printed cell: three
    different things wherever a cell is read."""
    return NUMBER if fact["value"] is not None else classify(fact.get("raw") or "", 0).kind


def names_row(warnings: list[str], table: str, row: str) -> bool:
    pat = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(row)}(?![A-Za-z0-9_])")
    return any(table in w and pat.search(w) for w in warnings)


@dataclass
class Result:
    """One rendering parsed and compared with its truth."""

    path: Path
    cls: str
    truth: dict
    got: dict | None  # None: rejected
    reason: str | None
    lines: list[str]
    seconds: float
    diffs: list[Diff]


def evaluate(path: Path, truth: dict | None = None) -> Result:
    """Parse one rendering and compare every cell with the truth."""
    truth = truth or json.loads(truth_path(path).read_text("utf-8"))
    cls = rendering_class(path)
    data = path.read_bytes()
    t0 = time.perf_counter()
    try:
        doc, got = parse_source(path.name, data, hashlib.sha256(data).hexdigest())
        reason, lines = None, doc.text.split("\n")
    except RejectedInput as e:
        got, reason, lines = None, str(e).splitlines()[0][:120], []
    dt = time.perf_counter() - t0
    diffs: list[Diff] = []
    by_key = {(f["table"], f["row"], f["col"]): f for f in (got or {}).get("facts", [])}
    warnings = (got or {}).get("warnings", [])
    for f in truth["facts"]:
        key = (f["table"], f["row"], f["col"])
        g = by_key.get(key) or {}
        want, have = f["value"], g.get("value")
        placed = g.get("raw") is not None  # a cell read (a blank or a mark too), not left empty
        if placed and (have, _printed_kind(g)) == (want, _printed_kind(f)):
            continue
        if not placed and want is None and _printed_kind(f) == BLANK:
            continue  # a blank cell left empty: nothing lost
        if not placed and want is None:
            continue  # a mark left empty (its row warned, or a lone mark): no value lost
        if placed:
            kind = "wrong"  # another value, or a blank, mark and number told apart wrongly
        else:
            kind = "missing-warned" if names_row(warnings, key[0], key[1]) else "missing"
        line = g.get("line") or f.get("line") or _label_line(lines, key)
        text = lines[line - 1] if line and 0 < line <= len(lines) else ""
        diffs.append(Diff(path.name, cls, key, want, f["raw"], have, line, text, kind))
    return Result(path, cls, truth, got, reason, lines, dt, diffs)


_LABELS = {**spec.ACTIVE_ROW_LABELS, **spec.REQUEST_ROW_LABELS}


def _label_line(lines: list[str], key: Key) -> int | None:
    """Where a row's label is printed (a hint for a cell the parser did not place)."""
    labels = _LABELS.get(key[1], ()) if key[0] != "appeals" else ()
    if key[0] == "requests" and key[1] in ("other_3", "total"):
        return None  # 其他 / 总计 also head columns
    for label in labels:
        want = "".join(label.split())
        for i, ln in enumerate(lines):
            if want in "".join(ln.split()):
                return i + 1
    return None


def tally(results: Iterable[Result]) -> dict[str, Stats]:
    out: dict[str, Stats] = {}
    for r in results:
        s = out.setdefault(r.cls, Stats())
        s.reports += 1
        s.seconds += r.seconds
        s.cells += len(r.truth["facts"])
        if r.got is None:
            s.rejected += 1
            s.reasons[r.reason or "?"] = s.reasons.get(r.reason or "?", 0) + 1
        else:
            s.agency += r.got["agency"] == r.truth["agency"]
            s.year += r.got["year"] == r.truth["year"]
            s.format += r.got["format"] == r.truth["format"]
        s.wrong += sum(d.kind == "wrong" for d in r.diffs)
        s.missing += sum(d.kind != "wrong" for d in r.diffs)
        s.missing_warned += sum(d.kind == "missing-warned" for d in r.diffs)
        s.right += len(r.truth["facts"]) - len(r.diffs)
    return out


def table(stats: dict[str, Stats]) -> str:
    rows = [HEADER] + [stats[c].row(c) for c in sorted(stats)]
    total = Stats()
    for s in stats.values():
        for k in ("reports", "rejected", "cells", "right", "wrong", "missing",
                  "missing_warned", "agency", "year", "format", "seconds"):  # fmt: skip
            setattr(total, k, getattr(total, k) + getattr(s, k))
    rows.append(total.row("TOTAL"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]

    def fmt(r: list[str]) -> str:
        cells = zip(r, widths, strict=True)
        return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(cells))

    return "\n".join(fmt(r) for r in rows)


# table 三 as small offices print it: zeros left empty, outcome rows without their 总计
SPARSE = {"sparse_share": 1.0, "zero_share": 0.0}


def default_dirs(n: int, seed: int, sparse: bool = False) -> list[Path]:
    from bench import relayout, renderings, synth

    out = []
    if renderings.soffice() is None or not renderings.has_cjk_font():
        print("no soffice or no CJK font: no Word/PDF renderings", file=sys.stderr)
    else:
        out.append(renderings.corpus_dir(n, seed, **synth.RICH, **(SPARSE if sparse else {})))
    if not sparse:
        out.append(relayout.relayout_dir())
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", action="append", help="rendering directories (repeatable)")
    ap.add_argument("--n", type=int, default=40, help="generated reports (without --dir)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=0, help="print the first N differences")
    ap.add_argument("--per-report", type=int, default=3, help="at most K differences a file")
    ap.add_argument("--class", dest="classes", action="append", help="only these classes")
    ap.add_argument(
        "--sparse", action="store_true", help="every report's table 三 sparse (zeros left empty)"
    )
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    dirs = [Path(d) for d in a.dir] if a.dir else default_dirs(a.n, a.seed, a.sparse)
    t_build = time.perf_counter() - t0
    paths = [p for p in renderings(dirs) if not a.classes or rendering_class(p) in a.classes]
    results = [evaluate(p) for p in paths]
    stats = tally(results)
    print(table(stats))
    for cls, s in sorted(stats.items()):
        for reason, k in s.reasons.items():
            print(f"rejected {cls}: {k} × {reason}")
    dt = time.perf_counter() - t0
    print(f"{len(results)} renderings from {', '.join(map(str, dirs))} "
          f"(corpus ready in {t_build:.1f} s, total {dt:.1f} s)")  # fmt: skip
    if a.show:
        shown = 0
        for r in results:
            if r.got is None:
                if shown == a.show:
                    return
                shown += 1
                print(f"{r.path.name}: rejected: {r.reason}")
                continue
            for d in r.diffs[: a.per_report]:
                if shown == a.show:
                    return
                shown += 1
                cell = ".".join(d.key)
                more = (
                    f" (+{len(r.diffs) - a.per_report} more)"
                    if len(r.diffs) > a.per_report and d is r.diffs[a.per_report - 1]
                    else ""
                )
                print(f"{d.report} [{d.kind}] {cell}: expected {d.expected!r} (raw {d.raw!r}), "
                      f"got {d.got!r}; line {d.line}: {d.text[:160]!r}{more}")  # fmt: skip


if __name__ == "__main__":
    main()
