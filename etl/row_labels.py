"""Stage 4b, first half: the row labels of a table, recognised in its text runs.

Each table's vocabulary (row labels, group labels, header words) from the template, and the
scan of one text run (the text between two values) for them — as printed: spaces inside
words, a label split over lines or cells, item numbers full- or half-width, Traditional
characters, a character missing or wrong (the item number and most of the label decide,
with a warning), remarks in brackets. `tables` walks the token stream with it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from etl import spec
from etl.normalize import simplified, squash

_QUOTES = re.compile(r"[“”\"'‘’「」]")
_ITEM = re.compile(
    r"(?:(\d{1,2})[.、]|\(([一二三四五六七八九十]{1,2})\)|([一二三四五六七八九十]{1,2})、)$"
)
_REMARK = re.compile(r"\([^()]{4,}\)")
_OPEN_REMARK = re.compile(r"\([^()]{4,}$")
_CLOSE_REMARK = re.compile(r"^[^()]{0,40}\)")
_CN_NUM = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
_MIN_PREFIX = 4
_FUZZY = 0.75


def norm(text: str) -> str:
    """Text as matched: NFKC, no spaces, Simplified characters, no quotes."""
    if len(text) > 80:
        return _QUOTES.sub("", simplified(squash(text)))
    return _norm_short(text)


@lru_cache(maxsize=65536)
def _norm_short(text: str) -> str:
    return _QUOTES.sub("", simplified(squash(text)))


# --- the vocabulary of each table ---------------------------------------------------------


@dataclass(frozen=True)
class Vocab:
    """Every string a table prints: row labels, group labels and header words."""

    rows: dict[str, tuple[str, ...]]  # row id → normalised labels
    groups: tuple[str, ...]
    headers: dict[str, str]  # normalised header word → column id ('' for none)
    pattern: re.Pattern[str]
    chars: frozenset[str]  # characters of group labels and headers: vertical fragments

    def kind(self, text: str) -> tuple[str, str]:
        for row, labels in self.rows.items():
            if text in labels:
                return "row", row
        if text in self.headers:
            return "header", text
        return "group", text


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words`, the longest first (a label, not its prefix)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _vocab(rows: dict[str, tuple[str, ...]], groups: tuple[str, ...], headers: dict) -> Vocab:
    labels = {row: tuple(norm(x) for x in names) for row, names in rows.items()}
    words = [w for names in labels.values() for w in names] + list(groups) + list(headers)
    pattern = re.compile(alternation(words))
    chars = frozenset("".join(groups) + "".join(headers) + "()、.")
    return Vocab(labels, tuple(groups), dict(headers), pattern, chars)


_ACTIVE_HEADERS = {norm(k): v[1] for k, v in spec.ACTIVE_HEADERS.items()}
ACTIVE = _vocab(
    spec.ACTIVE_ROW_LABELS,
    (
        "信息内容",
        "第二十条第(一)项",
        "第二十条第(五)项",
        "第二十条第(六)项",
        "第二十条第(八)项",
        "第二十条第(九)项",
        "单位:万元",
    ),
    _ACTIVE_HEADERS,
)
REQUESTS = _vocab(
    spec.REQUEST_ROW_LABELS,
    tuple(norm(x) for x in spec.REQUEST_GROUP_LABELS) + ("其他处理", "办理结果", "本年度"),
    {norm(x): "" for x in spec.REQUEST_HEADER_WORDS} | {"其他": "", "总计": ""},
)
APPEALS = _vocab({}, (), {norm(x): "" for x in spec.APPEAL_HEADER_WORDS})
VOCABS = {"active": ACTIVE, "requests": REQUESTS, "appeals": APPEALS}
SHORT = frozenset(w for labels in REQUESTS.rows.values() for w in labels if len(w) <= 2) | {"规章"}


# --- scanning text runs -----------------------------------------------------------------


def _run_text(texts: tuple[str, ...]) -> tuple[str, list[tuple[int, int]]]:
    parts, starts, pos = [], [], 0
    for i, raw in enumerate(texts):
        t = norm(raw)
        parts.append(t)
        starts.append((pos, i))
        pos += len(t)
    return "".join(parts), starts


def _tok_at(starts: list[tuple[int, int]], offset: int) -> int:
    """Index, in the run, of the token that printed the character at `offset`."""
    idx = starts[0][1]
    for pos, i in starts:
        if pos > offset:
            break
        idx = i
    return idx


def _item_number(before: str) -> int | None:
    m = _ITEM.search(before)
    if not m:
        return None
    if m.group(1):
        return int(m.group(1))
    return _CN_NUM.get((m.group(2) or m.group(3))[-1])


# (kind, key, text, index of the token in the run, warning)
RawEvent = tuple[str, str, str, int, str | None]


class ScanState(NamedTuple):
    """What one text run's reading depends on besides its text: cached on all of it, as
    reports print the same label runs over and over."""

    table: str
    allowed: tuple[str, ...]
    owner: tuple[str, str] | None  # the current row and its label as printed so far
    open_remark: bool
    seen_row: bool


@lru_cache(maxsize=65536)
def scan(texts: tuple[str, ...], st: ScanState) -> tuple[tuple[RawEvent, ...], bool, bool]:
    """The labels in one text run (the text between two values), in order; and the state
    after it (a remark left open, a row label seen)."""
    vocab = VOCABS[st.table]
    s, starts = _run_text(texts)
    if st.open_remark:
        m = _CLOSE_REMARK.match(s)
        if m:
            s = "□" * m.end() + s[m.end() :]
    s = _REMARK.sub(lambda m: "□" * len(m.group()), s)
    m = _OPEN_REMARK.search(s)
    open_remark = bool(m)
    if m:
        s = s[: m.start()] + "□" * (len(s) - m.start())
    seen_row = st.seen_row
    events: list[RawEvent] = []
    pos = 0
    for m in vocab.pattern.finditer(s):
        word = m.group()
        kind, key = vocab.kind(word)
        if word in SHORT and _longer_label(s, m, st.allowed, st.table):
            continue  # `2.其他` begins 其他法律行政法规禁止公开, printed over two lines
        if kind == "row" and word in SHORT:
            if key in ("other_3", "total") and not seen_row:
                kind = "header"  # 其他, 总计 in the column headers
            elif not _whole_cell(s, m, starts):
                continue  # `其他法律行政止公开`: part of a longer (misprinted) label
        if kind == "row" and key not in st.allowed:
            kind = "group" if word in vocab.groups else "header"
        events += _gap(s[pos : m.start()], starts, pos, st, bool(events))
        events.append((kind, key, word, _tok_at(starts, m.start()), None))
        if kind == "row":
            seen_row = True
        pos = m.end()
    events += _gap(s[pos:], starts, pos, st, bool(events))
    return tuple(events), open_remark, seen_row


def _whole_cell(s: str, m: re.Match, starts) -> bool:
    """A short label (`总计`, `其他`, `规章`) counts only as a whole cell."""
    idx = _tok_at(starts, m.start())
    tok_start = next(p for p, i in starts if i == idx)
    lead = s[tok_start : m.start()]
    if lead and not _ITEM.fullmatch(lead):
        return False
    nxt = next((p for p, _ in starts if p > m.start()), len(s))
    return m.end() >= nxt or not s[m.end() : nxt].strip("□")


def _gap(text: str, starts, offset: int, st: ScanState, after: bool) -> list[RawEvent]:
    """Text between recognised words, cut where an item number starts: the second half
    of the current label, the first half of the next one, or noise."""
    vocab = VOCABS[st.table]
    out: list[RawEvent] = []
    owner = st.owner if not after else None
    pos = 0
    for seg in _segments(text):
        core = seg.strip("□")
        start = pos + seg.find(core[0]) if core else pos
        pos += len(seg)
        if not core:
            continue
        idx = _tok_at(starts, offset + start)
        rest = _continues(vocab, owner, core) if owner is not None and not out else None
        if rest and owner is not None:
            out.append(("continuation", owner[0], rest, idx, None))
            continue
        hit = _prefix_match(core, st.allowed, st.table)
        if hit:
            out.append(("row", hit[0], hit[2], idx, hit[1]))
        elif not _noise(vocab, core):
            out.append(("unknown", "", core, idx, None))
    return out


def _continues(vocab: Vocab, owner: tuple[str, str], text: str) -> str | None:
    """The part of `text` that is the rest of the label the current row printed only in
    part (after a few characters of a group label printed beside it)."""
    row, seen = owner
    for label in vocab.rows.get(row, ()):
        if not seen or label == seen or not label.startswith(seen):
            continue
        rest = label[len(seen) :]
        for j in range(min(5, len(text) - 1)):
            if j and not all(ch in vocab.chars for ch in text[:j]):
                break
            frag = text[j:]
            if rest.startswith(frag):
                return frag
            if frag.startswith(rest):
                return rest
    return None


def _noise(vocab: Vocab, text: str) -> bool:
    """Fragments of group labels or headers (`三、本年度`, `供`, `予公开`) and numbering."""
    core = re.sub(r"[□\d.、()（）,，:：;；]", "", text)
    if len(core) <= 3:
        return True
    return len(core) <= 8 and all(ch in vocab.chars for ch in core)


_ITEM_START = re.compile(
    r"(?=(?<!\d)\d{1,2}[.、](?!\d)|\([一二三四五六七八九十]{1,2}\)|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}、)"
)


def _segments(text: str) -> list[str]:
    """`获取信息1.申请人…`: cut before each item number, which opens a new label."""
    cuts = [m.start() for m in _ITEM_START.finditer(text) if m.start() > 0]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if a < b]


def _longer_label(s: str, m: re.Match, allowed: tuple[str, ...], table: str) -> bool:
    rest = s[m.start() :].rstrip("□")
    vocab = REQUESTS if table == "requests" else ACTIVE
    return any(
        lb != m.group() and lb.startswith(rest)
        for row, labels in vocab.rows.items()
        if row in allowed
        for lb in labels
    )


@lru_cache(maxsize=8192)
def _prefix_match(
    text: str, allowed: tuple[str, ...], table: str
) -> tuple[str, str | None, str] | None:
    """A label's first half (`6.属于四类过程`), or a label with a wrong character."""
    vocab = VOCABS[table]
    if not vocab.rows:
        return None
    m = re.search(
        r"(?:\d{1,2}[.、]|\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}、)(?=[^□]*$)",
        text,
    )
    number = _item_number(text[: m.end()]) if m else None
    body = text[m.end() :] if m else text
    body = body.rstrip("□")
    if len(body) < (2 if number else _MIN_PREFIX):
        return None
    arabic = m is not None and m.group()[0].isdigit()
    if not arabic and any(w.startswith(body) for w in (*vocab.groups, *vocab.headers)):
        return None  # `三、本年` opens 三、本年度办理结果 as well as 一、本年新收…
    hits = {
        row
        for row, labels in vocab.rows.items()
        if row in allowed and any(lb.startswith(body) for lb in labels)
    }
    arabic = m is not None and m.group()[0].isdigit()
    if number is not None:
        hits = {h for h in hits if (h.endswith(f"_{number}") if arabic else not h[-1].isdigit())}
    if len(hits) == 1:
        return hits.pop(), None, body
    if number is None or len(body) < 4:
        return None
    # a missing or wrong character: the item number and most of the label decide
    best = []
    for row, labels in vocab.rows.items():
        if row not in allowed or not (
            row.endswith(f"_{number}") if arabic else not row[-1].isdigit()
        ):
            continue
        for lb in labels:
            if len(lb) < 4:
                continue
            score = _lcs(lb, body[: len(lb) + 6]) / len(lb)
            if score >= _FUZZY:
                best.append((score, row, lb))
    best.sort(reverse=True)
    if best and (len(best) == 1 or best[0][0] > best[1][0] or best[0][1] == best[1][1]):
        score, row, lb = best[0]
        return row, f"label '{text}' read as '{lb}' ({score:.0%} of its characters)", lb
    return None


def _lcs(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]
