"""The one way to build a finding: severity from its grade, message from the rule's templates.

Every kind calls `finding()`.  The rule file sets the policy: the severity of each grade
(`grades:`, default material -> error, minor -> the rule's severity, notation -> info) and
the message templates for problems (`message:`), verified claims (`verified:`) and claims
not judged (`skipped:`).  Numbers are formatted here, once: `{stated}`, `{computed}`,
`{difference}` ("+10.5%", "off by ×1,000").
"""

from __future__ import annotations

from ..model.findings import Finding, Fix
from ..model.numbers import fmt
from ..model.wording import difference

DEFAULT_VERIFIED = "verified: {text} (recomputed {computed}{unit}, stated {stated}{unit}; {reading})"
DEFAULT_SKIPPED = "not checked: {text}: {reason}"
# The names every template may use, whatever the kind.
COMMON = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
          "grade", "field"}


def severity_of(rule, status: str, grade: str | None) -> str:
    """Info for verified and skipped; for a problem, the severity its grade has in the rule."""
    if status != "problem":
        return "info"
    grades = rule.grades or {}
    if grade in grades:
        return grades[grade]
    return {"material": "error", "notation": "info"}.get(grade or "", rule.severity)


def finding(rule, *, status: str, field: str | None, start: int, end: int, text: str,
            grade: str | None = None, stated: float | None = None,
            computed: float | None = None, unit: str = "", reason: str = "",
            reading: str = "", sources: tuple = (), fix: Fix | None = None,
            **values) -> Finding:
    """A finding of `rule` about text[start:end] of a segment (or field).

    `sources` are the numbers it was recomputed from ((name, text, value), ...); `values`
    fill the kind's own placeholders in the rule's templates.
    """
    one_line = " ".join(text.split())
    fill = dict(values)
    fill.update(
        text=one_line, stated=fmt(stated), computed=fmt(computed),
        unit=f" {unit}" if unit else "", difference=difference(stated, computed),
        reading=reading, reason=reason, hint=f" ({reason})" if reason else "",
        grade=grade or "", field=field or "")
    if status == "verified":
        message = rule.render(rule.verified or DEFAULT_VERIFIED, fill)
    elif status == "skipped":
        message = rule.render(rule.skipped or DEFAULT_SKIPPED, fill)
    else:
        message = rule.render(rule.message, fill)
        if grade:
            message += f" [{grade}]"
    rel = None
    if stated is not None and computed:
        rel = (stated - computed) / abs(computed)
    return Finding(
        rule=rule.id, slug=rule.slug, severity=severity_of(rule, status, grade),
        message=message, start=start, end=end, field=field, text=text,
        stated=stated, computed=computed, relative_error=rel, unit=unit or None,
        inputs=tuple(sources), verified=status == "verified", skipped=status == "skipped",
        grade=grade if status == "problem" else None, fix=fix)


def claim_sources(claims) -> tuple:
    """((name, text, value), ...) for the claims a value was recomputed from."""
    return tuple((c.role or c.kind or "number", c.text, c.value) for c in claims)
