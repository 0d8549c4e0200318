"""Find the report files of a build: walk a folder, open zips, refuse what is unsafe.

Every file becomes one `Source`; a file that cannot be taken (too large, an unsafe zip
member, a zip bomb) becomes a Source with `error` set, so the build lists it as rejected
instead of failing. Reading happens here; decoding and parsing happen in the build.
"""

from __future__ import annotations

import errno
import io
import os
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from etl.errors import RejectedInput
from etl.settings import DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Source:
    """One report file: its display path, its bytes (None when rejected) and its mtime."""

    path: str
    data: bytes | None
    mtime: float
    error: RejectedInput | None = None


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else absolute."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


@dataclass(frozen=True)
class FileEntry:
    """A file found by the walk, with the stat taken once (strings: pathlib is slow at 100k)."""

    rel: str  # posix path relative to the walked folder
    path: str  # path to open
    size: int
    mtime: float
    mtime_ns: int
    error: RejectedInput | None = None  # why it cannot be read: a reject, not a crash


def shown_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by os as surrogates) as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _bad(rel: str, why: str, why_zh: str) -> FileEntry:
    return FileEntry(rel, "", 0, 0.0, 0, RejectedInput(why, why_zh))


def walk_files(root: Path | str) -> list[FileEntry]:
    """Every non-hidden file below `root`, sorted, recursively (hidden folders skipped).

    What cannot be walked becomes an entry with `error` set, never an exception: a folder
    or file that cannot be read, a name that is not UTF-8, a symbolic link that loops.
    """
    out: list[FileEntry] = []

    def walk(folder: str, prefix: str, seen: frozenset[tuple[int, int]]) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            name = prefix.rstrip("/") or "."
            out.append(_bad(name, f"folder cannot be read: {e.strerror}", "文件夹无法读取"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + shown_name(entry.name)
            if rel != prefix + entry.name:
                out.append(_bad(rel, "file name is not valid UTF-8", "文件名不是有效的 UTF-8 编码"))
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    st = entry.stat(follow_symlinks=True)
                    ident = (st.st_dev, st.st_ino)
                    if ident in seen:
                        out.append(_bad(rel, "symbolic link loop", "符号链接循环"))
                    else:
                        walk(entry.path, f"{rel}/", seen | {ident})
                elif entry.is_file(follow_symlinks=True):
                    st = entry.stat(follow_symlinks=True)
                    out.append(FileEntry(rel, entry.path, st.st_size, st.st_mtime, st.st_mtime_ns))
                elif entry.is_symlink():
                    out.append(_bad(rel, "broken symbolic link", "符号链接指向的文件不存在"))
            except OSError as e:
                reason = "symbolic link loop" if e.errno == errno.ELOOP else e.strerror
                zh = "符号链接循环" if e.errno == errno.ELOOP else "文件无法读取"
                out.append(_bad(rel, f"cannot be read: {reason}", zh))

    top = os.fspath(root)
    try:
        st = os.stat(top)
        seen = frozenset({(st.st_dev, st.st_ino)})
    except OSError:
        seen = frozenset()
    walk(top, "", seen)
    return out


def _mb(max_bytes: int) -> str:
    return f"{max_bytes / 1024 / 1024:g} MB"


def too_large(max_bytes: int) -> RejectedInput:
    return RejectedInput(
        f"file larger than the {_mb(max_bytes)} limit", f"文件超过 {_mb(max_bytes)} 上限"
    )


def shown_path(entry: FileEntry, base: str) -> str:
    """The path a report is stored under: the file's, below the folder shown as `base`."""
    return entry.rel if base == "." else f"{base}/{entry.rel}"


def iter_sources(root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Source]:
    """Yield every report file below `root` (zips expanded), in sorted order."""
    base = display_path(Path(root))
    for entry in walk_files(root):
        yield from file_sources(entry, base, max_bytes=max_bytes)


def file_sources(
    entry: FileEntry, base: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Source]:
    """The Sources of one file found below the folder shown as `base`: itself, or a zip's
    members. Its size is checked before reading, and again while reading (it may grow)."""
    shown = shown_path(entry, base)
    if entry.error is not None:
        yield Source(shown, None, entry.mtime, entry.error)
        return
    if entry.size > max_bytes:
        yield Source(shown, None, entry.mtime, too_large(max_bytes))
        return
    try:
        with open(entry.path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        err = RejectedInput(f"file cannot be read: {e.strerror}", "文件无法读取")
        yield Source(shown, None, entry.mtime, err)
        return
    yield from bytes_sources(shown, data, entry.mtime, max_bytes=max_bytes)


def bytes_sources(
    name: str, data: bytes, mtime: float, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Source]:
    """The Sources of one file held in memory (an upload, say), with the build's guards:
    itself, or a zip's members named `name!member`."""
    if len(data) > max_bytes:
        yield Source(name, None, mtime, too_large(max_bytes))
    elif name.lower().endswith(".zip"):
        yield from _zip_sources(name, data, mtime, max_bytes, depth=0)
    else:
        yield Source(name, data, mtime)


def _unsafe_name(name: str) -> bool:
    """Absolute paths, `..` parts and drive letters could escape an extraction folder."""
    p = PurePosixPath(name.replace("\\", "/"))
    if not p.parts:
        return True
    return p.is_absolute() or ".." in p.parts or ":" in p.parts[0]


def _member_mtime(info: zipfile.ZipInfo, fallback: float) -> float:
    try:
        return time.mktime((*info.date_time, 0, 0, -1))
    except (OverflowError, ValueError):
        return fallback


def _bomb(max_bytes: int) -> RejectedInput:
    return RejectedInput(
        f"zip expands to more than the {_mb(max_bytes)} limit",
        f"zip 解压后超过 {_mb(max_bytes)} 上限",
    )


def _zip_sources(
    shown: str,
    data: bytes,
    mtime: float,
    max_bytes: int,
    *,
    depth: int,
    budget: list[int] | None = None,
) -> Iterator[Source]:
    """Members of one zip, each by its own type; one nested zip level at most.

    `budget` is what may still be unpacked, shared with nested zips: a zip bomb is
    stopped by what is actually read, not by the sizes its headers declare.
    """
    budget = [max_bytes] if budget is None else budget
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        yield Source(shown, None, mtime, RejectedInput(f"broken zip file: {e}", "zip 文件已损坏"))
        return
    if sum(i.file_size for i in infos) > budget[0]:
        yield Source(shown, None, mtime, _bomb(max_bytes))
        return
    with zf:
        for info in infos:
            name = info.filename
            base = PurePosixPath(name.replace("\\", "/")).name
            if base.startswith(".") or name.startswith("__MACOSX/"):
                continue
            member = f"{shown}!{name}"
            m_mtime = _member_mtime(info, mtime)
            is_zip = base.lower().endswith(".zip")
            if _unsafe_name(name):
                err = RejectedInput(f"unsafe path in zip: {name!r}", f"zip 中的路径不安全：{name}")
                yield Source(member, None, m_mtime, err)
                continue
            if is_zip and depth >= 1:
                err = RejectedInput("zip nested more than one level", "zip 嵌套超过一层")
                yield Source(member, None, m_mtime, err)
                continue
            try:
                with zf.open(info) as fh:
                    content = fh.read(budget[0] + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as e:
                err = RejectedInput(f"unreadable zip member: {e}", "zip 中的文件无法读取")
                yield Source(member, None, m_mtime, err)
                continue
            if len(content) > budget[0]:
                yield Source(member, None, m_mtime, _bomb(max_bytes))
                return
            budget[0] -= len(content)
            if is_zip:
                yield from _zip_sources(
                    member, content, m_mtime, max_bytes, depth=depth + 1, budget=budget
                )
            else:
                yield Source(member, content, m_mtime)
