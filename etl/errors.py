"""Typed errors. The CLI turns each into one line `Error: …` and an exit status."""

from __future__ import annotations


class EtlError(Exception):
    """Base of every error the ETL raises on purpose."""


class UsageError(EtlError):
    """The command line was wrong (exit status 2)."""


class RejectedInput(EtlError):
    """A file that cannot be loaded as a report; the build goes on without it.

    `reason` is one English line for the CLI, `reason_zh` one Chinese line for the page.
    The one rejection type: raised by readers and the parser, carried by a `Source` that
    cannot be read and by a worker's `Parsed`; the build's summary lists each as a `Reject`
    (the file's path with this reason).
    """

    def __init__(self, reason: str, reason_zh: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_zh = reason_zh

    def __reduce__(self) -> tuple[type[RejectedInput], tuple[str, str]]:
        """Picklable with both reasons: a parser worker hands it back to the build."""
        return (RejectedInput, (self.reason, self.reason_zh))


class BuildLocked(EtlError):
    """Another build holds the database's build lock."""
