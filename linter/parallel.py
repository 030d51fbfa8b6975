"""Run a function over batches in forked worker processes, results in order (POSIX only).

Workers are forked, so they share the loaded pipeline, rules and the file's text with the
parent at no cost; only their results travel back, through a pipe.  A worker restores
default signal handling (a SIGTERM ends it quietly, Ctrl-C is the parent's to handle) and
reports an exception instead of printing a traceback.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

# Forked workers pay off only for a file with many entries.  On 2 cores (benchmarks/jobs.py,
# README): 512 entries, no faster and 10% more CPU; 1,024, 12% faster; 1,587, 20% faster.
PARALLEL_ENTRIES = 1000

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def map_batches(fn: Callable[[T], R], batches: Sequence[T], jobs: int) -> list[R]:
    """[fn(b) for b in batches], computed by `jobs` processes (the parent is one of them)."""
    if jobs <= 1 or len(batches) < 3 or not can_fork():
        return [fn(b) for b in batches]
    # The first batch in this process before forking: whatever is built lazily on first use
    # (units, patterns, caches) is then built once, not once in every process.  Then every
    # jobs-th batch to each process, so that rows with long notes, which cluster in a
    # database, are shared out.
    import multiprocessing  # here: a run that forks no worker does not pay its import

    first = fn(batches[0])
    rest = batches[1:]
    jobs = min(jobs, len(rest))
    chunks = [rest[k::jobs] for k in range(jobs)]
    context = multiprocessing.get_context("fork")
    workers = []
    # Objects that exist before the fork are left out of garbage collection meanwhile: a
    # collection writes to every object it visits, which would copy the shared pages into
    # each process (copy on write).
    gc.freeze()
    try:
        for chunk in chunks[1:]:
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(fn, chunk, send), daemon=True)
            process.start()
            send.close()
            workers.append((process, receive))
        done = [[fn(b) for b in chunks[0]]]
        for process, receive in workers:
            try:
                ok, value = receive.recv()
            except EOFError:
                raise RuntimeError(f"a worker process ended without a result "
                                   f"(exit code {process.exitcode})") from None
            if not ok:
                raise RuntimeError(f"in a worker process: {value}")
            done.append(value)
            process.join()
        results: list = [None] * len(rest)
        for k, values in enumerate(done):
            results[k::jobs] = values
        return [first, *results]
    finally:
        gc.unfreeze()
        for process, _ in workers:
            if process.is_alive():
                process.terminate()
                process.join()


def _work(fn, chunk, send) -> None:
    """A worker's whole life: compute its chunk, send it back, never print a traceback."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        send.send((True, [fn(b) for b in chunk]))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        try:
            send.send((False, f"{type(exc).__name__}: {str(exc)[:300]}"))
        except Exception:  # noqa: BLE001, S110 - the parent sees EOF and says so
            pass
    finally:
        send.close()
