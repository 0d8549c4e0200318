"""A parser bug on one file becomes that file's one-line reason; it never stops a build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl import build
from etl import parse as parse_mod
from etl.errors import RejectedInput


def test_a_parser_bug_is_a_rejection_with_its_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(doc, *, source, sha256):
        raise KeyError("boom")

    monkeypatch.setattr(parse_mod, "parse_report", broken)
    with pytest.raises(RejectedInput) as e:
        parse_mod.parse_source("a.zip!x/y.txt", "固原市信访局\n".encode(), "0" * 64)
    assert e.value.reason == "parser error: KeyError: 'boom'"
    assert e.value.reason_zh == "解析出错：KeyError: 'boom'"


def test_build_goes_on_past_a_file_the_parser_chokes_on(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(seed_dir, reports)
    real = parse_mod.parse_report

    def flaky(doc, *, source, sha256):
        if source.endswith(".txt") and "/002_" in source:
            raise ValueError("unexpected layout")
        return real(doc, source=source, sha256=sha256)

    monkeypatch.setattr(parse_mod, "parse_report", flaky)
    summary = build.build(reports, tmp_path / "d.duckdb", progress=False)  # workers=1: in-process
    assert summary.loaded == 4
    assert [(Path(r.path).name[:3], r.reason) for r in summary.rejected] == [
        ("002", "parser error: ValueError: unexpected layout")
    ]


def test_cli_parse_reports_a_parser_bug_as_one_error_line(
    seed_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from etl.__main__ import main

    def broken(doc, *, source, sha256):
        raise KeyError("boom")

    monkeypatch.setattr(parse_mod, "parse_report", broken)
    seed = sorted(seed_dir.iterdir())[0]
    assert main(["parse", str(seed)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == "Error: parser error: KeyError: 'boom'\n"


def test_a_rejection_crosses_a_process_boundary_with_both_reasons() -> None:
    import pickle

    e = pickle.loads(pickle.dumps(RejectedInput("empty file", "空文件")))
    assert (type(e), e.reason, e.reason_zh) == (RejectedInput, "empty file", "空文件")
