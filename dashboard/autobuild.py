"""The app's own builds: the first one in front of the visitor, every later one behind.

Why: a visitor must never wait for a rebuild of a database that already works (a 12,000-
report build took minutes, or another process's build held the lock); they see the last
good data until the new file is swapped in. Only when there is no usable database — none
yet, or a damaged one — does the page wait, with a progress bar. Lives in its own module
because app.py is re-run on every interaction and would forget a running thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from etl import build as load
from etl.errors import EtlError


@dataclass
class Outcome:
    """The last background build: its summary lines, or its one-line error."""

    lines: list[str]
    error: str | None = None


_lock = threading.Lock()
_running: dict[tuple[str, str], threading.Thread] = {}
last: dict[tuple[str, str], Outcome] = {}


def running(reports: Path, db_path: Path) -> bool:
    t = _running.get((str(reports), str(db_path)))
    return t is not None and t.is_alive()


def in_background(reports: Path, db_path: Path, max_bytes: int) -> bool:
    """Start a build in a thread unless one for the same files runs; True if one runs."""
    key = (str(reports), str(db_path))
    with _lock:
        if running(reports, db_path):
            return True

        def work() -> None:
            try:
                s = load.build(reports, db_path, progress=False, max_bytes=max_bytes)
                last[key] = Outcome(s.lines())
            except (EtlError, OSError) as e:
                last[key] = Outcome([], str(e).splitlines()[0] if str(e) else type(e).__name__)

        t = threading.Thread(target=work, name="nianbao-build", daemon=True)
        _running[key] = t
        t.start()
    return True


def in_front(
    reports: Path, db_path: Path, max_bytes: int, on_progress: Callable[[int, int], None]
) -> load.BuildSummary:
    """Build now (the visitor waits): no usable database exists."""
    return load.build(
        reports, db_path, progress=False, max_bytes=max_bytes, on_progress=on_progress
    )
