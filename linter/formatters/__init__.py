"""Formatters turn a report into text for people or machines; they never check anything.

Every formatter is called as format(report, *, rules, color, quiet, statistics, fixed,
baseline) and returns the text for stdout; it ignores what its format has no place for.
"""

from __future__ import annotations

from importlib import import_module

NAMES = ("text", "json", "sarif", "github", "html")
_MODULES = {"text": "text", "json": "json_format", "sarif": "sarif", "github": "github",
            "html": "html"}


def formatter(name: str):
    """The format_report function of a format (its module is imported only when used)."""
    return _module(name).format_report


def write(name: str, report, stream, **options) -> None:
    """Write a report to a stream, piece by piece where the format renders in pieces."""
    module = _module(name)
    pieces = getattr(module, "chunks", None)
    for piece in pieces(report, **options) if pieces else [module.format_report(report,
                                                                               **options)]:
        stream.write(piece)


def _module(name: str):
    return import_module(f"{__name__}.{_MODULES[name]}")
