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
    out += ["", f"Source: {rule.source}"]
    if rule.examples:
        out += ["", "Examples that pass:"]
        out += [f"  + {_example_text(ex)}" for ex in rule.examples.get("pass", [])]
        out.append("Examples that fail:")
        out += [f"  - {_example_text(ex)}" for ex in rule.examples.get("fail", [])]
    if source_path and rule.path:
        out += ["", f"Defined in {rule.path}"]
    return "\n".join(out)


def _example_text(ex) -> str:
    if isinstance(ex, str):
        return ex
    if "text" in ex:
        return str(ex["text"])
    entry = ex.get("entry", {})
    return "; ".join(f"{k}: {v}" for k, v in entry.items())
