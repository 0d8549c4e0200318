"""The synthetic corpus generator (bench.synth): its truth must be right before it judges a parser."""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections import Counter

import pytest

from bench import synth
from etl import spec
from etl.checks import run_checks

_FW = str.maketrans("０１２３４５６７８９", "0123456789")


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str, dict]]:
    return list(synth.iter_corpus(400, 11, **synth.RICH))


def _key(f: dict) -> tuple[str, str, str]:
    return f["table"], f["row"], f["col"]


def _read_cell(raw: str) -> int | float | None:
    """An independent reading of a printed cell, as report-format.md describes cells."""
    s = "".join(raw.split())
    if s in ("", *synth.MARKS):
        return None
    s = s.translate(_FW).replace(",", "").removesuffix("万元").removesuffix("元")
    x = float(s)
    return int(x) if x.is_integer() else x


def test_generate_report_is_deterministic_for_a_seed() -> None:
    assert synth.generate_report(5) == synth.generate_report(5)
    assert synth.generate_report(5)[0] != synth.generate_report(6)[0]


def test_truth_lists_every_cell_of_the_format_once(corpus) -> None:
    for _, _, truth in corpus:
        assert [_key(f) for f in truth["facts"]] == spec.cells(truth["format"])


def test_fact_line_is_the_line_the_cell_is_printed_on(corpus) -> None:
    for _, text, truth in corpus:
        lines = text.split("\n")
        cell = truth["synth"]["layout"] == "cell"
        for f in truth["facts"]:
            line = lines[f["line"] - 1]
            if cell:
                assert line == "\t" + f["raw"], (truth["source"], f)
            else:
                assert f["raw"] in line.split("\t"), (truth["source"], f)


def test_text_has_no_line_breaks_but_newline(corpus) -> None:
    for _, text, _ in corpus:
        assert text.splitlines() == text.split("\n")[:-1]


def test_fact_value_is_what_the_printed_cell_says(corpus) -> None:
    for _, _, truth in corpus:
        for f in truth["facts"]:
            assert _read_cell(f["raw"]) == f["value"], (truth["source"], f)
            assert f["value"] is None or isinstance(f["value"], int | float)
            if isinstance(f["value"], float):
                assert not f["value"].is_integer()


def test_blank_and_marks_are_null_and_printed_zero_is_zero(corpus) -> None:
    seen = Counter()
    for _, _, truth in corpus:
        for f in truth["facts"]:
            s = "".join(f["raw"].split())
            if s in synth.MARKS or s == "":
                assert f["value"] is None
                seen["null"] += 1
            elif s == "0":
                assert f["value"] == 0
                seen["zero"] += 1
    assert seen["null"] and seen["zero"]


def test_truth_checks_agree_with_the_parsers_own_checks_of_the_printed_values(corpus) -> None:
    # etl.checks.run_checks, not the generator's own arithmetic, judges the printed values
    for _, _, truth in corpus:
        vals = {_key(f): f["value"] for f in truth["facts"]}
        expected = [(c["id"], c["status"]) for c in run_checks(vals, truth["format"])]
        assert [(c["id"], c["status"]) for c in truth["checks"]] == expected
        n_rows = len(spec.REQUEST_ROWS[truth["format"]])
        assert len(truth["checks"]) == 7 + 7 + n_rows + 3


def test_balances_hold_in_reports_not_broken(corpus) -> None:
    for _, _, truth in corpus:
        if truth["synth"]["broken"] is None:
            vals = {_key(f): f["value"] for f in truth["facts"]}
            statuses = {c["status"] for c in run_checks(vals, truth["format"])}
            assert "failed" not in statuses, truth["source"]


def test_a_broken_report_fails_only_checks_on_its_broken_cell(corpus) -> None:
    broken = [t for _, _, t in corpus if t["synth"]["broken"]]
    assert len(broken) > 30
    for truth in broken:
        b = truth["synth"]["broken"]
        cell = (b["table"], b["row"], b["col"])
        failed = [c["id"] for c in truth["checks"] if c["status"] == "failed"]
        assert failed
        inputs = synth.check_inputs(truth["format"])
        for cid in failed:
            left, right = inputs[cid]
            assert cell in left + right


def test_table_three_balances_by_construction_when_fully_printed() -> None:
    for seed in range(100):
        _, truth = synth.generate_report(seed, blank_share=0, break_share=0, zero_share=0)
        assert {c["status"] for c in truth["checks"]} == {"ok"}


def test_layouts_follow_the_share_asked() -> None:
    n = 500
    for share in (0.2, 0.7):
        reps = [synth.generate_report(s, cell_layout_share=share)[1] for s in range(n)]
        got = sum(t["synth"]["layout"] == "cell" for t in reps) / n
        assert abs(got - share) < 0.07, (share, got)


def test_break_share_is_the_share_of_broken_reports() -> None:
    n = 500
    reps = [synth.generate_report(s, break_share=0.25)[1] for s in range(n)]
    got = sum(t["synth"]["broken"] is not None for t in reps) / n
    assert abs(got - 0.25) < 0.07


def test_every_variant_appears_in_a_rich_corpus(corpus) -> None:
    seen = set().union(*(t["synth"]["variants"] for _, _, t in corpus))
    assert seen == synth.VARIANTS


def test_2020_reports_take_the_2021_format_only_in_the_share_asked() -> None:
    for share, lo, hi in ((0.0, 0, 0), (1.0, 1, 1), (0.5, 0.4, 0.6)):
        reps = [
            synth.generate_report(s, year=2020, new_format_2020_share=share)[1] for s in range(300)
        ]
        got = sum(t["format"] == "2021" for t in reps) / len(reps)
        assert lo <= got <= hi
    for y in (2019, 2021, 2025):
        assert synth.generate_report(1, year=y)[1]["format"] == ("2019" if y == 2019 else "2021")


def test_table_two_headers_name_the_format(corpus) -> None:
    for _, text, truth in corpus:
        new = "本年制发件数" in text
        old = "本年新制作数量" in text.replace("\n", "") or "政府集中采购" in text
        assert (truth["format"] == "2021") == new and (truth["format"] == "2019") == old


def test_extra_appeals_cell_is_a_sixteenth_cell_and_expects_a_warning(corpus) -> None:
    for _, text, truth in corpus:
        assert truth["expect_warning"] == ("extra_cell" in truth["synth"]["variants"])
        appeals = [f for f in truth["facts"] if f["table"] == "appeals"]
        if truth["synth"]["layout"] == "tab":
            row = text.split("\n")[appeals[0]["line"] - 1].split("\t")
            assert len(row) == (16 if truth["expect_warning"] else 15)
            if truth["expect_warning"]:
                assert row[-1] == "0" and all(f["value"] is not None for f in appeals)


def test_carry_over_chains_consecutive_years_of_one_agency(corpus) -> None:
    by_source = {t["source"]: t for _, _, t in corpus}
    chained = 0
    for _, _, truth in corpus:
        prev_src = truth["synth"]["prev_source"]
        if prev_src is None:
            continue
        prev = by_source[prev_src]
        assert prev["agency"] == truth["agency"] and prev["year"] == truth["year"] - 1
        statuses = {c["id"]: c["status"] for c in truth["synth"]["cross_year"]}
        pv = {_key(f): f["value"] for f in prev["facts"]}
        tv = {_key(f): f["value"] for f in truth["facts"]}
        for c in spec.REQUEST_COLS:
            a, b = pv["requests", "carried_out", c], tv["requests", "carried_in", c]
            want = "not_assessable" if a is None or b is None else "ok" if a == b else "failed"
            assert statuses[f"carryover.{c}"] == want
        if prev["format"] == truth["format"] == "2021":
            for r in ("rules", "normative"):
                xs = [pv["active", r, "in_force"]] + [
                    tv["active", r, c] for c in ("issued", "repealed", "in_force")
                ]
                ok = None not in xs and xs[0] + xs[1] - xs[2] == xs[3]
                assert statuses[f"in_force.{r}"] == ("ok" if ok else "not_assessable")
        disturbed = {"carry_break", "broken"} & set(
            truth["synth"]["variants"] + prev["synth"]["variants"]
        )
        if not disturbed and "not_assessable" not in statuses.values():
            assert set(statuses.values()) == {"ok"}
            chained += 1
    assert chained > 30


def test_region_agrees_with_the_gazetteer(corpus, root) -> None:
    with (root / "data" / "regions.csv").open(encoding="utf-8") as f:
        regions = {r["code"]: r for r in csv.DictReader(f)}
    levels = Counter()
    for _, _, truth in corpus:
        reg, name, level = truth["region"], truth["agency"], truth["synth"]["level"]
        levels[level] += 1
        if level == "outside":  # placed by the national gazetteer
            row = next(p for p in synth.OUTSIDE if name.startswith(p[0]))
            assert reg == {"province": row[1], "city": row[2], "county": row[3],
                           "code": row[4], "in_ningxia": False}  # fmt: skip
            continue
        assert reg["in_ningxia"] is True and reg["province"] == "宁夏回族自治区"
        r = regions[reg["code"]]
        if level == "region":
            assert r["level"] == "province" and re.match("(宁夏回族)?自治区", name)
            assert reg["city"] is None and reg["county"] is None
        elif level == "city":
            assert r["level"] == "city" and name.startswith(r["name"]) and reg["county"] is None
        else:
            assert (
                r["level"] == "county" and name.startswith(r["name"]) and reg["county"] == r["name"]
            )
            assert reg["city"] == r["city"]
        if level == "town":
            assert re.fullmatch(re.escape(reg["county"]) + r".+镇人民政府", name)
    cities = {t["region"]["city"] for _, _, t in corpus if t["region"]["in_ningxia"]}
    assert cities == {None, "银川市", "石嘴山市", "吴忠市", "固原市", "中卫市"}
    assert set(levels) == {"region", "city", "county", "town", "outside"}


def test_title_and_year_are_in_the_text(corpus) -> None:
    for _, text, truth in corpus:
        flat = re.sub(r"\s", "", text[:400])
        assert truth["agency"] in flat and f"{truth['year']}年" in flat


def test_narrative_evidence_is_printed_and_matches_table_three(corpus) -> None:
    for _, text, truth in corpus:
        lines = text.split("\n")
        for item in truth["narrative"].values():
            assert item["evidence"] in lines[item["line"] - 1]
            printed = item["evidence"].replace(",", "").translate(_FW)
            if item["value"] is None:
                assert "余" in printed
            else:
                assert str(item["value"]) in printed or item["value"] == 0
        apps = truth["narrative"].get("applications_received")
        if apps:
            new_total = {_key(f): f["value"] for f in truth["facts"]}["requests", "new", "total"]
            assert apps["value"] == new_total


def test_zero_filing_flag_means_no_number_but_zero(corpus) -> None:
    for _, _, truth in corpus:
        values = [f["value"] for f in truth["facts"] if f["value"] is not None]
        assert truth["synth"]["zero_filing"] == all(v == 0 for v in values)


def test_write_corpus_writes_a_truth_beside_each_report_for_any_workers(tmp_path) -> None:
    one = synth.write_corpus(tmp_path / "a", 40, 3)
    two = synth.write_corpus(tmp_path / "b", 40, 3, workers=2)
    assert [p.name for p in one] == [p.name for p in two] and len(one) == 40
    for p, q in zip(one, two, strict=True):
        data = p.read_bytes()
        assert data == q.read_bytes()
        truth = json.loads((p.parent / (p.stem + ".truth.json")).read_text(encoding="utf-8"))
        assert truth["source"] == p.name and truth["sha256"] == hashlib.sha256(data).hexdigest()


def test_cli_writes_the_number_of_reports_asked(tmp_path, capsys) -> None:
    synth.main(["--out", str(tmp_path), "--n", "7", "--seed", "2", "--break-share", "1"])
    reports = sorted(tmp_path.glob("*.txt"))
    assert len(reports) == 7 and len(list(tmp_path.glob("*.truth.json"))) == 7
    assert "wrote 7 reports" in capsys.readouterr().out
    for p in reports:
        truth = json.loads((tmp_path / (p.stem + ".truth.json")).read_text(encoding="utf-8"))
        assert truth["synth"]["broken"] is not None


def test_agencies_come_from_every_city_and_county_of_ningxia() -> None:
    rng = random.Random(4)
    agencies = [synth.make_agency(rng) for _ in range(3000)]
    codes = {a.region["code"] for a in agencies if a.region["in_ningxia"]}
    assert codes == {"640000", *synth.CITIES.values(), *(c for _, c, _ in synth.COUNTIES)}
    assert len(synth.CITIES) == 5 and len(synth.COUNTIES) == 22
    outside = sum(not a.region["in_ningxia"] for a in agencies) / len(agencies)
    assert 0.01 < outside < 0.06
