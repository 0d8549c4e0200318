"""The project font: free, small, and holding a glyph for every character the app draws.

New interface text without a glyph fails here: re-run tools/subset_font.py (see its docstring).
"""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path

import altair as alt
import polars as pl
import pytest
import vl_convert
from fontTools.ttLib import TTFont

from dashboard.fonts import FONT_DIR, FONT_FAMILY, FONT_FILE, FONT_STACK, register_fonts

ROOT = Path(__file__).resolve().parent.parent
SEED_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
# CJK ideographs and radicals, CJK punctuation, full-width forms, general punctuation.
DRAWN = re.compile(r"[\u2010-\u2027\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]")


@pytest.fixture(scope="module")
def cmap() -> dict[int, str]:
    return TTFont(str(FONT_FILE)).getBestCmap()


def _drawable(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c)[0] not in "CZ"}


def _missing(chars: set[str], cmap: dict[int, str]) -> str:
    return "".join(sorted(c for c in chars if ord(c) not in cmap))


def _literals(path: Path) -> str:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return "".join(
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )


def _ui_files() -> list[Path]:
    files = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("dashboard/*.py")]
    return [f for f in files if f.is_file()]


def test_font_is_the_free_noto_face_and_small() -> None:
    font = TTFont(str(FONT_FILE))
    assert font["name"].getDebugName(1) == FONT_FAMILY
    assert "Open Font License" in font["name"].getDebugName(13)
    assert FONT_FILE.stat().st_size < 4_000_000
    assert (FONT_DIR / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1


def test_font_stack_names_the_font_and_ends_with_generic_family() -> None:
    assert FONT_STACK.startswith(f'"{FONT_FAMILY}"')
    assert FONT_STACK.endswith("sans-serif")


def test_register_fonts_is_idempotent() -> None:
    register_fonts()
    register_fonts()


def test_font_covers_gazetteer(cmap: dict[int, str]) -> None:
    text = (ROOT / "data" / "regions.csv").read_text(encoding="utf-8")
    assert "盐池县" in text
    assert _missing(_drawable(text), cmap) == ""


def test_font_covers_canonical_spec_strings(cmap: dict[int, str]) -> None:
    text = _literals(ROOT / "etl" / "spec.py")
    assert "收到和处理政府信息公开申请情况" in text
    assert _missing(_drawable(text), cmap) == ""


def test_font_covers_seed_agency_lines(cmap: dict[int, str]) -> None:
    seeds = [
        p for p in sorted((ROOT / "data" / "reports").glob("*.txt")) if SEED_NAME.match(p.name)
    ]
    assert len(seeds) >= 5
    for seed in seeds:
        lines = [ln for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip()][:4]
        assert _missing(_drawable("".join(lines)), cmap) == "", seed.name


def test_font_covers_every_cjk_char_of_ui_string_literals(cmap: dict[int, str]) -> None:
    files = _ui_files()
    assert ROOT / "dashboard" / "charts.py" in files
    for path in files:
        chars = set(DRAWN.findall(_literals(path)))
        assert _missing(chars, cmap) == "", f"{path.relative_to(ROOT)}: run tools/subset_font.py"


def test_font_covers_all_of_gb2312(cmap: dict[int, str]) -> None:
    chars = set()
    for row in range(0xB0, 0xF8):
        for col in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, col]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert len(chars) == 6763
    assert _missing(chars, cmap) == ""


def _text_png(text: str, font: str) -> bytes:
    chart = (
        alt.Chart(pl.DataFrame({"t": [text]}))
        .mark_text(font=font, fontSize=24)
        .encode(text="t:N")
        .properties(width=120, height=40)
        .configure(font=font)
    )
    return vl_convert.vegalite_to_png(chart.to_dict(), scale=1)


def test_registered_font_resolves_in_vl_convert() -> None:
    register_fonts()
    ours = _text_png("宁夏看板", FONT_FAMILY)
    assert ours[:8] == b"\x89PNG\r\n\x1a\n"
    assert ours != _text_png("宁夏看板", "No Such Font Family")  # unresolved: nothing or boxes
    assert ours != _text_png("", FONT_FAMILY)
