"""JSON output: {"findings": [...], "summary": {...}}: a published interface, keys only added."""

from __future__ import annotations

import json
import math
from collections import Counter

from ..model.findings import GRADES, SEVERITIES
from .counts import rule_counts


def _clean(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def format_report(report, *, statistics: bool = False, fixed: int = 0,
                  baseline: dict | None = None, **_) -> str:
    """Render the report as one JSON object."""
    data = to_json(report, statistics=statistics, fixed=fixed, baseline=baseline)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_json(report, *, statistics: bool = False, fixed: int = 0,
            baseline: dict | None = None) -> dict:
    """The report as the JSON object the command line prints (and linter.lint returns)."""
    problems = [f for f in report.findings if f.is_problem]
    by_severity = {s: sum(f.severity == s for f in problems) for s in SEVERITIES}
    data = {
        "findings": [_clean(f.to_dict()) for f in report.findings],
        "errors": [{"path": e.path, "line": e.line, "column": e.column, "message": e.message}
                   for e in report.errors],
        "summary": {
            "problems": len(problems),
            # Deprecated: by_severity's counts under their old names, kept because this is
            # a published interface (top-level "errors" lists unreadable inputs instead).
            "errors": by_severity["error"],
            "warnings": by_severity["warning"],
            "verified": sum(f.verified for f in report.findings),
            "files": report.files,
            "entries": report.entries,
            "input_errors": len(report.errors),
            "by_rule": dict(sorted(Counter(f.rule for f in problems).items())),
            "fixed": fixed,
            "by_severity": by_severity,
            "by_grade": {g: sum(f.grade == g for f in problems) for g in GRADES},
            "skipped": sum(f.skipped for f in report.findings),
            "fixable": sum(f.fix is not None for f in problems),
        },
    }
    if statistics:
        data["statistics"] = [{"rule": r, "slug": s, "count": n} for r, s, n in rule_counts(report)]
    if baseline is not None:
        data["baseline"] = baseline
    if getattr(report, "claims", None) is not None:
        data["claims"] = [_clean(c) for c in report.claims]
    return data
