"""Property: the parser reads back what bench.synth printed, on every layout variant.

parse(generate(seed)) == truth on agency, year, format, region, every cell (value, raw up to
whitespace, line, unit), the narrative figures, every cross-check's status, and a warning
where the report has a cell too many.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pytest

from bench import synth
from etl.parse import parse_document
from etl.read import read_document

Pair = tuple[dict, dict]  # (truth, parsed)


def _parse(name: str, text: str) -> dict:
    data = text.encode("utf-8")
    doc = read_document(name, data)
    return parse_document(doc, source=name, sha256=hashlib.sha256(data).hexdigest())


def _pairs(corpora: Iterable[tuple[str, str, dict]]) -> list[Pair]:
    return [(truth, _parse(name, text)) for name, text, truth in corpora]


@pytest.fixture(scope="module")
def pairs() -> list[Pair]:
    rich = synth.iter_corpus(300, 101, **synth.RICH)
    plain = synth.iter_corpus(100, 102)
    return _pairs([*rich, *plain])


def _squash(s: str | None) -> str:
    return "".join((s or "").split())


def header_diffs(truth: dict, got: dict) -> list[tuple]:
    return [(k, truth[k], got[k]) for k in ("agency", "year", "format") if got[k] != truth[k]]


def region_diffs(truth: dict, got: dict) -> list[tuple]:
    return [] if got["region"] == truth["region"] else [("region", truth["region"], got["region"])]


_DIFFERS = {
    "value": lambda f, g: g["value"] != f["value"],
    "type": lambda f, g: type(g["value"]) is not type(f["value"]),
    "raw": lambda f, g: _squash(g["raw"]) != _squash(f["raw"]),
    "line": lambda f, g: g["line"] != f["line"],
    "unit": lambda f, g: g.get("unit") != f.get("unit"),
}


def fact_diffs(truth: dict, got: dict, what: str) -> list[tuple]:
    """Differences on one property of the cells: value, type, raw, line or unit."""
    by_key = {(f["table"], f["row"], f["col"]): f for f in got["facts"]}
    differs = _DIFFERS[what]
    out = []
    for f in truth["facts"]:
        key = (f["table"], f["row"], f["col"])
        g = by_key.get(key)
        if g is None:
            out.append((key, "missing"))
        elif differs(f, g):
            field = "value" if what == "type" else what
            out.append((key, f["raw"], f.get(field), g.get(field)))
    return out


def narrative_diffs(truth: dict, got: dict) -> list[tuple]:
    out = []
    for key in ("active_disclosure_items", "applications_received"):
        want = (truth["narrative"].get(key) or {}).get("value")
        have = (got["narrative"].get(key) or {}).get("value")
        if want != have:
            out.append((key, want, have))
    return out


def check_diffs(truth: dict, got: dict) -> list[tuple]:
    status = {c["id"]: c["status"] for c in got["checks"]}
    return [
        (c["id"], c["status"], status.get(c["id"]))
        for c in truth["checks"]
        if status.get(c["id"]) != c["status"]
    ]


def warning_diffs(truth: dict, got: dict) -> list[tuple]:
    return (
        [("no warning", truth["source"])] if truth["expect_warning"] and not got["warnings"] else []
    )


ALL = (header_diffs, region_diffs, narrative_diffs, check_diffs, warning_diffs)


def _assert_none(pairs: list[Pair], diff, *args: str) -> None:
    bad = [(t["source"], t["synth"]["layout"], d[:3]) for t, g in pairs if (d := diff(t, g, *args))]
    assert not bad, f"{len(bad)} of {len(pairs)} reports differ, e.g. {bad[:3]}"


def test_property_corpus_covers_every_variant(pairs) -> None:
    seen = set().union(*(t["synth"]["variants"] for t, _ in pairs))
    assert seen == synth.VARIANTS


def test_parse_keeps_source_and_sha256(pairs) -> None:
    for truth, got in pairs:
        assert (got["source"], got["sha256"]) == (truth["source"], truth["sha256"])


def test_parse_reads_agency_year_and_format(pairs) -> None:
    _assert_none(pairs, header_diffs)


def test_parse_places_the_agency_in_its_region(pairs) -> None:
    _assert_none(pairs, region_diffs)


def test_parse_reads_every_cell_value(pairs) -> None:
    _assert_none(pairs, fact_diffs, "value")


def test_parse_gives_ints_where_integral_and_floats_otherwise(pairs) -> None:
    _assert_none(pairs, fact_diffs, "type")


def test_parse_keeps_every_cells_printed_text(pairs) -> None:
    _assert_none(pairs, fact_diffs, "raw")


def test_parse_gives_the_line_of_every_cell(pairs) -> None:
    _assert_none(pairs, fact_diffs, "line")


def test_parse_reads_units_stated_in_a_cell_or_header(pairs) -> None:
    _assert_none(pairs, fact_diffs, "unit")


def test_parse_reads_the_narrative_figures(pairs) -> None:
    _assert_none(pairs, narrative_diffs)


def test_parse_gives_every_cross_check_its_true_status(pairs) -> None:
    _assert_none(pairs, check_diffs)
    failed = sum(c["status"] == "failed" for t, _ in pairs for c in t["checks"])
    assert failed > 20  # the corpus does hold broken reports


def test_parse_warns_about_a_cell_too_many(pairs) -> None:
    _assert_none(pairs, warning_diffs)
    assert sum(t["expect_warning"] for t, _ in pairs) > 10


# Every artefact in every report, most reports with blank cells: rare combinations show up.
DENSE = {**synth.RICH, "quirk_share": 1.0, "blank_share": 0.7, "narrative_share": 1.0}


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "options"), [(201, synth.RICH), (202, {}), (77, DENSE)])
def test_parse_reproduces_the_truth_of_thousands_of_reports(seed, options) -> None:
    pairs = _pairs(synth.iter_corpus(3000, seed, **options))
    checks = [(d.__name__, d, ()) for d in ALL]
    checks += [(f"fact_{w}", fact_diffs, (w,)) for w in ("value", "type", "raw", "line", "unit")]
    found = {}
    for name, diff, args in checks:
        bad = [
            (t["source"], t["synth"]["layout"], d[:2]) for t, g in pairs if (d := diff(t, g, *args))
        ]
        if bad:
            found[name] = (len(bad), bad[0])
    assert not found, f"of {len(pairs)} reports: {found}"
