"""Writing one database file: parse results as Arrow columns, bulk inserts, the swap.

The build never writes the live database. It copies it to a temp file beside it, writes
every change there in one transaction, closes it and renames it over the target, so a
failed or killed build leaves the previous file whole and readers keep their old file.
Rows go in through Arrow tables (`INSERT … SELECT FROM arrow`), never row by row.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

import etl
from etl.errors import RejectedInput
from etl.read import read_document

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
REGIONS_CSV = Path(__file__).parent.parent / "data" / "regions.csv"
TEST_HOOK_ENV = "ETL_BUILD_TEST_HOOK"  # tests only: "<stage>:fail" or "<stage>:sleep=<s>"

_S, _F, _I, _B = pa.string(), pa.float64(), pa.int32(), pa.bool_()
_T = pa.timestamp("us")
TABLES: dict[str, pa.Schema] = {
    "meta": pa.schema([("key", _S), ("value", _S)]),
    "reports": pa.schema(
        [("id", _S), ("sha256", _S), ("source", _S), ("file_type", _S), ("file_mtime", _T)]
        + [("agency", _S), ("agency_key", _S), ("year", _I), ("format", _S)]
        + [("province", _S), ("city", _S), ("county", _S), ("region_code", _S)]
        + [("in_ningxia", _B), ("agency_type", _S), ("status", _S)]
        + [("parser_version", _S), ("loaded_at", _T)]
    ),
    "facts": pa.schema(
        [("report_id", _S), ("table_name", _S), ("row_id", _S), ("col_id", _S)]
        + [("value", _F), ("raw", _S), ("line", _I), ("unit", _S)]
    ),
    "narrative": pa.schema(
        [("report_id", _S), ("key", _S), ("value", _F), ("evidence", _S)]
        + [("line", _I), ("approximate", _B)]
    ),
    "checks": pa.schema([("report_id", _S), ("check_id", _S), ("status", _S), ("detail", _S)]),
    "warnings": pa.schema([("report_id", _S), ("message", _S)]),
    "report_text": pa.schema([("report_id", _S), ("text", _S)]),
    "rejects": pa.schema(
        [("path", _S), ("sha256", _S), ("reason", _S), ("reason_zh", _S)]
        + [("rejected_at", _T), ("parser_version", _S)]
    ),
}
REPORT_TABLES = ("facts", "narrative", "checks", "warnings", "report_text")


def schema_version() -> str:
    """A digest of schema.sql: any change to it rebuilds the database from scratch."""
    return hashlib.sha256(SCHEMA_SQL.read_bytes()).hexdigest()[:12]


def regions_version() -> str:
    return hashlib.sha256(REGIONS_CSV.read_bytes()).hexdigest()[:12]


def utc_naive(ts: float) -> datetime:
    """A POSIX time as the naive UTC datetime DuckDB's TIMESTAMP stores."""
    return datetime.fromtimestamp(ts, tz=UTC).replace(tzinfo=None)


def test_hook(stage: str) -> None:
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
    reject: tuple[str, str] | None = None


def _columns(table: str, rows: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    names = TABLES[table].names
    return {n: [r[i] for r in rows] for i, n in enumerate(names)}


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


def parse_item(item: tuple[str, bytes, str, float]) -> Parsed:
    """Read and parse one file into column lists; any failure becomes a reject reason."""
    from etl.parse import parse_document  # imported here: the parser is the slow import

    path, data, sha, mtime = item
    try:
        doc = read_document(path.rsplit("!", 1)[-1], data)
        p = parse_document(doc, source=path, sha256=sha)
    except RejectedInput as e:
        return Parsed(path, sha, reject=(e.reason, e.reason_zh))
    except Exception as e:  # a parser bug must not stop the build: reject, with the cause
        msg = f"{type(e).__name__}: {e}".splitlines()[0][:200]
        return Parsed(path, sha, reject=(f"parser error: {msg}", f"解析出错：{msg}"))
    rid = sha[:16]
    region = p.get("region") or {}
    agency = p.get("agency")
    report = (
        rid,
        sha,
        path,
        p.get("file_type") or doc.file_type,
        utc_naive(mtime),
        agency,
        re.sub(r"\s+", "", agency) if agency else None,
        p.get("year"),
        p.get("format"),
        region.get("province"),
        region.get("city"),
        region.get("county"),
        region.get("code"),
        region.get("in_ningxia"),
        p.get("agency_type"),
        p.get("status") or "ok",
        etl.PARSER_VERSION,
        None,  # loaded_at: set by the build, one time for the whole batch
    )
    facts = [
        (rid, f["table"], f["row"], f["col"], _num(f.get("value")), f.get("raw"))
        + (f.get("line"), f.get("unit"))
        for f in p.get("facts") or []
    ]
    narrative = [
        (rid, key, _num(n.get("value")), n.get("evidence"), n.get("line"), n.get("approximate"))
        for key, n in (p.get("narrative") or {}).items()
        if n is not None
    ]
    checks = [(rid, c["id"], c["status"], c.get("detail")) for c in p.get("checks") or []]
    warnings = [(rid, str(w)) for w in p.get("warnings") or []]
    rows = {
        "reports": _columns("reports", [report]),
        "facts": _columns("facts", facts),
        "narrative": _columns("narrative", narrative),
        "checks": _columns("checks", checks),
        "warnings": _columns("warnings", warnings),
        "report_text": _columns("report_text", [(rid, p.get("text") or doc.text)]),
    }
    return Parsed(path, sha, rows=rows)


# --- the database side --------------------------------------------------------------------


@dataclass
class State:
    """What the current database holds, read before deciding what to change."""

    meta: dict[str, str]
    reports: dict[str, tuple[str, datetime | None]]  # sha256 -> (source, file_mtime)
    rejects: list[tuple[Any, ...]]  # rows of `rejects`, in TABLES order


def read_state(db_path: Path) -> State | None:
    """The current database's contents, or None when there is none (or it is unreadable).

    Opened through ATTACH on a fresh in-memory connection: `duckdb.connect(path)` may hand
    back a cached instance of a file that a previous build has since replaced.
    """
    if not db_path.exists():
        return None
    con = duckdb.connect()
    try:
        quoted = str(db_path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS cur (READ_ONLY)")
        meta = dict(con.sql("SELECT key, value FROM cur.meta").fetchall())
        if meta.get("schema_version") != schema_version():
            return State(meta, {}, [])
        reports = {
            sha: (src, mt)
            for sha, src, mt in con.sql(
                "SELECT sha256, source, file_mtime FROM cur.reports"
            ).fetchall()
        }
        cols = ", ".join(TABLES["rejects"].names)
        rejects = con.sql(f"SELECT {cols} FROM cur.rejects").fetchall()
        return State(meta, reports, rejects)
    except duckdb.Error:
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
        if not self.fresh:
            shutil.copyfile(self.db_path, self.tmp_path)
        self.con = duckdb.connect(str(self.tmp_path))
        self.con.execute("BEGIN TRANSACTION")
        self.con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))

    def insert(self, table: str, columns: dict[str, list[Any]]) -> None:
        """Bulk-insert column lists through an Arrow table."""
        schema = TABLES[table]
        arrow = pa.table({n: pa.array(columns[n], schema.field(n).type) for n in schema.names})
        if arrow.num_rows == 0:
            return
        name = f"_arrow_{table}"
        self.con.register(name, arrow)
        try:
            cols = ", ".join(schema.names)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
        finally:
            self.con.unregister(name)

    def delete_reports(self, ids: list[str]) -> None:
        if not ids:
            return
        self.con.register("_arrow_gone", pa.table({"id": pa.array(ids, _S)}))
        try:
            for table in REPORT_TABLES:
                self.con.execute(
                    f"DELETE FROM {table} WHERE report_id IN (SELECT id FROM _arrow_gone)"
                )
            self.con.execute("DELETE FROM reports WHERE id IN (SELECT id FROM _arrow_gone)")
        finally:
            self.con.unregister("_arrow_gone")

    def update_sources(self, rows: list[tuple[str, str, datetime]]) -> None:
        """A known content under a new path or mtime: update the row, keep the parse."""
        if not rows:
            return
        ids, sources, mtimes = zip(*rows, strict=True)
        upd = pa.table(
            {
                "id": pa.array(ids, _S),
                "source": pa.array(sources, _S),
                "file_mtime": pa.array(mtimes, _T),
            }
        )
        self.con.register("_arrow_upd", upd)
        try:
            self.con.execute(
                "UPDATE reports SET source = u.source, file_mtime = u.file_mtime "
                "FROM _arrow_upd u WHERE reports.id = u.id"
            )
        finally:
            self.con.unregister("_arrow_upd")

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

    def commit_and_swap(self) -> None:
        """Commit, close, flush to disk, then atomically rename over the target."""
        test_hook("before_commit")
        self.con.execute("COMMIT")
        self.con.execute("CHECKPOINT")
        self.con.close()
        with open(self.tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        test_hook("before_replace")
        os.replace(self.tmp_path, self.db_path)

    def abort(self) -> None:
        try:
            self.con.close()
        finally:
            remove_db_file(self.tmp_path)


def remove_db_file(path: Path) -> None:
    """Remove a database file and its write-ahead log, if present."""
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
