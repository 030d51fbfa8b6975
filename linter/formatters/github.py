"""GitHub Actions workflow commands: '::error file=…,line=…,col=…,title=…::message'."""

from __future__ import annotations

from .counts import rule_counts


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_report(report, *, statistics: bool = False, **_) -> str:
    """One workflow command per finding and input error; statistics as plain log lines."""
    lines = []
    for f in report.findings:
        level = {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
        props = (f"file={_escape_property(f.path)},line={f.line},col={f.column},"
                 f"endLine={f.end_line},endColumn={f.end_column},"
                 f"title={_escape_property(f'{f.rule} {f.slug}')}")
        entry = f" [{f.entry}{' / ' + f.field if f.field else ''}]" if f.entry else ""
        lines.append(f"::{level} {props}::{_escape_data(f.message + entry)}")
    for e in report.errors:
        lines.append(f"::error file={_escape_property(e.path)}"
                     f"{',line=' + str(e.line) if e.line else ''}::{_escape_data(e.message)}")
    if statistics:
        lines += [f"{n:6d}  {rule}  {slug}" for rule, slug, n in rule_counts(report)]
    return "\n".join(lines) + ("\n" if lines else "")
