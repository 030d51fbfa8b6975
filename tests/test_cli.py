"""The command line: exit codes, --fail-on, stdin, usage and input errors as one line on
stderr, one finding per line, and the conventions of ruff and yamllint."""

import io
import json
import os
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT, run_cli

from linter import __version__
from linter.cli.main import main

SLIP = FIXTURES / "notes" / "nemotron-4-340b-compute-slip.txt"
CLEAN = FIXTURES / "notes" / "nemotron-4-340b.txt"
SLIP_LINE = (f"{SLIP}:2:1480: MC101 Multiplying 7,659,574 seconds by 41% MFU, 989 peak "
             "teraFLOP/s for each H100, and 6144 H100s, we get ~1.9e24 FLOP: recomputed "
             "1.908e25 FLOP, stated 1.9e24 FLOP (off by ×10) [material]")
DIM = "7,659,574 seconds, or 87 days\n"         # MC102, a minor problem: a warning
SEVERE = "6 * 340B * 9T = 1.8E24\n"             # MC101, an error


def mclint(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return exit code, stdout and stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.decode().strip() == f"mclint {__version__}"


def test_exit_codes(capsys):
    assert mclint(capsys, "--isolated", CLEAN)[0] == 0
    assert mclint(capsys, "--isolated", SLIP)[0] == 1
    assert mclint(capsys, "--isolated", "--exit-zero", SLIP)[0] == 0
    code, out, err = mclint(capsys, "--isolated", "--exit-zero", "no-such-file.txt")
    assert code == 2
    assert err == "mclint: error: no-such-file.txt: no such file\n"
    assert out == "Found 0 problems (0 errors, 0 warnings), 1 unreadable input in 0 files.\n"


def test_stdin_with_a_name(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SLIP.read_bytes())))
    code, out, _ = mclint(capsys, "--isolated", "--stdin-filename", "card.txt", "-")
    assert code == 1 and out.startswith("card.txt:2:1480: MC101 ")


def test_stdin_is_read_only_when_asked(capsys, monkeypatch, tmp_path):
    """No path means the working folder (as ruff), even with text waiting on stdin."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SEVERE.encode())))
    (tmp_path / "note.txt").write_text(DIM)
    monkeypatch.chdir(tmp_path)
    code, out, _ = mclint(capsys, "--isolated")
    assert code == 1 and out.splitlines() == [
        ("note.txt:1:23: MC102 7,659,574 seconds, or 87 days: 87 days is not the same as the "
         "88.65 days it restates (-1.9%) [minor]"),
        "Found 1 problem (0 errors, 1 warning) in 1 file."]
    assert sys.stdin.read() == SEVERE                 # left unread


def test_nothing_to_lint_is_a_usage_error(capsys, monkeypatch, tmp_path):
    """An empty glob or folder in CI must not pass by linting nothing."""
    (tmp_path / "script.py").write_text("print(1)\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = mclint(capsys, "--isolated")
    assert code == 2 and out == ""
    assert err == ("mclint: error: no files to lint in . (searched for .txt .md .markdown .csv "
                   ".tsv .yaml .yml .json .jsonl .ndjson, leaving out excluded and git-ignored "
                   "files) (see 'mclint --help')\n")


@pytest.mark.parametrize("args, line", [
    (["--bogus"], "unrecognized arguments: --bogus (see 'mclint --help')"),
    (["--format", "xml"], ("argument --output-format/--format: invalid choice: 'xml' (choose from "
                          "'text', 'json', 'sarif', 'github', 'html') (see 'mclint --help')")),
    (["-j", "x"], "argument --jobs/-j: invalid int value: 'x' (see 'mclint --help')"),
    (["--jobs", "-1"], "--jobs must be 0 (one per core) or more (see 'mclint --help')"),
    (["--fail-on", "fatal"], ("argument --fail-on: invalid choice: 'fatal' (choose from 'error', "
                             "'warning', 'info') (see 'mclint --help')")),
    (["--config", "x.yaml"], ("--config and --isolated cannot be used together "
                             "(see 'mclint --help')")),
    (["--write-baseline", "b.json", "--fix"], ("--write-baseline cannot be combined with --fix or "
                                              "--diff (see 'mclint --help')")),
    (["--per-file-ignores", "MC101"], ("--per-file-ignores: expected GLOB:CODES such as "
                                      "'drafts/*:MC1', got 'MC101' (see 'mclint --help')")),
    (["--select", "MC9"], "--select: 'MC9' matches no rule (see 'mclint rules')"),
    (["--extend-select", "MC9"], "--extend-select: 'MC9' matches no rule (see 'mclint rules')"),
    (["--ignore", "MC101,nonsense"], "--ignore: 'nonsense' matches no rule (see 'mclint rules')"),
    (["--rules", "no-such-folder"], "no-such-folder: no such rule file or folder"),
])
def test_usage_errors_are_one_line_with_a_hint(capsys, args, line):
    code, out, err = mclint(capsys, "--isolated", *args, CLEAN)
    assert code == 2 and out == ""
    # argparse quotes the choices in some Python versions, not in others
    assert err.replace("'", "") == f"mclint: error: {line}\n".replace("'", "")


@pytest.mark.parametrize("args, line", [
    (["explain"], ("mclint: error: the following arguments are required: rule "
                  "(see 'mclint explain --help')")),
    (["explain", "MC999"], "mclint: error: no rule 'MC999' (see 'mclint rules')"),
    (["rules", "--bogus"], ("mclint: error: unrecognized arguments: --bogus "
                           "(see 'mclint rules --help')")),
])
def test_subcommand_usage_errors(capsys, args, line):
    code, out, err = mclint(capsys, *args)
    assert (code, out, err) == (2, "", line + "\n")


def test_usage_errors_from_the_console_script_print_no_usage_block():
    proc = run_cli("--format")
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode() == ("mclint: error: argument --output-format/--format: expected "
                                    "one argument (see 'mclint --help')\n")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_input_errors_go_to_stderr_in_every_format(capsys, tmp_path, fmt):
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 in Latin-1")
    (tmp_path / "bin.txt").write_bytes(b"ok\x00\x00")
    code, out, err = mclint(capsys, "--isolated", "--format", fmt, SLIP, tmp_path / "bad.txt",
                            tmp_path / "bin.txt")
    assert code == 2 and "Traceback" not in out + err
    assert err.splitlines() == [
        f"mclint: error: {tmp_path}/bad.txt:1:4: invalid UTF-8 at byte 3",
        (f"mclint: error: {tmp_path}/bin.txt: binary file (NUL byte at byte 2), not text "
        "(UTF-16 and UTF-32 files need a BOM)")]
    if fmt == "text":
        assert out.splitlines() == [
            SLIP_LINE, "Found 1 problem (1 error, 0 warnings), 2 unreadable inputs in 1 file."]
    if fmt == "json":
        assert json.loads(out)["summary"]["input_errors"] == 2


def test_one_finding_per_line(capsys, tmp_path):
    """A calculation written over two lines is quoted on one line, so each finding is one."""
    (tmp_path / "note.txt").write_text("Compute: 6 * 340B *\r\n9T = 1.8E24\n")
    code, out, _ = mclint(capsys, "--isolated", tmp_path / "note.txt")
    assert code == 1 and out.splitlines() == [
        (f"{tmp_path}/note.txt:2:6: MC101 6 * 340B * 9T = 1.8E24: recomputed 1.836e25, stated "
         "1.8e24 (off by ×10) [material]"),
        "Found 1 problem (1 error, 0 warnings) in 1 file."]


def test_a_long_text_is_one_file_not_many_entries(capsys, tmp_path):
    """A text over 50,000 characters is read in pieces; it is still one file, one entry."""
    filler = "The model was trained on a large corpus of web text and code.\n" * 1700
    (tmp_path / "long.txt").write_text(filler + SEVERE)
    code, out, _ = mclint(capsys, "--isolated", "--format", "json", tmp_path / "long.txt")
    summary = json.loads(out)["summary"]
    assert code == 1 and (summary["files"], summary["entries"], summary["problems"]) == (1, 1, 1)
    _, out, _ = mclint(capsys, "--isolated", tmp_path / "long.txt")
    assert out.splitlines()[-1] == "Found 1 problem (1 error, 0 warnings) in 1 file."


# ------------------------------------------------------------------------- --fail-on

@pytest.fixture()
def graded(tmp_path):
    """A folder with an error (MC101), a warning (MC102) and an info problem (a user rule)."""
    rule = (ROOT / "rules" / "MC102-conversion-mismatch.yaml").read_text()
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "info.yaml").write_text(rule.replace("id: MC102", "id: MC902").replace(
        "slug: conversion-mismatch", "slug: conversion-note").replace("severity: warning",
                                                                       "severity: info"))
    for name, text in (("error.txt", SEVERE), ("warning.txt", DIM), ("info.txt", DIM)):
        (tmp_path / name).write_text(text)
    return tmp_path


@pytest.mark.parametrize("files, select, fail_on, code", [
    (["error.txt"], "MC101", None, 1),
    (["warning.txt"], "MC102", None, 1),           # the default: warning and above
    (["info.txt"], "MC902", None, 0),              # info never fails by default
    (["info.txt"], "MC902", "info", 1),
    (["warning.txt"], "MC102", "error", 0),
    (["error.txt"], "MC101", "error", 1),
    (["info.txt"], "MC902", "warning", 0),
])
def test_fail_on(capsys, graded, files, select, fail_on, code):
    args = ["--isolated", "--rules", graded / "rules", "--select", select]
    args += ["--fail-on", fail_on] if fail_on else []
    got, out, _ = mclint(capsys, *args, *[graded / f for f in files])
    assert got == code
    assert "Found 1 problem" in out.splitlines()[-1]


def test_fail_on_info_counts_info_problems_in_the_summary(capsys, graded):
    code, out, _ = mclint(capsys, "--isolated", "--rules", graded / "rules", "--select", "MC902",
                          "--fail-on", "info", graded / "info.txt")
    assert code == 1
    assert out.splitlines()[-1] == "Found 1 problem (0 errors, 0 warnings, 1 info) in 1 file."


def test_fail_on_from_the_configuration_and_exit_zero_wins(capsys, graded, monkeypatch):
    (graded / ".mclint.yaml").write_text("fail-on: error\nselect: [MC102]\n")
    monkeypatch.chdir(graded)
    assert mclint(capsys, "warning.txt")[0] == 0
    assert mclint(capsys, "error.txt")[0] == 0              # MC101 not selected
    assert mclint(capsys, "--fail-on", "warning", "warning.txt")[0] == 1   # the flag wins
    assert mclint(capsys, "--fail-on", "warning", "--exit-zero", "warning.txt")[0] == 0
    (graded / ".mclint.yaml").write_text("fail-on: warn\n")
    code, _, err = mclint(capsys, "warning.txt")
    assert code == 2
    assert err == "mclint: error: .mclint.yaml:1:10: fail-on must be one of error, warning, info\n"


# ----------------------------------------------------------------------- conventions

@pytest.mark.parametrize("name", ["MC101", "mc101", "Mc101", "calculation-mismatch",
                                  "Calculation-Mismatch"])
def test_explain_is_case_insensitive(capsys, name):
    code, out, _ = mclint(capsys, "explain", name)
    assert code == 0 and out.startswith("MC101 calculation-mismatch (warning, kind calculation)")


def test_explain_and_rules_know_the_directive_rules(capsys):
    code, out, _ = mclint(capsys, "explain", "invalid-directive")
    assert code == 0 and out.startswith("MC001 invalid-directive (warning, kind suppression)")
    _, out, _ = mclint(capsys, "rules")
    assert out.splitlines()[:2] == [
        ("MC000  unused-suppression           warning  A suppression that no longer suppresses "
        "anything."),
        ("MC001  invalid-directive            warning  A comment that looks like an mclint "
        "directive but is not a valid one.")]


def test_output_format_is_an_alias_of_format(capsys):
    _, by_format, _ = mclint(capsys, "--isolated", "--format", "json", SLIP)
    _, by_output_format, _ = mclint(capsys, "--isolated", "--output-format", "json", SLIP)
    assert by_format == by_output_format and json.loads(by_format)["summary"]["problems"] == 1


def test_extend_select_adds_to_the_configured_select(capsys, tmp_path, monkeypatch):
    (tmp_path / ".mclint.yaml").write_text("select: [MC102]\n")
    (tmp_path / "note.txt").write_text(SEVERE + DIM)
    monkeypatch.chdir(tmp_path)
    rules = lambda out: [f["rule"] for f in json.loads(out)["findings"]]
    assert rules(mclint(capsys, "--format", "json", "note.txt")[1]) == ["MC102"]
    assert rules(mclint(capsys, "--format", "json", "--extend-select", "MC101",
                        "note.txt")[1]) == ["MC101", "MC102"]
    assert rules(mclint(capsys, "--format", "json", "--select", "MC101",
                        "note.txt")[1]) == ["MC101"]


def test_per_file_ignores_flag(capsys, tmp_path, monkeypatch):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.txt").write_text(SEVERE + DIM)
    (tmp_path / "b.txt").write_text(SEVERE + DIM)
    monkeypatch.chdir(tmp_path)
    code, out, _ = mclint(capsys, "--isolated", "--per-file-ignores", "drafts/*:MC101",
                          "--per-file-ignores", "b.txt:MC101", ".")
    assert code == 1
    assert [line.split(": ")[0] for line in out.splitlines()[:-1]] == [
        "b.txt:2:23", "drafts/a.txt:2:23"]
    assert all(" MC102 " in line for line in out.splitlines()[:-1])


def test_fixable_findings_are_marked(capsys, tmp_path):
    csv = tmp_path / "models.csv"
    csv.write_text("Model,Parameters,Parameters notes,Training compute notes\n"
                   'M1,284000000.0,"284B total, 13B active",\n'
                   'M2,,,"6 * 340B * 9T = 1.8E24"\n')
    code, out, _ = mclint(capsys, "--isolated", csv)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{csv}:2:4: MC310 [*] Parameters is 2.84e8")
    assert lines[1].startswith(f"{csv}:3:23: MC101 6 * 340B * 9T")          # no fix: no mark
    assert lines[-1] == ("Found 2 problems (2 errors, 0 warnings) in 1 file, 2 entries. "
                         "[*] 1 fixable with --fix.")
    assert json.loads(mclint(capsys, "--isolated", "--format", "json", csv)[1]
                      )["summary"]["fixable"] == 1


@pytest.mark.parametrize("env, args, painted", [
    ({}, [], False),                                      # not a terminal: plain
    ({"FORCE_COLOR": "1"}, [], True),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False),   # NO_COLOR wins over FORCE_COLOR
    ({"NO_COLOR": "1"}, ["--color", "always"], True),     # and the flag over both
    ({"FORCE_COLOR": "1"}, ["--color", "never"], False),
])
def test_colour_follows_force_color_and_no_color(capsys, monkeypatch, env, args, painted):
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _, out, _ = mclint(capsys, "--isolated", *args, SLIP)
    red = "\033[31mMC101\033[0m"
    if painted:         # colours through rich; still one finding per line
        assert out.startswith(f"\033[1m{SLIP}:2:1480:\033[0m {red} Multiplying")
        assert out.count("\n") == 2
    else:
        assert "\033[" not in out and out.startswith(SLIP_LINE)


def test_force_color_reaches_the_real_command_through_a_pipe():
    env = {**{k: v for k, v in os.environ.items() if k != "NO_COLOR"},
           "FORCE_COLOR": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "linter", "--isolated", str(SLIP)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 1 and "\033[31mMC101\033[0m" in proc.stdout


def test_the_console_script_entry_point_runs_the_same_loop():
    proc = run_cli("--isolated", "--format", "json", str(SLIP))
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"]["by_rule"] == {"MC101": 1}


def test_slugs_and_prefixes_select_rules(capsys):
    for select in ("MC101", "MC1", "calculation-mismatch"):
        _code, out, _ = mclint(capsys, "--isolated", "--format", "json", "--select", select, SLIP)
        assert [f["rule"] for f in json.loads(out)["findings"]] == ["MC101"]


def test_quiet_and_statistics_together(capsys):
    _code, out, _ = mclint(capsys, "--isolated", "--quiet", "--statistics", SLIP)
    assert out.splitlines()[-1] == "     1  MC101  calculation-mismatch"


def test_collection_waits_while_the_program_starts_and_resumes_after():
    # linter.startup: the program turns automatic collection off until the pipeline is
    # built; mclint called from Python leaves the collector as its caller set it
    script = f"""
import gc, io, contextlib, linter
from linter.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main([{str(SLIP)!r}, "--quiet"])
after_cli = gc.get_threshold()[0], gc.isenabled()
gc.disable()
linter.lint("6 * 340B * 9T = 1.8E25", isolated=True)
print(code, *after_cli, gc.isenabled(), gc.get_threshold()[0])
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert proc.stdout.split() == ["1", "700", "True", "False", "700"]
