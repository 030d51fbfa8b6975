"""Database entries (CSV, YAML, JSON Lines, model card) give exactly their planted findings,
and --fix rewrites only the cells it fixes."""

import json
import math
import shutil

import pytest
import yaml
from conftest import FIXTURES, run_cli

SLIPS = FIXTURES / "entries" / "slips"
EXPECTED = yaml.safe_load((SLIPS / "expected.yaml").read_text(encoding="utf-8"))


def _findings(path):
    proc = run_cli("--format", "json", str(path))
    assert proc.returncode == 1, proc.stderr
    return [f for f in json.loads(proc.stdout)["findings"] if f["status"] == "problem"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_entries_give_exactly_their_findings(name):
    got = _findings(SLIPS / name)
    want = EXPECTED[name]
    assert len(got) == len(want), [f["message"] for f in got]
    for f, (rule, entry, field, line, column, stated, computed, grade, fix) in zip(got, want):
        assert (f["rule"], f["entry"], f["field"], f["line"], f["column"], f["grade"]) == (
            rule, entry, field, line, column, grade), f["message"]
        for key, value in (("stated", stated), ("computed", computed)):
            if value is None:
                assert f[key] is None
            else:
                assert math.isclose(f[key], float(value), rel_tol=1e-5), (f["message"], key)
        assert (f["fix"] or {}).get("replacement") == fix


def _span(lines: list[str], f: dict) -> str:
    """The file text between a finding's (line, column) and (end_line, end_column)."""
    if f["line"] == f["end_line"]:
        return lines[f["line"] - 1][f["column"] - 1:f["end_column"] - 1]
    head = lines[f["line"] - 1][f["column"] - 1:]
    middle = lines[f["line"]:f["end_line"] - 1]
    tail = lines[f["end_line"] - 1][:f["end_column"] - 1]
    return "\n".join([head, *middle, tail])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_positions_point_at_the_field_or_claim(name):
    lines = (SLIPS / name).read_text(encoding="utf-8").splitlines()
    for f in _findings(SLIPS / name):
        span = _span(lines, f)
        assert span, f
        if f["fix"]:
            assert span.strip() == f["fix"]["original"]   # the field's cell, exactly
        else:
            assert span in f["text"] or f["text"].strip() == span.strip(), (span, f["text"])


@pytest.mark.slow
def test_fix_rewrites_only_the_fixed_cells(tmp_path):
    src = SLIPS / "database.csv"
    copy = tmp_path / "database.csv"
    shutil.copyfile(src, copy)
    before = src.read_bytes()
    diff = run_cli("--diff", str(copy))
    assert diff.returncode == 1
    assert b"-" in diff.stdout and b"+" in diff.stdout and copy.read_bytes() == before
    proc = run_cli("--fix", str(copy))
    after = copy.read_bytes()
    # Splice the expected replacements into the original bytes ourselves: the file
    # --fix wrote must be exactly that, every other byte identical.
    text = before.decode("utf-8")
    found = _findings(src)
    expected = text
    for f in sorted((f for f in found if f["fix"]), key=lambda f: -f["fix"]["start"]):
        start, end = f["fix"]["start"], f["fix"]["end"]
        assert text[start:end] == f["fix"]["original"]
        expected = expected[:start] + f["fix"]["replacement"] + expected[end:]
    assert after == expected.encode("utf-8")
    assert sum(1 for f in found if f["fix"]) == 4
    # what is left are the findings without a fix
    again = [f for f in json.loads(run_cli("--format", "json", str(copy)).stdout)["findings"]
             if not f["verified"]]
    assert [f["rule"] for f in again] == ["MC304", "MC307"]
    assert proc.returncode == 1


def test_a_field_is_explained_by_a_sum_of_its_notes_parts(tmp_path):
    """Sums of a note's values are kept as plain numbers (checks/fields.py, Sums); the one
    that explains the field becomes the finding's reading, and a field no sum explains is
    still flagged, against the closest value the notes give as the field's."""
    import linter

    path = tmp_path / "reviews.csv"
    notes = '"752 negative and 1301 positive reviews, from 40 users"'
    path.write_text("Model,Training dataset size (datapoints),Dataset size notes\n"
                    f"Reviews,2053,{notes}\nSlip,2153,{notes}\n", encoding="utf-8")
    found = linter.lint(path, isolated=True, show_verified=True, select="MC303")["findings"]
    assert [(f["entry"], f["status"], f["line"], f["column"], f["message"]) for f in found] == [
        ("Reviews", "verified", 2, 9,
         "verified: Training dataset size (datapoints) 2,053 (explained by 1301 + 752)"),
        ("Slip", "problem", 3, 6,
         "Training dataset size (datapoints) is 2,153, but nothing in the notes explains it; "
         "closest: 1301 (+65.5%) [material]")]


def test_a_field_that_copies_a_contradicted_result_is_not_verified():
    # Imagen's compute field is the 1.46e22 its own calculation does not give: it copies
    # the slip or the formula is written wrong, so it is neither verified nor flagged (nor
    # verified by the sum 1.46e22 + 64: a part within the tolerance makes no sum)
    proc = run_cli("--format", "json", "--show-verified", "--select", "MC302",
                   str(SLIPS / "hardware.csv"))
    [f] = json.loads(proc.stdout)["findings"]
    assert (f["entry"], f["status"], f["stated"]) == ("Imagen", "skipped", 1.46e22)
    assert f["message"] == ("not checked: 1.46e+22: it is the stated result '1.46e+22 FLOP', "
                            "which its own calculation does not give: the field copies that "
                            "slip, or the formula is written wrong")


def test_a_chip_count_below_the_node_count_is_per_node():
    proc = run_cli("--format", "json", "--select", "MC305", str(SLIPS / "hardware.csv"))
    [f] = json.loads(proc.stdout)["findings"]
    assert (f["entry"], f["stated"], f["computed"], f["grade"]) == (
        "Minitron 8B", 8.0, 128.0, "material")
    assert "16× NVIDIA DGX A100 nodes x 8× A100 80GB" in f["message"]


def test_a_field_is_explained_by_arithmetic_written_without_a_result(tmp_path):
    """GShard (dense)'s dataset note (Epoch AI, CC BY 4.0) ends in arithmetic with no '=':
    its value explains the field, and a field it does not explain is still flagged."""
    import linter

    note = ('"""We focus on improving the translation quality (measured in terms of BLEU '
            'score [48]) from all 100 languages to English. This resulted in approximately 13 '
            'billion training examples to be used for model training""\n\nEach example is a '
            'sentence pair. Assuming 20 words per sentence and 4/3 tokens per word, that is '
            '13*20*4/3 billion tokens"')
    compute = ('"Footnote 10 indicates 300k steps and 4M tokens/step -> 1.2T tokens\n'
               'Arithmetic estimate: 6 * 2.3B * 1.2T = 1.656e22 FLOPs"')  # also GShard's
    path = tmp_path / "gshard.csv"
    path.write_text("Model,Training dataset size (datapoints),Dataset size notes,"
                    "Training compute notes\n"
                    f"GShard (dense),346666666666.6667,{note},{compute}\n"
                    f"Slip,446666666666.6667,{note},{compute}\n", encoding="utf-8")
    found = linter.lint(path, isolated=True, show_verified=True, select="MC303")["findings"]
    assert [(f["entry"], f["status"]) for f in found] == [("GShard (dense)", "verified"),
                                                          ("Slip", "problem")]
    assert found[0]["message"] == (
        "verified: Training dataset size (datapoints) 3.467e11 (explained by 13*20*4/3 "
        "billion tokens (= 3.467e11))")
    report = linter.lint("that is 13*20*4/3 billion tokens", isolated=True, show_claims=True)
    assert report["findings"] == []      # nothing to check: no result is stated


def test_a_field_is_explained_by_a_count_times_a_rate_per_counted_thing(tmp_path):
    """650GB at 111e6 word/GB is 7.2e10 words (Japanese-LM-3.6B's figures): the units
    cancel to the field's kind, so the product explains the field; without the rate the
    field is flagged against the only size its notes give."""
    import linter

    path = tmp_path / "product.csv"
    path.write_text("Model,Training dataset size (datapoints),Dataset size notes\n"
                    'Rate,72000000000.0,"Corpus: 650GB at 111e6 word/GB.\n\nThe run saw 150B '
                    'words."\nNo rate,72000000000.0,"Corpus: 650GB.\n\nThe run saw 150B '
                    'words."\n', encoding="utf-8")
    found = linter.lint(path, isolated=True, show_verified=True, select="MC303")["findings"]
    assert [(f["entry"], f["status"]) for f in found] == [("Rate", "verified"),
                                                          ("No rate", "problem")]
    assert found[0]["message"] == ("verified: Training dataset size (datapoints) 7.2e10 "
                                   "(explained by 650GB x 111e6 word/GB)")
