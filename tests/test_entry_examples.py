"""Rule examples given as database entries are run through the YAML reader and the core loop."""

import math

import pytest
import yaml

from linter.pipeline import Settings, lint_text
from linter.quantities.hardware import load_hardware
from linter.ruleset.load import load_rules, select

RULES = load_rules()
CASES = [(r.id, which, i, ex) for r in RULES for which in ("pass", "fail")
         for i, ex in enumerate(r.examples[which]) if isinstance(ex, dict) and "entry" in ex]


def _lint_entry(rule_id: str, entry: dict):
    text = yaml.safe_dump(entry, sort_keys=False, allow_unicode=True)
    settings = Settings(rules=select(RULES, [rule_id], []), known=RULES, hardware=load_hardware())
    return [f for f in lint_text(text, "entry.yaml", settings)[0] if not f.verified]


@pytest.mark.parametrize("rule_id, which, index, example", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_entry_example(rule_id, which, index, example):
    problems = _lint_entry(rule_id, example["entry"])
    if which == "pass":
        assert problems == [], [f.message for f in problems]
        return
    assert problems, f"{rule_id} did not flag {example['entry']}"
    for key in ("stated", "computed"):
        if key in example:
            assert any(getattr(f, key) is not None and math.isclose(
                getattr(f, key), float(example[key]), rel_tol=2e-3) for f in problems), (
                key, [(f.stated, f.computed) for f in problems])
