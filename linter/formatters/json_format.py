"""JSON output: {"findings": [...], "summary": {...}}: a published interface, keys only added."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator

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


def format_report(report, **options) -> str:
    """Render the report as one JSON object."""
    return "".join(chunks(report, **options))


def chunks(report, *, statistics: bool = False, fixed: int = 0, baseline: dict | None = None,
           **_) -> Iterator[str]:
    """The text of json.dumps(to_json(report), indent=2) piece by piece, each finding and
    claim made into a dict only when its turn comes, so that printing a large report
    needs no more memory than one finding."""
    data = to_json(report, statistics=statistics, fixed=fixed, baseline=baseline, lazy=True)
    lazy = {"findings": (f.to_dict() for f in report.findings),
            "claims": iter(getattr(report, "claims", None) or ())}
    for k, (key, value) in enumerate(data.items()):
        yield ("{\n  " if k == 0 else ",\n  ") + _dumps(key) + ": "
        if value is _LATER:
            yield from _items(lazy[key])
        else:
            yield _dumps(value).replace("\n", "\n  ")
    yield "\n}\n"


_LATER = object()     # a list that `chunks` renders item by item


def _items(items) -> Iterator[str]:
    first = True
    for item in items:
        yield ("[\n    " if first else ",\n    ") + _dumps(_clean(item)).replace("\n", "\n    ")
        first = False
    yield "[]" if first else "\n  ]"


def _dumps(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def to_json(report, *, statistics: bool = False, fixed: int = 0,
            baseline: dict | None = None, lazy: bool = False) -> dict:
    """The report as the JSON object the command line prints (and linter.lint returns);
    `lazy`: the findings and claims lists left for `chunks` to render."""
    problems = [f for f in report.findings if f.is_problem]
    by_severity = {s: sum(f.severity == s for f in problems) for s in SEVERITIES}
    data = {
        "findings": _LATER if lazy else [_clean(f.to_dict()) for f in report.findings],
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
        data["claims"] = _LATER if lazy else [_clean(c) for c in report.claims]
    return data
