"""Stage 7: the cross-checks a correct report satisfies (report-format.md).

A failed check is a finding about the report, not a parse error: the values stay as
printed. A check with a blank input is `not_assessable`, never `failed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from etl import spec
from etl.result import Check

Values = dict[tuple[str, str, str], float | int | None]


def _fmt(v: float | int | None) -> str:
    if v is None:
        return "空"
    if type(v) is int:
        return str(v)
    return str(int(v)) if float(v).is_integer() else str(v)


def holds(left: Sequence[float | None], right: Sequence[float | None]) -> bool | None:
    """`sum(left) = sum(right)`? None when a figure is missing (a blank: not assessable)."""
    if None in left or None in right:
        return None
    return abs(sum(left) - sum(right)) < 1e-9  # type: ignore[arg-type]


@lru_cache(maxsize=16384)
def _check(check_id: str, left: tuple, right: tuple) -> Check:
    """`sum(left) = sum(right)`, with the printed figures in the detail. Cached: most
    reports repeat the same figures (all zeros), and a Check is immutable."""
    lhs = "+".join(map(_fmt, left))
    rhs = "+".join(map(_fmt, right))
    ok = holds(left, right)
    if ok is None:
        return Check(check_id, "not_assessable", f"{lhs} ? {rhs}（有空格）")
    sign = "=" if ok else "≠"
    return Check(check_id, "ok" if ok else "failed", f"{lhs} {sign} {rhs}")


Key = tuple[str, str, str]  # (table, row, col)
Rule = dict[str, tuple[tuple[Key, ...], tuple[Key, ...]]]


@lru_cache(maxsize=4)
def check_inputs(fmt: str, old_other: bool = False) -> Rule:
    """Every in-report check of a format: check id → (cells summed on the left, on the
    right). The one definition of the rules: the parser runs them, the generator of
    test reports (bench/synth.py) makes reports that satisfy or break them."""
    rq = "requests"
    out: Rule = {}
    for c in spec.REQUEST_COLS:
        out[f"requests.balance.{c}"] = (
            ((rq, "new", c), (rq, "carried_in", c)),
            ((rq, "total", c), (rq, "carried_out", c)),
        )
    for c in spec.REQUEST_COLS:
        out[f"requests.outcomes.{c}"] = (
            ((rq, "total", c),),
            tuple((rq, r, c) for r in spec.outcome_rows(fmt, old_other)),
        )
    for r in spec.REQUEST_ROWS[fmt]:
        out[f"requests.applicants.{r}"] = (
            ((rq, r, "total"),),
            tuple((rq, r, c) for c in spec.APPLICANT_COLS),
        )
    for r in spec.APPEAL_ROWS:
        out[f"appeals.total.{r}"] = (
            (("appeals", r, "total"),),
            tuple(("appeals", r, c) for c in spec.APPEAL_COLS[:-1]),
        )
    return out


def evaluate(values: Values, fmt: str | None) -> list[Check]:
    """Every in-report check of the format on the placed values."""
    if fmt is None:
        return []
    old_other = fmt == "2021" and any(
        values.get(("requests", spec.OLD_OTHER_ROW, c)) is not None for c in spec.REQUEST_COLS
    )
    get = values.get
    return list(_evaluated(fmt, old_other, tuple([get(k) for k in _inputs(fmt, old_other)])))


@lru_cache(maxsize=4)
def _inputs(fmt: str, old_other: bool) -> tuple[Key, ...]:
    """Every cell some check of the format reads, once each."""
    rules = check_inputs(fmt, old_other).values()
    return tuple(dict.fromkeys(k for left, right in rules for k in (*left, *right)))


@lru_cache(maxsize=4096)
def _evaluated(fmt: str, old_other: bool, figures: tuple) -> tuple[Check, ...]:
    """The checks on the figures of `_inputs` (cached: zero filings repeat the same ones)."""
    at = dict(zip(_inputs(fmt, old_other), figures, strict=True))
    return tuple(
        _check(check_id, tuple([at[k] for k in left]), tuple([at[k] for k in right]))
        for check_id, (left, right) in check_inputs(fmt, old_other).items()
    )


def run_checks(values: Values, fmt: str | None) -> list[dict]:
    """The checks as the JSON of the parse contract."""
    return [c.to_json() for c in evaluate(values, fmt)]
