"""导入报告's logic as plain functions: stage uploads in memory, preview them, confirm.

Why apart from the page: nothing an upload holds touches the disk until the user has seen
what was read from it, and the tests drive these functions without a browser. Staging
reads and parses each file (each member of a ZIP, through etl.sources' guards) exactly as
the build will; confirming writes the originals under the reports folder, named by
content, and runs the same build as the CLI, which swaps the database atomically.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import polars as pl

from dashboard import db, layout
from etl import build as load  # the build pipeline (etl/build.py)
from etl import settings, sources
from etl.errors import RejectedInput
from etl.parse import parse_source

MAX_MB_ENV = settings.MAX_MB_ENV
UPLOAD_TYPES = ("txt", "md", "markdown", "docx", "doc", "pdf", "html", "htm", "zip")
_UNSAFE_CHARS = re.compile(r"[^\w.\-（）()]+")


def max_mb() -> float:
    """The size limit per file in MB, as the build uses it (etl.settings)."""
    return settings.current().max_mb


def max_bytes() -> int:
    return settings.current().max_bytes


@dataclass(frozen=True)
class Replaced:
    """The report already in the database for the same agency and year."""

    report_id: str
    agency: str
    year: int
    source: str


@dataclass
class Staged:
    """One uploaded file (or ZIP member): what was read from it, or why it cannot be used."""

    name: str  # as uploaded; a ZIP member as "a.zip!folder/b.docx"
    data: bytes | None = field(default=None, repr=False)
    sha256: str | None = None
    report: dict[str, Any] | None = field(default=None, repr=False)
    reason: str | None = None  # one Chinese line when the file will not be imported
    replaces: Replaced | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None and self.reason is None

    @property
    def stored_name(self) -> str:
        """`<sha256[:16]>_<safe original name>`: the file's name under the reports folder."""
        assert self.sha256 is not None
        return f"{self.sha256[:16]}_{safe_name(self.name)}"

    def replace_notice(self) -> str | None:
        r = self.replaces
        if r is None:
            return None
        return (
            f"将替换 {r.agency} {r.year} 年的同年度报告（{r.source}），"
            "两份都会保留，新的一份为当前版本。"
        )


def safe_name(name: str) -> str:
    """The last part of an uploaded name with only letters, digits, CJK, . - ( ) left."""
    base = PurePosixPath(name.rsplit("!", 1)[-1].replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE_CHARS.sub("_", stem).strip("._-")[:80] or "report"
    suffix = _UNSAFE_CHARS.sub("", suffix)[:10]
    return f"{stem}.{suffix}" if suffix else stem


# --- staging -----------------------------------------------------------------------------


def _members(name: str, data: bytes, limit: int) -> Iterable[sources.Source]:
    """An upload as build Sources: itself, or a ZIP's members with the build's guards."""
    return sources.bytes_sources(name, data, time.time(), max_bytes=limit)


def _parse(name: str, data: bytes, sha: str) -> tuple[dict[str, Any] | None, str | None]:
    """The parse contract, or the one-line Chinese reason, exactly as the build decides."""
    try:
        return parse_source(name, data, sha)[1], None
    except RejectedInput as e:
        return None, e.reason_zh


def _in_folder(source: str, reports_dir: Path) -> str:
    """A database source path as the user knows it: relative to the reports folder."""
    try:
        return Path(source).absolute().relative_to(reports_dir.absolute()).as_posix()
    except ValueError:
        return source


def _imported_source(sha: str, reports_dir: Path) -> str | None:
    """Where the same content already is: a report in the database or a stored upload."""
    if db.db_path().exists():
        known = db.report(sha[:16])
        if known is not None:
            return _in_folder(str(known["source"]), reports_dir)
    if reports_dir.is_dir():
        for p in reports_dir.glob(f"{sha[:16]}_*"):
            if hashlib.sha256(p.read_bytes()).hexdigest() == sha:
                return p.name
    return None


def _agency_key(agency: str | None) -> str | None:
    return re.sub(r"\s+", "", agency) if agency else None


def _current_reports() -> dict[tuple[str, int], tuple[str, str]]:
    """(agency key, year) → (id, agency) of every current report in the database."""
    if not db.db_path().exists():
        return {}
    current = db.report_choices().filter(pl.col("is_current") & pl.col("year").is_not_null())
    return {
        (key, year): (rid, agency)
        for rid, agency, year in current.select("id", "agency", "year").iter_rows()
        if (key := _agency_key(agency)) is not None
    }


def _same_year_report(
    report: dict[str, Any], current: dict[tuple[str, int], tuple[str, str]], reports_dir: Path
) -> Replaced | None:
    """The current database report of the same agency and year, if there is one."""
    key, year = _agency_key(report.get("agency")), report.get("year")
    if key is None or year is None or (key, year) not in current:
        return None
    rid, agency = current[(key, year)]
    meta = db.report(rid) or {}
    return Replaced(rid, agency, year, _in_folder(str(meta.get("source", "")), reports_dir))


def stage(
    uploads: Iterable[tuple[str, bytes]], *, reports_dir: Path | None = None, limit: int = 0
) -> list[Staged]:
    """Read, parse and check every uploaded file in memory; nothing is written.

    `uploads` are (file name, bytes); `limit` is the size limit in bytes (0: NIANBAO_MAX_MB).
    """
    reports_dir = Path(reports_dir or db.reports_dir())
    limit = limit or max_bytes()
    out: list[Staged] = []
    seen: dict[str, Staged] = {}  # sha256 -> the first file with that content
    current: dict[tuple[str, int], tuple[str, str]] | None = None  # read on first need
    for upload_name, data in uploads:
        for src in _members(upload_name, data, limit):
            item = Staged(src.path)
            out.append(item)
            if src.error is not None or src.data is None:
                item.reason = src.error.reason_zh if src.error else "文件无法读取"
                continue
            item.data = src.data
            item.sha256 = sha = hashlib.sha256(src.data).hexdigest()
            first = seen.setdefault(sha, item)
            if first is not item:  # compared as objects: two uploads may share a name
                item.reason = f"与本次上传的 {first.name} 内容相同"
                continue
            existing = _imported_source(sha, reports_dir)
            if existing is not None:
                item.reason = f"与已导入的 {existing} 内容相同"
                continue
            item.report, item.reason = _parse(src.path, src.data, sha)
            if item.report is not None:
                current = _current_reports() if current is None else current
                item.replaces = _same_year_report(item.report, current, reports_dir)
    return out


# --- preview -----------------------------------------------------------------------------


def metadata(report: dict[str, Any]) -> pl.DataFrame:
    """机构, 年度, 格式, 地区, 机构类别 … as a two-column table of text."""
    meta = {**report, **(report.get("region") or {})}
    return layout.summary(meta, ("文件类型", report.get("file_type") or ""))


def table_grids(report: dict[str, Any], table: str) -> list[pl.DataFrame]:
    """One of the three tables laid out as printed (table 二 in its sections); [] if not read."""
    cells = {
        (f["table"], f["row"], f["col"]): layout.shown(f.get("value"), f.get("raw"))
        for f in report.get("facts") or []
    }
    return [grid for _, grid in layout.grids(cells, report.get("format"), table)]


def checks(report: dict[str, Any]) -> pl.DataFrame:
    """The report's checks, failed ones first (ids kept; the page names them)."""
    rows = report.get("checks") or []
    order = {"failed": 0, "not_assessable": 1, "ok": 2}
    df = pl.DataFrame(
        {
            "check_id": [c["id"] for c in rows],
            "status": [c["status"] for c in rows],
            "detail": [c.get("detail") or "" for c in rows],
        },
        schema={"check_id": pl.String, "status": pl.String, "detail": pl.String},
    )
    return df.sort(pl.col("status").replace_strict(order, default=3), "check_id")


# --- confirm -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What confirming did: the files written, the reports they hold, the build's summary."""

    written: list[Path]
    imported: list[Staged]
    summary: load.BuildSummary

    def own_rejects(self) -> list[load.Reject]:
        """The build's rejects among the files this import wrote."""
        names = {p.name for p in self.written}
        return [r for r in self.summary.rejected if Path(r.path.split("!")[0]).name in names]

    def other_rejects(self) -> int:
        """Files of the reports folder the build refused that this import did not write."""
        return len(self.summary.rejected) - len(self.own_rejects())

    def headline(self) -> str:
        s = self.summary
        return f"导入 {s.loaded} 份，未变 {s.unchanged} 份，拒收 {len(s.rejected)} 份"


def write_original(item: Staged, reports_dir: Path) -> Path:
    """Write one accepted file under the reports folder: temp name first, then os.replace.

    The temp name starts with a dot, which the build's folder walk skips.
    """
    assert item.ok and item.data is not None
    reports_dir.mkdir(parents=True, exist_ok=True)
    target = reports_dir / item.stored_name
    tmp = reports_dir / f".{item.stored_name}.tmp{os.getpid()}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(item.data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def confirm(
    staged: Iterable[Staged],
    *,
    reports_dir: Path | None = None,
    db_path: Path | None = None,
    limit: int = 0,
    on_step: Callable[[str], None] = lambda _: None,
) -> ImportResult:
    """Store the accepted files and load them with the CLI's build (lock, atomic swap).

    Only files that staged cleanly are written; `on_step` hears one Chinese line per step.
    """
    reports_dir = Path(reports_dir or db.reports_dir())
    db_path = Path(db_path or db.db_path())
    accepted = [s for s in staged if s.ok]
    written = []
    for s in accepted:
        written.append(write_original(s, reports_dir))
        on_step(f"已保存原文件：{s.stored_name}")
    on_step("正在更新数据库（其他用户在此期间仍看到原来的数据）……")
    summary = load.build(
        reports_dir, db_path, workers=1, progress=False, max_bytes=limit or max_bytes()
    )
    on_step(f"数据库已更新，用时 {summary.seconds:.1f} 秒。")
    return ImportResult(written, accepted, summary)
