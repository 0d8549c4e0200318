"""Text helpers shared by the readers: one table cell, one table row, one line.

Every reader hands the parser the same shape: a paragraph per line, a table row per
line with tab-separated cells. A cell never holds a tab or a newline, or the parser
would see extra cells or rows.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence

from etl.errors import RejectedInput

# What a reader may unpack from one file. A report's Word XML is a few MB and its PDF
# streams are smaller still; a bomb (a 1.5 MB .docx holding 400 MB of XML) would take
# gigabytes of memory and stop the whole build.
MAX_PART_BYTES = 32 * 1024 * 1024  # one member of a package, one PDF stream, unpacked
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # all of them together


def _over(what: str, limit: int) -> RejectedInput:
    mb = limit // (1024 * 1024)
    return RejectedInput(
        f"{what} unpacks to more than {mb} MB (a compression bomb?)",
        f"文件解压后超过 {mb} MB，疑为压缩炸弹",
    )


def check_package(data: bytes) -> None:
    """Refuse a ZIP package (.docx) whose members unpack to more than the limits.

    The sizes in the headers are enough: zipfile never returns more bytes than a member
    declares (a lying header fails its CRC check instead), so nothing is unpacked here.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            sizes = [i.file_size for i in z.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a ZIP: the reader says so in its own words
    if any(n > MAX_PART_BYTES for n in sizes):
        raise _over("a part of the document", MAX_PART_BYTES)
    if sum(sizes) > MAX_UNPACKED_BYTES:
        raise _over("the document", MAX_UNPACKED_BYTES)


_STREAM = re.compile(rb"/FlateDecode.{0,200}?>>\s*stream\r?\n", re.S)


def check_pdf_streams(data: bytes) -> None:
    """Refuse a PDF whose compressed streams unpack to more than the limits (a 1 MB file
    with a 1 GiB stream). Each stream is inflated in bounded steps and thrown away."""
    total = 0
    for m in _STREAM.finditer(data):
        d = zlib.decompressobj()
        pos, size = m.end(), 0
        try:
            while pos < len(data) and size <= MAX_PART_BYTES:
                chunk = data[pos : pos + 65536]
                pos += len(chunk)
                out = d.decompress(chunk, MAX_PART_BYTES + 1 - size)
                size += len(out)
                while d.unconsumed_tail and size <= MAX_PART_BYTES:
                    out = d.decompress(d.unconsumed_tail, MAX_PART_BYTES + 1 - size)
                    size += len(out)
                if d.eof:
                    break
        except zlib.error:
            pass  # not (all) deflate: pdfminer judges it
        if size > MAX_PART_BYTES:
            raise _over("a stream of the PDF", MAX_PART_BYTES)
        total += size
        if total > MAX_UNPACKED_BYTES:
            raise _over("the PDF", MAX_UNPACKED_BYTES)


_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009\u200b\u3000]+")


def is_cjk(ch: str) -> bool:
    """True for Han characters and full-width punctuation, where a break adds no space."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK symbols and punctuation, kana, Han
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x3FFFF  # Han extensions B and later
        or ch in "“”‘’—…·"
    )


def join_broken(parts: Iterable[str]) -> str:
    """Join pieces of text a line break separated: nothing between CJK, a space otherwise."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(part[0])):
            out += " "
        out += part
    return out


def clean_inline(text: str) -> str:
    """One line of text: any run of whitespace (tab, newline, nbsp, U+3000) becomes a space."""
    return _SPACES.sub(" ", text).strip()


def clean_cell(lines: Iterable[str]) -> str:
    """A table cell's text on one line: its lines joined, whitespace collapsed."""
    return join_broken(clean_inline(line) for line in lines)


_DIGITS = re.compile(r"[0-9０-９]+(?: [0-9０-９]+)*")


def clean_value_cell(lines: list[str]) -> str:
    """A PDF table cell's text: a number wrapped over lines in a narrow cell (`１ ０` / `６`:
    wide digits come spaced) is one number, its pieces joined without a space (a cell holds
    one value)."""
    parts = [clean_inline(line) for line in lines if line.strip()]
    if len(parts) > 1 and all(_DIGITS.fullmatch(p) for p in parts):
        return "".join(parts).replace(" ", "")
    return join_broken(parts)


def row_line(cells: Sequence[str]) -> str | None:
    """A table row as one tab-separated line, or None for a row with no text at all."""
    if not any(cells):
        return None
    return "\t".join(cells)


def text_of(lines: Iterable[str | None]) -> str:
    """The final text: lines in order, without empty ones and without trailing spaces."""
    kept = [line.rstrip(" ") for line in lines if line is not None]
    return "\n".join(line for line in kept if line.strip()) + "\n"
