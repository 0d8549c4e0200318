"""The build: counts, idempotence, increments, removals, bad input, atomicity, workers."""

from __future__ import annotations

import io
import os
import random
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

import etl
from etl import spec
from etl.build import build, needs_build
from etl.errors import UsageError
from etl.store import TEST_HOOK_ENV, unpack_text
from tests.conftest import SEED_FILES

SEED_2019 = SEED_FILES[0]  # 000: 固原市机关事务管理局 2020, format 2019
SEED_2021 = SEED_FILES[1]  # 001: 盐池县机关事务服务中心 2021, format 2021


def _seeds(dst: Path, files: list[Path] = SEED_FILES) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copyfile(f, dst / f.name)
    return dst


def _q(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def _build(reports: Path, db: Path, **kw):
    return build(reports, db, progress=False, **kw)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    reports, db = _seeds(tmp_path / "reports"), tmp_path / "db" / "d.duckdb"
    summary = _build(reports, db)
    assert (summary.loaded, summary.unchanged, summary.rejected) == (5, 0, [])
    return reports, db


def test_seeds_load_with_every_cell_of_their_format(built) -> None:
    _, db = built
    rows = _q(
        db,
        "SELECT r.format, count(f.report_id) FROM reports r "
        "LEFT JOIN facts f ON f.report_id = r.id GROUP BY r.id, r.format, r.source ORDER BY r.source",
    )
    assert [n for _, n in rows] == [len(spec.cells(fmt)) for fmt, _ in rows]
    assert [n for _, n in rows] == [198, 200, 198, 200, 198]
    assert _q(db, "SELECT count(*) FROM regions") == [(28,)]
    assert _q(db, "SELECT count(*) FROM report_text") == [(5,)]
    meta = dict(_q(db, "SELECT key, value FROM meta"))
    assert meta["parser_version"] == etl.PARSER_VERSION and meta["demo"] == "false"
    assert {"schema_version", "built_at"} <= set(meta)


def test_report_rows_carry_id_source_and_mtime(built) -> None:
    reports, db = built
    rows = _q(db, "SELECT id, sha256, source, file_type, status FROM reports ORDER BY source")
    for (rid, sha, source, ftype, status), seed in zip(rows, SEED_FILES, strict=True):
        assert rid == sha[:16] and ftype == "txt" and status == "ok"
        assert source.endswith(f"reports/{seed.name}")
    [(mtime,)] = _q(
        db, f"SELECT epoch(file_mtime) FROM reports WHERE source LIKE '%{SEED_2019.name}'"
    )
    assert mtime == pytest.approx((reports / SEED_2019.name).stat().st_mtime, abs=1e-5)


def test_fact_lines_point_into_the_stored_text(built) -> None:
    _, db = built
    rows = _q(
        db,
        "SELECT t.text_zlib, f.line, f.raw FROM facts f JOIN report_text t USING (report_id) "
        "WHERE f.raw IS NOT NULL AND f.raw <> '' AND f.line IS NOT NULL",
    )
    assert len(rows) > 500
    for packed, line, raw in rows:
        printed = unpack_text(packed).split("\n")[line - 1]
        assert raw in printed or raw in printed.replace(" ", ""), (line, raw, printed)


def test_blank_cells_stay_null_not_zero(built) -> None:
    _, db = built
    # 002 fills only the 总计 column of table 三; its other cells are blank.
    [(nulls, zeros)] = _q(
        db,
        "SELECT count(*) FILTER (WHERE value IS NULL), count(*) FILTER (WHERE value = 0) "
        "FROM facts f JOIN reports r ON r.id = f.report_id "
        "WHERE r.source LIKE '%002_%' AND table_name = 'requests' AND col_id = 'natural'",
    )
    assert nulls > 0 and zeros == 0


def test_second_run_changes_nothing_and_leaves_the_file_alone(built) -> None:
    reports, db = built
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    summary = _build(reports, db)
    assert (summary.loaded, summary.unchanged, summary.removed) == (0, 5, 0)
    assert not summary.written and summary.rejected == []
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert not needs_build(reports, db)


def test_changed_file_is_the_only_one_reparsed(built) -> None:
    reports, db = built
    before = dict(_q(db, "SELECT source, loaded_at FROM reports"))
    target = reports / SEED_2021.name
    target.write_bytes(target.read_bytes() + "\n（修订）\n".encode())
    assert needs_build(reports, db)
    summary = _build(reports, db)
    assert (summary.loaded, summary.unchanged, summary.removed) == (1, 4, 1)
    after = dict(_q(db, "SELECT source, loaded_at FROM reports"))
    changed = [s for s in after if after[s] != before.get(s)]
    assert len(changed) == 1 and changed[0].endswith(SEED_2021.name)
    assert _q(db, "SELECT count(*) FROM reports") == [(5,)]
    assert _q(db, "SELECT count(DISTINCT report_id) FROM facts") == [(5,)]


def test_removed_file_drops_its_report_and_rows(built) -> None:
    reports, db = built
    [(rid,)] = _q(db, f"SELECT id FROM reports WHERE source LIKE '%{SEED_2019.name}'")
    (reports / SEED_2019.name).unlink()
    assert needs_build(reports, db)
    summary = _build(reports, db)
    assert (summary.loaded, summary.unchanged, summary.removed) == (0, 4, 1)
    for table in ("facts", "narrative", "checks", "warnings", "report_text"):
        assert _q(db, f"SELECT count(*) FROM {table} WHERE report_id = '{rid}'") == [(0,)]
    assert _q(db, "SELECT count(*) FROM reports") == [(4,)]


def test_renamed_file_keeps_its_parse_and_takes_the_new_path(built) -> None:
    reports, db = built
    (reports / SEED_2019.name).rename(reports / "renamed.txt")
    summary = _build(reports, db)
    assert (summary.loaded, summary.unchanged, summary.removed) == (0, 5, 0)
    assert _q(db, "SELECT count(*) FROM reports WHERE source LIKE '%renamed.txt'") == [(1,)]


def test_new_parser_version_reparses_everything(built, monkeypatch) -> None:
    reports, db = built
    monkeypatch.setattr(etl, "PARSER_VERSION", "test-next")
    assert needs_build(reports, db)
    summary = _build(reports, db)
    assert (summary.loaded, summary.unchanged) == (5, 0)
    assert _q(db, "SELECT DISTINCT parser_version FROM reports") == [("test-next",)]


def test_the_parser_version_follows_the_etl_code(tmp_path) -> None:
    """An edit to the parser's code, a comment even, gives a new version: a database an
    older parser read is read again, whether or not someone raised the release number."""
    code = tmp_path / "etl"
    shutil.copytree(Path(etl.__file__).parent, code, ignore=shutil.ignore_patterns("__pycache__"))
    assert f"{etl.RELEASE}+{etl.code_digest(code)}" == etl.PARSER_VERSION
    tables = code / "tables.py"
    tables.write_text(tables.read_text("utf-8") + "\n# a comment\n", "utf-8")
    assert etl.code_digest(code) != etl.PARSER_VERSION.split("+")[1]


def _bad_inputs(reports: Path) -> None:
    (reports / "empty.txt").write_bytes(b"")
    (reports / "random.txt").write_bytes(random.Random(7).randbytes(4000))
    (reports / "prose.txt").write_text("今天天气很好，我们去公园散步。\n这里没有任何表格。\n")
    lines = SEED_2019.read_text(encoding="utf-8").split("\n")
    cut = next(i for i, ln in enumerate(lines) if "（三）不予公开" in ln) + 3
    (reports / "truncated.txt").write_text("\n".join(lines[:cut]), encoding="utf-8")
    (reports / "gbk.txt").write_bytes(SEED_2021.read_text(encoding="utf-8").encode("gbk"))
    shutil.copyfile(SEED_FILES[2], reports / "zz_copy.txt")


def test_bad_input_is_rejected_with_a_reason_and_the_rest_loads(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "reports"), tmp_path / "d.duckdb"
    _bad_inputs(reports)
    summary = _build(reports, db)
    reasons = {Path(r.path).name: r.reason for r in summary.rejected}
    assert reasons == {
        "empty.txt": "empty file",
        "random.txt": "binary file, not text",
        "prose.txt": "not a government information disclosure annual report",
        "zz_copy.txt": f"duplicate of {summary_path(reports, SEED_FILES[2])}",
    }
    assert summary.loaded == 7  # five seeds, the GBK twin, the truncated one
    rejects = _q(db, "SELECT path, reason, reason_zh FROM rejects ORDER BY path")
    assert {Path(p).name: r for p, r, _ in rejects} == reasons
    assert all(zh for _, _, zh in rejects)


def summary_path(reports: Path, seed: Path) -> str:
    return (reports / seed.name).as_posix()


def test_truncated_report_loads_as_partial_with_a_warning(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "reports", []), tmp_path / "d.duckdb"
    _bad_inputs(reports)
    _build(reports, db)
    [(rid, status)] = _q(db, "SELECT id, status FROM reports WHERE source LIKE '%truncated.txt'")
    assert status == "partial"
    warnings = [w for (w,) in _q(db, f"SELECT message FROM warnings WHERE report_id = '{rid}'")]
    assert any("truncated" in w for w in warnings)


def test_gbk_twin_loads_the_same_figures_and_the_newer_file_is_current(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "reports", [SEED_2021]), tmp_path / "d.duckdb"
    gbk = reports / "gbk.txt"
    gbk.write_bytes(SEED_2021.read_text(encoding="utf-8").encode("gbk"))
    os.utime(reports / SEED_2021.name, (1_600_000_000, 1_600_000_000))
    os.utime(gbk, (1_700_000_000, 1_700_000_000))
    summary = _build(reports, db)
    assert summary.loaded == 2 and summary.rejected == []
    rows = _q(db, "SELECT source, n_versions, is_current FROM v_reports ORDER BY source")
    assert [(Path(s).name, n, c) for s, n, c in rows] == [
        (SEED_2021.name, 2, False),
        ("gbk.txt", 2, True),
    ]
    figures = _q(
        db,
        "SELECT count(*) FROM (SELECT table_name, row_id, col_id, value, raw FROM facts f "
        "JOIN reports r ON r.id = f.report_id WHERE r.source LIKE '%gbk.txt' "
        "EXCEPT SELECT table_name, row_id, col_id, value, raw FROM facts f "
        f"JOIN reports r ON r.id = f.report_id WHERE r.source LIKE '%{SEED_2021.name}')",
    )
    assert figures == [(0,)]


def test_rejected_files_are_not_parsed_again_and_their_dates_kept(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "reports"), tmp_path / "d.duckdb"
    _bad_inputs(reports)
    _build(reports, db)
    before = _q(db, "SELECT * FROM rejects ORDER BY path")
    mtime = db.stat().st_mtime_ns
    summary = _build(reports, db)
    assert not summary.written and db.stat().st_mtime_ns == mtime
    assert len(summary.rejected) == 4 and summary.unchanged == 7
    assert _q(db, "SELECT * FROM rejects ORDER BY path") == before


def test_zip_of_seeds_loads_every_member(tmp_path: Path) -> None:
    reports, db = tmp_path / "reports", tmp_path / "d.duckdb"
    reports.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in SEED_FILES:
            zf.write(f, f"seeds/{f.name}")
        zf.writestr("../escape.txt", SEED_FILES[0].read_bytes() + b"\n")
    (reports / "batch.zip").write_bytes(buf.getvalue())
    summary = _build(reports, db)
    assert summary.loaded == 5
    assert [r.reason for r in summary.rejected] == ["unsafe path in zip: '../escape.txt'"]
    sources = [s for (s,) in _q(db, "SELECT source FROM reports ORDER BY source")]
    assert [s.split("!")[1] for s in sources] == [f"seeds/{f.name}" for f in SEED_FILES]


def test_zip_bomb_is_rejected_and_the_seeds_still_load(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "reports"), tmp_path / "d.duckdb"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.txt", b"\0" * 3_000_000)
    (reports / "bomb.zip").write_bytes(buf.getvalue())
    summary = _build(reports, db, max_bytes=2 * 1024 * 1024)
    assert summary.loaded == 5
    assert [r.reason for r in summary.rejected] == ["zip expands to more than the 2 MB limit"]


def test_injected_failure_leaves_the_previous_database_whole(built, monkeypatch) -> None:
    reports, db = built
    before = db.read_bytes()
    (reports / SEED_2021.name).write_bytes(SEED_2021.read_bytes() + "\n附\n".encode())
    for stage in ("after_flush", "before_commit", "before_replace"):
        monkeypatch.setenv(TEST_HOOK_ENV, f"{stage}:fail")
        with pytest.raises(RuntimeError, match=stage):
            _build(reports, db)
        assert db.read_bytes() == before
        assert _q(db, "SELECT count(*) FROM reports") == [(5,)]
        assert sorted(p.name for p in db.parent.iterdir()) == [".build.lock", db.name]
    monkeypatch.delenv(TEST_HOOK_ENV)
    assert _build(reports, db).loaded == 1


def test_missing_reports_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="reports folder not found"):
        _build(tmp_path / "nope", tmp_path / "d.duckdb")


def test_needs_build_follows_the_files(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "reports", SEED_FILES[:2]), tmp_path / "d.duckdb"
    assert needs_build(reports, db)
    _build(reports, db)
    assert not needs_build(reports, db)
    shutil.copyfile(SEED_FILES[2], reports / SEED_FILES[2].name)
    os.utime(reports / SEED_FILES[2].name, (1_500_000_000, 1_500_000_000))  # older than the db
    assert needs_build(reports, db)


def _content(db: Path) -> dict[str, list[tuple]]:
    """Every table, sorted, without the load timestamps (they differ from run to run)."""
    queries = {
        "reports": "SELECT * EXCLUDE (loaded_at) FROM reports",
        "rejects": "SELECT * EXCLUDE (rejected_at) FROM rejects",
        "meta": "SELECT * FROM meta WHERE key <> 'built_at'",
    }
    out = {}
    for t in ("reports", "facts", "narrative", "checks", "warnings", "report_text", "rejects"):
        out[t] = sorted(_q(db, queries.get(t, f"SELECT * FROM {t}")), key=repr)
    out["meta"] = sorted(_q(db, queries["meta"]))
    return out


def test_two_workers_build_the_same_database_as_one(tmp_path: Path) -> None:
    reports = _seeds(tmp_path / "reports")
    _bad_inputs(reports)
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    s1 = _build(reports, one, workers=1)
    s2 = _build(reports, two, workers=2)
    assert (s1.loaded, len(s1.rejected)) == (s2.loaded, len(s2.rejected)) == (7, 4)
    assert _content(one) == _content(two)


def test_database_inside_the_reports_folder_is_not_read_as_a_report(tmp_path: Path) -> None:
    reports = _seeds(tmp_path / "reports", SEED_FILES[:2])
    db = reports / "d.duckdb"
    first = _build(reports, db)
    assert (first.loaded, first.rejected) == (2, [])
    second = _build(reports, db)
    assert (second.unchanged, second.rejected, second.written) == (2, [], False)
    assert not needs_build(reports, db)
