"""Parse throughput on a generated corpus, beside a plain pass over the same files as the floor.

    python -m bench.bench_parse --n 2000 [--workers 2] [--seed 1] [--dir DIR]

Prints a table (no assertions): wall seconds and reports/s for the floor (read, split lines,
test for digits, one process), the parser in one process, and the parser over `workers`
processes, each with its ratio to the floor; and the CPU seconds of all processes, which a
machine busy with other work disturbs less than the wall clock. Also how fast bench.synth
wrote the corpus. The parser runs as in a build worker: `read_report` (the typed report the
build stores) in a process set up by `parser_process()`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.synth import write_corpus
from etl.parse import parser_process, read_report


def floor_one(path: Path) -> int:
    """The least any parser must do: read the file, split it into lines, look for digits."""
    text = path.read_bytes().decode("utf-8")
    return sum(1 for line in text.split("\n") if any(ch.isdigit() for ch in line))


def parse_one(path: Path) -> int:
    """What a build worker does with a file: read and parse it into a typed report."""
    return len(read_report(str(path), path.read_bytes(), "")[1].facts)


def _cpu_of(job: tuple[Callable[[Path], int], Path]) -> float:
    """CPU seconds of one call in a worker (the forkserver's children are not ours to reap)."""
    fn, path = job
    c0 = time.process_time()
    fn(path)
    return time.process_time() - c0


def _timed(fn: Callable[[Path], int], paths: list[Path], workers: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds (of all processes) of one pass of `fn` over `paths`."""
    t0, c0 = time.perf_counter(), time.process_time()
    if workers <= 1:
        for p in paths:
            fn(p)
        cpu = time.process_time() - c0
    else:
        # forkserver, as the build: workers start without the caches of the pass before
        with multiprocessing.get_context("forkserver").Pool(workers, parser_process) as pool:
            jobs = [(fn, p) for p in paths]
            cpu = time.process_time() - c0 + sum(pool.imap_unordered(_cpu_of, jobs, 32))
    return time.perf_counter() - t0, cpu


def run(paths: list[Path], workers: int) -> list[tuple[str, int, float, float]]:
    """(what, processes, wall seconds, CPU seconds) for the floor and the parser."""
    floor = ("floor: read+split+digits", 1, *_timed(floor_one, paths, 1))
    parser_process()  # as in a build worker
    return [
        floor,
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
            t0, c0 = time.perf_counter(), time.process_time()
            paths = write_corpus(out, a.n, a.seed, workers=a.workers)
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            print(
                f"bench.synth wrote {a.n} reports in {dt:.2f} s ({a.n / dt:,.0f}/s, "
                f"{a.workers} proc; {cpu:.2f} CPU s of this process)"
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
