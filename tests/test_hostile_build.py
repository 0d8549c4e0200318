"""Hostile and clumsy input to the build (issue 8): the target path, bombs, odd names,
unreadable files, damaged databases, spill folders, a full disk, odd encodings.

Each test reproduces a case that once lost data, crashed the build or misled the user.
"""

from __future__ import annotations

import io
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl import settings
from etl.build import build, needs_build
from etl.errors import EtlError, RejectedInput, UsageError
from etl.read import read_document
from etl.readers.common import MAX_PART_BYTES
from tests.conftest import ROOT, SEED_FILES
from tests.report_builder import distinct_values, report_text


def _seeds(dst: Path, n: int = 2) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for f in SEED_FILES[:n]:
        shutil.copyfile(f, dst / f.name)
    return dst


def _build(reports: Path, db: Path, **kw):
    return build(reports, db, progress=False, **kw)


def _cli(*args: str, preexec=None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args, "--no-progress"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec,
    )


# --- 1. the target of --db -------------------------------------------------------------


def test_build_refuses_to_write_over_a_report_given_as_db(tmp_path: Path) -> None:
    reports = _seeds(tmp_path / "r")
    victim = reports / SEED_FILES[0].name
    before = victim.read_bytes()
    done = _cli("build", "--reports", str(reports), "--db", str(victim))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "not a database made by this project" in done.stderr
    assert victim.read_bytes() == before


def test_build_refuses_a_plain_file_a_folder_and_someone_elses_duckdb(tmp_path: Path) -> None:
    reports = _seeds(tmp_path / "r", 1)
    text = tmp_path / "notes.txt"
    text.write_text("my notes")
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE precious AS SELECT 42 AS answer")
    con.close()
    before = other.read_bytes()
    for target, message in [
        (text, "not a database made by this project"),
        (tmp_path, "is a folder"),
        (other, "not a database made by this project"),
    ]:
        with pytest.raises(UsageError, match=message):
            _build(reports, target)
    assert text.read_text() == "my notes"
    assert other.read_bytes() == before


def test_build_refuses_a_device_before_parsing(tmp_path: Path) -> None:
    reports = _seeds(tmp_path / "r", 1)
    with pytest.raises(UsageError, match="special file"):
        _build(reports, Path("/dev/null"))
    assert Path("/dev/null").is_char_device()


def test_build_writes_over_its_own_database(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r"), tmp_path / "d.duckdb"
    assert _build(reports, db).loaded == 2
    (reports / SEED_FILES[0].name).unlink()
    s = _build(reports, db)
    assert (s.removed, s.written) == (1, True)


# --- 4. bombs and the text cap ---------------------------------------------------------


def _docx_bomb(xml_bytes: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        head = b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body>'
        z.writestr("word/document.xml", head + b" " * xml_bytes + b"</w:body></w:document>")
    return buf.getvalue()


def _pdf_bomb(stream_bytes: int) -> bytes:
    import zlib

    payload = zlib.compress(b"0" * stream_bytes, 9)
    return (
        b"%PDF-1.4\n1 0 obj << /Length " + str(len(payload)).encode() + b" /Filter /FlateDecode >>"
        b"\nstream\n" + payload + b"\nendstream\nendobj\ntrailer << >>\n%%EOF\n"
    )


def test_a_docx_bomb_is_one_reject_and_the_rest_loads(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r"), tmp_path / "d.duckdb"
    (reports / "bomb.docx").write_bytes(_docx_bomb(MAX_PART_BYTES + 1))
    (reports / "bomb.pdf").write_bytes(_pdf_bomb(MAX_PART_BYTES + 1))
    s = _build(reports, db)
    assert s.loaded == 2
    reasons = {Path(r.path).name: r.reason for r in s.rejected}
    assert "unpacks to more than" in reasons["bomb.docx"]
    assert "unpacks to more than" in reasons["bomb.pdf"]
    # The verdict is stored: the next build and an import go on as before.
    assert _build(reports, db).unchanged == 2


def test_more_text_than_a_report_holds_is_rejected() -> None:
    from etl.read import MAX_TEXT_CHARS

    with pytest.raises(RejectedInput, match="more text than a report holds"):
        read_document("huge.txt", ("公开" * (MAX_TEXT_CHARS // 2 + 1)).encode())


# --- 5. names, permissions, loops ------------------------------------------------------


def test_odd_names_and_symlink_loops_are_reject_lines(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r"), tmp_path / "d.duckdb"
    fd = os.open(os.fsencode(reports) + b"/\xff\xfe-report.txt", os.O_WRONLY | os.O_CREAT)
    os.write(fd, b"x")
    os.close(fd)
    (reports / "sub").mkdir()
    os.symlink("..", reports / "sub" / "up")  # a folder link back to an ancestor
    os.symlink("self", reports / "self")  # a link to itself: ELOOP
    s = _build(reports, db)
    assert s.loaded == 2
    reasons = {r.path.rsplit("/", 2)[-1]: r.reason for r in s.rejected}
    assert reasons["\\xff\\xfe-report.txt"] == "file name is not valid UTF-8"
    assert reasons["up"] == "symbolic link loop"
    assert "symbolic link loop" in reasons["self"]
    assert _build(reports, db).written is False  # and the next build is quiet


def test_unreadable_file_and_folder_are_reject_lines() -> None:
    """Walked in a forked child that drops root's rights (root reads any file)."""
    import json
    import tempfile

    from etl.sources import file_sources, walk_files

    base = Path(tempfile.mkdtemp(prefix="nianbao-perm-"))
    reports = _seeds(base / "r")
    for p in (base, reports):
        p.chmod(0o777)
    (reports / "locked.txt").write_text("secret")
    (reports / "locked.txt").chmod(0)
    (reports / "closed").mkdir()
    (reports / "closed" / "a.txt").write_text("x")
    (reports / "closed").chmod(0)
    os.symlink("/proc/self/mem", reports / "mem.txt")  # a file whose read fails even for root
    rd, wr = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            out = [
                (s.path, s.error.reason if s.error else None)
                for e in walk_files(reports)
                for s in file_sources(e, ".")
            ]
            os.write(wr, json.dumps(out).encode())
        finally:
            os._exit(0)
    os.close(wr)
    with os.fdopen(rd) as fh:
        got = dict(json.loads(fh.read() or "[]"))
    os.waitpid(pid, 0)
    (reports / "closed").chmod(0o755)
    shutil.rmtree(base)
    assert got["locked.txt"].startswith("file cannot be read")
    assert got["mem.txt"].startswith("file cannot be read")
    assert got["closed"].startswith("folder cannot be read")
    assert [got[f.name] for f in SEED_FILES[:2]] == [None, None]


# --- 6. a damaged database -------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "random", "empty"])
def test_a_damaged_database_is_kept_aside_and_rebuilt(tmp_path: Path, damage: str) -> None:
    reports, db = _seeds(tmp_path / "r"), tmp_path / "d.duckdb"
    _build(reports, db)
    size = db.stat().st_size
    if damage == "truncated":
        os.truncate(db, size // 2)
    elif damage == "random":
        db.write_bytes(os.urandom(size))
    else:
        db.write_bytes(b"")
    damaged = db.read_bytes()
    assert needs_build(reports, db)
    s = _build(reports, db)
    assert (s.loaded, s.written) == (2, True)
    assert s.moved_aside is not None and s.moved_aside.read_bytes() == damaged
    assert "the database was damaged: kept as" in s.lines()[1]
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("SELECT count(*) FROM reports").fetchall() == [(2,)]
    con.close()
    assert not needs_build(reports, db)


def test_an_updated_database_with_free_blocks_is_not_taken_for_damaged(tmp_path: Path) -> None:
    """Found by bench/chaos.py: after incremental builds DuckDB counts free blocks it has
    cut off the end of the file; a size check on all blocks moved a sound file aside."""
    reports, db = _seeds(tmp_path / "r", 5), tmp_path / "d.duckdb"
    _build(reports, db)
    for i in range(3):
        text = report_text("2021", distinct_values("2021"), agency=f"某某县第{i}局")
        (reports / f"extra{i}.txt").write_text(text, encoding="utf-8")
        s = _build(reports, db)
        assert (s.loaded, s.moved_aside) == (1, None)
    assert not list(tmp_path.glob("d.duckdb.broken-*"))


# --- 7. a leftover spill folder --------------------------------------------------------


def test_a_leftover_spill_folder_does_not_stop_the_build(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r"), tmp_path / "d.duckdb"
    spill = tmp_path / "d.duckdb.tmp4242.tmp"
    spill.mkdir()
    (spill / "duckdb_temp_block-1.block").write_bytes(b"x" * 100)
    assert _build(reports, db).loaded == 2
    assert not spill.exists()


# --- 8. a full disk --------------------------------------------------------------------


def _small_disk() -> None:
    """The child may write files of 300 kB at most (EFBIG, like ENOSPC, mid-write)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    reports, out = _seeds(tmp_path / "r"), tmp_path / "out"
    out.mkdir()
    done = _cli("build", "--reports", str(reports), "--db", str(out / "d.duckdb"),
                preexec=_small_disk)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("Error: could not write")
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [".build.lock"]


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_a_full_tmpfs_is_one_error_line_and_leaves_nothing(tmp_path: Path) -> None:
    reports, small = _seeds(tmp_path / "r", 5), tmp_path / "small"
    small.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(small)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        with pytest.raises(EtlError, match=r"could not write .*No space left on device"):
            _build(reports, small / "d.duckdb")
        assert sorted(p.name for p in small.iterdir()) == [".build.lock"]
    finally:
        subprocess.run(["umount", str(small)], check=False)


# --- 13. one source of settings --------------------------------------------------------


def test_settings_come_from_the_environment_and_flags_override(tmp_path: Path) -> None:
    env = {"NIANBAO_DB": str(tmp_path / "x.duckdb"), "NIANBAO_MAX_MB": "80"}
    s = settings.from_env(env)
    assert (s.db, s.reports, s.max_mb) == (tmp_path / "x.duckdb", settings.DEFAULT_REPORTS, 80)
    assert s.with_overrides(max_mb=2).max_bytes == 2 * 1024 * 1024
    assert settings.from_env({"NIANBAO_MAX_MB": "nan"}).max_mb == settings.DEFAULT_MAX_MB


def test_build_cli_and_upload_read_the_size_limit_from_one_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard import upload

    reports = _seeds(tmp_path / "r", 1)
    big = report_text("2021", distinct_values("2021"), agency="某某县档案馆")
    (reports / "big.txt").write_text(big + "\n" * (600 * 1024), encoding="utf-8")
    monkeypatch.setenv("NIANBAO_MAX_MB", "0.5")
    assert upload.max_bytes() == 512 * 1024
    s = _build(reports, tmp_path / "a.duckdb")  # no limit passed: the settings' one
    assert [r.reason for r in s.rejected] == ["file larger than the 0.5 MB limit"]
    done = _cli("build", "--reports", str(reports), "--db", str(tmp_path / "b.duckdb"),
                NIANBAO_MAX_MB="0.5")  # fmt: skip
    assert "big.txt: file larger than the 0.5 MB limit" in done.stdout
    monkeypatch.setenv("NIANBAO_MAX_MB", "2")
    assert _build(reports, tmp_path / "c.duckdb").loaded == 2


# --- 14. reasons that say what happened ------------------------------------------------


def test_big5_and_shift_jis_are_named_as_unsupported_encodings() -> None:
    import opencc

    trad = opencc.OpenCC("s2t").convert(SEED_FILES[1].read_text(encoding="utf-8"))
    with pytest.raises(RejectedInput, match=r"unsupported encoding \(Big5\)"):
        read_document("t.txt", trad.encode("big5", errors="ignore"))
    japanese = "情報公開の年次報告書です。これはテストのための文章であります。" * 5
    with pytest.raises(RejectedInput, match=r"unsupported encoding \(Shift-JIS\)"):
        read_document("j.txt", japanese.encode("shift_jis"))


def test_the_offset_of_a_bad_byte_counts_from_the_start_of_the_file() -> None:
    data = b"\xef\xbb\xbf" + "公开".encode() + b"\xff" + "报告".encode()
    with pytest.raises(RejectedInput, match=r"byte 9\)"):
        read_document("x.txt", data)


def test_an_rtf_without_libreoffice_is_told_about_rtf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(RejectedInput, match=r"LibreOffice is needed to read \.rtf"):
        read_document("x.rtf", b"{\\rtf1 hello}")


# --- 15. names that forge lines, bidi controls, the future -----------------------------


def test_a_file_name_cannot_forge_a_summary_line(tmp_path: Path) -> None:
    reports, db = _seeds(tmp_path / "r", 1), tmp_path / "d.duckdb"
    (reports / "a\nrejected evil.txt: fine.txt").write_text("not a report at all")
    lines = _build(reports, db).lines()
    assert len(lines) == 2
    assert "a\\nrejected evil.txt" in lines[1]


def test_bidi_controls_are_removed_from_the_text(tmp_path: Path) -> None:
    reports, db = tmp_path / "r", tmp_path / "d.duckdb"
    reports.mkdir()
    text = report_text("2021", distinct_values("2021"), agency="盐池县\u202e局育教\u202c")
    (reports / "bidi.txt").write_text(text, encoding="utf-8")
    assert _build(reports, db).loaded == 1
    con = duckdb.connect(str(db), read_only=True)
    (agency,) = con.sql("SELECT agency FROM reports").fetchall()[0]
    con.close()
    assert agency == "盐池县局育教"


def test_a_year_after_next_and_a_future_file_time_are_flagged(tmp_path: Path) -> None:
    reports, db = tmp_path / "r", tmp_path / "d.duckdb"
    reports.mkdir()
    far = time.gmtime().tm_year + 5
    text = report_text("2021", distinct_values("2021"), agency="某某县档案馆", year=far)
    (reports / "future.txt").write_text(text, encoding="utf-8")
    ahead = time.time() + 30 * 86400
    os.utime(reports / "future.txt", (ahead, ahead))
    assert _build(reports, db).loaded == 1
    con = duckdb.connect(str(db), read_only=True)
    year, mtime = con.sql("SELECT year, file_mtime FROM reports").fetchall()[0]
    warnings = [w for (w,) in con.sql("SELECT message FROM warnings").fetchall()]
    con.close()
    assert (year, mtime) == (None, None)
    assert any(f"report year {far} is after" in w for w in warnings)
    assert any("in the future" in w for w in warnings)
