"""The pre-commit hook, run for real: `pre-commit try-repo` against a clean copy of this checkout.

pre-commit installs the hook non-editably from a git clone, so the test commits a
snapshot of the working tree (tracked and untracked files, minus ignored ones) to a
throwaway repository and points try-repo at it: what it checks is what a user gets
from a clone, including the rules shipped inside the wheel.  Building the hook's
environment installs mclint and its dependencies from the package index; the test is
skipped only when that index cannot be reached.
"""

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

NOTE = "Training compute: 6 * 340B * 9T = {result} FLOP.\n"
CSV = ("Model,Parameters,Training compute (FLOP),Training compute notes\n"
       'Nemotron-4 340B,340000000000,1.8e+25,"6 * 340B * 9T = 1.8E25"\n')
OFFLINE = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable",
           "No matching distribution found", "Could not find a version that satisfies",
           "ConnectionError", "Name or service not known")


def _env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PRE_COMMIT_COLOR="never",
               GIT_AUTHOR_NAME="mclint test", GIT_AUTHOR_EMAIL="test@example.invalid",
               GIT_COMMITTER_NAME="mclint test", GIT_COMMITTER_EMAIL="test@example.invalid")
    return env


def _git(cwd, *args, env) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                   timeout=120)


def _snapshot(dest, env) -> None:
    """Commit this checkout's working tree (not its history) to a new repository."""
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=ROOT, env=env, check=True,
                             capture_output=True, timeout=60).stdout
    for rel in filter(None, listing.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():          # a tracked file deleted in the working tree is skipped
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    _git(dest, "init", "-q", env=env)
    _git(dest, "add", "-A", env=env)
    _git(dest, "commit", "-q", "-m", "snapshot of the mclint checkout", env=env)


def _try_repo(work, hook_repo, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "mclint",
         "--all-files", "--color", "never"],
        check=False, cwd=work, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.slow
def test_precommit_hook_passes_clean_notes_and_fails_on_a_slip(tmp_path):
    pytest.importorskip("pre_commit", reason="pre-commit (in the test extra) is not installed")
    env = _env(tmp_path)
    hook_repo, work = tmp_path / "mclint-src", tmp_path / "notes-repo"
    hook_repo.mkdir()
    work.mkdir()
    _snapshot(hook_repo, env)
    (work / "note.txt").write_text(NOTE.format(result="1.8E25"))
    (work / "models.csv").write_text(CSV)
    _git(work, "init", "-q", env=env)
    _git(work, "add", "-A", env=env)

    clean = _try_repo(work, hook_repo, env)
    output = clean.stdout + clean.stderr
    if clean.returncode != 0 and any(marker in output for marker in OFFLINE):
        pytest.skip("cannot reach the package index to build the hook's environment")
    assert clean.returncode == 0, output
    assert "mclint" in output and "Passed" in output

    (work / "note.txt").write_text(NOTE.format(result="1.8E24"))
    _git(work, "add", "-A", env=env)
    slip = _try_repo(work, hook_repo, env)
    output = slip.stdout + slip.stderr
    assert slip.returncode == 1, output
    assert "Failed" in output
    assert "note.txt:1:35: MC101 6 * 340B * 9T = 1.8E24 FLOP: recomputed 1.836e25" in output, \
        output
    assert "Found 1 problem (1 error, 0 warnings) in 2 files." in output
