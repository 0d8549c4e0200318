"""Reader of Markdown files (PDF→Markdown converters, OCR pipelines, saved web text).

Markdown is text: pipe tables, `<br>` inside cells and headings are read by the table
reader as printed. Some converters (MinerU, markitdown on HTML) write tables as HTML
inside the Markdown: each `<table>…</table>` becomes tab rows, merged cells resolved,
as the web-page reader does.
"""

from __future__ import annotations

import re

from etl.readers.html import table_rows
from etl.readers.text import read_txt

_TABLE = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)


def read_markdown(data: bytes) -> str:
    text = read_txt(data)
    if "<table" not in text.lower():
        return text
    return _TABLE.sub(lambda m: "\n" + table_rows(m.group()) + "\n", text)
