"""Counts every format can show: problems per rule (--statistics)."""

from __future__ import annotations

from collections import Counter


def rule_counts(report) -> list[tuple[str, str, int]]:
    """(rule, slug, count) of the problems in a report, by rule id."""
    counts = Counter((f.rule, f.slug) for f in report.findings if f.is_problem)
    return [(rule, slug, n) for (rule, slug), n in sorted(counts.items())]
