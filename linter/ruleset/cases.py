"""Run a rule's own examples, as sqlfluff runs its rule cases: exact outcomes, not "flags something".

A `pass` example must give the rule no problem.  A `fail` example must give exactly one
problem of the rule, and every key it states must match: `at` (the text of the finding's
span), `stated` and `computed` (within 0.2%), `grade`, `severity`, `fix` (the replacement
text; a rule without a fix must offer none), `status` and `reason` (for skipped claims, with
--show-verified).  `mclint check-rules DIR` runs a user's rule files the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class CaseResult:
    """One example's outcome: what it asked, and what was wrong, if anything."""

    rule: str
    which: str        # pass | fail
    index: int
    text: str
    problems: tuple[str, ...]    # empty when the example holds

    @property
    def ok(self) -> bool:
        return not self.problems


def example_input(example) -> tuple[str, str]:
    """(file name, text) that lints an example: a note, or a database entry as YAML."""
    if isinstance(example, str):
        return "example.txt", example
    if "entry" in example:
        return "entry.yaml", yaml.safe_dump(example["entry"], sort_keys=False,
                                            allow_unicode=True)
    if "file" in example:
        return str(example["file"]), example.get("text", "")
    return "example.txt", example["text"]


def run_cases(rules, known=None) -> list[CaseResult]:
    """Lint every example of every rule with that rule alone; compare with what it asks."""
    from ..pipeline import Settings, lint_text
    from ..quantities.hardware import load_hardware
    from .load import registry_for

    known = tuple(known or rules)
    registry = registry_for(known)
    out = []
    for rule in rules:
        for which in ("pass", "fail"):
            for i, ex in enumerate(rule.examples.get(which) or ()):
                name, text = example_input(ex)
                wants_skip = isinstance(ex, dict) and ex.get("status") == "skipped"
                settings = Settings(rules=(rule,), known=known, hardware=load_hardware(),
                                    show_verified=wants_skip, registry=registry)
                findings, _ = lint_text(text, name, settings)
                out.append(CaseResult(rule.id, which, i, _label(ex),
                                      tuple(_compare(rule, which, ex, findings, text))))
    return out


def _label(example) -> str:
    name, text = example_input(example)
    return " ".join(text.split())[:100]


def _compare(rule, which: str, ex, findings, text: str):
    """What is wrong with an example's findings (nothing: an empty list)."""
    if isinstance(ex, dict) and ex.get("status") == "skipped":
        skipped = [f for f in findings if f.skipped]
        if len(skipped) != 1:
            yield f"expected one claim not judged, got {len(skipped)}"
            return
        if "reason" in ex and ex["reason"] not in skipped[0].message:
            yield f"reason {ex['reason']!r} not in {skipped[0].message!r}"
        return
    problems = [f for f in findings if f.is_problem]
    if which == "pass":
        for f in problems:
            yield f"expected no problem, got: {f.message}"
        return
    if len(problems) != 1:
        yield (f"expected one problem, got {len(problems)}"
               + "".join(f"\n    {f.message}" for f in problems))
        return
    f = problems[0]
    if not isinstance(ex, dict):
        return
    if "at" in ex and f.text != ex["at"] and text[f.offset:f.end_offset] != ex["at"]:
        yield f"at {text[f.offset:f.end_offset]!r}, expected {ex['at']!r}"
    for key in ("stated", "computed"):
        if key in ex:
            got = getattr(f, key)
            if got is None or not math.isclose(got, float(ex[key]), rel_tol=2e-3):
                yield f"{key} {got!r}, expected {ex[key]!r}"
    for key in ("grade", "severity"):
        if key in ex and getattr(f, key) != ex[key]:
            yield f"{key} {getattr(f, key)!r}, expected {ex[key]!r}"
    if "fix" in ex:
        got = f.fix.replacement if f.fix is not None else None
        if got != ex["fix"]:
            yield f"fix {got!r}, expected {ex['fix']!r}"
    elif f.fix is not None and which == "fail" and isinstance(ex, dict) and "entry" not in ex:
        yield f"offers a fix ({f.fix.replacement!r}) the example does not state"
