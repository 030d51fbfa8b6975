"""Formatters turn a report into text for people or machines; they never check anything.

Every formatter is called as format(report, *, rules, color, quiet, statistics, fixed,
baseline) and returns the text for stdout; it ignores what its format has no place for.
"""

from __future__ import annotations

from . import github, html, json_format, sarif, text

FORMATS = {
    "text": text.format_report,
    "json": json_format.format_report,
    "sarif": sarif.format_report,
    "github": github.format_report,
    "html": html.format_report,
}

