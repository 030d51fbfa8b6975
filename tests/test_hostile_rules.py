"""Hostile rule files are refused with their position, and nothing in them runs (issue 7).

Each folder of fixtures/rules/ holds one rule file (`mclint --rules DIR` loads just it):
the folder `valid` is a rule that loads, every other folder breaks it one way (code in
a formula, python/* YAML tags, aliases, absurd sizes, unknown keys, wrong types).  The
os.system payloads would create a marker file in the working folder: it must not exist.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

RULES = FIXTURES / "rules"
NOTE = FIXTURES / "notes" / "nemotron-4-340b.txt"
MARKER = "mclint-hostile-marker"

# case -> (line, column, what the message says); positions are those of the rule file.
REFUSED = {
    "duplicate-id": (3, 1, "rule id MC101 is already used by"),
    "formula-attribute": (11, 10, "bad formula: Attribute is not allowed in a formula"),
    "formula-call": (11, 10, "bad formula: only min, max, abs, sqrt and gmean may be called"),
    "formula-comprehension": (11, 10, "bad formula: only min, max, abs, sqrt and gmean may be "
                                      "called"),
    "formula-deep-parentheses": (11, 10, "bad formula: not an arithmetic expression: too many "
                                         "nested parentheses"),
    "formula-generator": (11, 10, "bad formula: GeneratorExp is not allowed in a formula"),
    "formula-huge-exponent": (11, 10, "bad formula: exponent 1000000 is larger than 100"),
    "formula-huge-number": (11, 10, "bad formula: a number is out of range"),
    "formula-import-system": (11, 10, "bad formula: only min, max, abs, sqrt and gmean may be "
                                      "called"),
    "formula-infinite-number": (11, 10, "bad formula: a number is out of range"),
    "formula-lambda": (11, 10, "bad formula: only min, max, abs, sqrt and gmean may be called"),
    "formula-negative-exponent": (11, 10, "bad formula: exponent -100000 is larger than 100"),
    "formula-power-of-power": (11, 10, "bad formula: nested powers (a ** b ** c) are not "
                                       "allowed"),
    "formula-power-tower": (11, 10, "bad formula: nested powers (a ** b ** c) are not allowed"),
    "formula-starred": (11, 10, "bad formula: Starred is not allowed in a formula"),
    "formula-string": (11, 10, "bad formula: only numbers are allowed, not 'x'"),
    "formula-subscript": (11, 10, "bad formula: Subscript is not allowed in a formula"),
    "formula-too-long": (11, 10, "bad formula: formula longer than 500 characters"),
    "formula-two-equals": (11, 10, "bad formula: formula must be 'result = expression' with "
                                   "one '='"),
    "message-attribute": (10, 10, "message uses ['result.__class__.__init__.__globals__']"),
    "not-utf8": (1, 1, "not UTF-8 (byte 221)"),
    "unknown-key": (16, 1, "unknown key 'tolerence'"),
    "unknown-kind": (5, 7, "unknown kind 'python'"),
    "unknown-role": (11, 3, "unknown role 'gpu_hour': a new role needs a unit"),
    "role-wrong-unit": (11, 10, "role chips: unit 'hour' does not have the dimension of role"),
    "unknown-option": (18, 3, "unknown option 'tolerence' for kind relation"),
    "variant-import-system": (17, 3, "bad options: only min, max, abs, sqrt and gmean may be "
                                     "called"),
    "wrong-type-examples": (18, 11, "examples must be a mapping with 'pass' and 'fail' lists"),
    "wrong-type-formula": (11, 10, "bad formula: formula must be a string"),
    "wrong-type-option-value": (17, 14, "option tolerance must be float"),
    "wrong-type-roles": (12, 8, "roles must map each role the rule names to its unit"),
    "wrong-type-severity": (6, 11, "severity must be a non-empty string"),
    "yaml-anchor-alias": (8, 14, "YAML aliases are not allowed here"),
    "yaml-billion-laughs": (20, 13, "YAML aliases are not allowed here"),
    "yaml-deep-nesting": (17, 112, "invalid YAML: nesting deeper than 100 levels"),
    "yaml-merge-key": (14, 7, "YAML aliases are not allowed here"),
    "yaml-python-apply-mapping": (12, 8, "unsupported YAML tag "
                                         "'!!python/object/apply:os.system'"),
    "yaml-python-apply-tag": (11, 10, "unsupported YAML tag '!!python/object/apply:os.system'"),
    "yaml-python-document-tag": (3, 5, "unsupported YAML tag '!!python/object/apply:os.system'"),
    "yaml-python-name-tag": (6, 11, "unsupported YAML value: tag '!!python/name:os.system'"),
    "yaml-set-tag": (12, 8, "unsupported YAML tag '!!set'"),
    "wrong-type-options": (16, 10, "options must be a mapping"),
    "variant-formula-list": (17, 3, "bad options"),
    "message-huge-width": (10, 10, "message"),
}
KNOWN_BUGS: dict[str, str] = {}    # refused only by accident (none left)


def mclint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("MCLINT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "linter", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def _cases():
    for name in sorted(REFUSED):
        marks = [pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=False)] \
            if name in KNOWN_BUGS else []
        yield pytest.param(name, marks=marks, id=name)


def test_every_fixture_folder_is_a_case():
    folders = {p.name for p in RULES.iterdir() if p.is_dir()}
    assert folders == set(REFUSED) | {"valid", "user"}    # user/: tests/test_user_rules.py
    assert all((RULES / name / "rule.yaml").is_file() for name in folders - {"user"})


def test_the_valid_rule_loads_and_runs(tmp_path):
    proc = mclint("--rules", str(RULES / "valid"), str(NOTE), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = mclint("rules", "--rules", str(RULES / "valid"), cwd=tmp_path)
    assert proc.returncode == 0 and "MC901  hostile-rule" in proc.stdout


@pytest.mark.parametrize("case", list(_cases()))
def test_hostile_rule_file_is_refused(case, tmp_path):
    line, column, message = REFUSED[case]
    path = RULES / case / "rule.yaml"
    proc = mclint("--rules", str(RULES / case), str(NOTE), cwd=tmp_path)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not (tmp_path / MARKER).exists(), "the rule file ran code"
    assert proc.returncode == 2 and proc.stdout == ""          # refused before any linting
    assert proc.stderr.count("\n") == 1, proc.stderr
    m = re.match(r"mclint: error: (.+?):(\d+):(\d+): (.*)$", proc.stderr.strip())
    assert m, proc.stderr
    assert (m[1], int(m[2]), int(m[3])) == (str(path), line, column), proc.stderr
    assert m[4].startswith(message), proc.stderr


@pytest.mark.parametrize("command", [["rules"], ["explain", "MC101"]])
def test_subcommands_refuse_hostile_rules_too(command, tmp_path):
    proc = mclint(*command, "--rules", str(RULES / "formula-import-system"), cwd=tmp_path)
    assert proc.returncode == 2 and "bad formula" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / MARKER).exists()


def test_a_configuration_naming_hostile_rules_is_refused(tmp_path):
    (tmp_path / ".mclint.yaml").write_text(f"rules: [{RULES / 'yaml-python-apply-tag'}]\n")
    (tmp_path / "note.txt").write_text("6 * 340B * 9T = 1.8E25\n")
    proc = mclint("note.txt", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "yaml-python-apply-tag/rule.yaml:11:10: unsupported YAML tag" in proc.stderr
    assert not (tmp_path / MARKER).exists()


def test_a_huge_rule_file_is_refused_unread(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    body = (RULES / "valid" / "rule.yaml").read_text()
    # 300 KB: a description padded with a long comment block.
    (folder / "rule.yaml").write_text(body + ("# " + "x" * 98 + "\n") * 3000)
    proc = mclint("--rules", str(folder), str(NOTE), cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == (f"mclint: error: {folder / 'rule.yaml'}:1:1: rule file larger "
                                   "than 262144 bytes")


def test_a_hostile_configuration_file_is_refused(tmp_path):
    (tmp_path / ".mclint.yaml").write_text(
        f"select: !!python/object/apply:os.system [\"touch {MARKER}\"]\n")
    (tmp_path / "note.txt").write_text("6 * 340B * 9T = 1.8E25\n")
    proc = mclint("note.txt", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert ".mclint.yaml:1:9: unsupported YAML tag '!!python/object/apply:os.system'" \
        in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / MARKER).exists()
