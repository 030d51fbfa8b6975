"""Every rule's examples are run and asserted exactly (rule, span, stated, computed, grade,
severity, fix): its documentation cannot drift from its behaviour."""

import pytest

from linter.checks import KINDS
from linter.ruleset.cases import run_cases
from linter.ruleset.load import load_rules

RULES = load_rules()
RESULTS = run_cases(RULES)


@pytest.mark.parametrize("result", RESULTS, ids=[f"{r.rule}-{r.which}-{r.index}" for r in RESULTS])
def test_rule_example(result):
    assert result.ok, "\n".join([result.text, *result.problems])


def test_every_rule_has_examples_a_source_a_known_kind_and_exact_fail_cases():
    for r in RULES:
        assert r.examples["pass"] and r.examples["fail"], r.id
        assert r.source and r.kind in KINDS
        for ex in r.examples["fail"]:
            # a failing example says at least which grade the problem has, or why the
            # claim is set aside
            assert isinstance(ex, dict) and ("grade" in ex or (
                ex.get("status") == "skipped" and ex.get("reason"))), (r.id, ex)
