"""The command line: exit codes, stdin, usage errors as one line, never a traceback."""

import io
import json

import pytest
from conftest import FIXTURES, run_cli

from linter import __version__
from linter.cli.main import main

SLIP = FIXTURES / "notes" / "nemotron-4-340b-compute-slip.txt"
CLEAN = FIXTURES / "notes" / "nemotron-4-340b.txt"


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
    code, out, _ = mclint(capsys, "--isolated", "--exit-zero", "no-such-file.txt")
    assert code == 2 and "no-such-file.txt: no such file (input error)" in out


def test_stdin_with_a_name(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SLIP.read_bytes())))
    code, out, _ = mclint(capsys, "--isolated", "--stdin-filename", "card.txt", "-")
    assert code == 1 and out.startswith("card.txt:2:1480: MC101 ")


def test_no_input_on_a_terminal_is_a_usage_error(capsys, monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Tty())
    code, out, err = mclint(capsys)
    assert code == 2 and out == ""
    assert err == "mclint: error: no input: give file paths, or '-' to read stdin\n"


@pytest.mark.parametrize("args, message", [
    (["--select", "MC9"], "--select: 'MC9' matches no rule"),
    (["--ignore", "MC101,nonsense"], "--ignore: 'nonsense' matches no rule"),
    (["--jobs", "0"], "--jobs must be at least 1"),
    (["--write-baseline", "b.json", "--fix"], "cannot be combined"),
    (["--rules", "no-such-folder"], "no-such-folder: no such rule file or folder"),
])
def test_usage_errors_are_one_line(capsys, args, message):
    code, out, err = mclint(capsys, "--isolated", *args, CLEAN)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err


def test_slugs_and_prefixes_select_rules(capsys):
    for select in ("MC101", "MC1", "calculation-mismatch"):
        _code, out, _ = mclint(capsys, "--isolated", "--format", "json", "--select", select, SLIP)
        assert [f["rule"] for f in json.loads(out)["findings"]] == ["MC101"]


def test_unreadable_inputs_do_not_stop_the_others(capsys, tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 in Latin-1")
    (tmp_path / "bin.txt").write_bytes(b"ok\x00\x00")
    code, out, err = mclint(capsys, "--isolated", SLIP, tmp_path / "bad.txt", tmp_path / "bin.txt",
                            tmp_path)
    assert code == 2 and "Traceback" not in out + err
    assert "MC101" in out and "binary file" in out and "is a directory" in out
    assert out.splitlines()[-1] == ("Found 1 problem (1 error, 0 warnings), 3 unreadable inputs "
                                    "in 1 file.")
    code, out, err = mclint(capsys, "--isolated", "--format", "json", tmp_path)
    assert code == 2 and json.loads(out)["summary"]["input_errors"] == 1
    assert "is a directory" in err


def test_quiet_and_statistics_together(capsys):
    _code, out, _ = mclint(capsys, "--isolated", "--quiet", "--statistics", SLIP)
    assert out.splitlines()[-1] == "     1  MC101  calculation-mismatch"


def test_the_console_script_entry_point_runs_the_same_loop():
    proc = run_cli("--isolated", "--format", "json", str(SLIP))
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"]["by_rule"] == {"MC101": 1}
