"""When does -j help?  Cold `mclint -j N` on the first K entries of a database, K = sizes.

    python benchmarks/jobs.py [CSV] [--sizes 128,256,512,1024,0] [--jobs 1,2] [--repeat 3]

Each run is a fresh process (`mclint --isolated -q --format json -j N FILE`), as a user or
CI runs it: start-up, reading, extraction and checking, and for N > 1 the forked workers,
forked at every size (the entry threshold is switched off, since it is what this measures).
Size 0 is the whole file.  Prints the median and the best wall time of --repeat runs per
size and N (the best is the least disturbed by other load), and checks that every N gives
the same JSON.  Run it on an otherwise idle machine.

Data: Epoch AI (epoch.ai), CC BY 4.0.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CSV = ROOT.parent / "shared" / "corpus" / "epoch_models_dev.csv"


def subset(source: Path, size: int, dest: Path) -> int:
    """Write the header and the first `size` rows (0: all) of a CSV; return the row count."""
    with open(source, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    body = rows[1:] if size == 0 else rows[1:size + 1]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([rows[0], *body])
    dest.write_text(out.getvalue(), encoding="utf-8")
    return len(body)


# `mclint` with the entry threshold off, so that -j N forks at every size: what the
# threshold (linter.parallel.PARALLEL_ENTRIES) should be is what this measures.
UNLIMITED = ("import sys, linter.pipeline as p; p.PARALLEL_ENTRIES = 0; "
             "from linter.cli.main import main; sys.exit(main(sys.argv[1:]))")


def timed(path: Path, jobs: int) -> tuple[float, float, bytes]:
    """Wall time, CPU time (the process and its workers) and stdout of one cold run."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", UNLIMITED, "--isolated", "-q", "--format",
                           "json", "-j", str(jobs), str(path)], capture_output=True, env=env,
                          check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1) or b"Traceback" in proc.stderr:
        sys.exit(f"-j {jobs} {path.name}: exit {proc.returncode}\n{proc.stderr.decode()[-2000:]}")
    return elapsed, cpu, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--sizes", default="128,256,512,1024,0")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    jobs = [int(j) for j in args.jobs.split(",")]
    print(f"{os.cpu_count()} cores; wall time (median and best of {args.repeat} cold runs) and "
          "CPU time (median, all processes), seconds")
    print(f"{'entries':>8}" + "".join(f"{'-j ' + str(j):>9}{'best':>7}{'cpu':>7}" for j in jobs))
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"first-{size}.csv"
            n = subset(args.csv, size, path)
            times: dict[int, list[float]] = {j: [] for j in jobs}
            cpus: dict[int, list[float]] = {j: [] for j in jobs}
            outputs = set()
            for _ in range(args.repeat):
                for j in jobs:           # interleaved, so load drifts hit every N alike
                    elapsed, cpu, out = timed(path, j)
                    times[j].append(elapsed)
                    cpus[j].append(cpu)
                    outputs.add(out)
            same = "" if len(outputs) == 1 else "   OUTPUTS DIFFER"
            print(f"{n:>8}" + "".join(f"{statistics.median(times[j]):>9.2f}"
                                      f"{min(times[j]):>7.2f}{statistics.median(cpus[j]):>7.2f}"
                                      for j in jobs) + same, flush=True)


if __name__ == "__main__":
    main()
