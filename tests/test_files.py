"""Folders and files like ruff: `mclint DIR` lints the supported files under it, in sorted
order, without what git ignores or the configuration excludes; named files always count."""

import json
import os
import shutil
import subprocess

import pytest

from linter.cli.files import DEFAULT_EXCLUDE, Excludes, Finder
from linter.cli.main import main

SLIP = "6 * 340B * 9T = 1.8E24\n"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def linted(capsys, *args) -> tuple[int, list[str], str]:
    """Exit code, the files that gave a finding (each file holds one slip), and stderr."""
    code = main(["--format", "json", *[str(a) for a in args]])
    out, err = capsys.readouterr()
    if not out:
        return code, [], err
    report = json.loads(out)
    paths = [f["path"] for f in report["findings"]]
    assert report["summary"]["files"] == len(paths)     # no other file was read
    return code, paths, err


def tree(root, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def git(root, *args) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)


SUPPORTED = {name: SLIP for name in (
    "a.txt", "b.md", "c.markdown", "d.tsv", "e.yaml", "f.yml", "g.json", "h.jsonl", "i.ndjson",
    "UPPER.TXT")}


def test_a_folder_lints_every_supported_file_in_sorted_order(capsys, tmp_path, monkeypatch):
    tree(tmp_path, {**{f"notes/{k}": v for k, v in SUPPORTED.items()},
                    "notes/deeper/z.txt": SLIP, "notes/a-b.txt": SLIP, "notes/script.py": SLIP,
                    "notes/data.csv": f'Model,Training compute notes\nX,"{SLIP.strip()}"\n',
                    "notes/README": SLIP})
    tree(tmp_path, {"notes/e.yaml": f"- Model: X\n  Training compute notes: {SLIP}",
                    "notes/f.yml": f"- Model: X\n  Training compute notes: {SLIP}",
                    "notes/g.json": json.dumps({"name": "X", "Training compute notes": SLIP}),
                    "notes/h.jsonl": json.dumps({"name": "X", "Training compute notes": SLIP}),
                    "notes/i.ndjson": json.dumps({"name": "X", "Training compute notes": SLIP}),
                    "notes/d.tsv": f"Model\tTraining compute notes\nX\t{SLIP}"})
    monkeypatch.chdir(tmp_path)
    code, paths, _ = linted(capsys, "--isolated", "notes")
    assert code == 1
    assert paths == sorted(paths) == [
        "notes/UPPER.TXT", "notes/a-b.txt", "notes/a.txt", "notes/b.md", "notes/c.markdown",
        "notes/d.tsv", "notes/data.csv", "notes/deeper/z.txt", "notes/e.yaml", "notes/f.yml",
        "notes/g.json", "notes/h.jsonl", "notes/i.ndjson"]
    # Walked in sorted order, folder by folder (as the findings are sorted anyway, the
    # order of the inputs is seen through the finder).
    found = Finder(lambda folder: Excludes.of(None)).expand(["notes"])
    assert found == sorted(found, key=lambda p: p.split(os.sep))
    assert found.index(os.path.join("notes", "deeper", "z.txt")) == len(found) - 1 - 5


def test_no_path_lints_the_working_folder(capsys, tmp_path, monkeypatch):
    tree(tmp_path, {"a.txt": SLIP, "sub/b.md": SLIP})
    monkeypatch.chdir(tmp_path)
    code, paths, _ = linted(capsys, "--isolated")
    assert (code, paths) == (1, ["a.txt", "sub/b.md"])


def test_default_excludes(capsys, tmp_path, monkeypatch):
    tree(tmp_path, {"keep.txt": SLIP, **{f"{d}/x.txt": SLIP for d in DEFAULT_EXCLUDE},
                    "deep/node_modules/pkg/readme.md": SLIP, "deep/keep.md": SLIP})
    monkeypatch.chdir(tmp_path)
    assert linted(capsys, "--isolated", ".")[1] == ["deep/keep.md", "keep.txt"]
    # A folder named on the command line is linted though its name is excluded.
    assert linted(capsys, "--isolated", "build")[1] == ["build/x.txt"]


def test_exclude_and_extend_exclude_from_the_configuration(capsys, tmp_path, monkeypatch):
    tree(tmp_path, {"a.txt": SLIP, "drafts/b.txt": SLIP, "data/raw/c.md": SLIP,
                    "data/d.md": SLIP, "old.tmp.md": SLIP, ".venv/e.txt": SLIP})
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".mclint.yaml").write_text("extend-exclude: [drafts, 'data/raw', '*.tmp.md']\n")
    assert linted(capsys, ".")[1] == ["a.txt", "data/d.md"]
    # exclude replaces the defaults (here .venv is linted again)
    (tmp_path / ".mclint.yaml").write_text("exclude: [drafts]\n")
    assert linted(capsys, ".")[1] == [".venv/e.txt", "a.txt", "data/d.md", "data/raw/c.md",
                                      "old.tmp.md"]
    # and the command line's flags replace or extend the configuration's
    assert linted(capsys, "--exclude", "data,.venv", ".")[1] == [
        "a.txt", "drafts/b.txt", "old.tmp.md"]
    assert linted(capsys, "--extend-exclude", "data", ".")[1] == [".venv/e.txt", "a.txt",
                                                                  "old.tmp.md"]


def test_exclude_in_pyproject_is_relative_to_its_folder(capsys, tmp_path, monkeypatch):
    tree(tmp_path, {"project/notes/a.txt": SLIP, "project/notes/skip/b.txt": SLIP,
                    "project/pyproject.toml": "[tool.mclint]\nextend-exclude = ['notes/skip']\n"})
    monkeypatch.chdir(tmp_path)
    assert linted(capsys, "project")[1] == ["project/notes/a.txt"]
    monkeypatch.chdir(tmp_path / "project" / "notes")
    assert linted(capsys)[1] == ["a.txt"]


def test_named_files_are_always_linted_unless_force_exclude(capsys, tmp_path, monkeypatch):
    tree(tmp_path, {"drafts/b.txt": SLIP, "a.txt": SLIP,
                    ".mclint.yaml": "extend-exclude: [drafts]\n"})
    monkeypatch.chdir(tmp_path)
    assert linted(capsys, "drafts/b.txt", "a.txt")[1] == ["a.txt", "drafts/b.txt"]
    assert linted(capsys, "--force-exclude", "drafts/b.txt", "a.txt")[1] == ["a.txt"]
    # pre-commit names every staged file: if all are excluded, there is nothing to do
    code, paths, err = linted(capsys, "--force-exclude", "drafts/b.txt", ".mclint.yaml")
    assert (code, paths) == (0, [])
    assert err == "mclint: nothing to lint: 2 files named, all excluded (--force-exclude)\n"
    assert main(["--force-exclude", "drafts/b.txt"]) == 0
    assert capsys.readouterr().out == "Found 0 problems (0 errors, 0 warnings) in 0 files.\n"


@pytest.mark.parametrize("yaml, message", [
    ("exclude: drafts\n", ".mclint.yaml:1:10: exclude must be a list of file or folder globs"),
    ("extend-exclude: [drafts, 3]\n", (".mclint.yaml:1:26: extend-exclude must be a list of file "
                                      "or folder globs (item 2 is int)")),
    ("exlude: [drafts]\n", ".mclint.yaml:1:1: unknown key 'exlude' (did you mean 'exclude'?)"),
])
def test_exclude_keys_are_checked_with_positions(capsys, tmp_path, monkeypatch, yaml, message):
    tree(tmp_path, {"a.txt": SLIP, ".mclint.yaml": yaml})
    monkeypatch.chdir(tmp_path)
    assert linted(capsys, ".") == (2, [], f"mclint: error: {message}\n")


@needs_git
def test_a_git_work_tree_leaves_out_what_git_ignores(capsys, tmp_path, monkeypatch):
    tree(tmp_path, {"a.txt": SLIP, "ignored.txt": SLIP, "out/b.md": SLIP, "sub/c.md": SLIP,
                    "sub/d.tmp.md": SLIP, "sub/e.md": SLIP, "tracked.log.txt": SLIP,
                    "untracked.md": SLIP, "private/f.txt": SLIP,
                    ".gitignore": "ignored.txt\nout/\n*.log.txt\n",
                    "sub/.gitignore": "*.tmp.md\n"})
    git(tmp_path, "init", "-q")
    (tmp_path / ".git" / "info" / "exclude").write_text("private/\n")
    git(tmp_path, "add", "a.txt", "sub", ".gitignore")
    git(tmp_path, "add", "-f", "tracked.log.txt")     # tracked: git ignores no tracked file
    git(tmp_path, "commit", "-q", "-m", "x")
    (tmp_path / "sub" / "e.md").unlink()               # tracked, deleted from the work tree
    monkeypatch.chdir(tmp_path)
    assert linted(capsys, "--isolated")[1] == ["a.txt", "sub/c.md", "tracked.log.txt",
                                               "untracked.md"]
    # from a subfolder, with the parent's .gitignore still in force
    monkeypatch.chdir(tmp_path / "sub")
    assert linted(capsys, "--isolated")[1] == ["c.md"]
    # an ignored folder or file named on the command line is linted
    monkeypatch.chdir(tmp_path)
    assert linted(capsys, "--isolated", "out", "ignored.txt")[1] == ["ignored.txt", "out/b.md"]


def test_outside_git_gitignore_files_mean_nothing(capsys, tmp_path, monkeypatch):
    """As for git and ripgrep: .gitignore applies in a git work tree only."""
    tree(tmp_path, {"plain/a.txt": SLIP, "plain/ignored.txt": SLIP,
                    "plain/.gitignore": "ignored.txt\n"})
    monkeypatch.chdir(tmp_path / "plain")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))   # in case tmp is in a repo
    assert linted(capsys, "--isolated")[1] == ["a.txt", "ignored.txt"]


def test_an_empty_folder_is_a_usage_error_in_one_line(capsys, tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    code, paths, err = linted(capsys, "--isolated", "empty")
    assert (code, paths) == (2, [])
    assert err == ("mclint: error: no files to lint in empty (searched for .txt .md .markdown "
                   ".csv .tsv .yaml .yml .json .jsonl .ndjson, leaving out excluded and "
                   "git-ignored files) (see 'mclint --help')\n")


def test_a_file_named_twice_or_inside_a_named_folder_is_linted_once(capsys, tmp_path,
                                                                    monkeypatch):
    tree(tmp_path, {"notes/a.txt": SLIP})
    monkeypatch.chdir(tmp_path)
    assert linted(capsys, "--isolated", "notes/a.txt", "notes", "notes/a.txt")[1] == [
        "notes/a.txt"]
