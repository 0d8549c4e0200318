"""Generated reports as the files people really have: Word, PDF, and the PDF's text as each
common extractor prints it, every rendering beside its truth (bench.synth's, see docx_report).

    python -m bench.renderings --n 24 --seed 1          # build (or reuse) the cached corpus
    python -m bench.renderings --samples DIR            # four reports with blanks and marks

A corpus lives in `bench/out/renderings/<key>/` (git-ignored), `<key>` a hash of the generator
code, the template, n, seed and options; `manifest.json` is written last and marks it
complete. Files: `<stem>.docx`, `<stem>.pdf`, `<stem>.<extractor>.txt|.md`, `<stem>.truth.json`.
LibreOffice converts all documents in one call; the extractors run in a small process pool.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import io
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from bench import docx_report, synth

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "renderings"
# extractor → suffix of its rendering
EXTRACTORS: dict[str, str] = {
    "pdftotext": ".txt",  # poppler, default reading order (no -layout)
    "pdftotext-layout": ".txt",
    "pdfplumber": ".txt",  # page.extract_text(), pages joined with newlines
    "pymupdf": ".txt",  # page.get_text(), pages concatenated
    "pymupdf4llm": ".md",  # Markdown with pipe tables (its default layout model)
    "pymupdf4llm-plain": ".md",  # without the layout model: merged cells' text repeated
    "markitdown": ".md",
}
CLASSES = ("docx", "pdf", *EXTRACTORS)
# Extractors that print nothing for an empty cell: a row with a blank cell cannot be aligned
# to its columns from their text alone (the parser may leave it empty, with a warning).
DROPS_BLANKS = frozenset({"pdftotext", "pdfplumber", "pymupdf"})
_CODE = ("synth.py", "synth_text.py", "docx_report.py", "renderings.py")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def has_cjk_font() -> bool:
    """Whether LibreOffice can draw Chinese (without a font it draws boxes, and pdfminer-based
    extractors read them back as garbage)."""
    if shutil.which("fc-list") is None:
        return False
    r = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=60)
    return bool(r.stdout.strip())


def corpus_key(n: int, seed: int, options: dict[str, Any]) -> str:
    """Hash of everything a corpus depends on: generator code, template, n, seed, options."""
    h = hashlib.sha256()
    for name in _CODE:
        h.update((ROOT / "bench" / name).read_bytes())
    h.update(docx_report.template_path().read_bytes())
    h.update(json.dumps([n, seed, sorted(options.items())]).encode())
    return h.hexdigest()[:16]


# --- extractors ------------------------------------------------------------------------------


def _pdftotext(pdf: Path, *args: str) -> str:
    r = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return r.stdout.decode("utf-8")


def _pdfplumber(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _pymupdf(pdf: Path) -> str:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        return "".join(page.get_text() for page in doc)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence a library that prints notices from C code (fd 1 and 2)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


def _pymupdf4llm(pdf: Path, layout: bool = True) -> str:
    # its layout model (onnxruntime) is faster on one thread per process on 2 shared cores
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import pymupdf4llm

    pymupdf4llm.use_layout(layout)
    try:
        with _quiet(), contextlib.redirect_stdout(io.StringIO()):  # OCR and parser notices
            return pymupdf4llm.to_markdown(str(pdf), show_progress=False)
    finally:
        pymupdf4llm.use_layout(True)


_MARKITDOWN: list[Any] = []


def _markitdown(pdf: Path) -> str:
    if not _MARKITDOWN:
        from markitdown import MarkItDown

        _MARKITDOWN.append(MarkItDown())
    return _MARKITDOWN[0].convert(str(pdf)).text_content


_RUN: dict[str, Callable[[Path], str]] = {
    "pdftotext": lambda p: _pdftotext(p),
    "pdftotext-layout": lambda p: _pdftotext(p, "-layout"),
    "pdfplumber": _pdfplumber,
    "pymupdf": _pymupdf,
    "pymupdf4llm": _pymupdf4llm,
    "pymupdf4llm-plain": lambda p: _pymupdf4llm(p, layout=False),
    "markitdown": _markitdown,
}


def available_extractors() -> dict[str, str | None]:
    """Each extractor → None when usable here, else why not (skipped, never failed)."""
    out: dict[str, str | None] = {}
    for name in EXTRACTORS:
        if name.startswith("pdftotext"):
            out[name] = None if shutil.which("pdftotext") else "pdftotext not installed"
            continue
        mod = name.split("-")[0]
        # found, not imported: onnxruntime's threads in this process would deadlock the
        # forked workers
        found = importlib.util.find_spec(mod) is not None
        out[name] = None if found else f"{mod} not installed (requirements-dev.txt)"
    return out


def _extract(job: tuple[Path, tuple[str, ...]]) -> dict[str, float]:
    """Write every extractor's rendering of one PDF; seconds per extractor."""
    pdf, names = job
    times = {}
    for name in names:
        t0 = time.perf_counter()
        text = run_tool(_RUN[name], pdf, f"extractor {name}")
        times[name] = time.perf_counter() - t0
        out = pdf.with_name(f"{pdf.stem}.{name}{EXTRACTORS[name]}")
        out.write_text(text, encoding="utf-8")
    return times


def run_tool(tool: Callable[[Any], str], arg: Any, what: str) -> str:
    """A tool's text, quiet; when it fails, a rendering that says so: nothing is lost."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return tool(arg)
        except Exception as e:
            return f"[{what} failed: {type(e).__name__}: {e}]"


def to_pdf(docs: list[Path], out_dir: Path, batch: int = 40) -> None:
    convert(docs, out_dir, "pdf", batch)


def convert(docs: list[Path], out_dir: Path, to: str, batch: int = 40) -> None:
    """LibreOffice headless, many files per call (one process start per batch): `to` is
    its target (`pdf`, `html`)."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="lo-prof-") as prof:
        for i in range(0, len(docs), batch):
            chunk = docs[i : i + batch]
            subprocess.run(
                [exe, "--headless", f"-env:UserInstallation=file://{prof}",
                 "--convert-to", to, "--outdir", str(out_dir), *map(str, chunk)],
                capture_output=True, check=True, timeout=600,
            )  # fmt: skip


# --- corpora ---------------------------------------------------------------------------------


def render_reports(
    items: Iterable[tuple[str, str, dict]], out: Path, *, workers: int = 2
) -> dict[str, Any]:
    """Every rendering of each (name, text, truth) into `out`; returns the manifest body."""
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    docs = []
    for name, text, truth in items:
        stem = Path(name).stem
        data, t = docx_report.build_docx(text, truth)
        (out / f"{stem}.docx").write_bytes(data)
        (out / f"{stem}.truth.json").write_text(json.dumps(t, ensure_ascii=False), "utf-8")
        docs.append(out / f"{stem}.docx")
    t_docx = time.perf_counter() - t0
    to_pdf(docs, out)
    t_pdf = time.perf_counter() - t0 - t_docx
    missing = [d for d in docs if not d.with_suffix(".pdf").exists()]
    if missing:
        raise RuntimeError(f"LibreOffice made no PDF of {missing[0].name} (+{len(missing) - 1})")
    avail = available_extractors()
    names = tuple(n for n, why in avail.items() if why is None)
    jobs = [(d.with_suffix(".pdf"), names) for d in docs]
    if workers > 1 and len(jobs) > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            times = pool.map(_extract, jobs, chunksize=max(1, len(jobs) // (4 * workers)))
    else:
        times = [_extract(j) for j in jobs]
    per = {n: round(sum(t[n] for t in times), 2) for n in names}
    return {
        "reports": len(docs),
        "classes": ["docx", "pdf", *names],
        "skipped": {n: why for n, why in avail.items() if why},
        "seconds": {"docx": round(t_docx, 2), "soffice": round(t_pdf, 2), **per},
    }


def corpus_dir(n: int, seed: int, *, workers: int = 2, **options: Any) -> Path:
    """The cached rendering corpus of `iter_corpus(n, seed, **options)`, built if missing."""
    key = corpus_key(n, seed, options)
    out = OUT / key
    if (out / "manifest.json").exists():
        return out
    tmp = OUT / f".{key}.{time.time_ns()}"
    manifest = render_reports(synth.iter_corpus(n, seed, **options), tmp, workers=workers)
    manifest.update({"key": key, "n": n, "seed": seed, "options": options})
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    publish(tmp, out)
    return out


def sample_reports(count_per_format: int = 2, seed: int = 11) -> list[tuple[str, str, dict]]:
    """Reports with both blank cells and not-applicable marks, `count_per_format` of each."""
    picked: dict[str, list] = {"2019": [], "2021": []}
    opts = {**synth.RICH, "blank_share": 1.0, "zero_share": 0.2}
    for name, text, truth in synth.iter_corpus(400, seed, **opts):
        raws = [f["raw"] for f in truth["facts"] if f["value"] is None]
        marks = any(r and r.strip() for r in raws)
        blanks = any(not (r or "").strip() for r in raws)
        bucket = picked[truth["format"]]
        seen = {t["agency"] for b in picked.values() for _, _, t in b}
        if marks and blanks and len(bucket) < count_per_format and truth["agency"] not in seen:
            bucket.append((name, text, truth))
        if all(len(b) == count_per_format for b in picked.values()):
            break
    return [*picked["2019"], *picked["2021"]]


def publish(tmp: Path, out: Path) -> None:
    """Move a finished build into place; a build that finished first in parallel wins."""
    if (out / "manifest.json").exists():
        shutil.rmtree(tmp, ignore_errors=True)
        return
    if out.exists():  # a half-built directory of an interrupted run
        shutil.rmtree(out, ignore_errors=True)
    try:
        tmp.rename(out)
    except OSError:
        if not (out / "manifest.json").exists():
            raise
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rich", action="store_true", help="bench.synth.RICH shares")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--samples", help="write the four sample reports' renderings here")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    if a.samples:
        out = Path(a.samples)
        m = render_reports(sample_reports(), out, workers=a.workers)
        (out / "manifest.json").write_text(json.dumps(m, indent=1), "utf-8")
    else:
        out = corpus_dir(a.n, a.seed, workers=a.workers, **(synth.RICH if a.rich else {}))
    print(f"{out} ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
