"""Real notes from the database give exactly the findings fixtures/notes/expected.yaml lists."""

import math
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, lint_text

EXPECTED = yaml.safe_load((FIXTURES / "notes" / "expected.yaml").read_text(encoding="utf-8"))


def test_there_are_at_least_thirty_real_notes_with_clean_ones_and_slips():
    real = [name for name, e in EXPECTED.items() if "source" in e]
    assert len(real) >= 30
    assert sum(1 for n in real if EXPECTED[n]["problems"]) >= 10
    assert sum(1 for n in real if not EXPECTED[n]["problems"] and EXPECTED[n]["verified"]) >= 10
    assert set(EXPECTED) == {p.name for p in (FIXTURES / "notes").glob("*.txt")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_note_gives_exactly_its_findings(name):
    path = FIXTURES / "notes" / name
    text = path.read_text(encoding="utf-8")
    findings = lint_text(text, path=str(path), show_verified=True)
    problems = [f for f in findings if f.is_problem]
    expected = EXPECTED[name]["problems"]
    assert len(problems) == len(expected), [f.message for f in problems]
    for f, (rule, line, column, stated, computed, grade, _why) in zip(problems, expected):
        assert (f.rule, f.line, f.column, f.grade) == (rule, line, column, grade), f.message
        for got, want in ((f.stated, stated), (f.computed, computed)):
            assert (got is None) == (want is None)
            if want is not None:
                assert math.isclose(got, float(want), rel_tol=1e-5), (f.message, got, want)
    verified = [[f.rule, f.line, f.column] for f in findings if f.verified]
    assert sorted(verified) == sorted(EXPECTED[name]["verified"])


def test_a_finding_names_what_was_stated_recomputed_and_from_which_numbers():
    path = FIXTURES / "notes" / "wenet-penn-treebank--training-compute.txt"
    [f] = [f for f in lint_text(path.read_text(), path=str(path)) if f.is_problem]
    assert f.message == ("6 FLOP/token/param/epoch * 6k epochs * 23M params * 912k tokens"
                         " = 1.05e18 FLOP: recomputed 7.551e17 FLOP, stated 1.05e18 FLOP (+39.0%)"
                         " [material]")
    assert [t for _, t, _ in f.inputs] == ["6 FLOP/token/param/epoch", "6k epochs", "23M params",
                                           "912k tokens"]
    assert math.isclose(f.relative_error, 1.05e18 / 7.5514e17 - 1, rel_tol=1e-3)
    assert Path(f.path).name == path.name
