"""The chaos run of issue 8: hostile files in a real folder, kills at random moments, reader
threads during swaps, two builds at once, damaged databases, a spill folder, a full disk.

    python -m bench.chaos [--kills 8] [--seconds 5] [--seed 1]

Prints one line per case, `held` or `FAILED` with what was seen, and exits 1 if any failed.
Runs as any user; as root the full disk is a 3 MB tmpfs (else a 300 kB file-size limit).
Every file it writes is under one temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import duckdb

from etl.build import one_line

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "reports").glob("*.txt"))
RESULTS: list[tuple[str, bool, str]] = []


def case(name: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Run the function as one case: its return is the detail, an AssertionError a failure."""

    def wrap(fn: Callable[[], str]) -> Callable[[], str]:
        try:
            detail, ok = fn(), True
        except AssertionError as e:
            detail, ok = str(e) or "assertion failed", False
        except Exception as e:  # a crash of the case is a failure too, shown in one line
            detail, ok = f"{type(e).__name__}: {e}".splitlines()[0][:200], False
        RESULTS.append((name, ok, detail))
        print(f"{'held  ' if ok else 'FAILED'}  {name}: {detail}", flush=True)
        return fn

    return wrap


def cli(
    *args: str, preexec: Callable[[], None] | None = None, **env: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=preexec,
    )


def count(db: Path, sql: str = "SELECT count(*) FROM reports") -> int:
    con = duckdb.connect()
    try:
        quoted = str(db).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS d (READ_ONLY)")
        con.execute("USE d")
        return con.sql(sql).fetchall()[0][0]
    finally:
        con.close()


def seed_text(i: int) -> str:
    return SEEDS[i].read_text(encoding="utf-8")


def with_agency(agency: str, year: str | None = "2021") -> str:
    """Seed 001 (盐池县机关事务服务中心 2021) under another agency name and year."""
    text = seed_text(1).replace("盐池县机关事务服务中心", agency)
    return text if year is None else text.replace("2021年", f"{year}年")


def docx_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (400 << 20) + b"</w:document>")
    return buf.getvalue()


def pdf_bomb() -> bytes:
    d = zlib.compressobj(9)
    payload = b"".join(d.compress(b"0" * (1 << 20)) for _ in range(1024)) + d.flush()
    return (
        b"%PDF-1.4\n1 0 obj << /Length "
        + str(len(payload)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + payload
        + b"\nendstream\nendobj\ntrailer << >>\n%%EOF\n"
    )


def zip_with(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def hostile_folder(base: Path) -> tuple[Path, dict[str, str]]:
    """The seeds plus every hostile file; the expected reject reason (part) of each."""
    import opencc

    reports = base / "reports"
    reports.mkdir()
    for f in SEEDS:
        shutil.copyfile(f, reports / f.name)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes | str, reason: str | None) -> None:
        (reports / name).write_bytes(data.encode() if isinstance(data, str) else data)
        if reason is not None:
            expect[name] = reason

    put("bomb.docx", docx_bomb(), "unpacks to more than")
    put("bomb.pdf", pdf_bomb(), "unpacks to more than")
    put("huge.txt", "公开" * 2_100_000, "more text than a report holds")
    put("empty.txt", b"", "empty file")
    put("binary.txt", os.urandom(4096), "")
    put("big5.txt", opencc.OpenCC("s2t").convert(seed_text(1)).encode("big5", "ignore"), "Big5")
    put(
        "sjis.txt",
        ("情報公開の年次報告書です。これは試験の文章であります。" * 5).encode("shift_jis"),
        "Shift-JIS",
    )
    put("traversal.zip", zip_with({"../../evil.txt": seed_text(0).encode()}), "unsafe path")
    put("zipbomb.zip", zip_with({"a.txt": b"0" * (60 << 20)}), "zip expands to more than")
    put(
        "encrypted.pdf",
        b"%PDF-1.4\n1 0 obj << /Encrypt 2 0 R >>\nendobj\ntrailer << /Encrypt << /Filter /Standard /V 9 >> >>\n%%EOF\n",
        "",
    )
    put("a\nrejected forged.txt: ok.txt", "not a report", "not a government information")
    put("notes.rtf", b"{\\rtf1 hello}", "")
    fd = os.open(os.fsencode(reports) + b"/\xff\xfe.txt", os.O_WRONLY | os.O_CREAT)
    os.close(fd)
    expect["\\xff\\xfe.txt"] = "not valid UTF-8"
    (reports / "loop").mkdir()
    os.symlink("..", reports / "loop" / "up")
    expect["up"] = "symbolic link loop"
    os.symlink("self", reports / "self")
    expect["self"] = "symbolic link loop"
    os.symlink("/proc/self/mem", reports / "mem.txt")
    expect["mem.txt"] = "cannot be read"
    # Loaded, but flagged or made inert:
    put("formula.txt", with_agency('=HYPERLINK("//evil.example/x","盐池县")', "2020"), None)
    put("markdown.txt", with_agency("盐池县![图](//evil.example/b.png)局", "2019"), None)
    put("bidi.txt", with_agency("盐池县\u202e局育教\u202c", "2018"), None)
    future = reports / "future.txt"
    put("future.txt", with_agency("盐池县未来局", str(time.gmtime().tm_year + 5)), None)
    ahead = time.time() + 40 * 86400
    os.utime(future, (ahead, ahead))
    return reports, expect


def run(kills: int, seconds: float, seed: int) -> int:
    rng = random.Random(seed)
    base = Path(tempfile.mkdtemp(prefix="nianbao-chaos-"))
    try:
        reports, expect = hostile_folder(base)
        db = base / "out" / "d.duckdb"

        @case("hostile files mixed into a real folder")
        def _() -> str:
            done = cli("build", "--no-progress", "--reports", str(reports), "--db", str(db))
            assert "Traceback" not in done.stderr, done.stderr[-300:]
            lines = done.stdout.splitlines()
            assert done.returncode == 1, f"exit {done.returncode}"
            rejected = [ln for ln in lines[1:] if ln.startswith("rejected ")]
            assert len(rejected) == len(lines) - 1, "a line that is not a reject line"
            for name, why in expect.items():
                shown = one_line(name)  # as the summary prints it: "\n" escaped
                hit = [ln for ln in rejected if f"/{shown}: " in ln or f"/{shown}!" in ln]
                assert len(hit) == 1, f"{name}: {len(hit)} reject lines"
                assert why in hit[0], hit[0]
            loaded = count(db)
            assert loaded == len(SEEDS) + 4, f"{loaded} reports loaded"
            year, mtime = (
                duckdb.connect(str(db), read_only=True)
                .sql("SELECT year, file_mtime FROM reports WHERE source LIKE '%future.txt'")
                .fetchall()[0]
            )
            assert (year, mtime) == (None, None), "the future was trusted"
            agencies = [
                a
                for (a,) in duckdb.connect(str(db), read_only=True)
                .sql("SELECT agency FROM reports")
                .fetchall()
                if a
            ]
            assert not any("\u202e" in a for a in agencies), "a bidi control was kept"
            return f"{loaded} loaded, {len(rejected)} one-line rejects, none forged"

        @case("--db aimed at a report, a folder, a device, a foreign DuckDB file")
        def _() -> str:
            victim = reports / SEEDS[0].name
            before = victim.read_bytes()
            foreign = base / "foreign.duckdb"
            con = duckdb.connect(str(foreign))
            con.execute("CREATE TABLE t AS SELECT 1 AS x")
            con.close()
            for target in (victim, base, Path("/dev/null"), foreign):
                done = cli("build", "--reports", str(reports), "--db", str(target))
                assert done.returncode == 2, f"{target}: exit {done.returncode}"
                assert done.stderr.count("\n") == 1, done.stderr
            assert victim.read_bytes() == before and Path("/dev/null").is_char_device()
            return "4 refusals, exit 2, one line each, nothing written"

        @case(f"{kills} builds killed at random moments")
        def _() -> str:
            for i in range(kills):
                (reports / f"touch{i}.txt").write_text(with_agency(f"盐池县第{i}局", "2017"))
                proc = subprocess.Popen(
                    [sys.executable, "-m", "etl", "build", "--no-progress", "--reports",
                     str(reports), "--db", str(db)],
                    cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
                time.sleep(rng.uniform(0.2, 3.0))
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                count(db)  # the previous database is whole
            done = cli("build", "--no-progress", "--reports", str(reports), "--db", str(db))
            assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-300:]
            left = [p.name for p in db.parent.iterdir() if ".tmp" in p.name]
            assert not left, f"leftovers {left}"
            n = count(db)
            assert n == len(SEEDS) + 4 + kills, f"{n} reports"
            return f"database whole after every kill; next build complete ({n} reports)"

        @case("two builds at once")
        def _() -> str:
            (reports / "two.txt").write_text(with_agency("盐池县并发局", "2016"))
            procs = [
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "etl",
                        "build",
                        "--no-progress",
                        "--reports",
                        str(reports),
                        "--db",
                        str(db),
                    ],
                    cwd=ROOT,
                    env={**os.environ, "PYTHONPATH": str(ROOT)},
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            outs = [p.communicate(timeout=600) for p in procs]
            assert all(p.returncode == 1 for p in procs), [o[1][-200:] for o in outs]
            assert not any("Traceback" in e for _, e in outs)
            return "both finished (the second waited for the lock), one loaded the new file"

        @case(f"4 reader threads during swaps for {seconds:g} s")
        def _() -> str:
            from dashboard import db as dashdb

            a, b = base / "va.duckdb", base / "vb.duckdb"
            shutil.copyfile(db, a)
            (reports / "swap.txt").write_text(with_agency("盐池县交换局", "2015"))
            cli("build", "--no-progress", "--reports", str(reports), "--db", str(db))
            shutil.copyfile(db, b)
            live = base / "live.duckdb"
            shutil.copyfile(a, live)
            os.environ["NIANBAO_DB"] = str(live)
            errors: list[str] = []
            queries = [0]
            stop = threading.Event()

            def reader() -> None:
                while not stop.is_set():
                    try:
                        dashdb.run_query(
                            "SELECT count(*) FROM reports r JOIN facts f ON f.report_id = r.id",
                            (),
                            dashdb.version(),
                        )
                        queries[0] += 1
                    except Exception as e:
                        errors.append(type(e).__name__)

            threads = [threading.Thread(target=reader) for _ in range(4)]
            for t in threads:
                t.start()
            swaps, end = 0, time.monotonic() + seconds
            while time.monotonic() < end:
                shutil.copyfile((a, b)[swaps % 2], base / "live.tmp")
                os.replace(base / "live.tmp", live)
                swaps += 1
                time.sleep(0.02)
            stop.set()
            for t in threads:
                t.join()
            assert not errors, f"{len(errors)} errors: {sorted(set(errors))}"
            return f"{queries[0]} queries, {swaps} swaps, 0 errors"

        for damage in ("truncated", "random bytes", "empty"):

            @case(f"a damaged database ({damage})")
            def _(damage: str = damage) -> str:
                size = db.stat().st_size
                if damage == "truncated":
                    os.truncate(db, size // 2)
                elif damage == "random bytes":
                    db.write_bytes(os.urandom(size))
                else:
                    db.write_bytes(b"")
                done = cli("build", "--no-progress", "--reports", str(reports), "--db", str(db))
                assert "the database was damaged: kept as" in done.stdout, done.stdout[:300]
                assert "Traceback" not in done.stderr
                return f"moved aside, rebuilt: {count(db)} reports"

        @case("a leftover DuckDB spill folder")
        def _() -> str:
            spill = db.with_name(f"{db.name}.tmp999.tmp")
            spill.mkdir()
            (spill / "block").write_bytes(b"x")
            (reports / "spill.txt").write_text(with_agency("盐池县溢出局", "2014"))
            done = cli("build", "--no-progress", "--reports", str(reports), "--db", str(db))
            assert done.returncode == 1 and not spill.exists(), done.stderr[-300:]
            return "removed, build complete"

        @case("a full disk")
        def _() -> str:
            mnt = base / "small"
            mnt.mkdir()
            mounted = (
                os.geteuid() == 0
                and subprocess.run(
                    ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)],
                    capture_output=True,
                ).returncode
                == 0
            )

            def small() -> None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

            try:
                done = cli("build", "--no-progress", "--reports", str(reports), "--db",
                           str(mnt / "d.duckdb"), preexec=None if mounted else small)  # fmt: skip
                assert done.returncode == 1, f"exit {done.returncode}"
                assert done.stderr.startswith("Error: could not write"), done.stderr[:300]
                assert done.stderr.count("\n") == 1, done.stderr
                left = sorted(p.name for p in mnt.iterdir())
                assert left == [".build.lock"], f"leftovers {left}"
            finally:
                if mounted:
                    subprocess.run(["umount", str(mnt)], check=False)
            kind = "3 MB tmpfs" if mounted else "300 kB file-size limit"
            return f"{kind}: one line `{done.stderr.strip()[:70]}…`, no leftovers"

        @case("exports and labels of hostile names")
        def _() -> str:
            import polars as pl

            from dashboard import export, formatting

            evil = '=HYPERLINK("//evil.example/x","盐池县")'
            csv = export.csv_bytes(pl.DataFrame({"机构": [evil]})).decode("utf-8-sig")
            assert "'=HYPERLINK" in csv
            book = zipfile.ZipFile(
                io.BytesIO(export.xlsx_bytes({"s": pl.DataFrame({"a": [evil]})}))
            )
            assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()
            label = formatting.plain("盐池县![图](//evil.example/b.png)局*斜体*:red[x]")
            assert "![" not in label and "](" not in label and ":red[" not in label
            return "CSV apostrophe, XLSX text cells, Markdown escaped"

    finally:
        os.environ.pop("NIANBAO_DB", None)
        for p in base.rglob("*"):
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)
    failed = [n for n, ok, _ in RESULTS if not ok]
    print(
        f"\n{len(RESULTS) - len(failed)}/{len(RESULTS)} cases held"
        + (f"; failed: {failed}" if failed else "")
    )
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    return run(args.kills, args.seconds, args.seed)


if __name__ == "__main__":
    sys.exit(main())
