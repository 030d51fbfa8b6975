"""--fix and --diff: only the fixed spans change, atomically, in the file's own encoding."""

import codecs
import dataclasses
import os
import stat

import pytest

from linter.cli.main import main
from linter.model.findings import Finding, Fix
from linter.post import fix
from linter.readers import decode

SLIP = "6 * 340B * 9T = 1.8E24"


def finding(start: int, end: int, replacement: str, original: str, path: str = "f") -> Finding:
    return Finding(rule="MC101", slug="calculation-mismatch", severity="error", message="m",
                   path=path, offset=start, fix=Fix(start, end, replacement, original))


def snapshot(path) -> fix.Snapshot:
    data = path.read_bytes()
    return fix.Snapshot(str(path), data, decode(data, str(path)))


def fix_at(text: str, old: str, new: str, path: str = "f", nth: int = 0) -> Finding:
    """Make a finding whose fix replaces the nth occurrence of old."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(old, start + 1)
    return finding(start, start + len(old), new, old, path)


def apply(path, findings) -> fix.Outcome:
    snap = snapshot(path)
    outcome = fix.plan(snap, findings)
    fix.write(snap, outcome.new)
    return outcome


def test_only_the_fixed_spans_change(tmp_path):
    text = "Mixed\r\nline endings\nand tabs\t and ünïcödé\r\n" + SLIP + "\r\nno newline at end"
    path = tmp_path / "note.txt"
    path.write_bytes(text.encode("utf-8"))
    outcome = apply(path, [fix_at(text, "1.8E24", "1.8E25")])
    assert path.read_bytes() == text.replace("1.8E24", "1.8E25").encode("utf-8")
    assert len(outcome.fixed) == 1


def test_utf8_bom_is_kept(tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes(codecs.BOM_UTF8 + f"{SLIP}\n".encode())
    text = decode(path.read_bytes(), "note.txt")
    assert text.startswith("\ufeff")
    apply(path, [fix_at(text, "1.8E24", "1.8E25")])
    assert path.read_bytes() == codecs.BOM_UTF8 + SLIP.replace("E24", "E25").encode() + b"\n"


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE),
                                        ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_keeps_its_bom_and_byte_order(tmp_path, codec, bom):
    original = f"Note\r\n{SLIP}\r\n"
    path = tmp_path / "note.txt"
    path.write_bytes(bom + original.encode(codec))
    text = decode(path.read_bytes(), "note.txt")
    apply(path, [fix_at(text, "1.8E24", "1.8E25")])
    assert path.read_bytes() == bom + original.replace("E24", "E25").encode(codec)


def test_several_fixes_overlaps_and_stale_fixes(tmp_path):
    text = "a = 1 + 1 = 3; b = 2 * 2 = 5; c = 9\n"
    path = tmp_path / "n.txt"
    path.write_text(text)
    findings = [
        fix_at(text, "3", "2"),                           # overlaps the next: not applied
        fix_at(text, "= 3", "= 4"),                       # starts first: wins
        fix_at(text, "5", "4"),
        fix_at(text, "5", "4"),                           # the same fix twice: applied once
        finding(text.index("9"), text.index("9") + 1, "8", "7"),   # text no longer reads "7"
        finding(100, 101, "x", "y"),                      # outside the text
    ]
    outcome = apply(path, findings)
    assert path.read_text() == "a = 1 + 1 = 4; b = 2 * 2 = 4; c = 9\n"
    assert [f.fix.replacement for f in outcome.fixed] == ["= 4", "4", "4"]


def test_insertions_at_one_point_are_not_guessed():
    text = "abc"
    chosen = fix.select_fixes(text, [finding(1, 1, "X", ""), finding(1, 1, "Y", ""),
                                     finding(1, 2, "Z", "b"), finding(2, 2, "W", "")])
    assert [f.replacement for f, _ in chosen] == ["X", "W"]
    assert fix.splice(text, [f for f, _ in chosen]) == "aXbWc"


def test_mode_is_kept_and_no_temporary_file_is_left(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(SLIP)
    os.chmod(path, 0o640)
    apply(path, [fix_at(SLIP, "1.8E24", "1.8E25")])
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.listdir(tmp_path) == ["note.txt"]


def test_a_symlink_stays_a_symlink(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text(SLIP)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    apply(link, [fix_at(SLIP, "1.8E24", "1.8E25")])
    assert link.is_symlink() and target.read_text() == SLIP.replace("E24", "E25")


def test_a_file_changed_on_disk_is_not_written(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(SLIP)
    snap = snapshot(path)
    outcome = fix.plan(snap, [fix_at(SLIP, "1.8E24", "1.8E25")])
    path.write_text(SLIP + " (edited meanwhile)")
    with pytest.raises(fix.FixError, match="changed on disk"):
        fix.write(snap, outcome.new)
    assert path.read_text() == SLIP + " (edited meanwhile)"
    assert os.listdir(tmp_path) == ["note.txt"]


def test_unified_diff():
    outcome = fix.Outcome("n.txt", "a\r\nx = 1 + 1 = 3", "a\r\nx = 1 + 1 = 2", ())
    assert fix.unified_diff(outcome) == (
        "--- n.txt\n+++ n.txt\n@@ -1,2 +1,2 @@\n a\r\n-x = 1 + 1 = 3\n"
        "\\ No newline at end of file\n+x = 1 + 1 = 2\n\\ No newline at end of file\n")


# The CLI side: no rule carries fixes yet, so these give every MC101 finding one that
# restates the recomputed result.

@pytest.fixture
def fixing(monkeypatch):
    """Attach a fix (1.8E24 -> 1.8E25) to the MC101 findings of the core loop."""
    from linter import pipeline

    real = pipeline.lint_text

    def lint_text(text, path, settings, *args, **kwargs):
        findings, entries = real(text, path, settings, *args, **kwargs)
        findings = [
            dataclasses.replace(f, fix=Fix(f.offset, f.offset + 6, "1.8E25", "1.8E24"))
            if f.rule == "MC101" and text[f.offset:f.offset + 6] == "1.8E24" else f
            for f in findings]
        return findings, entries

    monkeypatch.setattr(pipeline, "lint_text", lint_text)


def mclint(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return exit code, stdout and stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_fix_writes_and_reports_what_is_left(tmp_path, capsys, monkeypatch, fixing):
    monkeypatch.chdir(tmp_path)
    text = f"{SLIP}\nIt took 7,659,574 seconds, or 98 days.\n"
    (tmp_path / "note.txt").write_text(text)
    code, out, _ = mclint(capsys, "--isolated", "note.txt")
    assert code == 1 and (tmp_path / "note.txt").read_text() == text   # no --fix: untouched
    code, out, _ = mclint(capsys, "--isolated", "--fix", "note.txt")
    assert (tmp_path / "note.txt").read_text() == text.replace("E24", "E25")
    assert code == 1 and "MC101" not in out and "MC102" in out
    assert out.splitlines()[-1] == "Found 1 problem (1 error, 0 warnings), 1 fixed in 1 file."


def test_cli_diff_writes_nothing(tmp_path, capsys, monkeypatch, fixing):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "note.txt").write_text(f"Intro\n{SLIP}\n")
    code, out, err = mclint(capsys, "--isolated", "--diff", "note.txt")
    assert code == 1
    assert out == ("--- note.txt\n+++ note.txt\n@@ -1,2 +1,2 @@\n Intro\n-6 * 340B * 9T = 1.8E24\n"
                   "+6 * 340B * 9T = 1.8E25\n")
    assert err == "mclint: Would fix 1 problem in 1 file.\n"
    assert (tmp_path / "note.txt").read_text() == f"Intro\n{SLIP}\n"


def test_cli_fix_refuses_stdin_but_diffs_it(capsys, monkeypatch, fixing):
    import io

    code, _, err = mclint(capsys, "--fix", "-")
    assert code == 2 and "--fix cannot rewrite stdin" in err
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SLIP.encode())))
    code, out, _ = mclint(capsys, "--isolated", "--diff", "--stdin-filename", "n.txt", "-")
    assert code == 1 and "+6 * 340B * 9T = 1.8E25\n\\ No newline at end of file\n" in out


def test_without_fix_nothing_is_opened_for_writing(tmp_path, capsys, monkeypatch):
    import builtins

    (tmp_path / "note.txt").write_text(SLIP)
    monkeypatch.chdir(tmp_path)
    real_open, real_os_open = builtins.open, os.open
    writes = []

    def spy_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            writes.append(file)
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            writes.append(path)
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    for fmt in ("text", "json", "sarif", "github"):
        mclint(capsys, "--isolated", "--format", fmt, "--show-verified", "note.txt")
    assert writes == []


def test_cli_fix_on_a_database_field_with_a_wrong_exponent(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    row = 'Nemotron-4 340B,340000000000,{},"6 * 340B * 9T = 1.8E25"\r\n'
    head = "Model,Parameters,Training compute (FLOP),Training compute notes\r\n"
    path = tmp_path / "models.csv"
    path.write_bytes((head + row.format("1.8e+22")).encode())
    code, out, _ = mclint(capsys, "--isolated", "--diff", "models.csv")
    assert code == 1 and "-" + row.format("1.8e+22") in out and "+" + row.format("1.8e+25") in out
    code, out, _ = mclint(capsys, "--isolated", "--fix", "models.csv")
    assert code == 0 and out == "Found 0 problems (0 errors, 0 warnings), 1 fixed in 1 file.\n"
    assert path.read_bytes() == (head + row.format("1.8e+25")).encode()
