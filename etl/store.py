"""Storing one database file for etl.build: parse results as Arrow columns, bulk inserts, the swap.

The build never writes the live database. It copies it to a temp file beside it, writes
every change there in one transaction, closes it and renames it over the target, so a
failed or killed build leaves the previous file whole and readers keep their old file.
Rows go in through Arrow tables (`INSERT … SELECT FROM arrow`), never row by row; the
tables are built with Polars, whose list-to-Arrow conversion is fast and, unlike
`pyarrow.array`, does not import pandas (a second on every CLI start).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat as stat_mod
import sys
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

import etl
from etl import spec
from etl.errors import RejectedInput, UsageError
from etl.sanity import is_future

SCHEMA_SQL = Path(__file__).with_name("schema.sql")  # the stored tables
DERIVED_SQL = Path(__file__).with_name("derived.sql")  # what the build computes from them
REGIONS_CSV = Path(__file__).parent.parent / "data" / "regions.csv"
GAZETTEER_CSV = Path(__file__).parent.parent / "data" / "gazetteer.csv"
WRITER_MEMORY = "512MB"  # DuckDB buffer pool of the writer; it spills to disk beyond this
TEST_HOOK_ENV = "ETL_BUILD_TEST_HOOK"  # tests only: "<stage>:fail" or "<stage>:sleep=<s>"

_POLARS_TYPES = {
    "VARCHAR": pl.String,
    "DOUBLE": pl.Float64,
    "INTEGER": pl.Int32,
    "BOOLEAN": pl.Boolean,
    "TIMESTAMP": pl.Datetime("us"),
    "BIGINT": pl.Int64,
    "BLOB": pl.Binary,
}
TEXT_ZLIB_LEVEL = 6  # report text: ~1/3 of its UTF-8 size, a few ms a report in the workers
# Compact the file when more than this share of it is free blocks (and it is this big).
COMPACT_FREE_SHARE = 0.2
COMPACT_MIN_BYTES = 32 * 1024 * 1024
REPORT_TABLES = ("facts", "narrative", "checks", "warnings", "report_text")


@lru_cache(maxsize=1)
def _table_schemas() -> dict[str, pl.Schema]:
    """Each table's columns in order, as Polars types, read from schema.sql itself (run on
    an empty in-memory database): the DDL is the one definition of the columns."""
    with duckdb.connect() as con:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        rows = con.sql(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = 'memory' ORDER BY table_name, column_index"
        ).fetchall()
    out: dict[str, list[tuple[str, Any]]] = {}
    for table, column, kind in rows:
        out.setdefault(table, []).append((column, _POLARS_TYPES[kind]))
    return {t: pl.Schema(cols) for t, cols in out.items()}


def pack_text(text: str) -> bytes:
    """A report's text as stored: half the database and most of the commit time at 100k
    reports as plain VARCHAR, a third of that compressed."""
    return zlib.compress(text.encode("utf-8"), TEXT_ZLIB_LEVEL)


def unpack_text(blob: bytes) -> str:
    """The text of `report_text.text_zlib`."""
    return zlib.decompress(blob).decode("utf-8")


def table_schema(table: str) -> pl.Schema:
    """The columns of a stored table, in the order of schema.sql."""
    return _table_schemas()[table]


def columns(table: str, rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows given by column name → the table's column lists; a misspelt or missing name
    raises KeyError instead of shifting a value into the wrong column."""
    names = table_schema(table).names()
    for row in rows[:1]:
        if set(row) != set(names):
            raise KeyError(f"{table}: columns {sorted(set(row) ^ set(names))} do not match")
    return {n: [r[n] for r in rows] for n in names}


def named_columns(table: str, cols: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Column lists given by name → in the table's order; a misspelt or missing name raises
    KeyError instead of shifting values into the wrong column."""
    names = table_schema(table).names()
    if set(cols) != set(names):
        raise KeyError(f"{table}: columns {sorted(set(cols) ^ set(names))} do not match")
    return {n: cols[n] for n in names}


def schema_version() -> str:
    """A digest of schema.sql and derived.sql: any change rebuilds the database from scratch."""
    return hashlib.sha256(SCHEMA_SQL.read_bytes() + DERIVED_SQL.read_bytes()).hexdigest()[:12]


def regions_version() -> str:
    """A digest of the Ningxia table and the national gazetteer region() reads."""
    data = REGIONS_CSV.read_bytes() + GAZETTEER_CSV.read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


def utc_naive(ts: float) -> datetime:
    """A POSIX time as the naive UTC datetime DuckDB's TIMESTAMP stores."""
    return datetime.fromtimestamp(ts, tz=UTC).replace(tzinfo=None)


def file_time(ts: float) -> datetime | None:
    """The file time a report is stored with; None (not trusted as newest) in the future."""
    return None if is_future(ts) else utc_naive(ts)


def hook_for_tests(stage: str) -> None:
    """Tests only: fail or pause at a named stage of the build (see TEST_HOOK_ENV)."""
    spec = os.environ.get(TEST_HOOK_ENV, "")
    for part in filter(None, spec.split(",")):
        where, _, action = part.partition(":")
        if where != stage:
            continue
        print(f"etl-test-hook {stage}", file=sys.stderr, flush=True)
        if action == "fail":
            raise RuntimeError(f"test hook: injected failure at {stage}")
        if action.startswith("sleep="):
            time.sleep(float(action.removeprefix("sleep=")))


# --- parsing (runs in worker processes) -------------------------------------------------


@dataclass
class Parsed:
    """One parsed file: its rows per table, or the reason it was rejected."""

    path: str
    sha256: str
    rows: dict[str, dict[str, list[Any]]] | None = None
    reject: RejectedInput | None = None


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


def parse_item(item: tuple[str, bytes, str, float]) -> Parsed:
    """Read and parse one file into column lists; any failure becomes a reject reason."""
    from etl.parse import read_report  # imported here: the parser is the slow import

    path, data, sha, mtime = item
    try:
        doc, p = read_report(path, data, sha)
    except RejectedInput as e:
        return Parsed(path, sha, reject=e)
    rid = sha[:16]
    region = p.region or {}
    agency = p.agency
    report = {
        "id": rid,
        "sha256": sha,
        "source": path,
        "file_type": doc.file_type,
        "file_mtime": file_time(mtime),
        "file_size": len(data),
        "agency": agency,
        "agency_key": re.sub(r"\s+", "", agency) if agency else None,
        "year": p.year,
        "format": p.format,
        "province": region.get("province"),
        "city": region.get("city"),
        "county": region.get("county"),
        "region_code": region.get("code"),
        "in_ningxia": region.get("in_ningxia"),
        "agency_type": p.agency_type,
        "status": p.status or "ok",
        "parser_version": etl.PARSER_VERSION,
        "loaded_at": None,  # set by the build, one time for the whole batch
    }
    # ~200 facts a report: their columns straight from the Fact tuples, not a dict each
    table, row, col, value, raw, line, unit = zip(*p.facts, strict=True) if p.facts else ((),) * 7
    facts = named_columns(
        "facts",
        {
            "report_id": [rid] * len(p.facts),
            "table_name": list(table),
            "row_id": list(row),
            "col_id": list(col),
            "value": [None if v is None else float(v) for v in value],
            "raw": list(raw),
            "line": list(line),
            "unit": list(unit),
        },
    )
    narrative = [
        {
            "report_id": rid,
            "key": key,
            "value": _num(n.value),
            "evidence": n.evidence,
            "line": n.line,
            "approximate": n.approximate,
        }
        for key, n in p.narrative.items()
    ]
    checks = [
        {"report_id": rid, "check_id": c.id, "status": c.status, "detail": c.detail}
        for c in p.checks
    ]
    warnings = [{"report_id": rid, "message": str(w)} for w in p.warnings]
    if is_future(mtime):
        when = utc_naive(mtime).isoformat(sep=" ", timespec="seconds")
        message = f"file time {when} UTC is in the future; not used to pick the newest"
        warnings.append({"report_id": rid, "message": message})
    rows = {
        "reports": columns("reports", [report]),
        "facts": facts,
        "narrative": columns("narrative", narrative),
        "checks": columns("checks", checks),
        "warnings": columns("warnings", warnings),
        "report_text": columns(
            "report_text", [{"report_id": rid, "text_zlib": pack_text(doc.text)}]
        ),
    }
    return Parsed(path, sha, rows=rows)


# --- the database side --------------------------------------------------------------------


@dataclass
class State:
    """What the current database holds, read before deciding what to change."""

    meta: dict[str, str]
    reports: dict[str, tuple[str, datetime | None]]  # sha256 -> (source, file_mtime)
    rejects: list[dict[str, Any]]  # rows of `rejects` by column name
    # source -> (sha256, file_mtime, file_size): a file found again unchanged is not read
    files: dict[str, tuple[str, datetime | None, int | None]] = field(default_factory=dict)


DUCKDB_MAGIC = b"DUCK"  # at byte 8 of every DuckDB file
DB_HEADER_BYTES = 3 * 4096  # the file header and the two database headers before the blocks


def is_duckdb_file(path: Path) -> bool:
    """True when the file starts like a DuckDB database (whatever state the rest is in)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(12)[8:12] == DUCKDB_MAGIC
    except OSError:
        return False


def target_kind(db_path: Path) -> str:
    """What lies at the path a build would write: 'missing', 'ours' (a database this project
    made), 'broken' (ours, or meant to be, but unreadable, truncated or empty) or 'foreign'.

    Raises UsageError for a folder or a special file (a device, a FIFO, a socket): a build
    never writes over those, nor over a 'foreign' file (the caller refuses it).
    """
    try:
        st = db_path.stat()
    except FileNotFoundError:
        return "missing"
    except OSError as e:
        raise UsageError(f"cannot use {db_path} as the database: {e.strerror}") from None
    if stat_mod.S_ISDIR(st.st_mode):
        raise UsageError(f"{db_path} is a folder, not a database file")
    if not stat_mod.S_ISREG(st.st_mode):
        raise UsageError(f"{db_path} is a special file, not a database file")
    if st.st_size == 0:
        return "broken"
    if not is_duckdb_file(db_path):
        # Random bytes where the project's database should be: moved aside and rebuilt.
        return "broken" if db_path.suffix == ".duckdb" else "foreign"
    try:
        _attached_meta(db_path)
    except duckdb.CatalogException:
        return "foreign"  # a sound DuckDB file without our meta table
    except (duckdb.Error, OSError, ValueError):
        return "broken"
    return "ours"


def _attached_meta(db_path: Path, con: duckdb.DuckDBPyConnection | None = None) -> dict[str, str]:
    """Attach the file as `cur` (read-only) and return its meta table; raise duckdb.Error
    when the file is damaged, IOException "truncated" when it is too short to hold the
    blocks in use (not all blocks: DuckDB cuts free blocks off the end of the file but
    still counts them in total_blocks)."""
    own = con is None
    con = duckdb.connect() if con is None else con
    try:
        quoted = str(db_path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS cur (READ_ONLY)")
        blocks, block_size = con.sql(
            "SELECT used_blocks, block_size FROM pragma_database_size() WHERE database_name = 'cur'"
        ).fetchall()[0]
        if db_path.stat().st_size < DB_HEADER_BYTES + blocks * block_size:
            raise duckdb.IOException(f"{db_path} is truncated")
        return dict(con.sql("SELECT key, value FROM cur.meta").fetchall())
    finally:
        if own:
            con.close()


def read_state(db_path: Path) -> State | None:
    """The current database's contents, or None when there is none (or it is unreadable).

    Opened through ATTACH on a fresh in-memory connection: `duckdb.connect(path)` may hand
    back a cached instance of a file that a previous build has since replaced.
    """
    if not db_path.is_file():
        return None
    con = duckdb.connect()
    try:
        meta = _attached_meta(db_path, con)
        if meta.get("schema_version") != schema_version():
            return State(meta, {}, [])
        rows = con.sql("SELECT sha256, source, file_mtime, file_size FROM cur.reports").fetchall()
        reports = {sha: (src, mt) for sha, src, mt, _ in rows}
        files = {src: (sha, mt, size) for sha, src, mt, size in rows}
        rel = con.sql("SELECT * FROM cur.rejects")
        rejects = [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]
        return State(meta, reports, rejects, files)
    except (duckdb.Error, OSError, ValueError):
        return None
    finally:
        con.close()


@dataclass
class Writer:
    """A temp copy of the database, open in one transaction until `commit_and_swap`."""

    db_path: Path
    fresh: bool
    tmp_path: Path = field(init=False)
    con: duckdb.DuckDBPyConnection = field(init=False)

    def __post_init__(self) -> None:
        self.tmp_path = self.db_path.with_name(f"{self.db_path.name}.tmp{os.getpid()}")
        remove_db_file(self.tmp_path)
        try:
            if not self.fresh:
                shutil.copyfile(self.db_path, self.tmp_path)
            self.con = duckdb.connect(str(self.tmp_path))
        except BaseException:
            remove_db_file(self.tmp_path)  # a copy cut short by a full disk
            raise
        try:
            # A bounded buffer pool keeps a 20M-fact build within ~2 GB; no bar of its own.
            self.con.execute(f"SET memory_limit = '{WRITER_MEMORY}'")
            self.con.execute("SET enable_progress_bar = false")
            self.con.execute("BEGIN TRANSACTION")
            self.con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        except BaseException:
            self.abort()
            raise

    def insert(self, table: str, columns: dict[str, list[Any]]) -> None:
        """Bulk-insert column lists through an Arrow table."""
        frame = pl.DataFrame(columns, schema=table_schema(table))
        cols = ", ".join(frame.columns)
        self._with_arrow(frame, f"INSERT INTO {table} ({cols}) SELECT {cols} FROM arrow_batch")

    def _with_arrow(self, frame: pl.DataFrame, sql: str) -> None:
        """Run `sql`, in which `arrow_batch` is `frame` as Arrow. DuckDB finds the local
        variable by name (a replacement scan); `register`/`unregister` inside the
        transaction would keep every batch in memory until the commit."""
        if frame.height == 0:
            return
        arrow_batch = frame.to_arrow()  # noqa: F841 - read by name in the SQL
        self.con.execute(sql)

    def delete_reports(self, ids: list[str]) -> None:
        gone = pl.DataFrame({"id": ids}, schema={"id": pl.String})
        for table in REPORT_TABLES:
            sql = f"DELETE FROM {table} WHERE report_id IN (SELECT id FROM arrow_batch)"
            self._with_arrow(gone, sql)
        self._with_arrow(gone, "DELETE FROM reports WHERE id IN (SELECT id FROM arrow_batch)")

    def update_sources(self, rows: list[tuple[str, str, datetime | None]]) -> None:
        """A known content under a new path or mtime: update the row, keep the parse."""
        schema = pl.Schema(
            [("id", pl.String), ("source", pl.String), ("file_mtime", pl.Datetime("us"))]
        )
        upd = pl.DataFrame(rows, schema=schema, orient="row")
        sql = (
            "UPDATE reports SET source = u.source, file_mtime = u.file_mtime "
            "FROM arrow_batch u WHERE reports.id = u.id"
        )
        self._with_arrow(upd, sql)

    def load_regions(self) -> None:
        self.con.execute("DELETE FROM regions")
        self.con.execute(
            "INSERT INTO regions SELECT * FROM read_csv(?, header = true, columns = {"
            "'code': 'VARCHAR', 'name': 'VARCHAR', 'level': 'VARCHAR', "
            "'parent_code': 'VARCHAR', 'city': 'VARCHAR', "
            "'tile_row': 'INTEGER', 'tile_col': 'INTEGER'})",
            [str(REGIONS_CSV)],
        )

    def set_meta(self, meta: dict[str, str]) -> None:
        self.con.execute("DELETE FROM meta")
        self.insert("meta", {"key": list(meta), "value": list(meta.values())})

    def load_labels(self) -> None:
        """The cell ids and check rules with their Chinese labels, from etl/spec.py, so
        that the database explains its own codes."""
        rows = [
            {
                "format": fmt,
                "table_name": t,
                "row_id": r,
                "col_id": c,
                "table_label": f"表{spec.TABLE_NUMBERS[t]} {spec.TABLE_NAMES[t]}",
                "row_label": spec.ROW_NAMES[r],
                "col_label": spec.COL_NAMES[c],
            }
            for fmt in spec.FORMATS
            for t, r, c in spec.cells(fmt, old_other=fmt == "2021")
        ]
        self.con.execute("DELETE FROM cells")
        self.insert("cells", columns("cells", rows))
        scope = {r: "report" for r in spec.IN_REPORT_RULES} | {
            r: "cross_year" for r in spec.CROSS_YEAR_RULES
        }
        rules = [{"rule": r, "scope": scope[r], "label": spec.CHECK_NAMES[r]} for r in scope]
        self.con.execute("DELETE FROM rules")
        self.insert("rules", columns("rules", rules))

    def refresh_derived(self) -> None:
        """Run derived.sql top to bottom: the stored index tables and the views over them."""
        self.load_labels()
        self.con.execute(DERIVED_SQL.read_text(encoding="utf-8"))

    def commit_and_swap(self) -> None:
        """Refresh the derived index, commit, close, flush, then rename over the target."""
        self.refresh_derived()
        hook_for_tests("before_commit")
        self.con.execute("COMMIT")
        self.con.execute("CHECKPOINT")
        self._compact_if_wasteful()
        self.con.close()
        with open(self.tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        hook_for_tests("before_replace")
        os.replace(self.tmp_path, self.db_path)
        folder = os.open(self.db_path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # the rename itself survives a power cut
        finally:
            os.close(folder)

    def _compact_if_wasteful(self) -> None:
        """Rewrite the file when free blocks (left by deleted and replaced rows) pass a share
        of it: DuckDB reuses them but never gives them back, so without this the file grows
        with every incremental build. The copy goes into a second temp file that then takes
        the first one's place, before the swap."""
        total, free, block = self.con.sql(
            "SELECT total_blocks, free_blocks, block_size FROM pragma_database_size() "
            "WHERE database_name = current_database()"
        ).fetchall()[0]
        if total * block < COMPACT_MIN_BYTES or free <= total * COMPACT_FREE_SHARE:
            return
        packed = self.tmp_path.with_name(self.tmp_path.name + ".packed")
        remove_db_file(packed)
        try:
            quoted = str(packed).replace("'", "''")
            self.con.execute(f"ATTACH '{quoted}' AS packed")
            name = self.con.sql("SELECT current_database()").fetchall()[0][0]
            self.con.execute(f'COPY FROM DATABASE "{name.replace(chr(34), chr(34) * 2)}" TO packed')
            self.con.execute("DETACH packed")
        except BaseException:
            remove_db_file(packed)
            raise
        self.con.close()
        os.replace(packed, self.tmp_path)
        self.con = duckdb.connect(str(self.tmp_path))

    def abort(self) -> None:
        try:
            self.con.close()
        except duckdb.Error:
            pass  # a connection broken by a full disk still lets go of the file
        finally:
            remove_db_file(self.tmp_path)


def remove_db_file(path: Path) -> None:
    """Remove a database file, its write-ahead log and DuckDB's spill folder, if present.
    A folder where a file was expected (a spill folder matched by a glob) is removed too."""
    for p in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".tmp")):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
