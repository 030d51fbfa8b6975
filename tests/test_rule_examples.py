"""Every rule's examples are run: its documentation cannot drift from its behaviour."""

import math

import pytest

from conftest import lint_text
from linter.ruleset.load import load_rules

RULES = load_rules()
CASES = [(r.id, which, i, ex) for r in RULES for which in ("pass", "fail")
         for i, ex in enumerate(r.examples[which])]


def _text(example):
    return example if isinstance(example, str) else example.get("text", "")


@pytest.mark.parametrize("rule_id, which, index, example", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_rule_example(rule_id, which, index, example):
    if not isinstance(example, str) and "entry" in example:
        pytest.skip("entry examples are run by test_entry_examples")
    problems = [f for f in lint_text(_text(example), select=[rule_id]) if not f.verified]
    if which == "pass":
        assert problems == [], [f.message for f in problems]
        return
    assert problems, f"{rule_id} did not flag: {_text(example)}"
    if isinstance(example, dict):
        for key in ("stated", "computed"):
            if key in example:
                assert any(getattr(f, key) is not None and math.isclose(
                    getattr(f, key), float(example[key]), rel_tol=2e-3) for f in problems), (
                    key, [(f.stated, f.computed) for f in problems])
        if "severity" in example:
            assert {f.severity for f in problems} == {example["severity"]}


def test_every_rule_has_examples_source_and_known_kind():
    from linter.checks import KINDS

    for r in RULES:
        assert r.examples["pass"] and r.examples["fail"], r.id
        assert r.source and r.kind in KINDS
