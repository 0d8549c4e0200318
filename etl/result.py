"""The parse result as types: a report, its facts, checks and narrative figures.

Why: the build, the CLI and the upload page read the same result; attributes catch a
misspelt key where a dict would return None. `to_json()` gives exactly the JSON object of
report-format.md's parse contract (key order included), which `python -m etl parse` prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

Number = float | int


def _without_empty(fields: dict[str, Any], optional: str) -> dict[str, Any]:
    """The contract's object: every field in order, the `optional` one only when it says
    something (a unit, a lost unit)."""
    if not fields[optional]:
        del fields[optional]
    return fields


class Fact(NamedTuple):
    """One cell of the format: NULL value where the report left it empty or it was not found.

    A NamedTuple, not a dataclass: a report has ~200 of them and a frozen dataclass takes
    three times as long to make (parse speed, issue 11)."""

    table: str
    row: str
    col: str
    value: Number | None
    raw: str | None
    line: int | None
    unit: str | None = None  # printed in the cell or its header (元, 万元)

    def to_json(self) -> dict[str, Any]:
        return _without_empty(self._asdict(), "unit")


class Check(NamedTuple):
    """One in-report check (etl/checks.py): ok, failed or not_assessable, with the figures."""

    id: str
    status: str
    detail: str | None

    def to_json(self) -> dict[str, Any]:
        return self._asdict()


@dataclass(frozen=True, slots=True)
class NarrativeFigure:
    """A figure the prose states, with the sentence it came from (etl/narrative.py)."""

    value: Number | None  # None when the text gives no exact figure
    evidence: str
    line: int
    approximate: bool
    unit_lost: bool = False  # the number's unit word did not survive the extraction

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> NarrativeFigure:
        return cls(
            d["value"], d["evidence"], d["line"], d["approximate"], d.get("unit_lost", False)
        )

    def to_json(self) -> dict[str, Any]:
        return _without_empty(asdict(self), "unit_lost")


@dataclass(slots=True)
class Report:
    """One parsed report: what `parse_source` returns to the build and the upload page."""

    source: str
    sha256: str
    agency: str | None
    year: int | None
    format: str | None
    region: dict[str, Any] | None
    agency_type: str | None
    file_type: str
    status: str
    parser_version: str
    facts: list[Fact]
    narrative: dict[str, NarrativeFigure]
    checks: list[Check]
    warnings: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.sha256,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "region": self.region,
            "agency_type": self.agency_type,
            "file_type": self.file_type,
            "status": self.status,
            "parser_version": self.parser_version,
            "facts": [f.to_json() for f in self.facts],
            "narrative": {k: n.to_json() for k, n in self.narrative.items()},
            "checks": [c.to_json() for c in self.checks],
            "warnings": list(self.warnings),
        }
