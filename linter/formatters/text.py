"""Human-readable output: 'path:line:col: RULE message', then a summary line."""

from __future__ import annotations

from collections import Counter

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
BOLD, RESET = "\033[1m", "\033[0m"


def format_report(report, *, color: bool = False, quiet: bool = False,
                  statistics: bool = False, **_) -> str:
    lines = []
    for f in report.findings:
        code = f"{COLORS[f.severity]}{f.rule}{RESET}" if color else f.rule
        where = f"{f.path}:{f.line}:{f.column}:"
        if color:
            where = f"{BOLD}{where}{RESET}"
        entry = f" [{f.entry}{' / ' + f.field if f.field else ''}]" if f.entry else ""
        lines.append(f"{where} {code} {f.message}{entry}")
    for err in report.errors:
        lines.append(f"{err} (input error)")
    if statistics:
        counts = Counter((f.rule, f.slug) for f in report.findings if not f.verified)
        for (rule, slug), n in sorted(counts.items()):
            lines.append(f"{n:6d}  {rule}  {slug}")
    if not quiet:
        lines.append(summary(report))
    return "\n".join(lines) + ("\n" if lines else "")


def summary(report) -> str:
    problems = [f for f in report.findings if not f.verified]
    errors = sum(f.severity == "error" for f in problems)
    warnings = sum(f.severity == "warning" for f in problems)
    verified = sum(f.verified for f in report.findings)
    parts = [f"{len(problems)} problem{'s' * (len(problems) != 1)}"
             f" ({errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)})"]
    if verified:
        parts.append(f"{verified} verified")
    if report.errors:
        parts.append(f"{len(report.errors)} unreadable input{'s' * (len(report.errors) != 1)}")
    files = f"{report.files} file{'s' * (report.files != 1)}"
    if report.entries != report.files:
        files += f", {report.entries} entries"
    return f"Found {', '.join(parts)} in {files}."
