"""`python -m etl`: exit statuses, output, and builds run as separate processes
(killed mid-way, two at once, with a reader querying throughout)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from etl.__main__ import main
from etl.build import build
from etl.errors import BuildLocked
from etl.store import TEST_HOOK_ENV
from tests.conftest import ROOT, SEED_FILES

WAIT = 120  # seconds a test waits for a child process before giving up (not an assertion)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != TEST_HOOK_ENV}
    env["PYTHONPATH"] = str(ROOT)
    return env | extra


def etl_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=WAIT,
    )


def run_main(args: list[str]) -> int:
    """`python -m etl ARGS` in this process; argparse's own errors exit through SystemExit."""
    try:
        return main(args)
    except SystemExit as e:
        return int(e.code or 0)


def start_build(reports: Path, db: Path, hook: str) -> subprocess.Popen[str]:
    """A build in its own process that pauses at `hook`; returns once it has got there."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "build", "--reports", str(reports), "--db", str(db)],
        cwd=ROOT,
        env=_env(**{TEST_HOOK_ENV: hook}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stage = hook.split(":")[0]
    for line in proc.stderr:
        if line.strip() == f"etl-test-hook {stage}":
            return proc
    proc.kill()
    raise AssertionError(f"the build never reached {stage}: {proc.stdout.read()}")


def _seeds(dst: Path, files: list[Path] = SEED_FILES) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copyfile(f, dst / f.name)
    return dst


def _count(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql("SELECT count(*) FROM reports").fetchall()[0][0]
    finally:
        con.close()


def test_build_exits_0_when_everything_loads(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r"), tmp_path / "d.duckdb"
    first = etl_cli("build", "--reports", str(reports), "--db", str(db), "--no-progress")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("loaded 5, unchanged 0, removed 0, rejected 0")
    second = etl_cli("build", "--reports", str(reports), "--db", str(db), "--no-progress")
    assert second.returncode == 0
    assert second.stdout.startswith("loaded 0, unchanged 5, removed 0, rejected 0")
    assert "(not rewritten)" in second.stdout


def test_build_exits_1_when_a_file_is_rejected_and_still_loads_the_rest(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r"), tmp_path / "d.duckdb"
    (reports / "empty.txt").write_bytes(b"")
    done = etl_cli("build", "--reports", str(reports), "--db", str(db), "--no-progress")
    assert done.returncode == 1
    assert f"rejected {reports / 'empty.txt'}: empty file" in done.stdout.splitlines()
    assert _count(db) == 5


def test_progress_bar_goes_to_stderr(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r", SEED_FILES[:1]), tmp_path / "d.duckdb"
    done = etl_cli("build", "--reports", str(reports), "--db", str(db))
    assert "1/1" in done.stderr and "1/1" not in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--reports", "/nonexistent/reports"], "Error: reports folder not found"),
        (["build", "--workers", "0"], "Error: --workers must be positive"),
        (["build", "--max-mb", "nan"], "Error: the size limit must be a positive number"),
        (["build", "--max-mb", "inf"], "Error: the size limit must be a positive number"),
        (["build", "--max-mb", "-1"], "Error: the size limit must be a positive number"),
        (["build", "--db", "/tmp"], "Error: /tmp is a folder, not a database file"),
        (["build", "--db", "/dev/null"], "Error: /dev/null is a special file"),
        (["build", "--workers", "many"], "invalid int value"),
        (["frobnicate"], "invalid choice"),
        (["parse", "/nonexistent/x.txt"], "Error: no such file"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(args) == 2
    assert message in capsys.readouterr().err


def test_parse_prints_the_contract_json() -> None:
    done = etl_cli("parse", f"data/reports/{SEED_FILES[0].name}")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {"source", "sha256", "agency", "year", "format", "region", "facts"} <= set(out)
    assert {"narrative", "checks", "warnings", "status", "agency_type", "file_type"} <= set(out)
    assert out["source"] == f"data/reports/{SEED_FILES[0].name}"
    assert (out["agency"], out["year"], out["format"]) == ("固原市机关事务管理局", 2020, "2019")
    assert len(out["facts"]) == 198
    assert "固原市机关事务管理局" in done.stdout  # ensure_ascii=False


def test_parse_of_a_non_report_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prose = tmp_path / "prose.txt"
    prose.write_text("今天天气很好。\n")
    assert run_main(["parse", str(prose)]) == 1
    err = capsys.readouterr().err
    assert err == "Error: not a government information disclosure annual report\n"


def test_killed_build_leaves_the_old_database(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r"), tmp_path / "d.duckdb"
    build(reports, db, progress=False)
    before = db.read_bytes()
    extra = reports / "zz_gbk.txt"
    extra.write_bytes(SEED_FILES[1].read_text(encoding="utf-8").encode("gbk"))
    proc = start_build(reports, db, "after_flush:sleep=600")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=WAIT)
    assert db.read_bytes() == before
    assert _count(db) == 5
    assert any(p.name.startswith("d.duckdb.tmp") for p in tmp_path.iterdir())  # the debris
    summary = build(reports, db, progress=False)
    assert (summary.loaded, summary.unchanged) == (1, 5)
    assert not any(p.name.startswith("d.duckdb.tmp") for p in tmp_path.iterdir())


def test_two_builds_serialise_on_the_lock(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r"), tmp_path / "d.duckdb"
    first = start_build(reports, db, "before_replace:sleep=3")
    with pytest.raises(BuildLocked):
        build(reports, db, progress=False, wait=False)
    second = build(reports, db, progress=False)  # waits for the first, then finds it done
    out, _ = first.communicate(timeout=WAIT)
    assert first.returncode == 0 and out.startswith("loaded 5")
    assert (second.loaded, second.unchanged, second.written) == (0, 5, False)
    assert _count(db) == 5


READER = textwrap.dedent(
    """
    import json, sys, duckdb
    from pathlib import Path
    db, stop = sys.argv[1], Path(sys.argv[2])
    counts, errors = [], []
    while len(counts) < 200_000:
        try:
            con = duckdb.connect(db, read_only=True)
            counts.append(con.sql("SELECT count(*) FROM reports").fetchall()[0][0])
            # the views must work on every file a reader can see
            con.sql("SELECT count(*) FROM v_facts").fetchall()
            con.close()
        except Exception as e:
            errors.append(repr(e))
        if len(counts) == 1:
            print("ready", flush=True)
        if stop.exists() and counts[-1:] != [counts[0]]:
            break
    print(json.dumps({"counts": sorted(set(counts)), "errors": errors[:5], "n": len(counts)}))
    """
)


def test_reader_keeps_working_and_never_sees_a_half_built_database(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r", SEED_FILES[:3]), tmp_path / "d.duckdb"
    build(reports, db, progress=False)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:  # a failed step must not leave the reader polling the database for minutes
        assert reader.stdout.readline().strip() == "ready"
        _seeds(reports, SEED_FILES[3:])
        writer = start_build(reports, db, "after_flush:sleep=1,before_replace:sleep=1")
        out, err = writer.communicate(timeout=WAIT)
        assert out.startswith("loaded 2, unchanged 3")
        assert writer.returncode == 0, err
        stop.touch()
        result = json.loads(reader.communicate(timeout=WAIT)[0].splitlines()[-1])
    finally:
        reader.kill()
    assert result["errors"] == []
    assert result["counts"] == [3, 5]
