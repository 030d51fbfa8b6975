"""Readers give entries whose segments and fields point at exactly the right file characters."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import FIXTURES, ROOT
from hypothesis import example, given, settings
from hypothesis import strategies as st

from linter.model.entries import Segment
from linter.model.positions import LineIndex
from linter.readers import InputError, decode, read
from linter.readers.csv_reader import cell_text, scan
from linter.readers.schema import (
    EPOCH,
    is_notes_key,
    parse_number,
    parse_quantity,
    role_for_key,
    schema_from_mapping,
)

ENTRIES = FIXTURES / "entries"
CORPUS = ROOT.parent / "shared" / "corpus" / "epoch_models_dev.csv"


def load(path: Path, config=None):
    text = decode(path.read_bytes(), str(path))
    return text, read(str(path), text, config)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return p


def by_id(entries):
    return {e.id: e for e in entries}


def segment(entry, field):
    return next(s for s in entry.segments if s.field == field)


def where(text: str, seg, sub: str) -> tuple[int, int]:
    """Line and column (1-based) of a substring of a segment, as mclint reports it."""
    return LineIndex(text).position(seg.file_offset(seg.text.index(sub)))


def assert_maps(text: str, entries, *, escapes: bool = False, folds: bool = False) -> None:
    """Each segment character is the file character at its mapped offset.

    Allowed exceptions: a character decoded from an escape (the file has the backslash
    there) and, for YAML, a space or newline that folding put where the file breaks a line.
    """
    for entry in entries:
        for seg in entry.segments:
            for i, ch in enumerate(seg.text):
                f = text[seg.file_offset(i)]
                if f == ch:
                    continue
                if escapes and f == "\\":
                    continue
                if folds and ch in " \n" and f in "\r\n":
                    continue
                raise AssertionError(f"{entry.id}/{seg.field}[{i}] is {ch!r} but the file "
                                     f"has {f!r} at {LineIndex(text).position(seg.file_offset(i))}")
        for fv in entry.fields.values():
            assert text[fv.start:fv.end] == fv.raw, (entry.id, fv)


# --- CSV ----------------------------------------------------------------------------------

SAMPLE_IDS = ["Phi-4 Mini", "360gpt2-pro", "Nemotron-4 340B", "XGen-7B", "Luminous-base",
              "LaMDA", "DeBERTa", "Megatron-BERT"]


def test_csv_sample_ids_lines_and_fields():
    text, entries = load(ENTRIES / "epoch_sample.csv")
    assert [e.id for e in entries] == SAMPLE_IDS
    assert [e.line for e in entries] == [2, 3, 4, 48, 81, 90, 94, 100]
    nemotron = by_id(entries)["Nemotron-4 340B"]
    f = nemotron.fields
    assert (f["Parameters"].raw, f["Parameters"].value, f["Parameters"].role) == \
        ("340000000000.0", 340e9, "parameters")
    assert f["Training compute (FLOP)"].raw == "1.7999999999999999e+25"
    assert f["Training compute (FLOP)"].value == pytest.approx(1.8e25)
    assert f["Hardware quantity"].value == 6144 and f["Hardware quantity"].role == "chips"
    assert f["Hardware utilization"].value == pytest.approx(0.410675)
    assert (f["Training hardware"].raw, f["Training hardware"].value,
            f["Training hardware"].role) == ("NVIDIA H100 SXM5 80GB", None, "hardware")
    assert (f["Confidence"].raw, f["Confidence"].value) == ("Confident", None)
    assert "Epochs" not in f                       # empty cells give no field
    assert [s.field for s in nemotron.segments] == [
        "Notability criteria notes", "Parameters notes", "Training compute notes",
        "Training dataset notes", "Dataset size notes", "Training time notes"]
    assert by_id(entries)["Phi-4 Mini"].fields["Training compute (FLOP)"].raw == "1.14e+23"
    assert_maps(text, entries)


def test_csv_positions_are_where_a_human_finds_them():
    text, entries = load(ENTRIES / "epoch_sample.csv")
    e = by_id(entries)
    compute = segment(e["Nemotron-4 340B"], "Training compute notes")
    assert where(text, compute, "6 * 340B * 9T = 1.8E25") == (5, 1)
    assert where(text, segment(e["Phi-4 Mini"], "Training compute notes"),
                 "6 * 3800000000 parameters") == (2, 1190)
    lamda = segment(e["LaMDA"], "Training compute notes")
    assert where(text, lamda, "56.5% * 123") == (90, 1192)
    assert where(text, lamda, "= 3.55E+23") == (91, 1)
    assert where(text, segment(e["DeBERTa"], "Training compute notes"),
                 "16 * 16 * 1.3e14") == (97, 1)


def test_csv_doubled_quotes_break_the_offsets_runs():
    text, entries = load(ENTRIES / "epoch_sample.csv")
    seg = segment(by_id(entries)["360gpt2-pro"], "Parameters notes")
    assert seg.text == '"Hundreds of billions of parameters"'
    start = seg.file_offset(0)
    assert text[start - 1:start + 3] == '"""H'          # opening quote, then the doubled one
    assert len(seg.offsets) == 3                        # a run break after each doubled quote
    assert where(text, seg, "Hundreds of billions") == (3, 99)
    assert text[seg.file_offset(len(seg.text) - 1)] == '"'


def test_csv_agrees_with_the_csv_module():
    text = (ENTRIES / "epoch_sample.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    index = LineIndex(text)
    ours = [[cell_text(text, c)[0] for c in cells] for _, cells in scan(text, "x", index)]
    assert ours == rows


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='ab ,"\r\n\t\u00e9', max_size=8),
                         min_size=1, max_size=4), min_size=1, max_size=5),
       st.sampled_from(["\n", "\r\n"]))
def test_csv_cells_and_offsets_match_csv_module(rows, terminator):
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator=terminator).writerows(rows)
    text = buf.getvalue()
    index = LineIndex(text)
    parsed = list(scan(text, "x", index))
    expected = list(csv.reader(io.StringIO(text, newline="")))
    got = [[cell_text(text, c)[0] for c in cells] for _, cells in parsed]
    # csv.reader gives [] for a row written from [""]: we give one empty cell.
    assert [r or [""] for r in expected] == got
    for _, cells in parsed:
        for cell in cells:
            value, offsets = cell_text(text, cell)
            seg = Segment(value, None, offsets)
            assert all(text[seg.file_offset(i)] == ch for i, ch in enumerate(value))


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def test_csv_crlf_and_bom_variants(tmp_path):
    lf_text, lf_entries = load(ENTRIES / "epoch_sample.csv")
    for name, variant in [("crlf.csv", _crlf(lf_text)), ("bom.csv", "\ufeff" + lf_text),
                          ("bomcrlf.csv", "\ufeff" + _crlf(lf_text)),
                          ("cr.csv", lf_text.replace("\n", "\r"))]:
        text, entries = load(write(tmp_path, name, variant))
        assert text == variant                          # the BOM stays a character
        assert [e.id for e in entries] == SAMPLE_IDS, name
        assert [e.line for e in entries] == [e.line for e in lf_entries], name
        assert_maps(text, entries)
        nemotron = by_id(entries)["Nemotron-4 340B"]
        compute = segment(nemotron, "Training compute notes")
        assert where(text, compute, "6 * 340B * 9T = 1.8E25") == (5, 1), name
        lamda = segment(by_id(entries)["LaMDA"], "Training compute notes")
        assert where(text, lamda, "= 3.55E+23") == (91, 1), name
        assert nemotron.fields["Parameters"].value == 340e9
    _, entries = load(write(tmp_path, "crlf2.csv", _crlf(lf_text)))
    assert "\r\n" in segment(by_id(entries)["Nemotron-4 340B"], "Training compute notes").text


def test_csv_bom_is_not_a_column_on_line_one(tmp_path):
    text, entries = load(write(tmp_path, "b.csv", "\ufeffModel,Parameters notes\nA,7B x\n"))
    assert by_id(entries)["A"].segments[0].text == "7B x"
    assert LineIndex(text).position(text.index("Parameters")) == (1, 7)   # as editors show it
    assert LineIndex(text).position(text.index("A")) == (2, 1)


def test_csv_short_rows_are_padded_and_blank_lines_skipped(tmp_path):
    p = write(tmp_path, "s.csv", "Model,Parameters,Parameters notes\nA\n\nB,5e9,five\n")
    _, entries = load(p)
    assert [(e.id, e.line) for e in entries] == [("A", 2), ("B", 4)]
    assert entries[0].fields == {} and entries[0].segments == []
    assert entries[1].fields["Parameters"].value == 5e9


def test_csv_id_is_stripped(tmp_path):
    p = write(tmp_path, "s.csv", 'Model,X notes\n"Llama-3\n",a\n  B\t,b\n')
    _, entries = load(p)
    assert [(e.id, e.line) for e in entries] == [("Llama-3", 2), ("B", 4)]


def test_tsv_is_tab_separated(tmp_path):
    text, entries = load(write(tmp_path, "s.tsv", 'Model\tParameters\tParameters notes\n'
                                                  'A\t2.0e9\t"2B, quoted\t""tab"""\n'))
    e = entries[0]
    assert (e.id, e.fields["Parameters"].value) == ("A", 2e9)
    assert e.segments[0].text == '2B, quoted\t"tab"'
    assert_maps(text, entries)


def _error(tmp_path, name, content, config=None) -> InputError:
    with pytest.raises(InputError) as info:
        load(write(tmp_path, name, content), config)
    return info.value


def test_csv_unbalanced_quote_reports_where_the_cell_starts(tmp_path):
    err = _error(tmp_path, "u.csv", 'Model,X notes\nA,"fine"\nB,"never\nclosed\n')
    assert (err.line, err.column) == (3, 3)
    assert "unbalanced quote" in err.message
    err = _error(tmp_path, "u2.csv", 'Model,X notes\nA,"he said "hi" ok"\nB,x\n')
    assert (err.line, err.column) == (2, 3)
    assert "must be doubled" in err.message


def test_csv_ragged_row_reports_its_line(tmp_path):
    err = _error(tmp_path, "r.csv", 'Model,X notes\nA,"two\nlines"\nB,b,extra\n')
    assert (err.line, err.column) == (4, 1)
    assert "3 cells but the header has 2" in err.message and "4:5" in err.message


def test_csv_missing_id_column(tmp_path):
    err = _error(tmp_path, "m.csv", "Name,Parameters notes\nA,b\n")
    assert (err.line, err.column) == (1, 1)
    assert "missing id column 'Model'" in err.message and "column mapping" in err.message
    err = _error(tmp_path, "m2.csv", "Model,Parameters\nA,1\n")
    assert "no notes columns" in err.message
    err = _error(tmp_path, "m3.csv", "Name,Text\nA,b\n",
                 SimpleNamespace(columns={"id": "Key", "notes": ["Text"]}))
    assert "missing id column 'Key'" in err.message


def test_csv_duplicate_column_reports_the_second(tmp_path):
    err = _error(tmp_path, "d.csv", 'Model,X notes,"Parameters",Parameters\nA,b,1,2\n')
    assert (err.line, err.column) == (1, 28)
    assert "duplicate column name 'Parameters'" in err.message


def test_csv_user_column_mapping(tmp_path):
    config = SimpleNamespace(columns={"id": "System", "fields": {"Params": "parameters",
                                                                 "GPU": "hardware"},
                                      "notes": ["Compute comment"]})
    text, entries = load(write(tmp_path, "u.csv", "System,Params,GPU,Compute comment\n"
                                                  'Foo,7e9,H100,"6 * 7B * 2T = 8.4e22"\n'),
                         config)
    e = entries[0]
    assert e.id == "Foo"
    assert (e.fields["Params"].value, e.fields["GPU"].value, e.fields["GPU"].role) == \
        (7e9, None, "hardware")
    assert where(text, e.segments[0], "8.4e22") == (2, 29)
    err = _error(tmp_path, "u2.csv", "System,Compute comment\nFoo,x\n", config)
    assert "'Params' of the column mapping is not in the header" in err.message
    bad = SimpleNamespace(columns={"id": "System", "fields": {"Params": "paramters"}})
    err = _error(tmp_path, "u3.csv", "System,Params\nFoo,1\n", bad)
    assert "unknown role 'paramters'" in err.message


def test_epoch_layout_wins_without_a_mapping_for_its_id(tmp_path):
    # A user mapping for another database does not stop an Epoch CSV from being read.
    config = SimpleNamespace(columns={"id": "System", "notes": ["Comment"]})
    _, entries = load(ENTRIES / "epoch_sample.csv", config)
    assert [e.id for e in entries] == SAMPLE_IDS


@pytest.mark.skipif(not CORPUS.exists(), reason="needs ../shared/corpus (not in CI)")
def test_dev_corpus_reads_every_row(capsys):
    data = CORPUS.read_bytes()
    text = decode(data, str(CORPUS))
    start = time.perf_counter()
    entries = read(str(CORPUS), text)
    elapsed = time.perf_counter() - start
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(entries) == len(rows) == 1587
    assert [e.id for e in entries] == [r["Model"].strip() or None for r in rows]
    for e, r in zip(entries, rows):
        for seg in e.segments:
            assert seg.text == r[seg.field]
        for fv in e.fields.values():
            assert fv.raw == r[fv.name]
    assert_maps(text, entries[:200])
    with capsys.disabled():
        print(f"\n[readers] dev corpus: {len(entries)} entries parsed in {elapsed * 1000:.0f} ms")


# --- YAML ---------------------------------------------------------------------------------

def test_yaml_entries_fields_and_notes():
    text, entries = load(ENTRIES / "entries.yaml")
    assert [(e.id, e.line) for e in entries] == [
        ("Nemotron-4 340B", 2), ("Luminous-base", 17), ("LaMDA", 24)]
    n = by_id(entries)["Nemotron-4 340B"].fields
    assert (n["Parameters"].raw, n["Parameters"].value, n["Parameters"].role) == \
        ("3.4e11", 3.4e11, "parameters")
    assert (n["Training compute (FLOP)"].value, n["Training compute (FLOP)"].role) == \
        (1.8e25, "compute")
    assert (n["training_tokens"].raw, n["training_tokens"].value) == ("9T", 9e12)
    assert (n["mfu"].value, n["mfu"].role) == (pytest.approx(0.41), "utilization")
    assert n["Training hardware"].value is None
    lum = by_id(entries)["Luminous-base"].fields
    assert (lum["params"].raw, lum["params"].value) == ("13000000000.0", 13e9)
    lamda = by_id(entries)["LaMDA"]
    assert lamda.fields["Hardware utilization"].value == 0.565
    assert [s.field for s in lamda.segments] == ["notes.compute", "notes.time"]
    assert segment(lamda, "notes.compute").text.startswith('"The total FLOPS is 56.5%')
    assert "\u2014" in segment(lamda, "notes.compute").text
    assert_maps(text, entries, escapes=True, folds=True)


def test_yaml_positions_in_every_scalar_style():
    text, entries = load(ENTRIES / "entries.yaml")
    e = by_id(entries)
    literal = segment(e["Nemotron-4 340B"], "Training compute notes")
    assert where(text, literal, "6 * 340B * 9T") == (11, 5)
    assert where(text, literal, "4096 * 2304") == (13, 42)
    folded = segment(e["Nemotron-4 340B"], "Training time notes")
    assert where(text, folded, "7,659,574 seconds") == (16, 22)
    single = segment(e["Luminous-base"], "Training compute notes")
    assert where(text, single, "It's the") == (20, 76)
    assert where(text, single, "6ND = 6*13") == (21, 23)
    plain = segment(e["Luminous-base"], "Training time notes")
    assert where(text, plain, "56*24") == (22, 36)
    double = segment(e["LaMDA"], "notes.compute")
    assert where(text, double, "= 3.55E+23") == (31, 5)
    assert where(text, double, "from https") == (31, 25)


def test_yaml_crlf_and_bom_variants(tmp_path):
    lf_text, lf_entries = load(ENTRIES / "entries.yaml")
    for name, variant in [("crlf.yaml", _crlf(lf_text)), ("bom.yaml", "\ufeff" + lf_text)]:
        text, entries = load(write(tmp_path, name, variant))
        assert [(e.id, e.line) for e in entries] == [(e.id, e.line) for e in lf_entries]
        assert_maps(text, entries, escapes=True, folds=True)
        e = by_id(entries)
        literal = segment(e["Nemotron-4 340B"], "Training compute notes")
        assert where(text, literal, "4096 * 2304") == (13, 42)
        assert where(text, segment(e["Nemotron-4 340B"], "Training time notes"),
                     "7,659,574 seconds") == (16, 22)
        assert where(text, segment(e["LaMDA"], "notes.compute"), "from https") == (31, 25)


@settings(max_examples=200, deadline=None)
@example(" 1111111111 1", ">", 12, "\n")     # a dump that does not read back as it was
@given(st.text(alphabet="ab 1\n\t'\"\\#:-\u00e9\U0001F600", min_size=1, max_size=60),
       st.sampled_from([None, '"', "'", "|", ">"]), st.sampled_from([12, 80]),
       st.sampled_from(["\n", "\r\n"]))
def test_yaml_string_offsets_for_any_text(note, style, width, line_break):
    try:
        text = yaml.safe_dump({"id": "x", "notes": note}, default_style=style, width=width,
                              allow_unicode=True, line_break=line_break)
    except yaml.YAMLError:
        return
    # The value is what a YAML loader reads back, which is not always what was dumped:
    # PyYAML folds ' 1111111111 1' at width 12 into a block whose second line is not
    # more indented, and reads it back as ' 1111111111\n1'.
    value = yaml.safe_load(text)["notes"]
    entries = read("x.yaml", text)
    segs = entries[0].segments
    if not value.strip():
        assert segs == []
        return
    assert segs[0].text == value
    assert_maps(text, entries, escapes=True, folds=True)


def _yaml_error(tmp_path, content) -> InputError:
    return _error(tmp_path, "e.yaml", content)


def test_yaml_alias_bomb_is_refused(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    err = _yaml_error(tmp_path, bomb)
    assert err.message == "YAML aliases are not allowed"
    assert (err.line, err.column) == (2, 8)          # the first alias, "*a"


def test_yaml_python_tags_are_refused(tmp_path):
    err = _yaml_error(tmp_path, "- name: a\n- name: b\n  x: !!python/object/apply:os.system "
                                "['echo pwned']\n")
    assert (err.line, err.column) == (3, 6)
    assert "!!python/object/apply:os.system is not allowed" in err.message
    err = _yaml_error(tmp_path, "name: !!python/name:os.system ''\n")
    assert err.line == 1 and "not allowed" in err.message
    err = _yaml_error(tmp_path, "name: !custom x\n")
    assert "unsupported YAML tag" in err.message


def test_yaml_errors_have_positions(tmp_path):
    err = _yaml_error(tmp_path, "name: a\nnotes: [1, 2\nx: 1\n")
    assert err.line == 3 and err.message.startswith("invalid YAML")
    err = _yaml_error(tmp_path, "name: a\nname: b\n")
    assert (err.line, err.column, err.message) == (2, 1, "duplicate key 'name'")
    err = _yaml_error(tmp_path, "- name: a\n- just text\n")
    assert (err.line, err.column) == (2, 3)
    err = _yaml_error(tmp_path, "x: " + "[" * 150 + "]" * 150 + "\n")
    assert err.line == 1 and "nesting deeper" in err.message


def test_yaml_several_documents_and_fallback_ids(tmp_path):
    _, entries = load(write(tmp_path, "d.yaml", "params: 1\n---\n- notes: a 1\n- {}\n"))
    assert [(e.id, e.line) for e in entries] == [("#0", 1), ("#1", 3), ("#2", 4)]


# --- JSON and JSON Lines ------------------------------------------------------------------

def test_json_entry_with_nested_fields_and_notes():
    text, entries = load(ENTRIES / "entry.json")
    (e,) = entries
    assert (e.id, e.line) == ("Megatron-BERT", 1)
    assert {k: (v.raw, v.value, v.role) for k, v in e.fields.items()} == {
        "Parameters": ("3900000000.0", 3.9e9, "parameters"),
        "Training compute (FLOP)": ("2.2e+22", 2.2e22, "compute"),
        "Batch size": ("524288", 524288.0, "batch_size"),
        "Hardware quantity": ("512", 512.0, "chips"),
    }
    assert [s.field for s in e.segments] == ["notes.dataset", "notes.time",
                                             "Training compute notes"]
    dataset = segment(e, "notes.dataset")
    assert dataset.text.startswith('"The resulting aggregate corpus')
    assert where(text, dataset, "174e9 bytes") == (10, 91)
    assert where(text, segment(e, "Training compute notes"), "6ND = 6*3.9e9") == (13, 56)
    assert_maps(text, entries, escapes=True)


def test_jsonl_entries():
    text, entries = load(ENTRIES / "entries.jsonl")
    assert [(e.id, e.line) for e in entries] == [("Phi-4 Mini", 1), ("DeBERTa", 3),
                                                 ("XGen-7B", 4)]
    d = by_id(entries)["DeBERTa"]
    assert (d.fields["params"].value, d.fields["num_gpus"].value) == (1.5e9, 256)
    assert d.fields["hardware"].raw == "NVIDIA V100"
    phi = by_id(entries)["Phi-4 Mini"]
    assert phi.fields["training_tokens"].value == 5e12
    assert segment(phi, "Dataset size notes").text.startswith('"With these')
    assert where(text, segment(d, "Training compute notes"), "16 * 16 * 1.3e14") == (3, 164)
    assert where(text, segment(by_id(entries)["XGen-7B"], "Training compute notes"),
                 "270336 * 275") == (4, 137)
    assert_maps(text, entries, escapes=True)


def test_json_crlf_and_bom_variants(tmp_path):
    for name in ("entries.jsonl", "entry.json"):
        lf_text, lf_entries = load(ENTRIES / name)
        for prefix, variant in [("crlf-", _crlf(lf_text)), ("bom-", "\ufeff" + lf_text)]:
            text, entries = load(write(tmp_path, prefix + name, variant))
            assert [(e.id, e.line) for e in entries] == [(e.id, e.line) for e in lf_entries]
            assert_maps(text, entries, escapes=True)
            for e, lf in zip(entries, lf_entries):
                for seg, lf_seg in zip(e.segments, lf.segments):
                    assert seg.text == lf_seg.text
                    lf_pos = LineIndex(lf_text).position(lf_seg.file_offset(5))
                    pos = LineIndex(text).position(seg.file_offset(5))
                    assert pos[0] == lf_pos[0]
                    assert pos[1] == lf_pos[1]     # a BOM is not a column


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40), st.booleans())
def test_json_strings_decode_like_json_module(note, ascii_only):
    text = json.dumps({"id": "x", "notes": note}, ensure_ascii=ascii_only)
    entries = read("x.json", text)
    if not note.strip():
        assert entries[0].segments == []
        return
    assert entries[0].segments[0].text == json.loads(text)["notes"]
    assert_maps(text, entries, escapes=True)


def test_json_surrogate_pairs_and_escapes_map_to_the_backslash():
    text = '{"id": "a", "notes": "x\\ud83d\\ude00y \\"q\\" \\u00e9z"}'
    (e,) = read("a.json", text)
    seg = e.segments[0]
    assert seg.text == 'x\U0001F600y "q" \u00e9z'
    assert text[seg.file_offset(1)] == "\\" and text[seg.file_offset(1) + 1] == "u"
    assert text[seg.file_offset(2)] == "y"
    assert text[seg.file_offset(seg.text.index("z"))] == "z"


def _json_error(tmp_path, content, name="e.json") -> InputError:
    return _error(tmp_path, name, content)


def test_json_errors_have_positions(tmp_path):
    err = _json_error(tmp_path, '{\n  "id": "a"\n  "notes": "b"\n}\n')
    assert (err.line, err.column, err.message) == (3, 3, "expected ',' or '}'")
    err = _json_error(tmp_path, '[{"id": "a"},\n {"id": "b",}]')
    assert (err.line, err.column, err.message) == (2, 13, "expected a string key")
    err = _json_error(tmp_path, '{"id": "a", "notes": "open\n')
    assert (err.line, err.column) == (1, 27)
    assert err.message == "control character '\\n' in string (escape it)"
    err = _json_error(tmp_path, '{"id": "a", "notes": "open')
    assert (err.line, err.column, err.message) == (1, 22, "unterminated string")
    err = _json_error(tmp_path, '{"id": "a"} x')
    assert (err.line, err.column) == (1, 13)
    err = _json_error(tmp_path, '{"id": "a", "id": "b"}')
    assert (err.line, err.column, err.message) == (1, 13, "duplicate key 'id'")
    err = _json_error(tmp_path, '{"notes": "\\q"}')
    assert (err.line, err.column) == (1, 12) and "invalid escape" in err.message
    err = _json_error(tmp_path, '[1]')
    assert (err.line, err.column) == (1, 2) and "expected an object" in err.message
    err = _json_error(tmp_path, '{"id": "a"}\n\n{"id": "b", }\n', name="e.jsonl")
    assert (err.line, err.column) == (3, 13)
    err = _json_error(tmp_path, '{"id": "a"} {"id": "b"}\n', name="e2.jsonl")
    assert (err.line, err.column) == (1, 13) and "end of line" in err.message


def test_json_deep_nesting_is_an_input_error(tmp_path):
    err = _json_error(tmp_path, '{"id": "a", "x":\n' + "[" * 5000 + "]" * 5000 + "}")
    assert (err.line, err.column) == (2, 200)
    assert "nesting deeper than 200 levels" in err.message
    _, entries = load(write(tmp_path, "ok.json", '{"id": "a", "x": ' + "[" * 150 + "]" * 150
                            + "}"))
    assert entries[0].id == "a"


# --- model cards --------------------------------------------------------------------------

def test_model_card_front_matter_and_body():
    text, entries = load(ENTRIES / "model_card.md")
    (e,) = entries
    assert (e.id, e.line) == ("Nemotron-4-340B-Base", 1)
    assert {k: (v.raw, v.value, v.role) for k, v in e.fields.items()} == {
        "parameters": ("340B", 340e9, "parameters"),
        "training_tokens": ("9e12", 9e12, "dataset_size"),
        "training_hardware": ("NVIDIA H100 SXM5 80GB", None, "hardware"),
        "num_gpus": ("6144", 6144.0, "chips"),
    }
    body = segment(e, "body")
    # read as Markdown: the heading's '# ' is markup, not text
    assert body.text.startswith("Nemotron-4-340B-Base\n")
    assert LineIndex(text).position(body.file_offset(0)) == (14, 3)
    assert where(text, body, "6 * 340B * 9T") == (21, 34)
    assert_maps(text, entries)


def test_model_card_crlf_bom_and_no_front_matter(tmp_path):
    lf_text, _ = load(ENTRIES / "model_card.md")
    for name, variant in [("crlf.md", _crlf(lf_text)), ("bom.md", "\ufeff" + lf_text),
                          ("cr.md", lf_text.replace("\n", "\r"))]:
        text, (e,) = load(write(tmp_path, name, variant))
        assert e.id == "Nemotron-4-340B-Base" and e.fields["num_gpus"].value == 6144
        assert where(text, segment(e, "body"), "6 * 340B * 9T") == (21, 34)
        assert_maps(text, [e])
    text, (e,) = load(write(tmp_path, "plain-card.md", "# Card\n\n6 * 7B * 2T = 8.4e22\n"))
    assert (e.id, e.fields, [s.field for s in e.segments]) == ("plain-card", {}, ["body"])
    assert where(text, e.segments[0], "8.4e22") == (3, 15)


def test_model_card_broken_front_matter(tmp_path):
    err = _error(tmp_path, "a.md", "---\nmodel_name: x\n\n# Body\n")
    assert (err.line, err.column) == (1, 1) and "not closed" in err.message
    err = _error(tmp_path, "b.md", "---\nmodel_name: x\nparams: [1, 2\n---\n# Body\n")
    assert err.line == 4 and err.message.startswith("invalid YAML")
    err = _error(tmp_path, "c.md", "---\nmodel_name: x\nbad: !!python/object:os.system {}\n"
                                   "---\n")
    assert (err.line, err.column) == (3, 6)
    err = _error(tmp_path, "d.md", "---\n- a list\n---\n")
    assert (err.line, err.column) == (2, 1) and "mapping" in err.message


# --- schema -------------------------------------------------------------------------------

def test_key_roles():
    assert role_for_key("n_params") == role_for_key("Num-Parameters") == "parameters"
    assert role_for_key("Training compute (FLOP)") == "compute"
    assert role_for_key("training FLOP") == "compute"
    assert role_for_key("Training dataset size (datapoints)") == "dataset_size"
    assert role_for_key("Hardware quantity") == role_for_key("num_gpus") == "chips"
    assert role_for_key("MFU") == "utilization"
    assert role_for_key("Training time (hours)") == "duration"
    assert role_for_key("Confidence") == "confidence"
    assert role_for_key("license") is None
    for column, role in EPOCH.field_roles().items():
        assert role_for_key(column) == role
    assert is_notes_key("Training compute notes") and is_notes_key("compute_notes")
    assert is_notes_key("Description") and not is_notes_key("parameters")


def test_parse_number_and_quantity():
    assert parse_number("2400000000.0") == 2.4e9
    assert parse_number("9.504e+22") == 9.504e22
    assert parse_number(" 1,000 ") == 1000
    assert parse_number("2.4B") is None and parse_number("nan") is None
    assert parse_number("") is None and parse_number("1e999") is None
    assert parse_quantity("7B") == 7e9 and parse_quantity("41%") == pytest.approx(0.41)


@pytest.mark.parametrize("mapping, message", [
    ([], "columns: expected a mapping"),
    ({"id": "A", "feilds": {}}, "unknown key 'feilds'"),
    ({"fields": {}}, "columns.id: required"),
    ({"id": "A", "fields": ["x"]}, "columns.fields: expected a mapping"),
    ({"id": "A", "fields": {"P": "paramz"}}, "columns.fields['P']: unknown role 'paramz'"),
    ({"id": "A", "notes": "Notes"}, "columns.notes: expected a non-empty list"),
    ({"id": "A", "hardware": 3}, "columns.hardware"),
])
def test_schema_from_mapping_rejects_bad_keys(mapping, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(")):
        schema_from_mapping(mapping)


def test_schema_from_mapping():
    s = schema_from_mapping({"id": "Name", "fields": {"P": "parameters", "HW": "hardware"},
                             "notes": ["Comment"], "hardware": "Chip"})
    assert (s.id_column, s.numeric, s.text, s.notes, s.hardware_column) == (
        "Name", {"P": "parameters"}, {"HW": "hardware"}, ("Comment",), "Chip")
    assert s.note_columns(["Name", "Comment", "X notes"]) == ["Comment"]
    assert schema_from_mapping({"id": "Name"}).note_columns(["A Notes", "B"]) == ["A Notes"]
