"""What the table reader builds: the values each printed row label claimed, and the cells
placed in one table. Shared by the stages of 4b (`tables`, `columns`, `moved_cells`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.tokens import Tok


@dataclass
class TableResult:
    """Cells placed in one table: (row, col) → token, plus units, warnings and a trace."""

    cells: dict[tuple[str, str], Tok] = field(default_factory=dict)
    units: dict[tuple[str, str], str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    trace: list[str] = field(default_factory=list)
    found: bool = False
    explain: bool = False  # keep a trace of every label matched and value placed
    offset: int = 0  # add to a cell's line: a result reused for the same text elsewhere
    display: bool | None = None  # how the table's columns count, when its full rows tell
    blank_lines: bool = False  # one cell a line, an empty line an empty cell (table 三 tells)


@dataclass(slots=True)
class Claim:
    """The values a printed row label claimed, in reading order."""

    row: str
    line: int
    values: list[Tok] = field(default_factory=list)
    interrupted: bool = False  # part of the label came between two of its values
    split: bool = False  # some text (a group label, noise) came between two of its values
    count: int = 0  # values (not blanks) appended while walking
    near: frozenset = frozenset()  # values sharing a column with a value one or two lines away
    lost_grid: bool = False  # a full row ran values together in a cell: cells are not columns
    lone_grid: bool = False  # its tab or pipe row has no other grid row near: a table of its own
    moved: int = 0  # line of an earlier group's label that came before some of its values
    twice: int = 0  # line where its label was printed again, with values after it
    label_cell: int = -1  # the tab or pipe cell its label stands in (-1: a plain line)
    label_seen: str = ""  # the label as printed so far, normalised
    label_after: bool = False  # part of its label came after its first value
    header: tuple[tuple[str, Tok | None], ...] = ()  # table 二: the block's column headers
