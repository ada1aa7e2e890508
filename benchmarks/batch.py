"""A district batch on one machine: local processes against an embedded Ray, same schools.

Generates ``--schools`` schools (default 20) of 20 to 80 paras (evenly spread, ``--days`` 5,
``samples.generator.generate_school``), writes them as workbooks, then runs
``parasched.workflows.batch.run_batch`` on them once per engine, each time into a fresh output
folder (so nothing is resumed), and prints a table:

- wall (s): the whole ``run_batch`` call, from the first school started to district.xlsx written
  (Ray: starting and stopping the embedded Ray included);
- peak MB: the largest sum, sampled every 0.2 s, of the resident memory of this process and
  every process under it (local: the schools' processes; Ray: raylet, GCS and the workers too);
- solved, P1 / all covered %, schools whose schedule is the same as on the first engine.

    python benchmarks/batch.py                              # 20 schools, 5 s per school, 2 at once
    python benchmarks/batch.py --schools 4 --time-limit 2   # a quick look
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere: samples.generator is importable
    sys.path.insert(0, str(ROOT))

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def generate(n_paras: int, seed: int, days: int) -> Any:
    try:
        from samples.generator import generate_school
    except ImportError:  # before the generator moved to samples/
        from parasched.scheduler.generator import generate_school  # type: ignore[no-redef]
    week = ("Mon", "Tue", "Wed", "Thu", "Fri")[:days]
    return generate_school(n_paras, seed=seed, days=week, school_name=f"School {seed:02d} ({n_paras} paras)")


def sizes(count: int, low: int, high: int) -> list[int]:
    if count == 1:
        return [low]
    return [low + round(i * (high - low) / (count - 1)) for i in range(count)]


def _tree_rss_bytes(root: int) -> int:
    """Resident memory of ``root`` and every process below it (Linux /proc)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as fh:
                pages = int(fh.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parent[int(entry)] = int(fields[1])
        rss[int(entry)] = pages * PAGE
    total = 0
    for pid, pages in rss.items():
        p = pid
        while p and p != root:
            p = parent.get(p, 0)
        if p == root:
            total += pages
    return total


class PeakMemory:
    """Samples the process tree's resident memory in a thread; ``peak`` in bytes."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval, self.peak = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss_bytes(me))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_engine(schools: Path, out: Path, engine: str, args: argparse.Namespace) -> dict[str, Any]:
    from parasched.workflows.batch import SOLVED, BatchOptions, run_batch

    options = BatchOptions(
        time_limit=args.time_limit,
        seed=args.seed,
        parallel=args.workers,
        school_timeout=args.school_timeout,
        ray="local" if engine == "ray" else None,
    )
    began = time.monotonic()
    with PeakMemory() as mem:
        report = run_batch(schools, out, options)
    wall = time.monotonic() - began
    finals = [report.final(o.school) for o in report.outcomes]
    req = [sum(o.required[p] for o in finals) for p in range(3)]
    cov = [sum(o.covered[p] for o in finals) for p in range(3)]
    return {
        "engine": report.engine,
        "wall": wall,
        "peak_mb": mem.peak / 2**20,
        "solved": sum(o.status == SOLVED for o in finals),
        "schools": len(finals),
        "p1": 100.0 * cov[0] / req[0] if req[0] else 100.0,
        "all": 100.0 * sum(cov) / sum(req) if sum(req) else 100.0,
        "school_seconds": sum(o.seconds for o in finals),
        "failed": [f"{o.school}: {o.status}" for o in finals if o.status != SOLVED],
    }


def same_schedules(a: Path, b: Path, names: list[str]) -> int:
    from parasched.io.schedule_reader import read_schedule

    same = 0
    for name in names:
        try:
            same += read_schedule(a / name).assignments == read_schedule(b / name).assignments
        except Exception:  # a school missing on one side is simply not the same
            continue
    return same


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--schools", type=int, default=20)
    ap.add_argument("--min-paras", type=int, default=20)
    ap.add_argument("--max-paras", type=int, default=80)
    ap.add_argument("--time-limit", type=float, default=5.0, help="seconds per school (one CP-SAT worker)")
    ap.add_argument("--workers", type=int, default=2, help="schools at once (local processes; Ray CPUs)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--days", type=int, default=5, choices=range(1, 6), help="school days in the week (Mon...)")
    ap.add_argument("--school-timeout", type=float, default=None, help="seconds of wall time per school")
    ap.add_argument("--engines", default="local,ray")
    args = ap.parse_args()

    from parasched.io.input_writer import write_problem

    with tempfile.TemporaryDirectory(prefix="parasched-batch-bench-") as tmp:
        schools = Path(tmp) / "schools"
        schools.mkdir()
        paras = sizes(args.schools, args.min_paras, args.max_paras)
        t = time.monotonic()
        for i, n in enumerate(paras):
            write_problem(generate(n, i, args.days), schools / f"school{i:02d}-{n}p.xlsx")
        print(
            f"{args.schools} schools of {paras[0]}-{paras[-1]} paras ({sum(paras)} paras in all, {args.days}-day week) "
            f"written in "
            f"{time.monotonic() - t:.0f} s; {args.time_limit:g} s per school, {args.workers} at once, "
            f"{os.cpu_count()} cores ({platform.processor() or platform.machine()})",
            flush=True,
        )
        rows = []
        outs = []
        for engine in args.engines.split(","):
            out = Path(tmp) / f"out-{engine}"
            rows.append(run_engine(schools, out, engine, args))
            outs.append(out)
            print(f"  {rows[-1]['engine']}: {rows[-1]['wall']:.0f} s", flush=True)
        names = sorted(p.name for p in outs[0].glob("*-schedule.xlsx"))
        print()
        print(
            "| engine | schools solved | wall (s) | sum of school times (s) | peak MB | P1 covered | all covered "
            "| same schedules as the first |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for row, out in zip(rows, outs, strict=True):
            same = same_schedules(outs[0], out, names)
            print(
                f"| {row['engine']} | {row['solved']} / {row['schools']} | {row['wall']:.0f} | "
                f"{row['school_seconds']:.0f} | {row['peak_mb']:.0f} | {row['p1']:.2f} % | {row['all']:.2f} % | "
                f"{same} / {len(names)} |"
            )
            for failed in row["failed"]:
                print(f"    not solved: {failed}")


if __name__ == "__main__":
    main()
