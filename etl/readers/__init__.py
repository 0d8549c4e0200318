"""The readers: one function per file format, bytes → the text the parser reads.

Every reader returns plain text in which a table row is one line of tab-separated cells
(or, as some extractors leave it, one cell per line with a leading tab). A new format
plugs in here and nowhere else: write `read_x(data: bytes) -> str` and add its suffixes.
"""

from __future__ import annotations

from collections.abc import Callable

from etl.readers.doc import read_doc
from etl.readers.docx import read_docx
from etl.readers.html import read_html
from etl.readers.markdown import read_markdown
from etl.readers.pdf import read_pdf
from etl.readers.text import read_txt

Reader = Callable[[bytes], str]

# file suffix (lower case, no dot) → its reader
READERS: dict[str, Reader] = {
    "txt": read_txt,
    "text": read_txt,
    "md": read_markdown,
    "markdown": read_markdown,
    "html": read_html,
    "htm": read_html,
    "shtml": read_html,
    "xhtml": read_html,
    "docx": read_docx,
    "docm": read_docx,
    "doc": read_doc,
    "rtf": read_doc,
    "pdf": read_pdf,
}
