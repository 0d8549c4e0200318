"""The one place paths and limits come from: the environment, then command-line flags.

Why one object: the CLI, the app's auto-build, the upload page and the demo must agree on
the database, the reports folder and the size limit, or a report one of them accepted is
dropped again by the next (a file imported under NIANBAO_MAX_MB=80 and rejected by a
default build). Everything reads `current()`; the CLI applies its flags with `replace`.
The dashboard's read connections take their memory limit from here too.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from etl.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
DB_ENV, REPORTS_ENV, MAX_MB_ENV = "NIANBAO_DB", "NIANBAO_REPORTS", "NIANBAO_MAX_MB"
READ_MEMORY_ENV = "NIANBAO_READ_MEMORY"
DEFAULT_DB = ROOT / "data" / "disclosure.duckdb"
DEFAULT_REPORTS = ROOT / "data" / "reports"
DEFAULT_MAX_MB = 50.0
DEFAULT_MAX_BYTES = int(DEFAULT_MAX_MB * 1024 * 1024)
# DuckDB's buffers per read connection of the dashboard (its own default is 80% of RAM): at
# 100k reports, visiting every page grew the app to ~830 MB without a limit.
DEFAULT_READ_MEMORY = "128MB"
_MEMORY = re.compile(r"\d{1,6}(\.\d{1,3})?\s?(KB|MB|GB|KiB|MiB|GiB)", re.IGNORECASE)


def check_read_memory(value: str) -> str:
    """A DuckDB memory limit such as '256MB'; raise UsageError for anything else (the value
    goes into a SET statement, so nothing but a number and a unit passes)."""
    value = value.strip()
    if not _MEMORY.fullmatch(value):
        raise UsageError(f"the read memory limit must look like 256MB, not {value!r}")
    return value


def check_max_mb(value: float) -> float:
    """A usable size limit in MB; raise UsageError for nan, inf, 0 or below."""
    if not math.isfinite(value) or value <= 0 or value * 1024 * 1024 > 2**62:
        raise UsageError(f"the size limit must be a positive number of MB, not {value!r}")
    return float(value)


@dataclass(frozen=True)
class Settings:
    """Where the database and the reports live, and the size limit of one file."""

    db: Path = DEFAULT_DB
    reports: Path = DEFAULT_REPORTS
    max_mb: float = DEFAULT_MAX_MB
    read_memory: str = DEFAULT_READ_MEMORY

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)

    def with_overrides(
        self, *, db: str | Path | None = None, reports: str | Path | None = None,
        max_mb: float | None = None,
    ) -> Settings:  # fmt: skip
        """These settings with the given (non-None) values replaced, checked."""
        changes: dict[str, object] = {}
        if db is not None:
            changes["db"] = Path(db)
        if reports is not None:
            changes["reports"] = Path(reports)
        if max_mb is not None:
            changes["max_mb"] = check_max_mb(max_mb)
        return replace(self, **changes)  # type: ignore[arg-type]


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from NIANBAO_DB, NIANBAO_REPORTS, NIANBAO_MAX_MB and NIANBAO_READ_MEMORY
    (a bad limit: its default)."""
    env = os.environ if environ is None else environ
    max_mb = DEFAULT_MAX_MB
    raw = (env.get(MAX_MB_ENV) or "").strip()
    if raw:
        try:
            max_mb = check_max_mb(float(raw))
        except (ValueError, UsageError):
            max_mb = DEFAULT_MAX_MB
    try:
        read_memory = check_read_memory(env.get(READ_MEMORY_ENV) or DEFAULT_READ_MEMORY)
    except UsageError:
        read_memory = DEFAULT_READ_MEMORY
    return Settings(
        db=Path(env.get(DB_ENV) or DEFAULT_DB),
        reports=Path(env.get(REPORTS_ENV) or DEFAULT_REPORTS),
        max_mb=max_mb,
        read_memory=read_memory,
    )


def current() -> Settings:
    """The settings now (read on every call: tests and the demo change the environment)."""
    return from_env()
