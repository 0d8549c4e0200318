"""Stage 7: the cross-checks a correct report satisfies (report-format.md).

A failed check is a finding about the report, not a parse error: the values stay as
printed. A check with a blank input is `not_assessable`, never `failed`.
"""

from __future__ import annotations

from functools import lru_cache

from etl import spec

Values = dict[tuple[str, str, str], float | int | None]


def _fmt(v: float | int | None) -> str:
    if v is None:
        return "空"
    if type(v) is int:
        return str(v)
    return str(int(v)) if float(v).is_integer() else str(v)


def _check(check_id: str, left: list, right: list) -> dict:
    """`sum(left) = sum(right)`, with the printed figures in the detail."""
    return dict(_cached_check(check_id, tuple(left), tuple(right)))


@lru_cache(maxsize=16384)
def _cached_check(check_id: str, left: tuple, right: tuple) -> tuple:
    """Most reports repeat the same figures (all zeros): the result is cached."""
    return tuple(_compute(check_id, left, right).items())


def _compute(check_id: str, left: tuple, right: tuple) -> dict:
    lhs = "+".join(map(_fmt, left))
    rhs = "+".join(map(_fmt, right))
    if None in left or None in right:
        return {"id": check_id, "status": "not_assessable", "detail": f"{lhs} ? {rhs}（有空格）"}
    ok = abs(sum(left) - sum(right)) < 1e-9
    sign = "=" if ok else "≠"
    return {"id": check_id, "status": "ok" if ok else "failed", "detail": f"{lhs} {sign} {rhs}"}


def run_checks(values: Values, fmt: str | None) -> list[dict]:
    """Every in-report check of the format on the placed values."""
    if fmt is None:
        return []
    out = []

    def rq(row: str, col: str):
        return values.get(("requests", row, col))

    for col in spec.REQUEST_COLS:
        out.append(
            _check(
                f"requests.balance.{col}",
                [rq("new", col), rq("carried_in", col)],
                [rq("total", col), rq("carried_out", col)],
            )
        )
    old_other = fmt == "2021" and any(
        values.get(("requests", spec.OLD_OTHER_ROW, c)) is not None for c in spec.REQUEST_COLS
    )
    outcomes = spec.outcome_rows(fmt, old_other)
    for col in spec.REQUEST_COLS:
        out.append(
            _check(
                f"requests.outcomes.{col}",
                [rq("total", col)],
                [rq(row, col) for row in outcomes],
            )
        )
    for row in spec.REQUEST_ROWS[fmt]:
        out.append(
            _check(
                f"requests.applicants.{row}",
                [rq(row, "total")],
                [rq(row, col) for col in spec.APPLICANT_COLS],
            )
        )
    for row in spec.APPEAL_ROWS:
        out.append(
            _check(
                f"appeals.total.{row}",
                [values.get(("appeals", row, "total"))],
                [values.get(("appeals", row, c)) for c in spec.APPEAL_COLS[:-1]],
            )
        )
    return out
