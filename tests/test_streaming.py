"""A database file is read piece by piece (readers.csv_reader.stream, readers.decode_pieces),
so that memory is bounded by a piece, not by the file.  Reading it whole and reading it in
pieces of any size must give the same entries, the same errors and the same findings."""

from __future__ import annotations

import json
import random

import pytest
from conftest import FIXTURES

import linter
from linter import readers
from linter.cli.main import main
from linter.model.positions import LineIndex
from linter.pipeline import Input, Options, run
from linter.readers import InputError, csv_reader, decode, decode_pieces

SAMPLE = (FIXTURES / "entries" / "epoch_sample.csv").read_text(encoding="utf-8")
SLIPS = (FIXTURES / "entries" / "slips" / "database.csv").read_text(encoding="utf-8")


def flat(entries) -> list:
    return [(e.id, e.line, [(s.text, s.field, s.offsets) for s in e.segments],
             {k: (v.raw, v.start, v.end, v.value, v.role) for k, v in e.fields.items()})
            for e in entries]


def cut(text: str, size: int) -> list[str]:
    return [text[k:k + size] for k in range(0, len(text), size)]


def streamed(text: str, size: int, monkeypatch, path: str = "db.csv") -> list:
    monkeypatch.setattr(csv_reader, "PIECE", size)
    return [x for _, _, entries in csv_reader.stream(path, cut(text, size)) for x in flat(entries)]


# A quoted cell over three lines with doubled quotes, CRLF line ends, a BOM, blank lines.
AWKWARD = "\ufeff" + SAMPLE.replace("\n", "\r\n") + \
    '\r\n\r\nX,,,,,,,,,,,"a ""quoted""\r\nnote of 6 * 2B * 3T = 3.6E19\nover lines"\r\n'


@pytest.mark.parametrize("size", [1, 2, 7, 64, 1000, 1 << 20])
@pytest.mark.parametrize("text", [SAMPLE, SLIPS, AWKWARD], ids=["sample", "slips", "awkward"])
def test_the_pieces_give_the_entries_of_the_whole(text, size, monkeypatch):
    whole = flat(csv_reader.read("db.csv", text))
    assert whole and streamed(text, size, monkeypatch) == whole


@pytest.mark.parametrize("damage", [
    ('"', "an unclosed quote"),
    ('"closed" and more,', "text after a closing quote"),
    ("a," * 200, "more cells than the header"),
])
@pytest.mark.parametrize("size", [3, 100, 1 << 20])
def test_the_pieces_give_the_errors_of_the_whole(damage, size, monkeypatch):
    at = [start for start, _ in csv_reader.scan(SAMPLE, "db.csv", LineIndex(SAMPLE))][5]
    text = SAMPLE[:at] + damage[0] + "\n" + SAMPLE[at:]
    with pytest.raises(InputError) as whole:
        csv_reader.read("db.csv", text)
    with pytest.raises(InputError) as pieces:
        streamed(text, size, monkeypatch)
    assert str(pieces.value) == str(whole.value)


def test_a_duplicate_column_is_named_at_its_place(monkeypatch):
    text = "\n\n" + SAMPLE.replace("Domain,", "Model,", 1)
    with pytest.raises(InputError) as pieces:
        streamed(text, 1, monkeypatch)
    assert str(pieces.value) == "db.csv:3:7: duplicate column name 'Model'"


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8192])
def test_decoding_in_pieces_splits_no_character(tmp_path, size):
    text = "\ufeffModel,notes\nα,6 × 340B · 9T ≈ 1.8E25 𝛼\r\n" * 40
    path = tmp_path / "db.csv"
    path.write_bytes(text.encode("utf-8"))
    assert "".join(decode_pieces(str(path), size)) == decode(path.read_bytes(), str(path))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_file_with_a_utf16_or_utf32_bom_is_decoded_whole(tmp_path, encoding):
    path = tmp_path / "db.csv"
    path.write_bytes("Model,notes\nA,1 + 1 = 2\n".encode(encoding))
    assert list(decode_pieces(str(path), 4)) == ["Model,notes\nA,1 + 1 = 2\n"]


def test_invalid_utf8_is_the_error_of_the_whole_file(tmp_path):
    path = tmp_path / "db.csv"
    path.write_bytes(b"Model,notes\n" + b"A,fine\n" * 3000 + b"B,\xff bad\n")
    with pytest.raises(InputError) as whole:
        decode(path.read_bytes(), str(path))
    with pytest.raises(InputError) as pieces:
        list(decode_pieces(str(path), 64))
    assert str(pieces.value) == str(whole.value) == f"{path}:3002:3: invalid UTF-8 at byte 21014"


def directives_database() -> str:
    """The slips database with a disable directive after its header and an enable before
    its last four records, each in a notes cell, so that the pair spans many pieces."""
    starts = [start for start, _ in csv_reader.scan(SLIPS, "db.csv", LineIndex(SLIPS))]
    blank = "," * (SLIPS[:starts[1]].count(",") - 1)
    disable = f'D1{blank},"Checked by hand. # mclint: disable=MC3\nSee the paper."\n'
    enable = f'D2{blank},"Done. # mclint: enable=MC3\n# mclint: bogus\n"\n'
    a, b = starts[1], starts[-4]
    return SLIPS[:a] + disable + SLIPS[a:b] + enable + SLIPS[b:]


@pytest.mark.parametrize("size", [64, 4096])
def test_a_streamed_database_gives_the_findings_of_a_whole_read(tmp_path, monkeypatch, size):
    path = tmp_path / "db.csv"
    path.write_text(directives_database(), encoding="utf-8")
    options = Options(isolated=True, show_verified=True, report_unused_suppressions=True)
    whole = run([Input(str(path), path.read_bytes())], options)    # given text: read whole
    monkeypatch.setattr(csv_reader, "PIECE", size)
    monkeypatch.setattr(readers, "PIECE_BYTES", size)
    pieces = run([Input(str(path))], options)
    assert not pieces.snapshots and not whole.errors and not pieces.errors
    assert [f.to_dict() for f in pieces.findings] == [f.to_dict() for f in whole.findings]
    assert pieces.entries == whole.entries == len(whole_entries()) == 9
    problems = [f.rule for f in whole.findings if f.is_problem]
    assert problems.count("MC001") == 1                         # 'mclint: bogus'
    assert "MC304" not in problems and "MC311" in problems     # disabled, then enabled


def whole_entries():
    return csv_reader.read("db.csv", directives_database())


def test_fix_and_html_keep_the_text_and_a_plain_run_does_not(tmp_path, capsys):
    path = tmp_path / "db.csv"
    path.write_text(SLIPS, encoding="utf-8")
    plain = run([Input(str(path))], Options(isolated=True))
    kept = run([Input(str(path))], Options(isolated=True, keep_text=True))
    assert not plain.snapshots and kept.snapshots[str(path)].text == SLIPS
    assert [f.to_dict() for f in plain.findings] == [f.to_dict() for f in kept.findings]
    assert main(["--isolated", "--format", "html", str(path)]) == 1
    page = capsys.readouterr().out
    assert "Nemotron-4 340B" in page and "6 * 340B * 9T = 1.8E25" in page


def test_a_missing_database_is_a_one_line_error(tmp_path, capsys):
    assert main(["--isolated", str(tmp_path / "gone.csv")]) == 2
    assert capsys.readouterr().err == f"mclint: error: {tmp_path / 'gone.csv'}: no such file\n"


def test_json_of_a_streamed_database_is_what_the_cli_prints(tmp_path, capsys):
    path = tmp_path / "db.csv"
    path.write_text(SLIPS, encoding="utf-8")
    main(["--isolated", "--format", "json", str(path)])
    printed = json.loads(capsys.readouterr().out)
    assert printed == linter.lint(path, isolated=True)
    assert [(f["rule"], f["line"]) for f in printed["findings"]][:2] == [("MC304", 33),
                                                                           ("MC307", 53)]


def test_random_csv_like_texts_read_alike_in_pieces_of_any_size(monkeypatch):
    """Quotes, doubled quotes, CR, CRLF, BOMs and wide characters at every cut: pieces of 1 to
    8 characters give the entries, or the first error, of one piece (seeded)."""
    rng = random.Random(15)
    alphabet = ['"', ",", "\n", "\r", "\r\n", "a", " ", "1", "é", "𝛼", '""', "\ufeff",
                "Model", ",,,,", 'x"y']
    header = "Model,Parameters,Parameters notes,Training compute notes\n"
    for _ in range(1500):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        text = (header if rng.random() < 0.9 else "") + body
        monkeypatch.setattr(csv_reader, "PIECE", 1 << 20)
        expected = outcome(lambda t: flat(csv_reader.read("db.csv", t)), text)
        size = rng.randint(1, 8)
        got = outcome(lambda t, n=size: streamed(t, n, monkeypatch), text)
        assert got == expected, (text, size)


def outcome(read, text: str):
    """What reading gives: the entries, or the error's text."""
    try:
        return read(text)
    except InputError as exc:
        return str(exc)


def test_the_progress_of_a_streamed_database_counts_entries_then_closes(tmp_path, monkeypatch):
    """A streamed file's entry count is known only at its end: the callback gets None as
    the total until then, and the bar (rich, on a terminal) closes when the count comes."""
    from linter.cli.progress import Progress

    path = tmp_path / "db.csv"
    path.write_text(SLIPS, encoding="utf-8")
    monkeypatch.setattr(csv_reader, "PIECE", 2000)
    calls = []
    run([Input(str(path))], Options(isolated=True), progress=lambda *a: calls.append(a))
    assert calls[-1] == (str(path), 7, 7)
    assert all(total is None for _, _, total in calls[:-1]) and len(calls) > 2
    bar = Progress()
    monkeypatch.setattr("linter.cli.progress.MIN_ENTRIES", 3)
    for call in calls:
        bar(*call)
    assert bar._bar is None
