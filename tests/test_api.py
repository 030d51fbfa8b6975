"""linter.lint() gives exactly what the CLI prints as JSON, on every fixture (suppressions
included), and the CLI and the API agree on what they suppress."""

import json
from pathlib import Path

from conftest import FIXTURES, ROOT, run_cli

import linter

FILES = sorted(
    [p for p in (FIXTURES / "notes").glob("*.txt")]
    + [p for p in (FIXTURES / "entries").rglob("*") if p.suffix in (".csv", ".yaml", ".json",
                                                                     ".jsonl", ".md")
       and p.name != "expected.yaml"]
    + list((FIXTURES / "modelcards").glob("*.md"))
    + list((FIXTURES / "suppress").glob("*.md")))
FILES = [p for p in FILES if p.name != "README.md"]


def test_the_api_and_the_cli_give_the_same_findings_on_every_fixture():
    rel = [str(p.relative_to(ROOT)) for p in FILES]
    proc = run_cli(*rel, "--format", "json", "--isolated", "--show-verified")
    assert proc.returncode in (0, 1), proc.stderr
    cli = json.loads(proc.stdout)
    by_path: dict[str, list] = {r: [] for r in rel}
    for f in cli["findings"]:
        by_path[f["path"]].append(f)
    for path in rel:
        api = linter.lint(Path(path), isolated=True, show_verified=True)
        assert api["findings"] == by_path[path], path


def test_inline_suppressions_apply_to_the_api_too():
    path = FIXTURES / "suppress" / "note-with-directives.md"
    found = [(f["rule"], f["line"]) for f in linter.lint(path, isolated=True)["findings"]]
    assert found == [("MC102", 5), ("MC101", 8)]
    found = linter.lint(path.read_text(), filename="note.md", isolated=True)["findings"]
    assert [(f["rule"], f["line"]) for f in found] == [("MC102", 5), ("MC101", 8)]
    proc = run_cli(str(path.relative_to(ROOT)), "--format", "json", "--isolated")
    assert [(f["rule"], f["line"]) for f in json.loads(proc.stdout)["findings"]] == [
        ("MC102", 5), ("MC101", 8)]
