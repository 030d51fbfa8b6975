"""The pre-commit hook, run for real: `pre-commit try-repo` against a clean copy of this checkout;
and the README's pre-commit and GitHub Actions snippets, exactly as written, from a clone.

pre-commit installs the hook non-editably from a git clone, so the test commits a
snapshot of the working tree (tracked and untracked files, minus ignored ones) to a
throwaway repository and points try-repo at it: what it checks is what a user gets
from a clone, including the rules shipped inside the wheel.  Building the hook's
environment installs mclint and its dependencies from the package index; the test is
skipped only when that index cannot be reached.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
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


# ------------------------------------------------ the README's snippets, exactly as written

README = (ROOT / "README.md").read_text(encoding="utf-8")
URL = "https://github.com/OWNER/mclint"


def _readme_block(after: str) -> str:
    """The first ```yaml block after a heading of the README."""
    section = README.split(after, 1)[1]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


def _clone(tmp_path, env, tag: str):
    """`git clone` of this checkout (its commits: what a user of the repository gets)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    clone = tmp_path / "mclint-clone"
    _git(tmp_path, "clone", "-q", str(ROOT), str(clone), env=env)
    listed = subprocess.run(["git", "tag", "--list", tag], cwd=clone, env=env,
                            capture_output=True, text=True, check=True, timeout=60).stdout
    if not listed.strip():
        # The tag the README names is made when the release is pushed.  Until then it is
        # made here, in this temporary clone only, so the snippet runs exactly as written.
        _git(clone, "tag", "-a", tag, "-m", f"mclint {tag} (test clone only)", env=env)
    return clone


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_readme_precommit_snippet_works_as_written(tmp_path):
    pytest.importorskip("pre_commit", reason="pre-commit (in the test extra) is not installed")
    snippet = _readme_block("## pre-commit")
    assert snippet.count(URL) == 1
    tag = re.search(r"^\s*rev: (\S+)", snippet, re.MULTILINE)[1]
    env = _env(tmp_path)
    clone = _clone(tmp_path, env, tag)
    work = tmp_path / "notes-repo"
    work.mkdir()
    (work / ".pre-commit-config.yaml").write_text(snippet.replace(URL, str(clone)))
    (work / "note.txt").write_text(NOTE.format(result="1.8E25"))
    (work / "models.csv").write_text(CSV)
    _git(work, "init", "-q", env=env)
    _git(work, "add", "-A", env=env)

    def run():
        proc = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files",
                               "--color", "never"], cwd=work, env=env, capture_output=True,
                              text=True, timeout=900, check=False)
        return proc.returncode, proc.stdout + proc.stderr

    code, output = run()
    if code != 0 and any(marker in output for marker in OFFLINE):
        pytest.skip("cannot reach the package index to build the hook's environment")
    assert code == 0 and "mclint" in output and "Passed" in output, output
    (work / "note.txt").write_text(NOTE.format(result="1.8E24"))
    _git(work, "add", "-A", env=env)
    code, output = run()
    assert code == 1 and "Failed" in output, output
    assert "note.txt:1:35: MC101 6 * 340B * 9T = 1.8E24 FLOP: recomputed 1.836e25" in output


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_readme_actions_install_and_check_steps_work_as_written(tmp_path):
    workflow = _readme_block("## GitHub Actions")
    steps = {}
    for step in yaml.safe_load(workflow)["jobs"]["mclint"]["steps"]:
        if "run" in step:
            steps[step.get("name", "install")] = step["run"]
    install, check = steps["install"], steps["Check the database"]
    assert install.count(URL) == 1
    tag = re.search(r"@(v[^\"@]+)\"", install)[1]
    assert f"rev: {tag}" in _readme_block("## pre-commit")     # one release in both snippets
    env = _env(tmp_path)
    clone = _clone(tmp_path, env, tag)
    venv = tmp_path / "venv"                # a fresh environment, as on a runner
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env.pop("PYTHONPATH", None)
    # actions/setup-python comes with a current pip; a venv's bundled pip may be too old to
    # read a 'name @ git+file://' requirement.
    upgraded = subprocess.run(["python", "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
                              env=env, capture_output=True, text=True, timeout=600, check=False)
    if upgraded.returncode != 0:
        pytest.skip(f"cannot upgrade pip in a fresh venv: {upgraded.stderr[-300:]}")
    work = tmp_path / "repo"
    (work / "data").mkdir(parents=True)
    (work / "data" / "models.csv").write_text(CSV.replace("1.8E25", "1.8E24"))

    def bash(command: str):
        return subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=work, env=env,
                              capture_output=True, text=True, timeout=900, check=False)

    installed = bash(install.replace(URL, f"file://{clone}"))
    output = installed.stdout + installed.stderr
    if installed.returncode != 0 and any(marker in output for marker in OFFLINE):
        pytest.skip("cannot reach the package index to install mclint's dependencies")
    assert installed.returncode == 0, output
    checked = bash(check)
    assert checked.returncode == 0, checked.stderr
    sarif = json.loads((work / "mclint.sarif").read_text())
    results = sarif["runs"][0]["results"]
    # the field (1.8e+25) is what the note's product recomputes to: only the note's 1.8E24 is
    # wrong
    assert [(r["ruleId"], r["level"]) for r in results] == [("MC101", "error")]
