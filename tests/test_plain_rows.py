"""The common row told apart at once (`tables._plain_row`, a shortcut for parse speed) reads
exactly what `choose` would: its values as printed, no warning. Checked on every row the
shortcut takes in the seeds, the quirk fixtures and the layout variants, so a rule added to
`choose` that the shortcut skips fails here."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from etl import parse, spec, tables
from etl.claims import TableResult
from etl.parse import parse_source
from etl.placement import choose
from tests.conftest import SEED_FILES
from tests.report_builder import distinct_values, one_cell_per_line, report_text, table_lines

QUIRKS = sorted(
    p for p in (Path(__file__).resolve().parent / "quirks").iterdir() if p.suffix in {".txt", ".md"}
)


def _variants() -> list[tuple[str, bytes]]:
    out = []
    for fmt in spec.FORMATS:
        values = distinct_values(fmt)
        out.append((f"tab-{fmt}.txt", report_text(fmt, values).encode()))
        cells = {k: one_cell_per_line(v) for k, v in table_lines(fmt, values).items()}
        out.append((f"cells-{fmt}.txt", report_text(fmt, values, tables=cells).encode()))
    return out


@pytest.fixture
def shortcut_rows(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every row the shortcut takes while parsing, checked against `choose` as it goes."""
    taken: list[str] = []
    plain = tables._plain_row

    def checked(claim, n, suspect):
        out = plain(claim, n, suspect)
        if out:
            res = TableResult(found=True)
            assert list(choose(claim, n, claim.row, res, suspect=suspect)) == claim.values
            assert res.warnings == []
            taken.append(claim.row)
        return out

    monkeypatch.setattr(tables, "_plain_row", checked)
    parse._tables_at_line_one.cache_clear()  # tables read before would not be read again
    return taken


def test_every_row_the_shortcut_takes_is_what_choose_reads(shortcut_rows) -> None:
    sources = [(p.name, p.read_bytes()) for p in [*SEED_FILES, *QUIRKS]] + _variants()
    for name, data in sources:
        try:
            parse_source(name, data, hashlib.sha256(data).hexdigest())
        except Exception as e:  # a fixture that is no report: nothing to check
            assert "not a government information" in str(e), (name, e)
    assert len(shortcut_rows) > 500
