"""Finding report files: folder walk, zips, and the guards against unsafe archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from etl.sources import bytes_sources, iter_sources
from tests.conftest import SEED_FILES


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_walk_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x")
    (tmp_path / "a.txt").write_text("y")
    (tmp_path / ".secret.txt").write_text("z")
    (tmp_path / ".hidden" / "c.txt").write_text("w")
    got = [s.path.rsplit("/", 2)[-2:] for s in iter_sources(tmp_path)]
    assert got == [[tmp_path.name, "a.txt"], ["b", "2.txt"]]


def test_display_path_is_relative_to_cwd(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.txt").write_bytes(b"abc")
    monkeypatch.chdir(tmp_path)
    [src] = iter_sources(Path("r"))
    assert (src.path, src.data, src.error) == ("r/a.txt", b"abc", None)
    assert src.mtime == (tmp_path / "r" / "a.txt").stat().st_mtime


def test_zip_members_come_out_with_bang_paths(tmp_path: Path, monkeypatch) -> None:
    seeds = {f"inner/{p.name}": p.read_bytes() for p in SEED_FILES[:2]}
    (tmp_path / "a.zip").write_bytes(_zip(seeds | {"__MACOSX/._x": b"junk"}))
    monkeypatch.chdir(tmp_path)
    got = list(iter_sources(Path(".")))
    assert [s.path for s in got] == [f"a.zip!{name}" for name in seeds]
    assert [s.data for s in got] == list(seeds.values())
    assert all(s.error is None for s in got)


def test_zip_slip_member_is_rejected_and_the_rest_kept(tmp_path: Path) -> None:
    (tmp_path / "evil.zip").write_bytes(
        _zip({"../../etc/x.txt": b"a", "/abs.txt": b"b", "ok.txt": b"c"})
    )
    got = {s.path.split("!")[1]: s for s in iter_sources(tmp_path)}
    assert got["ok.txt"].data == b"c"
    for name in ("../../etc/x.txt", "/abs.txt"):
        assert got[name].data is None
        assert "unsafe path in zip" in got[name].error.reason


def test_zip_bomb_is_rejected_by_declared_size(tmp_path: Path) -> None:
    (tmp_path / "bomb.zip").write_bytes(_zip({"big.txt": b"0" * 2_000_000}))
    [src] = iter_sources(tmp_path, max_bytes=1_000_000)
    assert src.data is None
    assert src.error.reason == "zip expands to more than the 0.953674 MB limit"
    assert src.error.reason_zh.startswith("zip 解压后超过")


def test_zip_member_with_forged_size_is_rejected(tmp_path: Path) -> None:
    data = bytearray(_zip({"big.txt": b"0" * 2_000_000}))
    # Forge the declared uncompressed size (central directory and local header) to 10 bytes.
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    data[22:26] = (10).to_bytes(4, "little")
    (tmp_path / "liar.zip").write_bytes(bytes(data))
    srcs = list(iter_sources(tmp_path, max_bytes=1_000_000))
    assert all(s.data is None for s in srcs)
    assert srcs and all(s.error is not None for s in srcs)


def test_nested_zip_one_level_is_expanded_two_levels_are_not(tmp_path: Path) -> None:
    inner2 = _zip({"deep.txt": b"d"})
    inner1 = _zip({"x.txt": b"x", "deeper.zip": inner2})
    (tmp_path / "outer.zip").write_bytes(_zip({"inner.zip": inner1}))
    got = {
        s.path.split("/", 1)[-1].split(tmp_path.name + "/")[-1]: s for s in iter_sources(tmp_path)
    }
    assert got["outer.zip!inner.zip!x.txt"].data == b"x"
    deeper = got["outer.zip!inner.zip!deeper.zip"]
    assert deeper.data is None and deeper.error.reason == "zip nested more than one level"


def test_broken_zip_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really a zip")
    [src] = iter_sources(tmp_path)
    assert src.data is None and src.error.reason.startswith("broken zip file")


def test_file_over_the_limit_is_rejected_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(3_000_000)  # sparse: its size is known, its bytes are never read
    [src] = iter_sources(tmp_path, max_bytes=2 * 1024 * 1024)
    assert src.data is None
    assert src.error.reason == "file larger than the 2 MB limit"
    assert src.error.reason_zh == "文件超过 2 MB 上限"


def test_bytes_sources_guards_an_upload_held_in_memory() -> None:
    seed = SEED_FILES[0].read_bytes()
    [plain] = bytes_sources("a.txt", seed, 1.0)
    assert (plain.path, plain.data, plain.error) == ("a.txt", seed, None)
    members = list(bytes_sources("up.zip", _zip({"x/1.txt": seed, "../2.txt": seed}), 1.0))
    assert [(m.path, m.data is not None) for m in members] == [
        ("up.zip!x/1.txt", True),
        ("up.zip!../2.txt", False),
    ]
    [big] = bytes_sources("b.txt", b"x" * 2000, 1.0, max_bytes=1000)
    assert big.data is None and big.error.reason.startswith("file larger than")
