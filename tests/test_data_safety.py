"""Never lose data (issue 7): --fix writes a temporary file and renames it over the original,
keeps the file's mode, leaves a file that changed on disk alone, and an interrupted --fix
leaves either the original or the fully fixed file; without --fix nothing is written.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import multiprocessing
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from linter.cli.main import main
from linter.post import fix as fix_mod

HEADER = "Model,Parameters,Parameters notes,Training compute notes\n"
SLIP_ROW = 'M{i},284000000.0,"284B total, 13B active",\n'
FIXED_ROW = 'M{i},284000000000.0,"284B total, 13B active",\n'
FILLER = '"' + "the model was trained on a large corpus of web text and code; " * 40 + '"'


def database(rows: int, every: int = 10) -> str:
    """A CSV with a fixable Parameters field (MC310) in every `every`-th row."""
    out = [HEADER]
    for i in range(rows):
        out.append(SLIP_ROW.format(i=i) if i % every == 0 else f"F{i},,,{FILLER}\n")
    return "".join(out)


def fixed(text: str) -> str:
    return text.replace(",284000000.0,", ",284000000000.0,")


def mclint(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".mclint"))


def test_the_fix_and_its_diff_agree(tmp_path):
    path = tmp_path / "models.csv"
    path.write_text(database(30))
    code, out, _ = mclint("--isolated", "--diff", path)
    assert code == 1
    assert f"-{SLIP_ROW.format(i=10)}+{FIXED_ROW.format(i=10)}" in out
    code, out, _ = mclint("--isolated", "--fix", path)
    assert code == 0 and "3 fixed" in out
    assert path.read_text() == fixed(database(30))


# ----------------------------------------------------------- atomic: temp file and rename

def test_fix_writes_a_temporary_file_and_renames_it(tmp_path, monkeypatch):
    path = tmp_path / "models.csv"
    path.write_text(database(20))
    opened, replaced = [], []
    real_open, real_replace = builtins.open, os.replace

    def spy_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            opened.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def spy_replace(src, dst, *args, **kwargs):
        replaced.append((Path(src), Path(dst), Path(src).read_bytes()))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "replace", spy_replace)
    code, _, _ = mclint("--isolated", "--fix", path)
    assert code == 0
    assert str(path) not in opened                  # the original is never opened to write
    ((src, dst, written),) = replaced
    assert dst == path and src.parent == path.parent and src.name.startswith(".models.csv.")
    assert written == fixed(database(20)).encode()
    assert not src.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o755, 0o444])
def test_fix_keeps_the_file_mode(tmp_path, mode):
    path = tmp_path / "models.csv"
    path.write_text(database(20))
    path.chmod(mode)
    code, _, err = mclint("--isolated", "--fix", path)
    assert code == 0, err
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert path.read_text() == fixed(database(20))


def test_fix_refuses_a_file_changed_since_it_was_read(tmp_path, monkeypatch):
    import linter.pipeline

    path = tmp_path / "models.csv"
    original = database(20)
    path.write_text(original)
    edited = original.replace("M10,", "Someone else's edit,")
    real_lint = linter.pipeline.lint_text

    def lint_then_edit(text, name, *args, **kwargs):
        report = real_lint(text, name, *args, **kwargs)
        Path(name).write_text(edited)       # another editor saves while mclint is linting
        return report

    monkeypatch.setattr(linter.pipeline, "lint_text", lint_then_edit)
    code, _, err = mclint("--isolated", "--fix", path)
    assert code == 2
    assert err == f"mclint: error: {path}: not fixed: the file changed on disk since it was read\n"
    assert path.read_text() == edited and leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["write", "fsync", "chmod"])
def test_an_interruption_during_the_write_keeps_the_original(tmp_path, monkeypatch, where):
    path = tmp_path / "models.csv"
    path.write_text(database(20))
    target = {"fsync": (os, "fsync"), "chmod": (os, "chmod"), "write": (fix_mod.os, "fdopen")}
    module, name = target[where]
    real = getattr(module, name)

    def interrupt(*args, **kwargs):
        if where == "write":
            handle = real(*args, **kwargs)
            handle.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(module, name, interrupt)
    code, _, err = mclint("--isolated", "--fix", path)
    assert code == 130 and "interrupted" in err
    assert path.read_text() == database(20) and leftovers(tmp_path) == []


def test_a_failed_rename_keeps_the_original(tmp_path, monkeypatch):
    path = tmp_path / "models.csv"
    path.write_text(database(20))

    def fail(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", fail)
    code, _, err = mclint("--isolated", "--fix", path)
    assert code == 2 and err == f"mclint: error: {path}: cannot write: Invalid cross-device link\n"
    assert path.read_text() == database(20) and leftovers(tmp_path) == []


# --------------------------------------------------------- killed mid-write: SIGKILL, SIGTERM

def _fix_in_child(path: str) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os._exit(main(["--isolated", "--quiet", "--fix", path]))


def _kill_run(path: Path, rng: random.Random, targeted: bool, budget: float | None) -> str:
    """Start --fix in a forked child and SIGKILL it after a random time (up to budget
    seconds, counted from the start or, targeted, from when the temporary file appears);
    say when ('temp': mid-write)."""
    ctx = multiprocessing.get_context("fork")
    proc = ctx.Process(target=_fix_in_child, args=(str(path),))
    start = time.monotonic()
    proc.start()
    moment = "done"
    if budget is None:                 # no kill: a run to the end
        proc.join()
        return "done"
    if targeted:     # wait for the temporary file, then kill within the next few ms
        while proc.is_alive() and time.monotonic() - start < 60:
            if leftovers(path.parent):
                time.sleep(rng.uniform(0, budget))
                moment = "temp"
                break
            time.sleep(0.0005)
    else:
        time.sleep(rng.uniform(0, budget))
        moment = "random"
    if proc.is_alive():
        os.kill(proc.pid, signal.SIGKILL)
    else:
        moment = "done"
    proc.join()
    return moment


@pytest.fixture(scope="module")
def warm():
    from linter.extract import extract

    extract("6 * 7B = 4.2e10")        # fork children with the pipeline already built


@pytest.mark.slow
def test_sigkill_at_random_moments_never_damages_the_file(tmp_path, warm):
    """Kill --fix many times, mostly while the temporary file is being written."""
    path = tmp_path / "models.csv"
    original = database(3000).encode()                 # about 8 MB, 300 fixable fields
    want = fixed(original.decode()).encode()
    rng = random.Random(7)
    path.write_bytes(original)
    start = time.monotonic()
    _kill_run(path, rng, targeted=False, budget=None)  # one run to the end: its duration
    duration = time.monotonic() - start
    assert path.read_bytes() == want and leftovers(tmp_path) == []
    path.write_bytes(original)
    seen: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    for run in range(15):
        targeted = run % 3 != 0
        budget = 0.01 if targeted else duration * 1.2
        moment = _kill_run(path, rng, targeted=targeted, budget=budget)
        seen[moment] = seen.get(moment, 0) + 1
        data = path.read_bytes()
        assert data in (original, want), f"run {run} ({moment}): the file is damaged"
        outcome = "original" if data == original else "fixed"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        # SIGKILL leaves no chance to clean up: a temporary file may remain, never the target.
        for name in leftovers(tmp_path):
            assert name.startswith(".models.csv.") and name != path.name
            (tmp_path / name).unlink()
        path.write_bytes(original)
        os.chmod(path, 0o644)
    assert seen.get("temp", 0) >= 5, (seen, outcomes)   # many kills landed mid-write
    assert outcomes.get("original", 0) >= 1, (seen, outcomes)


@pytest.mark.slow
def test_sigterm_mid_write_removes_the_temporary_file(tmp_path):
    """The real command: SIGTERM unwinds, the temporary file is removed, the file is whole."""
    path = tmp_path / "models.csv"
    original = database(6000).encode()                  # about 16 MB: a long write
    want = fixed(original.decode()).encode()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    hits = 0
    for _attempt in range(2):
        path.write_bytes(original)
        proc = subprocess.Popen([sys.executable, "-m", "linter", "--isolated", "--fix",
                                 str(path)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        start = time.monotonic()
        while proc.poll() is None and time.monotonic() - start < 120:
            if leftovers(tmp_path):
                proc.send_signal(signal.SIGTERM)
                hits += 1
                break
            time.sleep(0.0005)
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in out + err
        assert proc.returncode in (0, 143), (proc.returncode, err)
        if proc.returncode == 143:
            assert "mclint: terminated" in err
        assert path.read_bytes() in (original, want)
        assert leftovers(tmp_path) == []
    assert hits >= 1


# ------------------------------------------------------- without --fix: nothing written

AUDIT = r"""
import os, sys
written = []
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
def hook(event, args):
    if event == "open" and args[0] is not None and not isinstance(args[0], int):
        mode, flags = args[1], args[2]
        if (mode and any(c in mode for c in "wax+")) or (flags and flags & WRITE):
            written.append(("open", str(args[0])))
    elif event in ("os.rename", "os.replace", "os.remove", "os.unlink", "os.rmdir", "os.mkdir",
                   "os.chmod", "os.chown", "os.truncate", "shutil.copyfile", "shutil.move",
                   "tempfile.mkstemp", "tempfile.mkdtemp", "os.link", "os.symlink", "os.utime"):
        written.append((event, str(args[:2])))
sys.addaudithook(hook)
from linter.cli.main import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("AUDIT", repr(written), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.slow
def test_without_fix_nothing_is_opened_for_writing(tmp_path):
    """Every input kind, every format, --diff and --baseline: no write of any kind."""
    (tmp_path / "models.csv").write_text(database(20))
    (tmp_path / "note.txt").write_text("6 * 340B * 9T = 1.8E24\n")
    (tmp_path / "card.md").write_text("---\nmodel_name: X\nnum_gpus: 6144\n---\n6 * 7B = 4e10\n")
    (tmp_path / "e.yaml").write_text("name: X\nParameters notes: 284B total, 13B active\n"
                                     "Parameters: 284000000.0\n")
    (tmp_path / "e.json").write_text('{"name": "X", "Training compute notes": "6 * 7B = 4e10"}')
    (tmp_path / "e.jsonl").write_text('{"name": "Y", "Training compute notes": "2 * 3 = 7"}\n')
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    (tmp_path / ".mclint.yaml").write_text("select: [MC1, MC3]\n")
    files = ["models.csv", "note.txt", "card.md", "e.yaml", "e.json", "e.jsonl", "bad.txt"]
    (tmp_path / "baseline.json").write_text('{"version": 1, "findings": []}\n')
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    for extra in (["--format", "json"], ["--format", "sarif"], ["--format", "github"],
                  ["--show-verified", "--statistics", "--report-unused-suppressions"],
                  ["--diff"], ["--baseline", "baseline.json"]):
        proc = subprocess.run([sys.executable, "-c", AUDIT, *extra, *files], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=120,
                              check=False)
        assert proc.returncode in (1, 2), proc.stderr
        audit = proc.stderr.rsplit("AUDIT ", 1)[1].strip()
        assert audit == "[]", (extra, audit)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before
