"""Formatters turn a report into text for people or machines; they never check anything."""

from __future__ import annotations

from . import github, json_format, text

FORMATS = {
    "text": text.format_report,
    "json": json_format.format_report,
    "github": github.format_report,
}


def register_sarif() -> None:
    from . import sarif

    FORMATS["sarif"] = sarif.format_report
