"""Stage 1, read: bytes of one file → the text the parser reads.

The reader is picked by suffix from the table READERS in etl/readers/__init__.py (where a
new format plugs in); this module holds the limits every format shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from etl.errors import RejectedInput
from etl.readers import READERS

# A report is some 10-100k characters; more is not a report, and would be kept in memory
# and in the database whole (a text field of gigabytes runs DuckDB out of memory).
MAX_TEXT_CHARS = 4_000_000
# Direction overrides and isolates (U+202A-202E, U+2066-2069) and marks: invisible, and
# they reorder the text around them on screen (an agency name that reads backwards).
_BIDI = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])
_HAS_BIDI = re.compile("[" + "".join(map(chr, _BIDI)) + "]")  # a scan in C: translate is slow


@dataclass(frozen=True)
class Document:
    """The text of one report file and the reader that produced it."""

    text: str
    file_type: str


def file_type(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def read_document(name: str, data: bytes) -> Document:
    """Read one file; raise RejectedInput with a one-line reason when it is not usable."""
    kind = file_type(name)
    if not data or not data.strip(b" \t\r\n\x00"):
        raise RejectedInput("empty file", "空文件")
    reader = READERS.get(kind)
    if reader is None:
        raise RejectedInput(f"unsupported file type '.{kind}'", f"不支持的文件类型“.{kind}”")
    text = reader(data)
    if len(text) > MAX_TEXT_CHARS:
        raise RejectedInput(
            f"more text than a report holds (over {MAX_TEXT_CHARS:,} characters)",
            f"文字超过 {MAX_TEXT_CHARS:,} 字，不是一份年度报告",
        )
    if _HAS_BIDI.search(text):
        text = text.translate(_BIDI)
    if not text.strip():
        raise RejectedInput("no text could be read from the file", "文件中读不出文字")
    return Document(text=text, file_type=kind)
