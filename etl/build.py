"""Stage 8, build: the DuckDB file from a folder of report files (writing: etl.store).

The build is idempotent (nothing changed → the file is not touched), incremental (only
content whose sha256 is new to this parser version is parsed; a removed file drops its
report), atomic (see etl.store.Writer) and serialised by a lock file beside the database.
Bad files never stop it: each is listed with a one-line reason and the rest still load.
"""

from __future__ import annotations

import fcntl
import hashlib
import multiprocessing
import os
import sys
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from tqdm import tqdm

import etl
from etl import settings
from etl.errors import BuildLocked, EtlError, RejectedInput, UsageError
from etl.sources import FileEntry, display_path, file_sources, shown_path, walk_files
from etl.store import (
    Parsed,
    State,
    Writer,
    columns,
    file_time,
    hook_for_tests,
    parse_item,
    read_state,
    regions_version,
    remove_db_file,
    schema_version,
    target_kind,
    utc_naive,
)

BATCH_REPORTS = 2000  # parsed reports held in memory before they are written
BATCH_BYTES = 64 * 1024 * 1024  # file bytes sent to the workers per batch

Item = tuple[str, bytes, str, float]  # display path, bytes, sha256, mtime


@dataclass(frozen=True)
class Reject:
    """A file that was not loaded, and why (one line in English and in Chinese)."""

    path: str
    reason: str
    reason_zh: str | None = None
    sha256: str | None = None
    by_content: bool = False  # refused by the reader or parser: same bytes, same verdict


@dataclass
class BuildSummary:
    """What a build did. `written` is False when the database file was left untouched."""

    db_path: Path
    loaded: int = 0
    unchanged: int = 0
    removed: int = 0
    rejected: list[Reject] = field(default_factory=list)
    written: bool = False
    seconds: float = 0.0
    moved_aside: Path | None = None  # a damaged database kept under this name, then rebuilt

    def lines(self) -> list[str]:
        head = (
            f"loaded {self.loaded}, unchanged {self.unchanged}, removed {self.removed}, "
            f"rejected {len(self.rejected)} → {one_line(str(self.db_path))}"
            + ("" if self.written else " (not rewritten)")
            + f" in {self.seconds:.2f} s"
        )
        out = [head]
        if self.moved_aside is not None:
            out.append(
                f"the database was damaged: kept as {one_line(str(self.moved_aside))}, rebuilt"
            )
        return out + [f"rejected {one_line(r.path)}: {one_line(r.reason)}" for r in self.rejected]


def one_line(text: str) -> str:
    """Text for one line of the summary: control and bidi characters shown escaped, so a
    file name cannot forge a line or reorder what follows it."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp") or 0xDC80 <= ord(ch) <= 0xDCFF:
            out.append(repr(ch)[1:-1] if ord(ch) < 0x10000 and cat == "Cc" else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def lock_path(db_path: Path) -> Path:
    return db_path.parent / ".build.lock"


@contextmanager
def build_lock(db_path: Path, *, wait: bool = True) -> Iterator[None]:
    """Hold the build lock: a second build waits for the first instead of failing."""
    fh = open(lock_path(db_path), "a+")  # noqa: SIM115 - released by closing, below
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise BuildLocked(f"another build of {db_path} is running") from None
        yield
    finally:
        fh.close()


def fingerprint(files: Iterable[FileEntry]) -> str:
    """A digest of the names, sizes and mtimes of the files: tells additions and removals."""
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.rel}\0{f.size}\0{f.mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def report_files(reports_dir: Path, db_path: Path) -> list[FileEntry]:
    """The files a build reads: all below `reports_dir` but the database and its temp files,
    should they live there."""
    files = walk_files(reports_dir)
    try:
        own = db_path.absolute().relative_to(reports_dir.absolute()).as_posix()
    except ValueError:
        return files
    return [f for f in files if not f.rel.startswith(own)]


def needs_build(reports_dir: Path, db_path: Path) -> bool:
    """True when the database is missing or stale: a report file added, changed or removed,
    or another parser version, schema or gazetteer."""
    reports_dir, db_path = Path(reports_dir), Path(db_path)
    if not db_path.exists():
        return True
    if not reports_dir.is_dir():
        return False
    state = read_state(db_path)
    if state is None or _stale_meta(state.meta):
        return True
    files = report_files(reports_dir, db_path)
    db_mtime = db_path.stat().st_mtime
    if any(f.mtime > db_mtime for f in files):
        return True
    return state.meta.get("sources_fingerprint") != fingerprint(files)


def _stale_meta(meta: dict[str, str]) -> bool:
    return (
        meta.get("schema_version") != schema_version()
        or meta.get("parser_version") != etl.PARSER_VERSION
        or meta.get("regions_version") != regions_version()
    )


def build(
    reports_dir: Path,
    db_path: Path,
    *,
    workers: int = 1,
    progress: bool = True,
    max_bytes: int | None = None,
    wait: bool = True,
    demo: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Bring the database at `db_path` up to date with the files below `reports_dir`.

    `demo` marks the data as simulated (meta demo='true', the app's banner); a database
    built with the other setting is rebuilt from scratch, so demo and real reports never mix.
    Raises UsageError when `reports_dir` is not a folder or `db_path` is anything but a
    database this project made (or nothing): a folder, a device, a report, someone else's
    DuckDB file — checked before anything is parsed. A damaged database is moved aside
    (kept) and rebuilt. BuildLocked when `wait` is False and another build holds the lock;
    EtlError with one line when the disk fails (full, read-only): no temp file is left.
    Rejected files are in the summary, not raised. `on_progress(done, total)` is called
    as files are read (the app's progress bar); `max_bytes` defaults to the settings'.
    """
    reports_dir, db_path = Path(reports_dir), Path(db_path)
    if max_bytes is None:
        max_bytes = settings.current().max_bytes
    if not reports_dir.is_dir():
        raise UsageError(f"reports folder not found: {reports_dir}")
    if target_kind(db_path) == "foreign":
        raise UsageError(
            f"{db_path} is not a database made by this project; refusing to write over it"
        )
    started = time.perf_counter()
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(db_path, wait=wait):
            for stale in db_path.parent.glob(f"{db_path.name}.tmp*"):
                if not stale.name.endswith(".wal"):
                    remove_db_file(stale)  # left by a killed build; we hold the lock
            moved = _move_aside_if_broken(db_path)
            run = _Run(reports_dir, db_path, workers, progress, max_bytes, demo, on_progress)
            summary = run.run()
            summary.moved_aside = moved
    except (OSError, duckdb.Error) as e:
        raise EtlError(f"could not write {db_path}: {_first_line(e)}") from e
    summary.seconds = time.perf_counter() - started
    return summary


def _first_line(e: BaseException) -> str:
    text = getattr(e, "strerror", None) or str(e) or type(e).__name__
    return one_line(text.strip().splitlines()[0] if text.strip() else type(e).__name__)


def _move_aside_if_broken(db_path: Path) -> Path | None:
    """A damaged database (unreadable, truncated, empty) is renamed, not deleted: its name
    gets `.broken-<UTC time>`, and the build starts from the report files."""
    if target_kind(db_path) != "broken":
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.broken-{stamp}")
    n = 1
    while aside.exists():
        aside = db_path.with_name(f"{db_path.name}.broken-{stamp}-{n}")
        n += 1
    os.replace(db_path, aside)
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists():
        os.replace(wal, aside.with_name(aside.name + ".wal"))
    return aside


def _batches(items: Iterator[Item]) -> Iterator[list[Item]]:
    batch: list[Item] = []
    size = 0
    for item in items:
        batch.append(item)
        size += len(item[1])
        if len(batch) >= BATCH_REPORTS or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def parse_stream(items: Iterator[Item], workers: int) -> Iterator[Parsed]:
    """Parse items in order; with workers > 1 in a process pool, one batch kept in flight."""
    if workers <= 1:
        yield from map(parse_item, items)
        return
    batches = _batches(items)
    first = next(batches, None)
    if first is None:
        return
    # forkserver: the app that calls build() holds threads and DuckDB handles; fork is unsafe.
    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_parser_worker) as pool:
        pending: deque[Iterator[Parsed]] = deque()
        for batch in _chain(first, batches):
            chunk = max(1, min(64, len(batch) // (workers * 4)))
            pending.append(pool.map(parse_item, batch, chunksize=chunk))
            if len(pending) > 1:
                yield from pending.popleft()
        while pending:
            yield from pending.popleft()


def _parser_worker() -> None:
    from etl.parse import parser_process  # the parser is the slow import: in workers only

    parser_process()


def _chain(first: list[Item], rest: Iterator[list[Item]]) -> Iterator[list[Item]]:
    yield first
    yield from rest


class _Run:
    """One build: classify every source, parse what is new, write the difference."""

    def __init__(
        self,
        reports_dir: Path,
        db_path: Path,
        workers: int,
        progress: bool,
        max_bytes: int,
        demo: bool = False,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.on_progress = on_progress
        self.reports_dir, self.db_path = reports_dir, db_path
        self.workers, self.progress, self.max_bytes = workers, progress, max_bytes
        self.demo = "true" if demo else "false"
        self.now = utc_naive(time.time())
        self.state: State | None = read_state(db_path)
        self.fresh = (
            self.state is None
            or _stale_meta(self.state.meta)
            or self.state.meta.get("demo", "false") != self.demo
        )
        old = self.state if self.state is not None and not self.fresh else State({}, {}, [])
        self.old = old
        self.old_verdicts = {
            r["sha256"]: (r["reason"], r["reason_zh"])
            for r in old.rejects
            if r["sha256"] and r["parser_version"] == etl.PARSER_VERSION
        }
        self.summary = BuildSummary(db_path)
        self.seen: dict[str, str] = {}  # sha256 -> first path with that content
        self.kept: set[str] = set()  # sha256 of the reports the new database holds
        self.updates: list[tuple[str, str, datetime | None]] = []
        self.writer: Writer | None = None
        self.acc: dict[str, dict[str, list[Any]]] = {}
        self.n_acc = 0

    def run(self) -> BuildSummary:
        files = report_files(self.reports_dir, self.db_path)
        # Taken before reading: a file changed during the build makes the next check stale.
        stamp = fingerprint(files)
        if not self.fresh and self.old.meta.get("sources_fingerprint") == stamp:
            # No file was added, removed or touched since the last build (names, sizes and
            # mtimes agree): nothing is read or hashed, the database stays as it is.
            self.summary.unchanged = len(self.old.reports)
            self.summary.rejected = [
                Reject(
                    r["path"],
                    r["reason"],
                    r["reason_zh"],
                    r["sha256"],
                    by_content=r["parser_version"] is not None,
                )
                for r in self.old.rejects
            ]
            return self.summary
        try:
            with tqdm(
                total=len(files), unit="file", file=sys.stderr, disable=not self.progress
            ) as bar:
                for parsed in parse_stream(self.classify(files, bar), self.workers):
                    self.add(parsed)
            self.flush()
            self.finish(stamp)
        except BaseException:
            if self.writer is not None:
                self.writer.abort()
            raise
        return self.summary

    def reject(self, r: Reject) -> None:
        self.summary.rejected.append(r)

    def known_unchanged(self, entry: FileEntry, base: str) -> str | None:
        """The sha256 of a file the database already holds under the same path, size and
        mtime: it is neither read nor hashed again. Never for a ZIP (its members are the
        reports) nor a file whose time is in the future (not stored)."""
        if entry.error is not None or entry.rel.lower().endswith(".zip"):
            return None
        known = self.old.files.get(shown_path(entry, base))
        if known is None:
            return None
        sha, mtime, size = known
        if mtime is None or size != entry.size or file_time(entry.mtime) != mtime:
            return None
        if self.seen.get(sha, None) not in (None, shown_path(entry, base)):
            return None  # the same content seen under another path: read it, call it a duplicate
        return sha

    def classify(self, files: list[FileEntry], bar: tqdm) -> Iterator[Item]:
        """Sort every source into rejected, duplicate, unchanged, or to be parsed."""
        base = display_path(self.reports_dir)
        for done, entry in enumerate(files, 1):
            sha = self.known_unchanged(entry, base)
            if sha is not None:
                self.seen.setdefault(sha, shown_path(entry, base))
                self.summary.unchanged += 1
                self.kept.add(sha)
                bar.update(1)
                if self.on_progress is not None:
                    self.on_progress(done, len(files))
                continue
            for src in file_sources(entry, base, max_bytes=self.max_bytes):
                if src.error is not None or src.data is None:
                    reason, zh = (src.error.reason, src.error.reason_zh) if src.error else ("", "")
                    self.reject(Reject(src.path, reason or "unreadable file", zh or "文件无法读取"))
                    continue
                sha = hashlib.sha256(src.data).hexdigest()
                first = self.seen.setdefault(sha, src.path)
                if first != src.path:
                    self.reject(
                        Reject(src.path, f"duplicate of {first}", f"与 {first} 内容相同", sha)
                    )
                elif sha in self.old.reports:
                    self.summary.unchanged += 1
                    self.kept.add(sha)
                    mtime = file_time(src.mtime)
                    if self.old.reports[sha] != (src.path, mtime):
                        self.updates.append((sha[:16], src.path, mtime))
                elif sha in self.old_verdicts:
                    reason, zh = self.old_verdicts[sha]
                    self.reject(Reject(src.path, reason, zh, sha, by_content=True))
                else:
                    yield (src.path, src.data, sha, src.mtime)
            bar.update(1)
            if self.on_progress is not None:
                self.on_progress(done, len(files))

    def add(self, p: Parsed) -> None:
        if p.rows is None:
            err = p.reject or RejectedInput("unknown", "未知原因")
            self.reject(Reject(p.path, err.reason, err.reason_zh, p.sha256, by_content=True))
            return
        self.summary.loaded += 1
        self.kept.add(p.sha256)
        p.rows["reports"]["loaded_at"] = [self.now]
        for table, cols in p.rows.items():
            acc = self.acc.setdefault(table, {n: [] for n in cols})
            for name, values in cols.items():
                acc[name].extend(values)
        self.n_acc += 1
        if self.n_acc >= BATCH_REPORTS:
            self.flush()

    def open_writer(self) -> Writer:
        if self.writer is None:
            self.writer = Writer(self.db_path, fresh=self.fresh)
        return self.writer

    def flush(self) -> None:
        if not self.n_acc:
            return
        w = self.open_writer()
        for table, cols in self.acc.items():
            w.insert(table, cols)
        self.acc, self.n_acc = {}, 0
        hook_for_tests("after_flush")

    def finish(self, sources_fingerprint: str) -> None:
        """Apply removals, renames, rejects and meta; write only when something changed."""
        gone = [sha for sha in self.old.reports if sha not in self.kept]
        self.summary.removed = len(gone)
        old_rejects = {(r["path"], r["sha256"], r["reason"]): r for r in self.old.rejects}
        new_keys = [(r.path, r.sha256, r.reason) for r in self.summary.rejected]
        rejects_changed = set(new_keys) != set(old_rejects) or len(new_keys) != len(old_rejects)
        meta = {
            "schema_version": schema_version(),
            "parser_version": etl.PARSER_VERSION,
            "regions_version": regions_version(),
            "sources_fingerprint": sources_fingerprint,
            "demo": self.demo,
        }
        meta_changed = any(self.old.meta.get(k) != v for k, v in meta.items())
        if not (
            self.writer or gone or self.updates or rejects_changed or meta_changed or self.fresh
        ):
            return
        w = self.open_writer()
        w.delete_reports([sha[:16] for sha in gone])
        w.update_sources(self.updates)
        if rejects_changed or self.fresh:
            w.con.execute("DELETE FROM rejects")
            rows = [
                {
                    "path": r.path,
                    "sha256": r.sha256,
                    "reason": r.reason,
                    "reason_zh": r.reason_zh,
                    "rejected_at": old_rejects[k]["rejected_at"] if k in old_rejects else self.now,
                    "parser_version": etl.PARSER_VERSION if r.by_content else None,
                }
                for r, k in zip(self.summary.rejected, new_keys, strict=True)
            ]
            w.insert("rejects", columns("rejects", rows))
        if self.fresh or self.old.meta.get("regions_version") != meta["regions_version"]:
            w.load_regions()
        w.set_meta({**meta, "built_at": datetime.now(UTC).isoformat(timespec="seconds")})
        w.commit_and_swap()
        self.writer = None
        self.summary.written = True
