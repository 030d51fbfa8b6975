"""GitHub Actions workflow commands: '::error file=…,line=…,col=…,title=…::message'."""

from __future__ import annotations


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_report(report, **_) -> str:
    lines = []
    for f in report.findings:
        level = {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
        props = (f"file={_escape_property(f.path)},line={f.line},col={f.column},"
                 f"endLine={f.end_line},endColumn={f.end_column},"
                 f"title={_escape_property(f'{f.rule} {f.slug}')}")
        lines.append(f"::{level} {props}::{_escape_data(f.message)}")
    for e in report.errors:
        lines.append(f"::error file={_escape_property(e.path)}"
                     f"{',line=' + str(e.line) if e.line else ''}::{_escape_data(e.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
