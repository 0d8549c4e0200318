"""Reader of plain text files: the encoding detected (BOM, UTF-16, UTF-8, GB18030)."""

from __future__ import annotations

import codecs
import re

from etl.errors import RejectedInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


def _looks_binary(data: bytes) -> bool:
    """NULs outside a UTF-16/32 text, or many control bytes, mean it is not text."""
    head = data[:4096]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: its NUL bytes (from ASCII digits, tabs, newlines) sit on one parity.

    Chinese text has few ASCII characters, so the share of NULs is small; what tells is
    that they are all on even or all on odd positions and that the decoded text is clean.
    """
    head = data[:8192]
    if len(head) < 4 or len(head) % 2:
        return None
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    if odd_nuls >= 4 and even_nuls * 4 <= odd_nuls:
        enc = "utf-16-le"
    elif even_nuls >= 4 and odd_nuls * 4 <= even_nuls:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    bad = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r")
    return text if bad <= len(text[:4096]) * 0.01 else None


def _unsupported(name: str) -> RejectedInput:
    return RejectedInput(
        f"unsupported encoding ({name}); save the file as UTF-8 or GB18030",
        f"不支持的文字编码（{name}），请另存为 UTF-8 或 GBK",
    )


_KANA = re.compile(r"[\u3040-\u30ff]")
_REPORT_WORDS = ("公开", "报告", "信息", "年度")
_BIG5_WORDS = ("公開", "報告", "資訊", "年度", "政府")


def _foreign_encoding(data: bytes) -> str | None:
    """'Big5' or 'Shift-JIS' when the bytes read as Traditional Chinese or Japanese text in
    that encoding (they often also "decode" as GB18030, into nonsense)."""
    for enc, name in (("big5", "Big5"), ("shift_jis", "Shift-JIS")):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if name == "Big5" and any(w in text for w in _BIG5_WORDS):
            return name
        if name == "Shift-JIS" and len(_KANA.findall(text[:20000])) >= 20:
            return name
    return None


def decode_text(data: bytes) -> str:
    """Decode text bytes, detecting the encoding: BOM, UTF-16, UTF-8, then GB18030.

    GB18030 is a superset of GBK and GB2312, so it also reads files declared as those
    that hold GBK-only characters. Big5 and Shift-JIS text is refused by name (it would
    decode as GB18030 nonsense); a file nothing decodes cleanly is rejected with the
    offset of the first bad byte in the file.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc)
            except UnicodeDecodeError as e:
                at = e.start + len(bom)
                raise RejectedInput(
                    f"broken {enc} text (byte {at})", f"{enc} 编码损坏（第 {at} 字节）"
                ) from None
    text16 = _utf16_without_bom(data)
    if text16 is not None:
        return text16
    if _looks_binary(data):
        raise RejectedInput("binary file, not text", "二进制文件，不是文本")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_at = e.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        foreign = _foreign_encoding(data)
        if foreign:
            raise _unsupported(foreign) from None
        raise RejectedInput(
            f"unknown text encoding (not UTF-8: bad byte {utf8_at}; "
            f"not GB18030: bad byte {e.start})",
            f"无法识别的文字编码（既不是 UTF-8 也不是 GBK，第 {min(utf8_at, e.start)} 字节出错）",
        ) from None
    if not any(w in text for w in _REPORT_WORDS):
        foreign = _foreign_encoding(data)
        if foreign:
            raise _unsupported(foreign)
    return text


def read_txt(data: bytes) -> str:
    text = decode_text(data)
    if "\x00" in text:
        raise RejectedInput("binary file, not text", "二进制文件，不是文本")
    return text.replace("\r\n", "\n").replace("\r", "\n")
