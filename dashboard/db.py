"""The app's door to the queries: dashboard/queries.py, cached, on the database file now.

Why a layer of its own: the queries are pure (a connection and filters in, a frame out), so
scripts and benchmarks run them with no Streamlit runtime. The app needs two things more,
and they live here: a `Reader` that follows the file a build swaps in (each version of the
file gets its own read-only connection, closed once replaced and idle) and Streamlit's
cache, keyed on the file's identity (inode, mtime, size), so the first query after a
rebuild opens the new file and misses the cache. Pages call the functions below by the
names of queries.py, without the connection: `db.reports(f)`, `db.totals(f)`, …
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import duckdb
import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.queries import ALL, GROUPS, PAGE_ROWS, PICKER_MAX, Con, Filters
from etl import settings, spec
from etl.store import DB_HEADER_BYTES

__all__ = ["ALL", "FORMAT_NAMES", "GROUPS", "PAGE_ROWS", "PICKER_MAX", "Filters", "Reader"]

FORMAT_NAMES = spec.FORMAT_NAMES
CACHE_ENTRIES = 256  # frames Streamlit keeps (a page makes 10–20 queries per filter)

Key = tuple[int, int, int]
P = ParamSpec("P")
R = TypeVar("R")


def db_path() -> Path:
    """The database file (etl.settings: NIANBAO_DB, else data/disclosure.duckdb)."""
    return settings.current().db


def reports_dir() -> Path:
    """The folder the database is built from (etl.settings: NIANBAO_REPORTS)."""
    return settings.current().reports


def file_key(path: Path) -> Key:
    """Identity of the file now: changes when the build swaps a new file in."""
    s = path.stat()
    return (s.st_ino, s.st_mtime_ns, s.st_size)


class _Version:
    """One version of the database file, attached read-only, and how many queries hold it."""

    def __init__(self, path: Path, memory_limit: str) -> None:
        self.users = 0
        self.con = queries.connect(path, memory_limit)


class Reader:
    """Read-only connections to whichever file `path()` names now.

    Each version of the file (a build swaps a new one in with os.replace) gets its own
    DuckDB instance; a version is closed only when it has been replaced and no query holds
    it, so one session's query never loses its connection to another session's reopen.
    A connection is not thread-safe: every thread gets its own cursor (Streamlit runs each
    session on its own thread).
    """

    def __init__(
        self,
        path: Callable[[], Path] = db_path,
        memory_limit: Callable[[], str] = lambda: settings.current().read_memory,
    ) -> None:
        self.path = path
        self.memory_limit = memory_limit
        self.versions: dict[Key, _Version] = {}
        self._lock = threading.Lock()
        self._local = threading.local()

    def version(self) -> Key:
        """Identity of the file now (raises OSError when there is none)."""
        return file_key(self.path())

    def _cursor(self, v: _Version) -> Con:
        """This thread's cursor on version `v` (made once per thread and version)."""
        held = getattr(self._local, "held", None)
        if held is not None and held[0] is v:
            return held[1]
        cur = v.con.cursor()
        cur.execute("USE nb")
        self._local.held = (v, cur)
        return cur

    def _close_idle(self, current: Key | None) -> None:
        """Close every version no query holds that is not the file now (under the lock):
        the replaced file's disk space is freed once its last query is done."""
        for k, v in list(self.versions.items()):
            if k != current and v.users == 0:
                del self.versions[k]
                v.con.close()

    @contextmanager
    def lease(self, key: Key | None = None) -> Iterator[Con]:
        """A cursor on the file version `key` (the file now when None), held open for the
        duration of the `with` body."""
        key = self.version() if key is None else key
        with self._lock:
            v = self.versions.get(key)
            if v is None:
                v = _Version(self.path(), self.memory_limit())
                self.versions[key] = v
            v.users += 1
        try:
            yield self._cursor(v)
        finally:
            try:
                current: Key | None = self.version()
            except OSError:
                current = None
            with self._lock:
                v.users -= 1
                self._close_idle(current)


READER = Reader()


def version() -> Key:
    """Identity of the app's database file now."""
    return READER.version()


def run_query(sql: str, params: tuple[Any, ...], key: Key) -> pl.DataFrame:
    """One statement on the file version `key`, uncached."""
    with READER.lease(key) as con:
        return queries.run(con, sql, params)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _cached(name: str, args: tuple[Any, ...], kwargs: tuple[Any, ...], key: Key) -> Any:
    with READER.lease(key) as con:
        return getattr(queries, name)(con, *args, **dict(kwargs))


def _app(fn: Callable[Concatenate[Con, P], R]) -> Callable[P, R]:
    """queries.<fn> for the app: on the file now, through the cache."""
    name = fn.__name__

    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        result: R = _cached(name, args, tuple(sorted(kwargs.items())), version())
        return result

    call.__name__ = call.__qualname__ = name
    call.__doc__ = fn.__doc__
    return call


def full(name: str, *args: Any) -> Any:
    """queries.<name>(connection, *args) on the file now, uncached: a whole long list for the
    export it is fetched for (on a click), not kept in the cache afterwards."""
    with READER.lease() as con:
        return getattr(queries, name)(con, *args)


def healthy() -> bool:
    """Whether the database file can be queried: it opens, has its meta table and is as
    long as its blocks say (a truncated file opens and fails later). app.py rebuilds it."""
    try:
        key = version()
        with READER.lease(key) as con:
            used = queries.used_bytes(con)
    except (duckdb.Error, OSError):
        return False
    return key[2] >= DB_HEADER_BYTES + used


def is_demo() -> bool:
    """Whether the meta table marks the data as simulated (False when it cannot be read)."""
    try:
        return _app(queries.is_demo)()
    except (duckdb.Error, OSError):
        return False


_made: dict[str, Callable[..., Any]] = {}


def __getattr__(name: str) -> Callable[..., Any]:
    """`db.<name>(…)` is `queries.<name>(connection, …)` on the file now, through the cache,
    for every query function of queries.py (its first parameter is the connection)."""
    if name not in _made:
        fn = getattr(queries, name, None)
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != queries.__name__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        if next(iter(inspect.signature(fn).parameters), None) != "con":
            raise AttributeError(f"queries.{name} is not a query (no connection parameter)")
        _made[name] = _app(fn)
    return _made[name]
