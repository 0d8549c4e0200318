"""The project's own CJK font: its family name and its registration with vl-convert.

Why: vl-convert draws boxes for Chinese unless a CJK font is registered, and a font name
that does not resolve makes labels vanish, so every font list ends with ``sans-serif``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import vl_convert

FONT_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
FONT_FILE = FONT_DIR / "NotoSansSC-Subset.ttf"
FONT_FAMILY = "Noto Sans CJK SC"
FONT_STACK = f'"{FONT_FAMILY}", "Noto Sans SC", "Source Han Sans SC", sans-serif'

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register data/fonts with vl-convert once per process (safe to call from any thread)."""
    global _registered
    with _lock:
        if not _registered:
            vl_convert.register_font_directory(str(FONT_DIR))
            _registered = True
