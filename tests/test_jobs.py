"""-j: forked workers for a large database give the same report as one process, print no
traceback (not even when the run is terminated), and are used only where they help."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT

from linter import pipeline
from linter.cli.main import main
from linter.parallel import PARALLEL_ENTRIES, can_fork, cores

SLIPS_CSV = FIXTURES / "entries" / "slips" / "database.csv"
EXPECTED_CSV = yaml.safe_load(
    (FIXTURES / "entries" / "slips" / "expected.yaml").read_text(encoding="utf-8"))["database.csv"]
needs_fork = pytest.mark.skipif(not can_fork(), reason="-j needs fork (POSIX)")


def big_csv(tmp_path: Path, entries: int) -> Path:
    """The slips database repeated to at least `entries` rows (7 entries a copy)."""
    header, body = SLIPS_CSV.read_text(encoding="utf-8").split("\n", 1)
    per_copy = 7
    path = tmp_path / "big.csv"
    path.write_text(header + "\n" + body * -(-entries // per_copy), encoding="utf-8")
    return path


def cli(*args, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("MCLINT_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "linter", "--isolated", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, **kwargs)


@pytest.mark.parametrize("jobs, entries, expected", [
    (2, PARALLEL_ENTRIES - 1, 1),            # a small file: one process, whatever -j says
    (2, PARALLEL_ENTRIES, 2),
    (64, PARALLEL_ENTRIES, -(-PARALLEL_ENTRIES // pipeline.BATCH)),   # at most one a batch
    (1, 100_000, 1),
    (0, 100, 1),
    (0, 100_000, cores()),                   # -j 0: one per core
])
def test_workers_are_used_only_where_they_help(jobs, entries, expected):
    assert pipeline.workers(jobs, entries) == expected


@needs_fork
@pytest.mark.parametrize("batches, jobs", [(1, 2), (2, 2), (3, 2), (11, 3), (5, 8), (40, 2)])
def test_map_batches_keeps_the_order(batches, jobs):
    """The first batch in this process, then every jobs-th batch to each process."""
    from linter.parallel import map_batches

    pids = map_batches(lambda b: (b, os.getpid()), list(range(batches)), jobs)
    assert [b for b, _ in pids] == list(range(batches))
    assert pids[0][1] == os.getpid()
    assert len({pid for _, pid in pids}) == (1 if batches < 3 else min(jobs, batches - 1))


@needs_fork
def test_a_failing_worker_is_one_error_not_a_traceback(capfd):
    from linter.parallel import map_batches

    def fn(b):
        if b == 2:
            raise ValueError("bad batch")
        return b

    with pytest.raises(RuntimeError, match="^in a worker process: ValueError: bad batch$"):
        map_batches(fn, list(range(6)), 2)
    assert capfd.readouterr() == ("", "")


@needs_fork
def test_jobs_2_gives_the_same_json_as_jobs_1_and_no_traceback(tmp_path, capfd, monkeypatch):
    """In this process, with the file descriptors captured: a worker's output would show.
    The threshold is lowered so that 5 batches of the slips database go to two processes."""
    monkeypatch.setattr(pipeline, "PARALLEL_ENTRIES", 500)
    path = big_csv(tmp_path, 510)
    runs = {}
    for jobs in ("1", "2"):
        code = main(["--isolated", "-j", jobs, "--format", "json", str(path)])
        out, err = capfd.readouterr()
        assert code == 1 and err == ""            # no worker traceback, no note at all
        runs[jobs] = out
    assert runs["1"] == runs["2"]
    copies = -(-510 // 7)
    assert len(json.loads(runs["2"])["findings"]) == copies * len(EXPECTED_CSV)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


@pytest.mark.slow
@needs_fork
@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(),
                    reason="needs Linux's /proc/PID/task/PID/children to see the workers")
@pytest.mark.parametrize("to_group", [False, True])
def test_a_terminated_parallel_run_prints_one_line(tmp_path, to_group):
    """SIGTERM to mclint (or to its whole process group, as CI does when a job is cancelled)
    while workers run: 'mclint: terminated', exit 143, no traceback from any process."""
    path = big_csv(tmp_path, 4000)
    proc = cli("-j", "2", path, start_new_session=True)
    deadline = time.monotonic() + 120
    while not _children(proc.pid):
        assert proc.poll() is None and time.monotonic() < deadline, "no worker started"
        time.sleep(0.05)
    time.sleep(0.5)
    if to_group:
        os.killpg(proc.pid, signal.SIGTERM)
    else:
        proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 143
    assert err.decode() == "mclint: terminated\n"
    assert b"Traceback" not in out
