"""How a figure and a piece of report text are written on screen.

Why here: blank, not-applicable and 0 must read differently on every page, a rate always
carries its n/N, and report text must never be read as Markdown — one helper for each,
used by every page, so no page writes its own variant.
"""

from __future__ import annotations

import re

import polars as pl


def pct_text(n: int | None, total: int | None) -> str:
    """'42.4%' (a KPI value short enough for its tile; n/N goes into the label)."""
    if not total:
        return "—"
    return f"{100 * (n or 0) / total:.1f}%"


def fmt_number(v: float | None) -> str:
    """A figure as printed: blank stays '—', whole numbers without decimals."""
    if v is None:
        return "—"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&])")
_BREAKS = re.compile(r"[\r\n\u2028\u2029\x00-\x08\x0b-\x1f\x7f]+")


def plain(text: object) -> str:
    """Text that came from a report (agency, title, file name, warning) or a URL, made inert
    wherever Streamlit reads Markdown (labels, captions, alerts, page links): every Markdown,
    HTML and Streamlit directive character (`:red[…]`, `:material/…:`) is escaped and line
    breaks become spaces, so it shows as typed — never as an image, a link or a heading.
    The one helper every page uses for such text."""
    return _MARKDOWN.sub(r"\\\1", _BREAKS.sub(" ", str(text)))


# --- the same as Polars expressions, for tables ------------------------------------------


def pct(n: str, total: str) -> pl.Expr:
    """n as a percentage of total; NULL (not 0) when there is nothing to count."""
    return pl.when(pl.col(total) > 0).then(100 * pl.col(n) / pl.col(total))


def n_of(n: str, total: str) -> pl.Expr:
    """'n/N' beside a rate."""
    return pl.format("{}/{}", pl.col(n), pl.col(total))


def number_text(col: str) -> pl.Expr:
    """A numeric column as text the way fmt_number writes it (NULL stays NULL)."""
    return pl.col(col).map_elements(fmt_number, return_dtype=pl.String)


def sum_printed(col: str) -> pl.Expr:
    """Sum of the printed figures; NULL (not 0) when no report printed any."""
    return pl.when(pl.col(col).count() > 0).then(pl.col(col).sum())
