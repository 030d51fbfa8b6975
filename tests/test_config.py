"""Configuration: found like ruff's, every key validated, CLI flags win."""

import json
from pathlib import Path

import pytest

from linter.cli.main import main
from linter.config import Config, ConfigError, find_config, load_config

SLIP = "Also 6 * 340B * 9T = 1.8E24 for the run.\n"          # MC101, 10x off: an error
DIMENSION = "It took 7,659,574 seconds, or 98 days.\n"          # MC102
CSV = 'Model,Notes\nA,"6 * 340B * 9T = 1.8E24"\n'


def mclint(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return exit code, stdout and stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def rules_of(out: str) -> list[str]:
    return [f["rule"] for f in json.loads(out)["findings"] if not f["verified"]]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_configuration_wins(tmp_path, capsys, monkeypatch):
    write(tmp_path / ".mclint.yaml", "ignore: [MC101]\n")
    write(tmp_path / "sub" / "pyproject.toml", "[tool.mclint]\nignore = ['MC102']\n")
    write(tmp_path / "other" / "pyproject.toml", "[project]\nname = 'x'\n")   # not ours: skipped
    for folder in ("sub", "other"):
        write(tmp_path / folder / "deep" / "note.txt", SLIP + DIMENSION)
    monkeypatch.chdir(tmp_path)
    _, out, _ = mclint(capsys, "--format", "json", "sub/deep/note.txt", "other/deep/note.txt")
    by_path = {}
    for f in json.loads(out)["findings"]:
        by_path.setdefault(f["path"], []).append(f["rule"])
    assert by_path == {"sub/deep/note.txt": ["MC101"], "other/deep/note.txt": ["MC102"]}


@pytest.mark.parametrize("name", [".mclint.yaml", ".mclint.yml"])
def test_yaml_configuration_names(tmp_path, name):
    write(tmp_path / name, "select: [MC1]\n")
    config = find_config(tmp_path / "a" / "b")
    assert config is not None and config.select == ("MC1",)
    assert Path(config.path).name == name


def test_stdin_uses_the_configuration_of_the_working_folder(tmp_path, capsys, monkeypatch):
    import io

    write(tmp_path / ".mclint.yaml", "ignore: [MC101]\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO((SLIP + DIMENSION).encode())))
    _, out, _ = mclint(capsys, "--format", "json", "-")
    assert rules_of(out) == ["MC102"]


def test_config_flag_and_isolated(tmp_path, capsys, monkeypatch):
    write(tmp_path / ".mclint.yaml", "ignore: [MC101]\n")
    write(tmp_path / "elsewhere.yaml", "ignore: [MC102]\n")
    write(tmp_path / "note.txt", SLIP + DIMENSION)
    monkeypatch.chdir(tmp_path)
    assert rules_of(mclint(capsys, "--format", "json", "note.txt")[1]) == ["MC102"]
    assert rules_of(mclint(capsys, "--format", "json", "--config", "elsewhere.yaml",
                           "note.txt")[1]) == ["MC101"]
    assert rules_of(mclint(capsys, "--format", "json", "--isolated", "note.txt")[1]) == [
        "MC101", "MC102"]
    code, _, err = mclint(capsys, "--config", "elsewhere.yaml", "--isolated", "note.txt")
    assert code == 2 and "cannot be used together" in err


def test_cli_select_replaces_and_cli_ignore_adds(tmp_path, capsys, monkeypatch):
    write(tmp_path / ".mclint.yaml", "select: [MC101]\nignore: [MC103]\n")
    write(tmp_path / "note.txt", SLIP + DIMENSION)
    monkeypatch.chdir(tmp_path)
    assert rules_of(mclint(capsys, "--format", "json", "note.txt")[1]) == ["MC101"]
    assert rules_of(mclint(capsys, "--format", "json", "--select", "MC102",
                           "note.txt")[1]) == ["MC102"]
    assert rules_of(mclint(capsys, "--format", "json", "--select", "MC1", "--ignore", "MC101",
                           "note.txt")[1]) == ["MC102"]


def test_tolerance_overrides_a_rule_option(tmp_path, capsys, monkeypatch):
    write(tmp_path / "note.txt", SLIP)
    monkeypatch.chdir(tmp_path)
    _, out, _ = mclint(capsys, "--format", "json", "note.txt")
    assert [f["grade"] for f in json.loads(out)["findings"]] == ["material"]
    # 10x off is material at the default 10%; with material at 2000% it is a minor miss
    write(tmp_path / "pyproject.toml", "[tool.mclint.tolerance.MC101]\nmaterial = 20.0\n")
    _, out, _ = mclint(capsys, "--format", "json", "note.txt")
    assert [f["grade"] for f in json.loads(out)["findings"]] == ["minor"]
    write(tmp_path / "pyproject.toml",
          "[tool.mclint.tolerance.calculation-mismatch]\nmaterial = 20.0\n")   # by slug
    _, out, _ = mclint(capsys, "--format", "json", "note.txt")
    assert [f["grade"] for f in json.loads(out)["findings"]] == ["minor"]


def test_rule_options_and_apply_tolerance():
    from linter.ruleset.load import load_rules

    rules = load_rules()
    config = Config(path="x.yaml", tolerance={"MC101": {"tolerance": 1}})
    applied = {r.id: r for r in config.apply_tolerance(rules)}
    assert applied["MC101"].options["tolerance"] == 1.0          # int accepted for a float
    assert isinstance(applied["MC101"].options["tolerance"], float)
    assert applied["MC102"] is next(r for r in rules if r.id == "MC102")
    assert config.rule_options(applied["MC101"]) == {"tolerance": 1}


@pytest.mark.parametrize("text, message", [
    ("select: [MC1]\ntolerence: {}\n",
     ".mclint.yaml:2:1: unknown key 'tolerence' (did you mean 'tolerance'?)"),
    ("select: MC101\n", ".mclint.yaml:1:9: select must be a list of rule codes"),
    ("ignore: [MC101, 3]\n", ".mclint.yaml:1:17: ignore must be a list of rule codes"),
    ("select: [MC9]\n", ".mclint.yaml:1:10: select: 'MC9' matches no rule"),
    ("show-verified: yes please\n", ".mclint.yaml:1:16: show-verified must be true or false"),
    ("tolerance:\n  MC101:\n    material: x\n",
     ".mclint.yaml:3:15: tolerance: MC101 option material must be float"),
    ("tolerance:\n  MC101:\n    gross: 3\n",
     ".mclint.yaml:3:5: tolerance: rule MC101 has no option 'gross'"),
    ("tolerance:\n  MC999: {tolerance: 0.1}\n",
     ".mclint.yaml:2:3: tolerance: unknown rule 'MC999'"),
    ("per-file-ignores: [MC101]\n", ".mclint.yaml:1:19: per-file-ignores must be a mapping"),
    ("rules: [does-not-exist]\n", "does-not-exist: no such rule file or folder"),
    ("columns:\n  id: Model\n  notes: Notes\n",
     ".mclint.yaml:3:10: columns.notes: expected a non-empty list of column names"),
    ("columns:\n  id: Model\n  fields: {Params: param}\n",
     ".mclint.yaml:3:11: columns.fields['Params']: unknown role 'param'"),
    ("suppressions:\n  - entry: A\n    rule: MC101\n",
     ".mclint.yaml:2:5: suppressions: item 1 needs 'reason' (say why the finding is accepted)"),
    ("suppressions:\n  - {entry: A, rule: MC101, reason: ok, line: 3}\n",
     ".mclint.yaml:2:41: suppressions: unknown key 'line'"),
    ("select: [MC1\n", ".mclint.yaml:2:1: invalid YAML"),
    ("- select\n", ".mclint.yaml:1:1: a configuration must be a mapping"),
])
def test_bad_yaml_configuration_is_a_usage_error(tmp_path, capsys, monkeypatch, text, message):
    write(tmp_path / ".mclint.yaml", text)
    write(tmp_path / "note.txt", SLIP)
    monkeypatch.chdir(tmp_path)
    code, out, err = mclint(capsys, "note.txt")
    assert code == 2 and out == ""
    assert err.startswith("mclint: error: ") and message in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("text, message", [
    ("[tool.mclint]\nselect = ['MC1']\ntolerence = 1\n",
     "pyproject.toml:3:1: unknown key 'tolerence'"),
    ("[tool.mclint]\nshow-verified = 3\n",
     "pyproject.toml:2:1: show-verified must be true or false"),
    ("[tool.mclint.tolerance.MC101]\ngross = 3\n",
     "pyproject.toml:2:1: tolerance: rule MC101 has no option 'gross'"),
    ("[[tool.mclint.suppressions]]\nentry = 'A'\nrule = 'MC101'\n",
     "pyproject.toml:1:1: suppressions: item 1 needs 'reason'"),
    ("[tool.mclint]\nselect = [\n", "pyproject.toml:3:1: invalid TOML"),
])
def test_bad_pyproject_configuration_is_a_usage_error(tmp_path, capsys, monkeypatch, text,
                                                      message):
    write(tmp_path / "pyproject.toml", text)
    write(tmp_path / "note.txt", SLIP)
    monkeypatch.chdir(tmp_path)
    code, _out, err = mclint(capsys, "note.txt")
    assert code == 2 and message in err, err


def test_a_broken_pyproject_without_our_table_is_not_ours(tmp_path):
    write(tmp_path / "pyproject.toml", "[project\nname = 'x'\n")
    assert find_config(tmp_path) is None
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(str(tmp_path / "pyproject.toml"))


def test_named_config_must_exist_and_hold_our_table(tmp_path, capsys, monkeypatch):
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "note.txt", SLIP)
    monkeypatch.chdir(tmp_path)
    code, _, err = mclint(capsys, "--config", "pyproject.toml", "note.txt")
    assert code == 2 and "pyproject.toml: no [tool.mclint] table" in err
    code, _, err = mclint(capsys, "--config", "missing.yaml", "note.txt")
    assert code == 2 and "missing.yaml: configuration file not found" in err


def test_rules_folders_are_relative_to_the_config(tmp_path, capsys, monkeypatch):
    from linter.ruleset.load import builtin_rules_dir

    rule = (builtin_rules_dir() / "MC102-conversion-mismatch.yaml").read_text(encoding="utf-8")
    rule = rule.replace("id: MC102", "id: MC903").replace("slug: conversion-mismatch",
                                                          "slug: my-conversion-check")
    write(tmp_path / "proj" / "myrules" / "MC903.yaml", rule)
    write(tmp_path / "proj" / ".mclint.yaml", "rules: [myrules]\nselect: [MC903]\n")
    write(tmp_path / "proj" / "notes" / "note.txt", SLIP + DIMENSION)
    monkeypatch.chdir(tmp_path)
    _, out, _ = mclint(capsys, "--format", "json", "proj/notes/note.txt")
    assert rules_of(out) == ["MC903"]


def test_per_file_ignores(tmp_path, capsys, monkeypatch):
    write(tmp_path / ".mclint.yaml",
          "per-file-ignores:\n  'drafts/*': [MC1]\n  'legacy.txt': [MC102]\n")
    for name in ("drafts/a.txt", "sub/legacy.txt", "b.txt"):
        write(tmp_path / name, SLIP + DIMENSION)
    monkeypatch.chdir(tmp_path)
    _, out, _ = mclint(capsys, "--format", "json", "drafts/a.txt", "sub/legacy.txt", "b.txt")
    got = sorted((f["path"], f["rule"]) for f in json.loads(out)["findings"])
    assert got == [("b.txt", "MC101"), ("b.txt", "MC102"), ("sub/legacy.txt", "MC101")]


def test_show_verified_from_config(tmp_path, capsys, monkeypatch):
    write(tmp_path / ".mclint.yaml", "show-verified: true\n")
    write(tmp_path / "note.txt", "6 * 340B * 9T = 1.8E25\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = mclint(capsys, "note.txt")
    assert code == 0 and "MC101 verified: 6 * 340B * 9T = 1.8E25" in out


def test_columns_reach_the_csv_reader(tmp_path, capsys, monkeypatch):
    write(tmp_path / "db.csv", CSV)
    monkeypatch.chdir(tmp_path)
    code, _, err = mclint(capsys, "db.csv")
    assert code == 2 and "column mapping" in err        # not Epoch's layout
    write(tmp_path / ".mclint.yaml", "columns:\n  id: Model\n  notes: [Notes]\n")
    code, out, _ = mclint(capsys, "db.csv")
    assert code == 1 and "db.csv:2:20: MC101 6 * 340B * 9T = 1.8E24" in out
    config = find_config(tmp_path)
    assert config.columns == {"id": "Model", "notes": ["Notes"]}
