"""The database explains itself: one DDL, comments, the cell and rule label tables, and the
Parquet snapshot for outside tools."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl import spec
from etl.__main__ import main
from etl.build import build
from etl.store import columns, table_schema


@pytest.fixture(scope="module")
def db(seed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "d.duckdb"
    build(seed_dir, path, progress=False)
    return path


def _q(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(sql).fetchall()


def test_every_check_id_names_a_rule_with_its_label(db: Path) -> None:
    orphans = _q(
        db,
        """SELECT DISTINCT check_id FROM (
            SELECT check_id FROM checks UNION ALL SELECT check_id FROM cross_year)
        WHERE regexp_extract(check_id, '^(.*)\\.[^.]+$', 1) NOT IN (SELECT rule FROM rules)""",
    )
    assert orphans == []
    labels = dict(_q(db, "SELECT rule, label FROM rules"))
    assert labels == spec.CHECK_NAMES


def test_every_fact_has_its_cell_labels(db: Path) -> None:
    unlabelled = _q(
        db,
        """SELECT f.table_name, f.row_id, f.col_id FROM facts f
        JOIN reports r ON r.id = f.report_id
        ANTI JOIN cells c ON c.format = r.format AND c.table_name = f.table_name
            AND c.row_id = f.row_id AND c.col_id = f.col_id""",
    )
    assert unlabelled == []
    assert _q(db, "SELECT row_label, col_label FROM cells WHERE row_id = 'denied_3' LIMIT 1") == [
        ("不予公开·危及三安全一稳定", "自然人")
    ]


def test_every_table_has_a_comment(db: Path) -> None:
    assert _q(db, "SELECT table_name FROM duckdb_tables() WHERE comment IS NULL") == []


def test_zero_filing_is_a_column_of_the_report_index(db: Path) -> None:
    rows = _q(
        db,
        """SELECT count(*) FROM report_index r JOIN v_zero_filing z ON z.report_id = r.id
        WHERE r.zero_filing IS NOT DISTINCT FROM (r.status = 'ok' AND r.n_nonzero = 0)
            AND z.zero_filing IS NOT DISTINCT FROM r.zero_filing""",
    )
    assert rows == _q(db, "SELECT count(*) FROM reports")


def test_rows_go_in_by_column_name_and_a_misspelt_name_is_refused() -> None:
    names = table_schema("warnings").names()
    assert columns("warnings", [{"message": "m", "report_id": "r"}]) == {
        names[0]: ["r"],
        names[1]: ["m"],
    }
    with pytest.raises(KeyError, match="mesage"):
        columns("warnings", [{"report_id": "r", "mesage": "m"}])


def test_export_writes_every_table_and_view_as_parquet(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "snapshot"
    assert main(["export", "--parquet", str(out), "--db", str(db)]) == 0
    names = {p.stem for p in out.glob("*.parquet")}
    assert {"reports", "facts", "cells", "rules", "v_reports", "v_zero_filing"} <= names
    n = _q(db, "SELECT count(*) FROM v_facts")[0][0]
    assert pl.read_parquet(out / "v_facts.parquet").height == n
    assert (out / "schema.sql").is_file()
    assert "exported" in capsys.readouterr().out


def test_export_refuses_a_folder_that_holds_files(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "snapshot"
    out.mkdir()
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    assert main(["export", "--parquet", str(out), "--db", str(db)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_report_text_is_stored_compressed_and_exported_as_text(db: Path, tmp_path: Path) -> None:
    from etl.store import unpack_text

    [(packed,)] = _q(db, "SELECT sum(octet_length(text_zlib)) FROM report_text")
    out = tmp_path / "snapshot"
    assert main(["export", "--parquet", str(out), "--db", str(db)]) == 0
    texts = pl.read_parquet(out / "report_text.parquet")
    assert texts.columns == ["report_id", "text"]
    assert packed * 2 < sum(len(t.encode()) for t in texts["text"])
    [(rid, blob)] = _q(db, "SELECT report_id, text_zlib FROM report_text LIMIT 1")
    assert texts.filter(pl.col("report_id") == rid)["text"][0] == unpack_text(blob)
