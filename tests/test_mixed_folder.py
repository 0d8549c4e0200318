"""Issue 4's acceptance: a folder holding the seeds as .txt, .docx, .pdf and .html, a ZIP of
them and one of each bad input builds with `python -m etl build` into exactly the seed values;
byte-identical copies are recognised as duplicates, the other formats as versions of the same
agency's year, and every bad file gets its one-line reason while the rest loads."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl.parse import parse_file
from tests import fixtures_docs as fd
from tests.conftest import ROOT, SEED_FILES

SEEDS = ["000", "001", "003"]  # both formats, tab rows and one cell per line, blank cells


def _values(db: Path, source_suffix: str) -> dict[str, dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql(
            "SELECT r.agency, f.table_name, f.row_id, f.col_id, f.value FROM facts f "
            "JOIN reports r ON r.id = f.report_id WHERE r.source LIKE ?",
            params=[f"%{source_suffix}"],
        ).fetchall()
    out: dict[str, dict] = {}
    for agency, *key, value in rows:
        out.setdefault(agency, {})[tuple(key)] = value
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if fd.cjk_font() is None:
        pytest.skip("no CJK TrueType font to write the PDF fixtures")
    d = tmp_path_factory.mktemp("mixed") / "reports"
    d.mkdir()
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        for seed in SEEDS:
            src = next(p for p in SEED_FILES if p.name.startswith(seed))
            blocks = fd.seed_blocks(src.read_text(encoding="utf-8"))
            (d / src.name).write_bytes(src.read_bytes())
            (d / f"{seed}.docx").write_bytes(fd.build_docx(blocks))
            (d / f"{seed}.pdf").write_bytes(fd.build_pdf(blocks))
            (d / f"{seed}.html").write_bytes(fd.build_html(blocks, charset="gb2312"))
            zf.writestr(f"年报/{src.name}", src.read_bytes())  # same bytes as the .txt
    (d / "seeds.zip").write_bytes(zipped.getvalue())
    bad = {
        "empty.txt": b"",
        "binary.txt": os.urandom(3000),
        "not-a-report.txt": "关于召开全体会议的通知\n\n定于下周一召开。\n".encode(),
        "broken.docx": b"PK\x03\x04not really a zip",
        "scanned.pdf": fd.build_scanned_pdf(),
    }
    for name, data in bad.items():
        (d / name).write_bytes(data)
    return d


@pytest.fixture(scope="module")
def built(folder: Path) -> tuple[Path, subprocess.CompletedProcess]:
    db = folder.parent / "d.duckdb"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "build",
            "--reports",
            str(folder),
            "--db",
            str(db),
            "--no-progress",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return db, done


def test_build_exits_1_and_names_every_bad_file(built: tuple) -> None:
    _, done = built
    assert done.returncode == 1, done.stderr
    out = done.stdout + done.stderr
    for name, reason in [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary"),
        ("not-a-report.txt", "not a government information disclosure annual report"),
        ("broken.docx", "not a valid Word document"),
        ("scanned.pdf", "scanned PDF without a text layer"),
    ]:
        line = next((ln for ln in out.splitlines() if name in ln), "")
        assert reason in line, (name, out)


def test_zip_copies_are_duplicates(built: tuple) -> None:
    db, done = built
    out = done.stdout + done.stderr
    for seed in SEEDS:
        line = next(ln for ln in out.splitlines() if "seeds.zip!" in ln and f"/{seed}_" in ln)
        assert "duplicate of" in line
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM reports WHERE source LIKE '%.zip!%'").fetchall() == [
            (0,)
        ]


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".html"])
def test_every_format_gives_exactly_the_seed_values(built: tuple, suffix: str) -> None:
    db, _ = built
    got = _values(db, suffix)
    assert len(got) == len(SEEDS)
    for seed in SEEDS:
        src = next(p for p in SEED_FILES if p.name.startswith(seed))
        want = parse_file(src)
        expected = {(f["table"], f["row"], f["col"]): f["value"] for f in want["facts"]}
        assert got[want["agency"]] == expected, (seed, suffix)


def test_the_four_formats_are_versions_of_one_report_each(built: tuple) -> None:
    db, _ = built
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql(
            "SELECT agency, year, count(*), count(*) FILTER (WHERE is_current) "
            "FROM v_reports GROUP BY agency, year ORDER BY agency"
        ).fetchall()
    assert [r[2:] for r in rows] == [(4, 1)] * len(SEEDS)
