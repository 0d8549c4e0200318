"""Full and incremental build of generated corpora: wall time, peak memory, database size.

    python -m bench.bench_build [--n 10000 100000] [--workers 2] [--seed 1]

For each size: a corpus from bench.synth (cached in bench/out/corpus-<n>/reports/, truths
moved aside to truth/ so the build sees only reports), then, each as its own
`python -m etl build` process (the CLI a user runs):
  full       a new database;
  unchanged  the same files again (the database must not be rewritten);
  1% changed 1% of the files edited (a line appended), then put back (a second 1% rebuild,
             which leaves the database in step with the corpus for bench_pages).
Peak memory is sampled every 50 ms as the summed RSS of the build process and all its
descendants (the parser workers and their forkserver), beside the largest single process;
CPU seconds are summed over the same tree. Prints a table; asserts nothing. The database stays at bench/out/db-<n>.duckdb.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
ROOT = OUT.parent.parent
CHANGED_LINE = "\n（本段为基准测试追加的修改）\n"

# Targets of issue 5.
TARGET_BUILD_S = 300.0  # 100k reports, 2 cores
TARGET_RSS_MB = 2048.0
TARGET_UNCHANGED_S = 5.0


def corpus(n: int, seed: int = 1, workers: int = 2) -> Path:
    """The reports folder of an n-report corpus, generated once and cached under bench/out/."""
    from bench.synth import write_corpus

    base = OUT / f"corpus-{n}-s{seed}"
    reports, truth, done = base / "reports", base / "truth", base / "complete"
    if done.exists():
        return reports
    shutil.rmtree(base, ignore_errors=True)
    t0 = time.perf_counter()
    write_corpus(reports, n, seed, workers=workers)
    truth.mkdir(parents=True)
    for p in reports.glob("*.truth.json"):
        p.rename(truth / p.name)
    done.write_text(f"{n} reports in {time.perf_counter() - t0:.1f} s\n")
    print(f"corpus of {n}: generated in {time.perf_counter() - t0:.1f} s", flush=True)
    return reports


TICK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _tree(root: int) -> dict[int, tuple[int, float]]:
    """{pid: (RSS kB, own CPU seconds)} of `root` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[int, float]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the command: state ppid ... utime(12) stime(13) ... rss(22), 0-based here
        children.setdefault(int(fields[1]), []).append(int(d))
        cpu = (int(fields[11]) + int(fields[12])) / TICK
        info[int(d)] = (int(fields[21]) * PAGE_KB, cpu)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in info:
            out[pid] = info[pid]
        todo += children.get(pid, [])
    return out


@dataclass
class Run:
    """One timed build process."""

    what: str
    seconds: float
    tree_peak_mb: float
    proc_peak_mb: float
    db_mb: float
    cpu_s: float  # summed over the process tree, sampled
    output: str


def timed_build(what: str, reports: Path, db: Path, workers: int) -> Run:
    """Run `python -m etl build` as a child process and measure it."""
    cmd = [sys.executable, "-m", "etl", "build", "--reports", str(reports), "--db", str(db)]
    cmd += ["--workers", str(workers), "--no-progress"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0, 0]  # summed over the tree, largest single process (kB)
    cpu_seen: dict[int, float] = {}  # last CPU seconds seen of each process of the tree

    def sample() -> None:
        while proc.poll() is None:
            tree = _tree(proc.pid)
            peak[0] = max(peak[0], sum(kb for kb, _ in tree.values()))
            peak[1] = max([peak[1], *(kb for kb, _ in tree.values())])
            cpu_seen.update({pid: cpu for pid, (_, cpu) in tree.items()})
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.communicate()[0].decode("utf-8", "replace")
    seconds = time.perf_counter() - t0
    sampler.join()
    cpu = sum(cpu_seen.values())  # up to 50 ms short per process: the last sample
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"build failed ({proc.returncode}): {out[-2000:]}")
    return Run(
        what,
        seconds,
        peak[0] / 1024,
        peak[1] / 1024,
        db.stat().st_size / 1e6,
        cpu,
        out.strip().splitlines()[0] if out.strip() else "",
    )


def change_files(reports: Path, share: float) -> list[tuple[Path, bytes]]:
    """Append a line to every 1/share-th report; returns the originals to put back."""
    paths = sorted(reports.glob("*.txt"))
    step = max(1, round(1 / share))
    saved = []
    for p in paths[::step]:
        data = p.read_bytes()
        saved.append((p, data))
        p.write_bytes(data + CHANGED_LINE.encode("utf-8"))
    return saved


def restore(saved: list[tuple[Path, bytes]]) -> None:
    for p, data in saved:
        p.write_bytes(data)


def bench(n: int, seed: int, workers: int) -> list[Run]:
    """Full build, unchanged rebuild, 1% changed and 1% put back, for one corpus size."""
    reports = corpus(n, seed, workers)
    db = OUT / f"db-{n}-s{seed}.duckdb"
    for stale in OUT.glob(db.name + "*"):
        stale.unlink()
    runs = [timed_build("full", reports, db, workers)]
    print(f"  {runs[-1]}", flush=True)
    runs.append(timed_build("unchanged", reports, db, workers))
    saved = change_files(reports, 0.01)
    try:
        runs.append(timed_build(f"{len(saved)} changed (1%)", reports, db, workers))
    finally:
        restore(saved)
    runs.append(timed_build(f"{len(saved)} put back", reports, db, workers))
    return runs


def verdict(value: float, target: float, unit: str) -> str:
    """'met' or by how much the target is missed."""
    if value <= target:
        return f"met ({value:.1f} ≤ {target:g} {unit})"
    return f"MISSED by {value - target:.1f} {unit} ({value / target:.2f}× the {target:g} {unit})"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    for n in a.n:
        print(f"\n== {n:,} reports, --workers {a.workers} ==", flush=True)
        runs = bench(n, a.seed, a.workers)
        head = f"{'build':<22}{'wall s':>9}{'CPU s':>9}{'tree RSS MB':>13}{'max proc MB':>13}"
        print(head + f"{'DB MB':>9}  output")
        for r in runs:
            print(
                f"{r.what:<22}{r.seconds:>9.2f}{r.cpu_s:>9.1f}{r.tree_peak_mb:>13.0f}"
                f"{r.proc_peak_mb:>13.0f}{r.db_mb:>9.1f}  {r.output}"
            )
        full, unchanged = runs[0], runs[1]
        scale = 100_000 / n
        label = "" if n == 100_000 else f" (extrapolated ×{scale:g} from {n:,}, linear)"
        print(f"full build{label}: " + verdict(full.seconds * scale, TARGET_BUILD_S, "s"))
        print(f"peak RSS (tree): {verdict(full.tree_peak_mb, TARGET_RSS_MB, 'MB')}")
        print(
            f"unchanged rebuild{label}: "
            + verdict(unchanged.seconds * scale, TARGET_UNCHANGED_S, "s")
        )
    print(
        f"(os.cpu_count() = {os.cpu_count()}, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})"
    )


if __name__ == "__main__":
    main()
