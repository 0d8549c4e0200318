"""Real-world table layouts (tests/quirks/): each fixture parsed to its exact expected cells.

Every fixture reproduces one way a real published report's tables come out of some tool
(PDF extractors, OCR, Markdown converters, web pages, copy-paste), with an invented agency and
invented values; tests/quirks/README.md is the catalogue. The `.json` beside each text holds
what a careful reader gets from it: every printed cell (null where blank or not applicable),
the cells nobody can place with certainty (they must stay empty, with a warning), the
substrings the warnings must contain, and where it matters the `raw` text a cell keeps.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from etl import spec
from etl.parse import parse_source

QUIRKS = Path(__file__).resolve().parent / "quirks"
TEXT_SUFFIXES = (".txt", ".md", ".html")  # a web page stays a page: read by the HTML reader
FIXTURES = sorted(
    p for p in QUIRKS.iterdir() if p.suffix in TEXT_SUFFIXES and p.with_suffix(".json").exists()
)


def expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def parsed(path: Path) -> dict:
    data = path.read_bytes()
    return parse_source(path.name, data, hashlib.sha256(data).hexdigest())[1]


def facts_by_id(result: dict) -> dict[str, dict]:
    return {f"{f['table']}.{f['row']}.{f['col']}": f for f in result["facts"]}


def unplaceable_ids(patterns: list[str], fmt: str) -> set[str]:
    """`requests.denied_3.*` → every cell id of that row in the format."""
    ids = {".".join(c) for c in spec.cells(fmt)} | {
        f"requests.other.{c}" for c in spec.REQUEST_COLS
    }
    out = set()
    for pat in patterns:
        matched = {i for i in ids if i == pat or (pat.endswith("*") and i.startswith(pat[:-1]))}
        assert matched, f"pattern {pat} names no cell"
        out |= matched
    return out


@pytest.fixture(params=FIXTURES, ids=lambda p: p.stem)
def quirk(request: pytest.FixtureRequest) -> tuple[Path, dict, dict]:
    path = request.param
    return path, expected(path), parsed(path)


def test_quirk_metadata(quirk: tuple[Path, dict, dict]) -> None:
    _, exp, r = quirk
    assert (r["format"], r["agency"], r["year"]) == (exp["format"], exp["agency"], exp["year"])


def test_quirk_cells_read_exactly(quirk: tuple[Path, dict, dict]) -> None:
    _, exp, r = quirk
    facts = facts_by_id(r)
    got = {cid: facts[cid]["value"] if cid in facts else "<missing>" for cid in exp["cells"]}
    assert got == exp["cells"]
    for cid, value in exp["cells"].items():
        if value is not None:
            assert facts[cid]["raw"] is not None, cid
    for cid, raw in exp.get("raw", {}).items():
        assert facts[cid]["raw"] == raw, cid


def test_quirk_unplaceable_cells_stay_empty(quirk: tuple[Path, dict, dict]) -> None:
    _, exp, r = quirk
    facts = facts_by_id(r)
    for cid in unplaceable_ids(exp["unplaceable"], exp["format"]):
        assert facts.get(cid, {}).get("value") is None, cid


def test_quirk_warnings_name_what_was_not_read(quirk: tuple[Path, dict, dict]) -> None:
    _, exp, r = quirk
    for needle in exp["warnings"]:
        assert any(needle in w for w in r["warnings"]), (needle, r["warnings"])


def test_quirk_no_value_outside_the_printed_cells(quirk: tuple[Path, dict, dict]) -> None:
    _, exp, r = quirk
    extra = {
        cid: f["value"]
        for cid, f in facts_by_id(r).items()
        if f["value"] is not None and cid not in exp["cells"]
    }
    assert extra == {}
