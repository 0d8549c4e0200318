"""Parse throughput on a generated corpus, beside a plain pass over the same files as the floor.

    python -m bench.bench_parse --n 2000 [--workers 2] [--seed 1] [--dir DIR]

Prints a table (no assertions): wall seconds and reports/s for the floor (read, split lines,
test for digits, one process), the parser in one process, and the parser over `workers`
processes, each with its ratio to the floor; and the CPU seconds of all processes, which a
machine busy with other work disturbs less than the wall clock. Also how fast bench.synth
wrote the corpus.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.synth import write_corpus
from etl.parse import parse_file


def floor_one(path: Path) -> int:
    """The least any parser must do: read the file, split it into lines, look for digits."""
    text = path.read_bytes().decode("utf-8")
    return sum(1 for line in text.split("\n") if any(ch.isdigit() for ch in line))


def parse_one(path: Path) -> int:
    return len(parse_file(path)["facts"])


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(fn: Callable[[Path], int], paths: list[Path], workers: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds (of all processes) of one pass of `fn` over `paths`."""
    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    if workers <= 1:
        for p in paths:
            fn(p)
    else:
        pool = multiprocessing.get_context("fork").Pool(workers)
        for _ in pool.imap_unordered(fn, paths, chunksize=32):
            pass
        pool.close()
        pool.join()  # reaped, so their CPU time shows in RUSAGE_CHILDREN
    cpu = time.process_time() - c0 + _children_cpu() - k0
    return time.perf_counter() - t0, cpu


def run(paths: list[Path], workers: int) -> list[tuple[str, int, float, float]]:
    """(what, processes, wall seconds, CPU seconds) for the floor and the parser."""
    return [
        ("floor: read+split+digits", 1, *_timed(floor_one, paths, 1)),
        ("parse", 1, *_timed(parse_one, paths, 1)),
        ("parse", workers, *_timed(parse_one, paths, workers)),
    ]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--dir", type=Path, help="corpus to reuse or write (default: a temp dir)")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = a.dir or Path(tmp)
        paths = sorted(out.glob("*.txt")) if a.dir and a.dir.exists() else []
        if len(paths) < a.n:
            t0, c0 = time.perf_counter(), time.process_time() + _children_cpu()
            paths = write_corpus(out, a.n, a.seed, workers=a.workers)
            dt, cpu = time.perf_counter() - t0, time.process_time() + _children_cpu() - c0
            print(
                f"bench.synth wrote {a.n} reports in {dt:.2f} s ({a.n / dt:,.0f}/s, "
                f"{a.workers} proc; {cpu:.2f} CPU s, {a.n / cpu:,.0f} reports/CPU-s)"
            )
        paths = paths[: a.n]
        size = sum(p.stat().st_size for p in paths)
        rows = run(paths, a.workers)
    n, floor = len(paths), rows[0][2]
    print(f"\n{n} reports, {size / 1e6:.1f} MB of text")
    head = ("what", "procs", "wall s", "reports/s", "x floor", "CPU s", "reports/CPU-s")
    print(
        f"{head[0]:<26}{head[1]:>6}{head[2]:>9}{head[3]:>11}{head[4]:>9}{head[5]:>8}{head[6]:>15}"
    )
    for what, procs, sec, cpu in rows:
        print(
            f"{what:<26}{procs:>6}{sec:>9.2f}{n / sec:>11,.0f}{sec / floor:>9.1f}"
            f"{cpu:>8.2f}{n / cpu:>15,.0f}"
        )
    print(f"(os.cpu_count() = {os.cpu_count()}, load average {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
