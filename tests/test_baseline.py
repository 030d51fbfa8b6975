"""Baselines: known findings are recorded by name, not line; only new ones are reported."""

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from linter.cli.main import main
from linter.model.findings import Finding
from linter.post import baseline

DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "epoch_models_dev.csv"
SLIP = "6 * 340B * 9T = 1.8E24"


def mclint(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return exit code, stdout and stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    for name in ("nemotron-4-340b-compute-slip.txt", "nemotron-4-340b-days-slip.txt"):
        shutil.copy(FIXTURES / "notes" / name, tmp_path / name)
    (tmp_path / "twice.txt").write_text(f"{SLIP}\n{SLIP}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


FILES = ("nemotron-4-340b-compute-slip.txt", "nemotron-4-340b-days-slip.txt", "twice.txt")


def test_write_then_compare_reports_nothing(notes, capsys):
    code, out, err = mclint(capsys, "--isolated", "--write-baseline", "base.json", *FILES)
    assert code == 0 and out == "" and "recorded 4 problems in base.json" in err
    data = json.loads((notes / "base.json").read_text())
    assert data["tool"] == "mclint" and data["version"] == 1
    assert {(i["path"], i["rule"], i["count"]) for i in data["findings"]} == {
        ("nemotron-4-340b-compute-slip.txt", "MC101", 1),
        ("nemotron-4-340b-days-slip.txt", "MC102", 1), ("twice.txt", "MC101", 2)}
    assert all("line" not in i for i in data["findings"])
    code, out, err = mclint(capsys, "--isolated", "--baseline", "base.json", *FILES)
    assert code == 0 and err == ""
    assert out == "Found 0 problems (0 errors, 0 warnings), 4 baselined in 3 files.\n"


def test_edits_elsewhere_keep_the_baseline_valid(notes, capsys):
    mclint(capsys, "--isolated", "--write-baseline", "base.json", *FILES)
    slip = notes / FILES[0]
    slip.write_text("A new first paragraph.\n\n" + slip.read_text(encoding="utf-8"),
                    encoding="utf-8")
    code, out, _ = mclint(capsys, "--isolated", "--baseline", "base.json", *FILES)
    assert code == 0 and "0 problems" in out


def test_duplicates_are_counted(notes, capsys):
    mclint(capsys, "--isolated", "--write-baseline", "base.json", *FILES)
    (notes / "twice.txt").write_text(f"{SLIP}\n{SLIP}\nand once more: {SLIP}\n")
    code, out, _ = mclint(capsys, "--isolated", "--baseline", "base.json", *FILES)
    assert code == 1
    assert out.splitlines()[0].startswith("twice.txt:3:32: MC101 6 * 340B * 9T = 1.8E24")
    assert out.splitlines()[-1] == ("Found 1 problem (1 error, 0 warnings), 4 baselined "
                                    "in 3 files.")


def test_gone_items_are_reported(notes, capsys):
    mclint(capsys, "--isolated", "--write-baseline", "base.json", *FILES)
    (notes / "twice.txt").write_text(f"{SLIP}\n")
    code, out, err = mclint(capsys, "--isolated", "--baseline", "base.json", *FILES)
    assert code == 0
    assert err.splitlines() == [
        ("mclint: 1 baseline finding(s) no longer occur; update the baseline with "
        "--write-baseline base.json"),
        "mclint:   gone: twice.txt MC101 '6 * 340B * 9T = 1.8E24'"]
    code, out, err = mclint(capsys, "--isolated", "--baseline", "base.json", "--format", "json",
                            *FILES)
    assert code == 0 and err == ""
    assert json.loads(out)["baseline"] == {
        "file": "base.json", "matched": 3,
        "fixed": [{"path": "twice.txt", "entry": None, "field": None, "rule": "MC101",
                   "text": SLIP, "count": 1}]}
    # A file not linted this time is not "gone".
    code, out, err = mclint(capsys, "--isolated", "--baseline", "base.json", FILES[0])
    assert code == 0 and err == ""


def test_paths_are_relative_to_the_baseline_file(notes, capsys, monkeypatch):
    (notes / "ci").mkdir()
    mclint(capsys, "--isolated", "--write-baseline", "ci/base.json", *FILES)
    assert json.loads((notes / "ci" / "base.json").read_text())["findings"][0]["path"].startswith(
        "../")
    monkeypatch.chdir(notes / "ci")
    code, out, _ = mclint(capsys, "--isolated", "--baseline", "base.json",
                          *[f"../{f}" for f in FILES])
    assert code == 0 and "0 problems" in out


@pytest.mark.parametrize("content, message", [
    ("{not json", "base.json:1:2: not a mclint baseline (invalid JSON"),
    ('{"tool": "eslint"}', "base.json: not a mclint baseline"),
    ('{"tool": "mclint", "version": 9, "findings": []}', "base.json: baseline version 9"),
    ('{"tool": "mclint", "version": 1, "findings": [{"path": "a"}]}',
     "base.json: not a mclint baseline (finding 1 needs"),
    (b"\xff\xfe\x00", "base.json: not a mclint baseline (not UTF-8 text)"),
])
def test_a_corrupt_baseline_is_a_usage_error(notes, capsys, content, message):
    path = notes / "base.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = mclint(capsys, "--isolated", "--baseline", "base.json", *FILES)
    assert code == 2 and out == "" and message in err
    code, _, err = mclint(capsys, "--isolated", "--baseline", "missing.json", *FILES)
    assert code == 2 and "missing.json: baseline file not found" in err


def test_no_baseline_is_written_when_an_input_is_unreadable(notes, capsys):
    code, _, err = mclint(capsys, "--isolated", "--write-baseline", "base.json", "nope.txt",
                          *FILES)
    assert code == 2 and "nope.txt: no such file" in err and "baseline not written" in err
    assert not (notes / "base.json").exists()


def test_apply_is_a_multiset_difference(tmp_path):
    def finding(text, verified=False):
        return Finding(rule="MC101", slug="s", severity="warning", message=text, path="a.txt",
                       text=text, verified=verified)

    known = Counter({("a.txt", None, None, "MC101", "x"): 2,
                     ("a.txt", None, None, "MC101", "gone"): 1})
    findings = [finding("x"), finding("x"), finding("x"), finding("y"), finding("x", True)]
    kept, gone = baseline.apply(findings, known, Path.cwd(), ["a.txt"])
    assert [f.text for f in kept] == ["x", "y", "x"]
    assert [(g.text, g.count) for g in gone] == [("gone", 1)]


@pytest.mark.skipif(not DEV_CORPUS.exists(), reason=f"dev corpus not found at {DEV_CORPUS}")
@pytest.mark.slow
def test_dev_corpus_baseline_then_one_changed_number(tmp_path, capsys, monkeypatch):
    db = tmp_path / "models.csv"
    shutil.copy(DEV_CORPUS, db)
    monkeypatch.chdir(tmp_path)
    code, _, err = mclint(capsys, "--write-baseline", "base.json", "models.csv")
    assert code == 0 and "recorded" in err
    assert sum(i["count"] for i in json.loads((tmp_path / "base.json").read_text())["findings"])
    code, out, _ = mclint(capsys, "--baseline", "base.json", "--format", "json", "models.csv")
    assert code == 0 and json.loads(out)["summary"]["problems"] == 0
    # A verified calculation in one note, with its result changed tenfold.
    good = "6 * 3800000000 parameters * 5000000000000 tokens = 1.14e+23"
    text = db.read_text(encoding="utf-8")
    assert text.count(good) == 1
    db.write_text(text.replace(good, good.replace("1.14e+23", "1.14e+24")), encoding="utf-8")
    code, out, _ = mclint(capsys, "--baseline", "base.json", "--format", "json", "models.csv")
    report = json.loads(out)
    found = [(f["entry"], f["rule"], f["text"]) for f in report["findings"]]
    assert code == 1 and found == [("Phi-4 Mini", "MC101", good.replace("e+23", "e+24"))]
    assert report["baseline"]["fixed"] == []
