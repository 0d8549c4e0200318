"""Reports as web pages, and as the text people get from a page: LibreOffice's HTML of each Word
rendering (a Word table pasted into a CMS keeps its merged cells), then that page through the
HTML-to-text tools that scrapers, crawlers and readers use. Every rendering beside its truth.

    python -m bench.web DIR      # the web renderings of a corpus of bench.renderings

A web corpus lives in `bench/out/renderings/web-<key>/` (git-ignored), `<key>` a hash of this
module and the source corpus; `manifest.json`, written last, marks it complete. Files:
`<stem>.web-page.html` (the page, read by etl's HTML reader) and `<stem>.<tool>.txt|.md`.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import json
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from bench import renderings

# tool → suffix of its rendering; the page itself first
TOOLS: dict[str, str] = {
    "web-page": ".html",
    "trafilatura": ".txt",  # extract(include_tables=True): rows as `cell | cell |`
    "trafilatura-md": ".md",
    "markitdown-html": ".md",  # markdownify: pipe tables
    "html2text": ".md",  # a cell's paragraphs on lines of their own, `|` between cells
    # the page as a CMS stores it, no white space between tags (`<td><p>151</p></td>`):
    # rows as `cell| cell`
    "html2text-compact": ".md",
    "inscriptis": ".txt",  # tables laid out in space-aligned columns
    "bs4-text": ".txt",  # BeautifulSoup get_text("\n"): every cell a line, empty cells gone
}
# Tools that print every cell in its place, blank cells included: nothing may be missing.
# (markitdown keeps every cell too, but its rows are as ragged as the merged cells make them:
# where no two full rows of a row's shape pin the grid, a row with blanks at both ends of
# its values cannot be placed, as in the seeds' own Markdown relayouts.)
KEEPS_EVERY_CELL = frozenset({"web-page", "trafilatura", "trafilatura-md"})
_MODULE = {
    "html2text-compact": "html2text",
    "trafilatura-md": "trafilatura",
    "markitdown-html": "markitdown",
    "bs4-text": "bs4",
}


def available_tools() -> dict[str, str | None]:
    """Each tool → None when usable here, else why not (skipped, never failed)."""
    out: dict[str, str | None] = {"web-page": None}
    for name in list(TOOLS)[1:]:
        mod = _MODULE.get(name, name)
        found = importlib.util.find_spec(mod) is not None
        out[name] = None if found else f"{mod} not installed (requirements-dev.txt)"
    return out


def _trafilatura(page: str, fmt: str = "txt") -> str:
    import trafilatura

    text = trafilatura.extract(page, include_tables=True, favor_recall=True, output_format=fmt)
    return text or ""


def _markitdown(page: str) -> str:
    from markitdown import MarkItDown

    data = io.BytesIO(page.encode("utf-8"))
    return MarkItDown().convert_stream(data, file_extension=".html").text_content


def _html2text(page: str) -> str:
    import html2text

    return html2text.html2text(page)


def _compact(page: str) -> str:
    """The page without white space between its tags."""
    return re.sub(r">\s+<", "><", page)


def _inscriptis(page: str) -> str:
    import inscriptis

    return inscriptis.get_text(page)


def _bs4(page: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(page, "lxml").get_text("\n")


_RUN: dict[str, Callable[[str], str]] = {
    "trafilatura": _trafilatura,
    "trafilatura-md": lambda p: _trafilatura(p, "markdown"),
    "markitdown-html": _markitdown,
    "html2text": _html2text,
    "html2text-compact": lambda p: _html2text(_compact(p)),
    "inscriptis": _inscriptis,
    "bs4-text": _bs4,
}


def render_pages(src: Path, out: Path) -> dict:
    """Every web rendering of each Word file of `src` into `out`; returns the manifest body."""
    out.mkdir(parents=True, exist_ok=True)
    docs = sorted(src.glob("*.docx"))
    t0 = time.perf_counter()
    renderings.convert(docs, out, "html")
    t_html = time.perf_counter() - t0
    avail = available_tools()
    names = [n for n, why in avail.items() if why is None and n != "web-page"]
    seconds = dict.fromkeys(names, 0.0)
    for doc in docs:
        made = out / f"{doc.stem}.html"
        if not made.exists():
            raise RuntimeError(f"LibreOffice made no HTML of {doc.name}")
        page_path = made.rename(out / f"{doc.stem}.web-page.html")
        shutil.copy(src / f"{doc.stem}.truth.json", out / f"{doc.stem}.truth.json")
        page = page_path.read_text("utf-8", errors="replace")
        for name in names:
            t = time.perf_counter()
            text = renderings.run_tool(_RUN[name], page, f"tool {name}")
            seconds[name] += time.perf_counter() - t
            (out / f"{doc.stem}.{name}{TOOLS[name]}").write_text(text, "utf-8")
    return {
        "reports": len(docs),
        "classes": ["web-page", *names],
        "skipped": {n: why for n, why in avail.items() if why},
        "seconds": {"soffice": round(t_html, 2), **{n: round(s, 2) for n, s in seconds.items()}},
    }


def web_dir(src: Path) -> Path:
    """The cached web renderings of the rendering corpus `src`, built if missing."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(src.name.encode())
    key = h.hexdigest()[:16]
    out = src.parent / f"web-{key}"
    if (out / "manifest.json").exists():
        return out
    tmp = src.parent / f".web-{key}.{time.time_ns()}"
    manifest = render_pages(src, tmp)
    manifest.update({"key": key, "source": src.name})
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    renderings.publish(tmp, out)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", type=Path, help="a rendering corpus (bench/out/renderings/<key>)")
    a = ap.parse_args(argv)
    out = web_dir(a.dir)
    print(out)
    print((out / "manifest.json").read_text("utf-8"))


if __name__ == "__main__":
    main()
