"""Lint requests in worker processes, each with a time limit.

A lint cannot be interrupted from inside (spaCy and the checks have no checkpoints) and a
thread cannot be killed, so each request runs in a worker process: one that overruns its
time is killed and replaced, and the server goes on.  A worker is `python -m
linter.web.worker`, a fresh interpreter (no copy of the server's threads and sockets, and
no re-run of whatever started the server), that loads spaCy and the rules once and then
answers one JSON line with one JSON line on its stdin and stdout.  It lints only the text
it is sent (`isolated=True`: no configuration file is looked for), writes no file and logs
nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

WARM_UP = "6 * 340B * 9T = 1.8E25"
START_TIMEOUT = 120.0    # seconds for a new worker to import and load spaCy


class Busy(Exception):
    """Every worker stayed busy for longer than the queue allows."""


class TimedOut(Exception):
    """The lint took longer than the time limit; its worker was killed."""


class WorkerFailed(Exception):
    """The worker died or could not start (not the input's fault)."""


class BadOptions(Exception):
    """linter.lint refused the options (a rule code that matches no rule, ...)."""


@dataclass(frozen=True)
class Job:
    """What linter.lint is called with: the text, its name (which picks the reader), options."""

    text: str
    filename: str | None = None
    options: dict = field(default_factory=dict)


def serve(channel_in, channel_out) -> None:
    """A worker's loop: lint each job line it reads and write the answer as one line."""
    import linter
    from linter.pipeline import UsageError

    def answer(kind: str, value) -> None:
        channel_out.write(json.dumps([kind, value]).encode("ascii") + b"\n")
        channel_out.flush()

    linter.lint(WARM_UP, isolated=True)
    answer("ready", None)
    for line in channel_in:
        job = Job(**json.loads(line))
        try:
            answer("ok", linter.lint(job.text, filename=job.filename, isolated=True,
                                     **job.options))
        except UsageError as exc:
            answer("options", str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: name it, never the input or a trace
            answer("failed", type(exc).__name__)


class Worker:
    """One worker process and the pipes to it."""

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])    # where the linter package is
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (root, os.environ.get("PYTHONPATH")) if p))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "linter.web.worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=env)
        self.killed = False
        if self._exchange(None, START_TIMEOUT)[0] != "ready":
            self.kill()
            raise WorkerFailed("a lint worker could not start")

    def _exchange(self, job: Job | None, timeout: float):
        """Send a job (None: only read) and read the answer, killing the process at timeout."""
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            self.kill()

        timer = threading.Timer(timeout, expire)
        timer.start()
        try:
            if job is not None:
                self.process.stdin.write(json.dumps(asdict(job)).encode("ascii") + b"\n")
                self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (OSError, ValueError):
            line = b""
        finally:
            timer.cancel()
        if not line:
            self.kill()
            if expired.is_set():
                raise TimedOut()
            raise WorkerFailed("the lint worker stopped")
        return json.loads(line)

    def call(self, job: Job, timeout: float):
        """Run one job: (kind, value); TimedOut past the timeout (the worker is then dead)."""
        return self._exchange(job, timeout)

    @property
    def alive(self) -> bool:
        return not self.killed and self.process.poll() is None

    def kill(self) -> None:
        self.killed = True
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass


class Pool:
    """`size` workers; a request waits at most `queue_wait` seconds for one to be free."""

    def __init__(self, size: int = 1, timeout: float = 60.0, queue_wait: float = 30.0):
        self.size, self.timeout, self.queue_wait = size, timeout, queue_wait
        self._idle: asyncio.Queue[Worker] | None = None
        self._all: set[Worker] = set()
        self._starting: set[asyncio.Task] = set()

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        await asyncio.gather(*(self._add() for _ in range(self.size)))

    async def stop(self) -> None:
        for task in list(self._starting):
            task.cancel()
        for worker in list(self._all):
            await asyncio.to_thread(worker.kill)
        self._all.clear()

    async def _add(self) -> None:
        worker = await asyncio.to_thread(Worker)
        self._all.add(worker)
        self._idle.put_nowait(worker)

    def _replace(self, worker: Worker) -> None:
        """Start a new worker in the background for one that was killed or died."""
        self._all.discard(worker)
        task = asyncio.get_running_loop().create_task(self._add())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    def _release(self, worker: Worker, done: asyncio.Future) -> None:
        if done.cancelled() or done.exception() is not None or not worker.alive:
            self._replace(worker)
        else:
            self._idle.put_nowait(worker)

    async def lint(self, job: Job) -> dict:
        """The JSON report for a job; raises Busy, TimedOut, WorkerFailed or BadOptions."""
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_wait)
        except (asyncio.TimeoutError, TimeoutError):
            raise Busy() from None
        if not worker.alive:
            self._replace(worker)
            raise WorkerFailed("the lint worker stopped")
        call = asyncio.get_running_loop().run_in_executor(None, worker.call, job, self.timeout)
        # The worker goes back to the pool (or is replaced) when its call ends, even if
        # this request was cancelled meanwhile (the client went away).
        call.add_done_callback(lambda done: self._release(worker, done))
        kind, value = await asyncio.shield(call)
        if kind == "ok":
            return value
        if kind == "options":
            raise BadOptions(value)
        raise WorkerFailed(f"internal error ({value})")


def main() -> None:
    """`python -m linter.web.worker`: the channel is stdin/stdout; anything else printed
    (a library's warning) goes to stderr so it cannot break a line of the channel."""
    channel_in = os.fdopen(os.dup(0), "rb")
    channel_out = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        serve(channel_in, channel_out)
    except (KeyboardInterrupt, BrokenPipeError):
        pass


if __name__ == "__main__":
    main()
