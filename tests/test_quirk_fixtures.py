"""The quirk fixtures themselves are sound: valid ids, numbers that satisfy the report's own
checks, a 宁夏 agency, a catalogue entry. These run without the parser's table reader, so a
wrong hand-written expectation fails here, not only later in tests/test_quirks.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl import spec
from etl.checks import run_checks
from etl.meta import region

QUIRKS = Path(__file__).resolve().parent / "quirks"
TEXT_SUFFIXES = (".txt", ".md", ".html")  # a web page stays a page: read by the HTML reader
FIXTURES = sorted(
    p for p in QUIRKS.iterdir() if p.suffix in TEXT_SUFFIXES and p.with_suffix(".json").exists()
)
OPTIONAL = {f"requests.other.{c}" for c in spec.REQUEST_COLS}  # the 2019 row in a 2021 table


def expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def cell_ids(fmt: str) -> set[str]:
    return {".".join(c) for c in spec.cells(fmt)} | OPTIONAL


def test_quirk_fixtures_exist_in_pairs() -> None:
    texts = {p.stem for p in QUIRKS.iterdir() if p.suffix in TEXT_SUFFIXES} - {"README"}
    assert len(texts) >= 10
    assert texts == {p.stem for p in QUIRKS.glob("*.json")}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_quirk_expectations_name_real_cells(path: Path) -> None:
    exp = expected(path)
    assert exp["format"] in spec.FORMATS
    assert isinstance(exp["year"], int) and exp["source"]
    ids = cell_ids(exp["format"])
    assert set(exp["cells"]) <= ids, set(exp["cells"]) - ids
    assert set(exp.get("raw", {})) <= set(exp["cells"])
    for pattern in exp["unplaceable"]:
        named = {
            i for i in ids if i == pattern or (pattern.endswith("*") and i.startswith(pattern[:-1]))
        }
        assert named, pattern
        assert not named & set(exp["cells"]), pattern
    if exp["unplaceable"]:
        assert exp["warnings"], "an unplaceable cell needs a warning"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_quirk_numbers_satisfy_the_reports_own_checks(path: Path) -> None:
    """Hand-written values add up as the report's 勾稽关系 demands (blanks: not assessable)."""
    exp = expected(path)
    values = {tuple(cid.split(".")): v for cid, v in exp["cells"].items()}
    if exp["format"] == "2021" and any(cid in OPTIONAL for cid in exp["cells"]):
        # the old single 其他处理 row stands in for other_1..3
        for col in spec.REQUEST_COLS:
            values[("requests", "other_1", col)] = values.pop(("requests", "other", col))
            values[("requests", "other_2", col)] = values[("requests", "other_3", col)] = 0
    results = run_checks(values, exp["format"])
    assert [r for r in results if r["status"] == "failed"] == []
    assert any(r["status"] == "ok" for r in results)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_quirk_agency_is_in_ningxia_and_the_title_names_the_year(path: Path) -> None:
    exp = expected(path)
    assert region(exp["agency"])["in_ningxia"]
    title = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert f"{exp['year']}年" in title


def test_every_quirk_fixture_is_in_the_catalogue() -> None:
    catalogue = (QUIRKS / "README.md").read_text(encoding="utf-8")
    missing = [p.stem for p in FIXTURES if f"`{p.stem}`" not in catalogue]
    assert missing == []
