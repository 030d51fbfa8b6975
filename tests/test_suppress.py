"""Suppressions: inline comments in notes, configured ones for database entries."""

import json

import pytest

from linter.cli.main import main
from linter.post.suppress import END_OF_FILE, parse_directives

SLIP = "6 * 340B * 9T = 1.8E24"            # MC101 (error)
DIM = "It took 7,659,574 seconds, or 98 days."   # MC102


def mclint(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return exit code, stdout and stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def problems(tmp_path, capsys, monkeypatch, text: str, *args: str, name="note.txt"):
    """(line, rule) of each problem mclint reports for a file with this text."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, out, _ = mclint(capsys, "--isolated", "--format", "json", *args, name)
    return [(f["line"], f["rule"]) for f in json.loads(out)["findings"] if not f["verified"]]


def test_directive_scopes():
    text = ("a\n<!-- mclint: disable=MC101,MC102 -->\nb\n<!-- mclint: enable=MC101 -->\n"
            "c <!-- mclint: disable-line=MC1 -->\n# mclint: disable-next-line\nd\n"
            "<!--mclint:disable-next-line = calculation-mismatch-->\n")
    got = [(s.code, s.first, s.last, s.line, s.column) for s in parse_directives(text, "f")]
    assert got == [
        ("MC101", 2, 3, 2, 1), ("MC102", 2, END_OF_FILE, 2, 1),
        ("MC1", 5, 5, 5, 3), ("all", 7, 7, 6, 1), ("calculation-mismatch", 9, 9, 8, 1),
    ]


@pytest.mark.parametrize("text", [
    "<!-- mclint: disable=MC101",              # an HTML comment must close
    "x# mclint: disable=MC101",                # '#' must start the line or follow a space
    "<!-- mclint: disable-file=MC101 -->",     # not a directive
    "mclint: disable=MC101",
])
def test_not_directives(text):
    assert parse_directives(text, "f") == []


def test_disable_next_line_and_disable_line(tmp_path, capsys, monkeypatch):
    text = (f"{SLIP}\n<!-- mclint: disable-next-line=MC101 -->\n{SLIP}\n"
            f"{SLIP} <!-- mclint: disable-line=MC101 -->\n{SLIP} # mclint: disable-line=MC102\n"
            f"# mclint: disable-next-line=MC1\n{SLIP}\n")
    assert problems(tmp_path, capsys, monkeypatch, text) == [(1, "MC101"), (5, "MC101")]


def test_disable_until_enable_or_end(tmp_path, capsys, monkeypatch):
    text = (f"<!-- mclint: disable=MC101,MC102 -->\n{SLIP}\n{DIM}\n<!-- mclint: enable=MC101 -->\n"
            f"{SLIP}\n{DIM}\n<!-- mclint: disable -->\n{SLIP}\n")
    assert problems(tmp_path, capsys, monkeypatch, text) == [(5, "MC101")]


def test_markdown_model_card(tmp_path, capsys, monkeypatch):
    text = (f"# Model card\n\nCompute: {SLIP}.\n\n<!-- mclint: disable-next-line=MC101 -->\n"
            f"Again: {SLIP}.\n")
    assert problems(tmp_path, capsys, monkeypatch, text, name="card.md") == [(3, "MC101")]


def test_yaml_comments(tmp_path, capsys, monkeypatch):
    text = (f'- Model: A\n  # mclint: disable-next-line=MC101\n  Training compute notes: "{SLIP}"\n'
            f'- Model: B\n  Training compute notes: "{SLIP}"  # mclint: disable-line=MC1\n'
            f'- Model: C\n  Training compute notes: "{SLIP}"\n')
    assert problems(tmp_path, capsys, monkeypatch, text, name="db.yaml") == [(7, "MC101")]


def test_verified_claims_are_never_hidden(tmp_path, capsys, monkeypatch):
    (tmp_path / "note.txt").write_text("6 * 340B * 9T = 1.8E25 <!-- mclint: disable-line -->\n")
    monkeypatch.chdir(tmp_path)
    _, out, _ = mclint(capsys, "--isolated", "--show-verified", "note.txt")
    assert "MC101 verified" in out


def test_unused_inline_suppressions_are_reported_when_asked(tmp_path, capsys, monkeypatch):
    text = (f"<!-- mclint: disable-next-line=MC101 -->\n{SLIP}\n"
            "<!-- mclint: disable-next-line=MC101,MC999 -->\nNothing to see.\n"
            "Nor here. <!-- mclint: disable-line=MC201 -->\n")
    (tmp_path / "note.txt").write_text(text)
    monkeypatch.chdir(tmp_path)
    unknown = ("note.txt:3:1: MC001 invalid directive <!-- mclint: disable-next-line=MC101,MC999 "
               "-->: 'MC999' matches no rule")
    code, out, _ = mclint(capsys, "--isolated", "note.txt")
    assert code == 1         # a code that matches no rule is reported in every run
    assert out.splitlines() == [unknown, "Found 1 problem (0 errors, 1 warning) in 1 file."]
    code, out, _ = mclint(capsys, "--isolated", "--report-unused-suppressions",
                          "--ignore", "MC2", "note.txt")
    assert code == 1
    assert out.splitlines() == [
        ("note.txt:3:1: MC000 unused suppression: <!-- mclint: disable-next-line=MC101,MC999 -->: "
         "MC101 suppressed nothing"),
        unknown,
        "Found 2 problems (0 errors, 2 warnings) in 1 file.",
    ]   # MC201 was not selected this run, so its suppression is not judged


@pytest.mark.parametrize("directive, why", [
    ("<!-- mclint: disabel=MC101 -->", "unknown directive 'disabel' (did you mean 'disable'?)"),
    ("<!-- mclint: disable-nextline=MC101 -->",
     "unknown directive 'disable-nextline' (did you mean 'disable-next-line'?)"),
    ("# mclint: ignore=MC101", ("unknown directive 'ignore' (known: disable-next-line, "
                               "disable-line, disable, enable)")),
    ("<!-- mclint: -->", "no directive (known: disable-next-line, disable-line, disable, enable)"),
    ("<!-- mclint: disable=MC101", "an HTML directive must close with '-->' on its line"),
    ("<!-- mclint: disable MC101 -->",
     "write 'disable=CODE,CODE' (rule ids, prefixes or slugs; no codes means all)"),
    ("<!-- mclint: disable=MC101; MC102 -->",
     "write 'disable=CODE,CODE' (rule ids, prefixes or slugs; no codes means all)"),
    ("<!-- MCLINT: disable=MC101 -->", "write 'mclint:' in lower case"),
    ("<!-- mclint: disable=MC9999 -->", "'MC9999' matches no rule"),
    ("# mclint: enable=calculation-mistmatch", "'calculation-mistmatch' matches no rule"),
])
def test_invalid_directives_are_reported_in_every_run(tmp_path, capsys, monkeypatch, directive,
                                                     why):
    """A misspelt directive suppresses nothing (or, worse, everything): say so, always."""
    text = f"Intro.\n{directive}\n{SLIP}\n"
    (tmp_path / "card.md").write_text(text)
    monkeypatch.chdir(tmp_path)
    code, out, _ = mclint(capsys, "--isolated", "--select", "MC1", "card.md")
    assert code == 1
    shown = directive.strip()
    if directive.startswith("<!--") and "-->" not in directive:
        # an HTML comment left open hides the rest of the card, in Markdown as in mclint
        assert out.splitlines() == [f"card.md:2:1: MC001 invalid directive {shown}: {why}",
                                    "Found 1 problem (0 errors, 1 warning) in 1 file."]
        return
    assert out.splitlines() == [
        f"card.md:2:1: MC001 invalid directive {shown}: {why}",
        ("card.md:3:17: MC101 6 * 340B * 9T = 1.8E24: recomputed 1.836e25, stated 1.8e24 "
        "(off by ×10) [material] [card / body]"),
        "Found 2 problems (1 error, 1 warning) in 1 file."]


def test_invalid_directives_can_be_ignored_not_suppressed(tmp_path, capsys, monkeypatch):
    text = f"<!-- mclint: disable -->\n<!-- mclint: disabel=MC101 -->\n{SLIP}\n"
    (tmp_path / "note.txt").write_text(text)
    (tmp_path / "other.txt").write_text(text)
    monkeypatch.chdir(tmp_path)

    def rules(*args):
        report = json.loads(mclint(capsys, "--format", "json", *args)[1])
        return [(f["path"], f["rule"]) for f in report["findings"]]

    assert rules("--isolated", "note.txt") == [("note.txt", "MC001")]   # 'disable' hides MC101
    assert rules("--isolated", "--ignore", "MC001", "note.txt") == []
    assert rules("--isolated", "--ignore", "invalid-directive", "note.txt") == []
    (tmp_path / "cfg.yaml").write_text("per-file-ignores:\n  other.txt: [MC001]\n")
    assert rules("--config", "cfg.yaml", "note.txt", "other.txt") == [("note.txt", "MC001")]


def test_a_prefix_of_an_action_is_not_the_action(tmp_path, capsys, monkeypatch):
    """'disable-nextline' once read as 'disable' (everything to the end of the file)."""
    text = f"# mclint: disable-nextline=MC101\nfirst\n{SLIP}\n"
    assert problems(tmp_path, capsys, monkeypatch, text) == [(1, "MC001"), (3, "MC101")]


def test_directives_with_crlf_line_endings(tmp_path, capsys, monkeypatch):
    text = (f"# mclint: disable-next-line\r\n{SLIP}\r\n\r\n{SLIP}\r\n\r\n"
            f"{SLIP} # mclint: disable-line\r\n")
    assert problems(tmp_path, capsys, monkeypatch, text) == [(4, "MC101")]


CSV = ('Model,Training compute notes\nA,"6 * 340B * 9T = 1.8E24"\nB,"' + DIM + '"\n'
       'C,"' + SLIP + '"\n')


def test_configured_suppressions_for_database_entries(tmp_path, capsys, monkeypatch):
    (tmp_path / "models.csv").write_text(CSV)
    (tmp_path / ".mclint.yaml").write_text(
        "suppressions:\n"
        "  - {entry: A, rule: MC101, reason: the paper rounds this way}\n"
        "  - {entry: B, rule: MC1, reason: units as in the paper, path: '*.csv'}\n"
        "  - {entry: Z, rule: MC101, reason: entry was removed}\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = mclint(capsys, "--format", "json", "models.csv")
    assert code == 1
    assert [(f["entry"], f["rule"]) for f in json.loads(out)["findings"]] == [("C", "MC101")]
    _, out, _ = mclint(capsys, "--report-unused-suppressions", "models.csv")
    assert out.splitlines()[0] == (".mclint.yaml:4:5: MC000 unused suppression: suppression of "
                                    "MC101 for entry 'Z': MC101 suppressed nothing")
    _code, out, _ = mclint(capsys, "--format", "sarif", "--report-unused-suppressions",
                          "models.csv")
    driver = json.loads(out)["runs"][0]["tool"]["driver"]
    assert "MC000" in [r["id"] for r in driver["rules"]]


def test_configured_suppression_with_a_path_glob(tmp_path, capsys, monkeypatch):
    (tmp_path / "models.csv").write_text(CSV)
    (tmp_path / ".mclint.yaml").write_text(
        "suppressions:\n  - {entry: A, rule: MC101, reason: x, path: 'other.csv'}\n")
    monkeypatch.chdir(tmp_path)
    _, out, _ = mclint(capsys, "--format", "json", "models.csv")
    assert [(f["entry"], f["rule"]) for f in json.loads(out)["findings"]] == [
        ("A", "MC101"), ("B", "MC102"), ("C", "MC101")]
