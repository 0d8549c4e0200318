"""The seeds' real table layouts with other values, printed the ways extractors print tables.

The current parser reads the five seeds exactly (tests/test_parse_seeds.py): its facts'
`line` and `raw` say which printed cell holds which cell id. Each seed's three tables become
a grid of rows and cells (labels as printed, value cells known by id); the values are replaced
by distinct non-zero numbers, some blanks and `/` marks, and the grid is printed as:

- `tab`: tab-separated rows (seeds 000, 003, 004);
- `cell-tab`: one cell per line with a leading tab, rows separated by an empty line (001, 002);
- `cell`: one cell per line, no tabs and no row separator (a blank cell is an empty line);
- `aligned`: columns padded with spaces (as `pdftotext -layout`), a blank cell is spaces;
- `markdown`: pipe tables with a `|---|` line, `<br>` inside long label cells;
- `crawl`: a web page's table as a crawler keeps the page's source: a row opens with `| `,
  every cell a line of its own, indented and closed by its pipe (an empty one too), a line of
  spaces between two cells.

The running text around the tables is the seed's own. Every rendering gets a truth JSON in the
parse contract (values, printed raw, the line it was printed on). Output is cached under
`bench/out/renderings/relayout-<key>/`; nothing is committed (the seeds are real reports).

    python -m bench.relayout [--variants 3] [--seed 1] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.renderings import publish
from bench.synth import compute_checks
from etl import spec
from etl.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "reports"
OUT = ROOT / "bench" / "out" / "renderings"
KINDS = {
    "tab": ".txt",
    "cell-tab": ".txt",
    "cell": ".txt",
    "aligned": ".txt",
    "markdown": ".md",
    "crawl": ".txt",
}
Key = tuple[str, str, str]
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六]|[1-6])、\s*"
    r"(主动公开政府信息情况|收到和处理|政府信息公开行政复议|(?:政府信息公开工作)?存在的主要问题)"
)
_NUMERIC = re.compile(r"^[\s\u3000]*[+-]?[\d０-９][\d０-９,，.]*[\s\u3000]*$")


def squash(s: str | None) -> str:
    return "".join((s or "").split())


@dataclass
class Cell:
    text: str
    key: Key | None = None  # a value cell's id


@dataclass
class Seed:
    """A seed's lines with its three table regions as grids of rows."""

    name: str
    lines: list[str]
    regions: list[tuple[int, int, list[list[Cell]]]]  # (start, end) 0-based, end exclusive
    meta: dict[str, Any]
    keys: list[Key] = field(default_factory=list)
    padded_rows: set[str] = field(default_factory=set)  # rows with empty cells beside values


def _regions(lines: list[str]) -> list[tuple[int, int]]:
    heads = [i for i, ln in enumerate(lines) if "\t" not in ln and _HEADING.match(ln)]
    if len(heads) != 4:
        raise ValueError(f"expected the part headings 二…五, found {len(heads)}")
    return [(heads[i] + 1, heads[i + 1]) for i in range(3)]


def _is_cell_layout(lines: list[str]) -> bool:
    body = [ln for ln in lines if ln.strip()]
    return sum(ln.startswith("\t") and ln.count("\t") == 1 for ln in body) > len(body) / 2


def load_seed(path: Path) -> Seed:
    """The seed's grid, every value cell known by its id (via the current parser's facts)."""
    text = path.read_bytes().decode("utf-8")
    lines = text.split("\n")
    parsed = parse_file(path)
    by_line: dict[int, list[dict]] = {}
    for f in parsed["facts"]:
        by_line.setdefault(f["line"] - 1, []).append(f)
    cell_layout = _is_cell_layout(lines[_regions(lines)[0][0] : _regions(lines)[2][1]])
    regions = []
    seed = Seed(path.stem, lines, [], parsed)
    for start, end in _regions(lines):
        rows: list[list[Cell]] = []
        if cell_layout:
            cur: list[Cell] = []
            for i in range(start, end):
                ln = lines[i]
                if ln == "" or (ln.strip() == "" and "\t" not in ln):
                    if cur:
                        rows.append(cur)
                    cur = []
                    continue
                cell = Cell(ln[1:] if ln.startswith("\t") else ln)
                fs = by_line.get(i, [])
                if fs:
                    (f,) = fs
                    cell.key = (f["table"], f["row"], f["col"])
                cur.append(cell)
            if cur:
                rows.append(cur)
        else:
            for i in range(start, end):
                ln = lines[i]
                if not ln.strip() and "\t" not in ln:
                    continue
                rows.append(_tab_row(ln, by_line.get(i, []), seed))
        regions.append((start, end, rows))
    seed.regions = regions
    seed.keys = [c.key for _, _, rows in regions for row in rows for c in row if c.key]
    want = [(f["table"], f["row"], f["col"]) for f in parsed["facts"]]
    if sorted(seed.keys) != sorted(want):
        raise ValueError(f"{path.name}: {len(seed.keys)} value cells placed of {len(want)}")
    return seed


def _tab_row(ln: str, facts: list[dict], seed: Seed) -> list[Cell]:
    """Cells of one tab row; the line's facts matched to cells in order by printed text."""
    cells = [Cell(t) for t in ln.split("\t")]
    j = 0
    for f in facts:
        while j < len(cells) and squash(cells[j].text) != squash(f["raw"]):
            j += 1
        if j == len(cells):
            raise ValueError(f"{seed.name}: no cell '{f['raw']}' for {f['row']}.{f['col']}")
        cells[j].key = (f["table"], f["row"], f["col"])
        j += 1
    if facts:
        first = next(i for i, c in enumerate(cells) if c.key)
        last = max(i for i, c in enumerate(cells) if c.key)
        # a cell too many (seed 004's 16th zero) goes: other values leave it no meaning
        cells = [c for i, c in enumerate(cells) if c.key or i < first or not _NUMERIC.match(c.text)]
        last = max(i for i, c in enumerate(cells) if c.key)
        if any(
            not c.key and not c.text.strip() for c in cells[first - 1 : first] + cells[last + 1 :]
        ):
            seed.padded_rows.add(facts[0]["row"])
        if any(not c.key and not c.text.strip() for c in cells[first:last]):
            seed.padded_rows.add(facts[0]["row"])
    return cells


# --- values ----------------------------------------------------------------------------------


def draw_values(seed: Seed, rng: random.Random) -> dict[Key, str]:
    """Printed text of each value cell: distinct non-zero numbers, some blanks and `/`."""
    nums = rng.sample(range(1, 5000), len(seed.keys))
    out: dict[Key, str] = {}
    rows: dict[tuple[str, str], list[Key]] = {}
    for k in seed.keys:
        rows.setdefault(k[:2], []).append(k)
    for (_, row), keys in rows.items():
        for i, k in enumerate(keys):
            u = rng.random()
            edge = i in (0, len(keys) - 1)
            if u < 0.12 and not (edge and row in seed.padded_rows):
                out[k] = ""
            elif u < 0.2 and not (edge and row in seed.padded_rows):
                out[k] = "/"
            else:
                out[k] = str(nums.pop())
    return out


# --- printing --------------------------------------------------------------------------------


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _md_cell(text: str) -> str:
    t = text.strip().replace("|", "｜")
    if len(t) > 12 and not _NUMERIC.match(t):
        mid = len(t) // 2
        t = t[:mid] + "<br>" + t[mid:]
    return t


def _col_index(key: Key, fmt: str) -> int:
    """Where a value sits among its table's value columns (the template's grid)."""
    table, row, col = key
    if table == "active":
        return spec.ACTIVE_COLS[fmt][row].index(col)
    if table == "requests":
        return spec.REQUEST_COLS.index(col)
    return spec.APPEAL_ROWS.index(row) * 5 + spec.APPEAL_COLS.index(col)


def _grid(rows: list[list[Cell]], printed: dict[Key, str], fmt: str) -> list[list[str]]:
    """Rows on a regular grid, as a converter that knows the cell boxes prints them: the
    label cells first (padded to the table's widest label part), then one column per value."""
    split = []
    for r in rows:
        keyed = [i for i, c in enumerate(r) if c.key]
        cells = [c.text for c in r]
        if not keyed:
            while cells and not cells[-1].strip():
                cells.pop()
            split.append((cells, None))
            continue
        labels = cells[: keyed[0]]
        while labels and not labels[-1].strip():
            labels.pop()
        values = {_col_index(r[i].key, fmt): printed[r[i].key] for i in keyed}  # type: ignore[arg-type]
        split.append((labels, values))
    nlab = max((len(lab) for lab, v in split if v is not None), default=1)
    nval = max((max(v) + 1 for _, v in split if v), default=0)
    out = []
    for labels, values in split:
        if values is None:
            out.append(labels)
        else:
            row = labels + [""] * (nlab - len(labels))
            out.append(row + [values.get(j, "") for j in range(nval)])
    return out


def _print_rows(kind: str, rows: list[list[str]]) -> list[list[str]]:
    """Each row as its printed lines (a list per row, so that lines can be counted)."""
    if kind == "tab":
        return [["\t".join(r)] for r in rows]
    if kind == "cell-tab":
        return [[*("\t" + c for c in r), ""] for r in rows]
    if kind == "cell":
        return [list(r) for r in rows]
    if kind == "crawl":  # the cell in column i stands on the row's line 2 + 2 i
        return [
            ["| ", *"\n      \n".join(f"       {c}  | " for c in r).split("\n"), "    "]
            for r in rows
        ]
    ncol = max(len(r) for r in rows)
    if kind == "aligned":
        widths = [max((_width(r[i]) for r in rows if i < len(r)), default=0) for i in range(ncol)]
        out = []
        for r in rows:
            parts = [c + " " * (widths[i] - _width(c)) for i, c in enumerate(r)]
            out.append(["   ".join(parts).rstrip()])
        return out
    out = []
    for i, r in enumerate(rows):
        cells = [_md_cell(c) for c in r] + [""] * (ncol - len(r))
        lines = ["|" + "|".join(cells) + "|"]
        if i == 0:
            lines.append("|" + "|".join(["---"] * ncol) + "|")
        out.append(lines)
    return out


def _line_in_row(kind: str, i: int) -> int:
    """The line (1 = the row's first) of the row's cell `i` as `_print_rows` prints it: one
    line a cell in the cell layouts, after the opening `| ` and a line of spaces each in
    `crawl`, the row's one line otherwise."""
    if kind in ("cell", "cell-tab"):
        return 1 + i
    return 2 + 2 * i if kind == "crawl" else 1


def render(seed: Seed, kind: str, printed: dict[Key, str]) -> tuple[str, dict[Key, int]]:
    """The seed's text with its tables in `kind`, and the 1-based line of every value."""
    out: list[str] = []
    line_of: dict[Key, int] = {}
    pos = 0
    fmt = seed.meta["format"]
    for start, end, rows in seed.regions:
        out.extend(seed.lines[pos:start])
        out.append("")
        if kind in ("aligned", "markdown"):
            texts = _grid(rows, printed, fmt)
        else:
            texts = [[printed[c.key] if c.key else c.text for c in r] for r in rows]
        for r, lines in zip(rows, _print_rows(kind, texts), strict=True):
            base = len(out)
            out.extend(lines)
            keyed = [c.key for c in r if c.key]
            for i, c in enumerate(r):
                if c.key:
                    line_of[c.key] = base + _line_in_row(kind, i)
            assert not keyed or kind in ("cell", "cell-tab", "crawl") or len(lines) <= 2
        out.append("")
        pos = end
    out.extend(seed.lines[pos:])
    return "\n".join(out), line_of


def truth_of(seed: Seed, printed: dict[Key, str], line_of: dict[Key, int], src: str) -> dict:
    m = seed.meta
    vals: dict[Key, int | None] = {
        k: int(v) if v and v != "/" else None for k, v in printed.items()
    }
    facts = [
        {"table": t, "row": r, "col": c, "value": vals[t, r, c], "raw": printed[t, r, c],
         "line": line_of[t, r, c]}
        for t, r, c in (tuple(k) for k in ((f["table"], f["row"], f["col"]) for f in m["facts"]))
    ]  # fmt: skip
    return {
        "source": src,
        "agency": m["agency"],
        "year": m["year"],
        "format": m["format"],
        "region": m["region"],
        "facts": facts,
        "narrative": {k: {"value": v.get("value")} for k, v in m["narrative"].items()},
        "checks": compute_checks(m["format"], vals),
        "expect_warning": False,
        "relayout": {"seed": seed.name},
    }


def corpus_key(variants: int, seed: int) -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    for p in sorted(SEEDS.glob("*.txt")):
        h.update(p.read_bytes())
    h.update(json.dumps([variants, seed]).encode())
    return h.hexdigest()[:16]


def write_relayouts(out: Path, variants: int = 3, seed: int = 1) -> int:
    """Every seed × variant × kind into `out`, each with its truth; returns the count."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    n = 0
    for path in sorted(SEEDS.glob("*.txt")):
        s = load_seed(path)
        for v in range(variants):
            printed = draw_values(s, rng)
            stem = f"{s.name.split('_')[0]}v{v}"
            for kind, ext in KINDS.items():
                text, line_of = render(s, kind, printed)
                name = f"{stem}.{kind}{ext}"
                (out / name).write_text(text, encoding="utf-8")
                t = truth_of(s, printed, line_of, name)
                (out / f"{stem}.{kind}.truth.json").write_text(
                    json.dumps(t, ensure_ascii=False), "utf-8"
                )
                n += 1
    return n


def relayout_dir(variants: int = 3, seed: int = 1) -> Path:
    """The cached relayout corpus, built if missing."""
    key = corpus_key(variants, seed)
    out = OUT / f"relayout-{key}"
    if (out / "manifest.json").exists():
        return out
    tmp = OUT / f".relayout-{key}.{time.time_ns()}"
    n = write_relayouts(tmp, variants, seed)
    manifest = {"key": key, "variants": variants, "seed": seed, "renderings": n}
    (tmp / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    publish(tmp, out)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variants", type=int, default=3, help="value draws per seed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="write here instead of the cache")
    a = ap.parse_args(argv)
    if a.out:
        n = write_relayouts(Path(a.out), a.variants, a.seed)
        print(f"wrote {n} renderings to {a.out}")
    else:
        print(relayout_dir(a.variants, a.seed))


if __name__ == "__main__":
    main()
