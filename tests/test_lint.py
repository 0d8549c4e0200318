"""The code base is ruff-clean (lint and format), as the project's style requires."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

RUFF = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(args: list[str]) -> None:
    if not Path(RUFF).exists():
        pytest.skip("ruff is not installed (requirements-dev.txt)")
    done = subprocess.run([RUFF, *args, "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_no_type_error_in_etl() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (requirements-dev.txt)")
    done = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _unannotated(path: Path) -> list[str]:
    """Public functions and methods of a module missing a parameter or return annotation."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name[0] == "_":
            continue
        params = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        params = [a for a in params if a.arg not in ("self", "cls")]
        if node.returns is None or any(a.annotation is None for a in params):
            out.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    return out


def test_public_functions_of_etl_are_annotated() -> None:
    # mypy checks only annotated functions: an unannotated one would escape it unseen
    missing = [m for p in sorted((ROOT / "etl").rglob("*.py")) for m in _unannotated(p)]
    assert missing == []
