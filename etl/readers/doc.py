"""Reader of legacy Word .doc files, through LibreOffice (converted to .docx, then read).

Sites also name other things .doc: a Word "web page" (HTML), an RTF file or a .docx.
Those are recognised by their first bytes and read by the right reader (RTF still needs
LibreOffice). Each conversion gets its own LibreOffice profile directory so that several
can run at once and the user's home stays untouched.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from etl.errors import RejectedInput
from etl.readers.docx import read_docx
from etl.readers.html import read_html

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TIMEOUT_S = 60


def soffice() -> str | None:
    """Path of LibreOffice's command-line program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, suffix: str = ".doc") -> bytes:
    """Convert a Word file to .docx with LibreOffice headless; raise RejectedInput on failure."""
    exe = soffice()
    if exe is None:
        raise RejectedInput(
            f"LibreOffice is needed to read {suffix}", f"需要 LibreOffice 才能读取 {suffix}"
        )
    with tempfile.TemporaryDirectory(prefix="etl-doc-") as tmp:
        src = Path(tmp) / f"in{suffix}"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        cmd = [
            exe,
            "--headless",
            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--convert-to",
            "docx",
            "--outdir",
            str(out),
            str(src),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as e:
            raise RejectedInput(
                f"LibreOffice took longer than {TIMEOUT_S} s to convert the {suffix}",
                f"LibreOffice 转换 {suffix} 超过 {TIMEOUT_S} 秒",
            ) from e
        result = out / "in.docx"
        if not result.exists() or result.stat().st_size == 0:
            raise RejectedInput(
                f"LibreOffice could not convert the {suffix} (damaged or not a Word file)",
                f"LibreOffice 无法转换该 {suffix}（文件损坏或不是 Word 文档）",
            )
        return result.read_bytes()


def read_doc(data: bytes) -> str:
    """Text of a .doc; the same layout as the .docx reader gives."""
    head = data[:2048].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):
        return read_docx(data)
    if head.startswith((b"<html", b"<!doctype", b"<?xml")) or b"<html" in head:
        return read_html(data)
    if data.startswith(b"{\\rtf"):
        return read_docx(convert_to_docx(data, ".rtf"))
    if not data.startswith(_OLE):
        raise RejectedInput("not a valid Word document", "不是有效的 Word 文档")
    return read_docx(convert_to_docx(data))
