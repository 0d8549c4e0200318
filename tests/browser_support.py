"""Serving the app on 127.0.0.1 and driving Debian's Chromium, for the browser tests.

Never downloads a browser: Playwright launches /usr/bin/chromium by `executable_path`.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.bench_pages import served
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""
needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium (/usr/bin/chromium) is missing"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(tmp: Path, db_path: Path, reports: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port with the project's font; its URL."""
    conf = tmp / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=ROOT / "data" / "fonts", cache=tmp / "fc-cache"))
    port = free_port()
    with (tmp / "server.log").open("w") as log, contextlib.ExitStack() as stack:
        try:  # only the start: an error in the test itself must not read as "did not start"
            stack.enter_context(
                served(db_path, reports, port, env={"FONTCONFIG_FILE": str(conf)}, output=log)
            )
        except RuntimeError:
            pytest.fail("the Streamlit server did not start; see " + str(tmp / "server.log"))
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def serve_built(tmp: Path, reports: Path) -> Iterator[str]:
    """The app served from a database the real build makes of `reports` (in `tmp`)."""
    from etl import build

    db_path = tmp / "disclosure.duckdb"
    build.build(reports, db_path, progress=False)
    with serve_app(tmp, db_path, reports) as url:
        yield url


def synth_reports(folder: Path, n: int, seed: int) -> Path:
    """`n` generated reports (bench/synth.py) in `folder`, without their ground truths."""
    from bench import synth

    synth.write_corpus(folder, n, seed)
    for truth in folder.glob("*.truth.json"):
        truth.unlink()  # ground truth is not a report
    return folder


@contextlib.contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
