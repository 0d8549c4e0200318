"""导入报告: staging, preview, confirm (dashboard/upload.py) and the page through AppTest.

Every test works on a copy of the seeds in tmp_path with a database the real build made
from it; NIANBAO_DB / NIANBAO_REPORTS point there, so data/ is never touched.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import polars as pl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import db, upload
from etl import build, spec
from etl.readers.doc import soffice
from tests import fixtures_docs as fd
from tests.conftest import ROOT

SEED_000 = next((ROOT / "data" / "reports").glob("000_*.txt"))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.fixture
def env(tmp_path: Path, seed_dir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(reports folder, database) built from a copy of the seeds; the app's env points there."""
    reports = tmp_path / "reports"
    shutil.copytree(seed_dir, reports)
    db_path = tmp_path / "db" / "disclosure.duckdb"
    build.build(reports, db_path, progress=False)
    monkeypatch.setenv("NIANBAO_DB", str(db_path))
    monkeypatch.setenv("NIANBAO_REPORTS", str(reports))
    monkeypatch.delenv(upload.MAX_MB_ENV, raising=False)
    st.cache_data.clear()
    return reports, db_path


def seed_variant(name: str, year_from: str, year_to: str) -> bytes:
    """A seed as a new report: the same agency, another year."""
    return fd.seed_text(name).replace(year_from, year_to).encode()


def docx_of(name: str) -> bytes:
    return fd.build_docx(fd.seed_blocks(fd.seed_text(name)))


def one(uploads: list[tuple[str, bytes]], **kw) -> upload.Staged:
    staged = upload.stage(uploads, **kw)
    assert len(staged) == 1
    return staged[0]


def shown_text(item: upload.Staged) -> str:
    """Everything the preview would put on screen for one file, as one string."""
    r = item.report or {}
    frames = [upload.metadata(r), upload.checks(r)]
    for t in spec.TABLES:
        frames += upload.table_grids(r, t)
    return "\n".join(str(f.rows()) + str(f.columns) for f in frames) + str(r.get("warnings"))


# --- staging and preview ----------------------------------------------------------------


def test_docx_is_previewed_with_metadata_and_three_tables(env) -> None:
    item = one([("盐池县.docx", docx_of("001"))])
    assert item.ok and item.reason is None
    meta = dict(upload.metadata(item.report).iter_rows())
    assert meta["机构"] == "盐池县机关事务服务中心"
    assert meta["年度"] == "2021"
    assert meta["报告格式"] == "2021版"
    assert meta["所属地区"] == "宁夏回族自治区 吴忠市 盐池县"
    assert meta["文件类型"] == "docx"
    active = upload.table_grids(item.report, "active")
    assert active[0].columns == ["项目", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert active[0]["项目"].to_list() == ["规章", "规范性文件"]
    (requests,) = upload.table_grids(item.report, "requests")
    assert requests.height == len(spec.REQUEST_ROWS["2021"])
    assert requests.columns[1:] == [spec.COL_NAMES[c] for c in spec.REQUEST_COLS]
    (appeals,) = upload.table_grids(item.report, "appeals")
    assert appeals["项目"].to_list() == [spec.ROW_NAMES[r] for r in spec.APPEAL_ROWS]
    checks = upload.checks(item.report)
    assert checks.height > 0 and set(checks["status"]) <= {"ok", "failed", "not_assessable"}


def test_blank_stays_empty_and_marks_are_shown_as_printed(env) -> None:
    text = SEED_000.read_text(encoding="utf-8").replace("规章\t0\t0\t0", "规章\t/\t0\t", 1)
    item = one([("marks.txt", text.encode())])
    assert item.ok
    rules = upload.table_grids(item.report, "active")[0].row(0, named=True)
    assert rules == {
        "项目": "规章",
        "本年新制作数量": "/",
        "本年新公开数量": "0",
        "对外公开总数量": "",
    }
    # seed 003 leaves the five 行政复议 cells of table 四 empty: blank, not 0
    html = fd.build_html(fd.seed_blocks(fd.seed_text("003")))
    (appeals,) = upload.table_grids(one([("003.html", html)]).report, "appeals")
    assert appeals.row(0)[1:] == ("", "", "", "", "")


def test_failed_checks_come_first(env) -> None:
    lines = SEED_000.read_text(encoding="utf-8").split("\n")
    # 本年新收·总计 printed as 5 while every applicant column is 0: the report fails checks
    i = next(k for k, ln in enumerate(lines) if ln.startswith("一、本年新收"))
    cells = lines[i].split("\t")
    assert cells[8] == "0"
    cells[8] = "5"
    lines[i] = "\t".join(cells)
    item = one([("broken.txt", "\n".join(lines).encode())])
    assert item.ok
    checks = upload.checks(item.report)
    statuses = checks["status"].to_list()
    assert "failed" in statuses
    assert statuses == sorted(statuses, key=["failed", "not_assessable", "ok"].index)
    assert "requests.applicants.new" in checks.filter(checks["status"] == "failed")["check_id"]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_word_97_doc_is_previewed(env, tmp_path: Path) -> None:
    src = tmp_path / "r.docx"
    src.write_bytes(fd.build_docx(fd.seed_blocks(seed_variant("004", "2019", "2018").decode())))
    subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "doc", "--outdir", str(tmp_path / "out"), str(src)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    item = one([("信访局.doc", (tmp_path / "out" / "r.doc").read_bytes())])
    assert item.ok, item.reason
    assert (item.report["agency"], item.report["year"]) == ("固原市信访局", 2018)
    assert item.report["file_type"] == "doc"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "空文件"),
        ("blank.docx", b" \r\n\t ", "空文件"),
        ("picture.txt", PNG, "二进制文件，不是文本"),
        ("picture.docx", PNG, "不是有效的 Word 文档"),
        ("picture.pdf", PNG, "不是 PDF 文件"),
        (
            "letter.txt",
            "关于召开会议的通知\n请各单位准时参加。\n".encode(),
            "不是政府信息公开工作年度报告",
        ),
        ("table.xlsx", b"PK\x03\x04 not really", "不支持的文件类型“.xlsx”"),
    ],
)
def test_bad_file_has_its_chinese_reason(env, name: str, data: bytes, reason: str) -> None:
    item = one([(name, data)])
    assert not item.ok
    assert item.reason == reason


def test_encrypted_and_scanned_pdfs_are_refused(env) -> None:
    encrypted = fd.build_pdf_plain(["规章\t0\t0\t0"], encrypt_password="secret")
    assert one([("locked.pdf", encrypted)]).reason == "PDF 已加密，无法读取"
    assert one([("scan.pdf", fd.build_scanned_pdf())]).reason == "扫描件，无文字层"


def test_file_over_the_size_limit_is_refused(env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(upload.MAX_MB_ENV, "1")
    assert upload.max_bytes() == 1024 * 1024
    big = SEED_000.read_bytes() + b"\n" * (1024 * 1024)
    assert one([("big.txt", big)]).reason == "文件超过 1 MB 上限"


def test_size_limit_falls_back_to_50_mb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(upload.MAX_MB_ENV, "lots")
    assert upload.max_mb() == 50
    monkeypatch.delenv(upload.MAX_MB_ENV)
    assert upload.max_mb() == 50


def test_html_report_is_read_without_its_script_text(env) -> None:
    page = fd.build_html(fd.seed_blocks(fd.seed_text("004")), charset="gb2312")
    assert fd.SCRIPT_MARK.encode() in page
    item = one([("report.htm", page)])
    assert item.ok, item.reason
    assert item.report["agency"] == "固原市信访局"
    assert fd.SCRIPT_MARK not in shown_text(item)


def test_zip_members_are_staged_one_by_one_with_the_build_guards(env) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2022/盐池县.txt", seed_variant("001", "2021", "2022"))
        zf.writestr("../../etc/evil.txt", b"x")
        zf.writestr("scan.pdf", fd.build_scanned_pdf())
        zf.writestr("picture.txt", PNG)
    staged = upload.stage([("批量.zip", buf.getvalue())])
    by_name = {s.name: s for s in staged}
    assert set(by_name) == {
        "批量.zip!2022/盐池县.txt",
        "批量.zip!../../etc/evil.txt",
        "批量.zip!scan.pdf",
        "批量.zip!picture.txt",
    }
    good = by_name["批量.zip!2022/盐池县.txt"]
    assert good.ok and good.report["year"] == 2022
    assert good.stored_name == f"{good.sha256[:16]}_盐池县.txt"
    assert by_name["批量.zip!../../etc/evil.txt"].reason == "zip 中的路径不安全：../../etc/evil.txt"
    assert by_name["批量.zip!scan.pdf"].reason == "扫描件，无文字层"
    assert by_name["批量.zip!picture.txt"].reason == "二进制文件，不是文本"


def test_zip_bomb_is_refused(env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(upload.MAX_MB_ENV, "1")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.txt", b"0" * (8 * 1024 * 1024))
    assert len(buf.getvalue()) < 1024 * 1024  # small on the wire, 8 MB unpacked
    (item,) = upload.stage([("bomb.zip", buf.getvalue())])
    assert item.reason == "zip 解压后超过 1 MB 上限"


def test_same_content_twice_is_refused_within_the_upload_and_against_the_folder(env) -> None:
    variant = seed_variant("001", "2021", "2022")
    first, again, seed = upload.stage(
        [("a.txt", variant), ("b.txt", variant), ("copy.txt", SEED_000.read_bytes())]
    )
    assert first.ok
    assert again.reason == "与本次上传的 a.txt 内容相同"
    assert seed.reason is not None
    assert seed.reason.startswith("与已导入的 ") and seed.reason.endswith(" 内容相同")
    assert seed.reason == f"与已导入的 {SEED_000.name} 内容相同"
    # the same file chosen twice under one name counts once
    once, twice = upload.stage([("a.txt", variant), ("a.txt", variant)])
    assert once.ok and twice.reason == "与本次上传的 a.txt 内容相同"


def test_same_agency_and_year_says_it_will_replace(env) -> None:
    item = one([("盐池县.docx", docx_of("001"))])
    assert item.replaces is not None
    assert item.replaces.agency == "盐池县机关事务服务中心" and item.replaces.year == 2021
    notice = item.replace_notice()
    seed_001 = next(env[0].glob("001_*")).name
    assert notice.startswith(f"将替换 盐池县机关事务服务中心 2021 年的同年度报告（{seed_001}）")
    assert "两份都会保留，新的一份为当前版本" in notice
    new_year = one([("2022.txt", seed_variant("001", "2021", "2022"))])
    assert new_year.replaces is None and new_year.replace_notice() is None


def test_safe_name_keeps_only_the_last_part_and_plain_characters() -> None:
    assert upload.safe_name("../../evil name?.txt") == "evil_name.txt"
    assert upload.safe_name("批量.zip!2022/固原市 信访局<年报>.DOCX") == "固原市_信访局_年报.DOCX"
    assert upload.safe_name("....") == "report"


# --- confirm -------------------------------------------------------------------------------


def test_confirm_writes_originals_by_hash_and_loads_them(env) -> None:
    reports, _ = env
    docx = docx_of("001")
    variant = seed_variant("001", "2021", "2022")
    staged = upload.stage([("盐池县.docx", docx), ("新.txt", variant), ("empty.txt", b"")])
    steps: list[str] = []
    result = upload.confirm(staged, limit=upload.max_bytes(), on_step=steps.append)

    sha_docx = hashlib.sha256(docx).hexdigest()
    sha_txt = hashlib.sha256(variant).hexdigest()
    assert sorted(p.name for p in result.written) == sorted(
        [f"{sha_docx[:16]}_盐池县.docx", f"{sha_txt[:16]}_新.txt"]
    )
    assert (reports / f"{sha_docx[:16]}_盐池县.docx").read_bytes() == docx
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]  # no temp files left
    assert result.summary.loaded == 2 and result.summary.unchanged == 5
    assert result.headline() == "导入 2 份，未变 5 份，拒收 0 份"
    assert result.own_rejects() == []
    assert any("数据库已更新" in s for s in steps)

    # read through the dashboard's own module: it reopens the file the build swapped in
    reports_now = db.report_choices().filter(pl.col("agency") == "盐池县机关事务服务中心")
    rows = set(reports_now.select("id", "year", "is_current").iter_rows())
    seed_id = hashlib.sha256(next(reports.glob("001_*")).read_bytes()).hexdigest()[:16]
    assert (
        rows
        == {
            (seed_id, 2021, False),  # kept, no longer current
            (sha_docx[:16], 2021, True),  # the new one is current
            (sha_txt[:16], 2022, True),
        }
    )
    assert db.report(sha_txt[:16])["source"].endswith(f"{sha_txt[:16]}_新.txt")
    # staged again, the same file is now already imported
    again = one([("again.docx", docx)])
    assert again.reason == f"与已导入的 {sha_docx[:16]}_盐池县.docx 内容相同"


def test_confirm_with_nothing_accepted_writes_nothing(env) -> None:
    reports, _ = env
    before = sorted(p.name for p in reports.iterdir())
    result = upload.confirm(upload.stage([("empty.txt", b"")]), limit=upload.max_bytes())
    assert result.written == [] and result.summary.loaded == 0
    assert sorted(p.name for p in reports.iterdir()) == before


# --- the page ------------------------------------------------------------------------------


def page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return at.switch_page("pages/import.py").run()


def test_page_renders_without_files(env) -> None:
    at = page()
    assert not at.exception
    assert at.title[0].value == "导入报告"
    assert at.info[0].value.startswith("还没有选择文件")
    assert not at.button


def test_page_previews_then_imports_and_links_to_the_new_report(env) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()  # 总览 first
    assert tuple(at.slider(key="f_years").value) == (2019, 2023)
    at.switch_page("pages/import.py").run()
    variant = seed_variant("003", "2023", "2024")
    at.file_uploader[0].set_value(
        [
            ("盐池县.docx", docx_of("001"), "application/octet-stream"),
            ("新.txt", variant, "text/plain"),
            ("letter.txt", "你好".encode(), "text/plain"),
        ]
    ).run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["2 份", "1 个"]
    assert any("将替换 盐池县机关事务服务中心 2021 年" in w.value for w in at.warning)
    assert len(at.expander) == 2
    assert list(at.dataframe[0].value["原因"]) == ["不是政府信息公开工作年度报告"]
    assert at.button(key="import_confirm").label == "确认导入（2 份）"

    at.button(key="import_confirm").click().run()
    assert not at.exception
    assert at.success[0].value == "导入完成：导入 2 份，未变 5 份，拒收 0 份。"
    links = at.get("page_link")
    sha = hashlib.sha256(variant).hexdigest()[:16]
    assert any(link.proto.query_string == f"report={sha}" for link in links)
    assert not at.file_uploader[0].value  # the uploader starts empty again

    # the sidebar's year range covered every year; it still does, the new 2024 included
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert tuple(at.slider(key="f_years").value) == (2019, 2024)

    at.switch_page("pages/report.py").run()
    at.query_params["report"] = sha
    at.run()
    assert not at.exception
    assert any("2024年" in str(h.value) for h in at.subheader)


def test_no_report_text_is_rendered_as_html() -> None:
    for path in (ROOT / "pages" / "import.py", ROOT / "dashboard" / "upload.py"):
        assert "unsafe_allow_html" not in path.read_text(encoding="utf-8")
