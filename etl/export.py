"""`python -m etl export --parquet DIR`: a read-only snapshot for outside tools.

Why: Metabase, Superset or Evidence should not open the live DuckDB file (one writer at a
time, and a build swaps the file under them). The snapshot holds one Parquet file per
table and per view (views written out as their rows, so they stay stable whatever the
tool's SQL dialect), and `schema.sql` with the tables' comments, so the codes explain
themselves there too (`cells`, `rules`). Report text, stored compressed, is exported as text.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import polars as pl

from etl.errors import UsageError
from etl.store import SCHEMA_SQL, target_kind, unpack_text


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_parquet(db_path: Path, out_dir: Path) -> list[str]:
    """Write every table and view of the database as `<name>.parquet` into `out_dir` (which
    must not exist or be empty); returns the names written. All or nothing: the files go
    to a folder beside it first, renamed into place at the end."""
    if target_kind(db_path) != "ours":
        raise UsageError(f"{db_path} is not a database built by this project")
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise UsageError(f"{out_dir} exists and is not an empty folder")
    tmp = out_dir.with_name(f".{out_dir.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            names = [
                r[0]
                for r in con.sql(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                    " UNION ALL SELECT view_name FROM duckdb_views()"
                    " WHERE NOT internal AND database_name = current_database() ORDER BY 1"
                ).fetchall()
            ]
            for name in names:
                if name == "report_text":  # stored compressed: exported as text
                    frame = con.sql("SELECT report_id, text_zlib FROM report_text").pl()
                    texts = [unpack_text(b) for b in frame["text_zlib"]]
                    frame = frame.select("report_id").with_columns(text=pl.Series(texts))
                    frame.write_parquet(tmp / "report_text.parquet")
                    continue
                con.execute(
                    f'COPY (SELECT * FROM "{name}") TO {_quoted(tmp / f"{name}.parquet")} '
                    "(FORMAT parquet)"
                )
        shutil.copyfile(SCHEMA_SQL, tmp / "schema.sql")
        if out_dir.exists():
            out_dir.rmdir()
        os.replace(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return names
