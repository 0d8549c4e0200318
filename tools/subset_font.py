"""Subset Noto Sans CJK SC to the characters 年报看板 can draw: data/fonts/NotoSansSC-Subset.ttf.

Why: the full collection is 19.5 MB; charts and exports need one small, free (OFL) face that
covers GB2312, the gazetteer, the canonical labels, the seed reports and every UI string.
Re-run after adding interface text (tests/test_fonts.py fails until you do):

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto
    python tools/subset_font.py /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import argparse
import ast
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "fonts" / "NotoSansSC-Subset.ttf"
FACE = "Noto Sans CJK SC"
EXTRA_PUNCT = "“”‘’—–…·•→≟−×÷±≤≥°%‰¥€£§№"


def gb2312_chars() -> set[str]:
    """Every code point of GB2312: symbol rows A1–A9 and hanzi rows B0–F7 (levels 1 and 2)."""
    chars: set[str] = set()
    for row in [*range(0xA1, 0xAA), *range(0xB0, 0xF8)]:
        for col in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, col]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def fixed_ranges() -> set[str]:
    """ASCII, full-width forms, CJK punctuation and the general punctuation the text uses."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}
    chars |= {chr(c) for c in range(0x3000, 0x3040)}
    return chars | set(EXTRA_PUNCT)


def string_literals(path: Path) -> str:
    """All string constants of a Python source file (f-string parts included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return "".join(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def ui_sources(root: Path = ROOT) -> list[Path]:
    """The Python files whose string literals reach the screen or an export."""
    files = [root / "app.py", *sorted((root / "pages").glob("*.py"))]
    files += sorted((root / "dashboard").glob("*.py"))
    return [f for f in files if f.is_file()]


def project_chars(root: Path = ROOT) -> set[str]:
    """Characters of the gazetteer, the canonical spec, the seed reports and the UI strings."""
    text = (root / "data" / "regions.csv").read_text(encoding="utf-8")
    text += string_literals(root / "etl" / "spec.py")
    for report in sorted((root / "data" / "reports").glob("*.txt")):
        text += report.read_text(encoding="utf-8")
    for source in ui_sources(root):
        text += string_literals(source)
    return set(text)


def drawable(chars: set[str]) -> set[str]:
    """Drop controls, format characters and line breaks: no glyph is drawn for them."""
    return {c for c in chars if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn")}


def load_face(source: Path) -> TTFont:
    """The SC face of the collection (or the file itself if it is a single font)."""
    if source.suffix.lower() in (".ttc", ".otc"):
        for font in TTCollection(str(source)).fonts:
            if font["name"].getDebugName(1) == FACE:
                return font
        raise SystemExit(f"no face named {FACE!r} in {source}")
    return TTFont(str(source))


def cff_to_glyf(font: TTFont, max_err: float = 1.0) -> None:
    """Convert CFF outlines to TrueType quadratics (error ≤ max_err font units of 1000).

    Why: vl-convert measures every label by its outlines; with glyf outlines a 200-label chart
    rendered about twice as fast as with CFF on the project machine.
    """
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in font.getGlyphOrder():
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: smaller, and nothing here needs them
    font.sfntVersion = "\x00\x01\x00\x00"


def build(source: Path, out: Path = OUT) -> list[str]:
    """Write the subset font; return the wanted characters the source font lacks."""
    font = load_face(source)
    cmap = font.getBestCmap()
    wanted = drawable(gb2312_chars() | fixed_ranges() | project_chars())
    missing = sorted(c for c in wanted if ord(c) not in cmap)
    options = subset.Options()
    options.hinting = False  # screen and export rendering need no CFF hints; saves space
    options.name_IDs = ["*"]  # keep copyright, licence and trademark strings
    options.notdef_outline = True
    options.layout_features = ["kern", "liga"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted if ord(c) in cmap])
    subsetter.subset(font)
    cff_to_glyf(font)
    font.recalcTimestamp = False  # same inputs, same bytes
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="NotoSansCJK-Regular.ttc from fonts-noto-cjk")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    missing = build(args.source, args.out)
    size = args.out.stat().st_size
    glyphs = TTFont(str(args.out))["maxp"].numGlyphs
    print(f"{args.out}: {size:,} bytes, {glyphs} glyphs")
    if missing:
        print("not in the source font (drawn by fallback):", "".join(missing), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
