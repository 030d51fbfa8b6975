"""'mclint explain RULE': a rule's description, formula, options and examples."""

from __future__ import annotations

import textwrap


def explain(rule, *, source_path: bool = True) -> str:
    out = [f"{rule.id} {rule.slug} ({rule.severity}, kind {rule.kind})", "", rule.summary, ""]
    out.append(textwrap.indent(rule.description, "  "))
    if rule.formula is not None:
        out += ["", f"Formula: {rule.formula.text}"]
        if rule.roles:
            out.append("Roles: " + ", ".join(f"{k} [{v}]" for k, v in rule.roles.items()))
    if rule.options:
        out += ["", "Options:"]
        out += [f"  {k}: {v}" for k, v in rule.options.items()]
    out += ["", f"Source: {rule.source}", "", "Examples that pass:"]
    for ex in rule.examples.get("pass", []):
        out.append(f"  + {_example_text(ex)}")
    out.append("Examples that fail:")
    for ex in rule.examples.get("fail", []):
        out.append(f"  - {_example_text(ex)}")
    if source_path:
        out += ["", f"Defined in {rule.path}"]
    return "\n".join(out)


def _example_text(ex) -> str:
    if isinstance(ex, str):
        return ex
    if "text" in ex:
        return str(ex["text"])
    entry = ex.get("entry", {})
    return "; ".join(f"{k}: {v}" for k, v in entry.items())
