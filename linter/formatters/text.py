"""Human-readable output: 'path:line:col: RULE message', then a summary line."""

from __future__ import annotations

from .counts import rule_counts

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
BOLD, RESET = "\033[1m", "\033[0m"


def format_report(report, *, color: bool = False, quiet: bool = False,
                  statistics: bool = False, fixed: int = 0, baseline: dict | None = None,
                  **_) -> str:
    """Render findings one per line, then statistics and the summary line (unless quiet)."""
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
        for rule, slug, n in rule_counts(report):
            lines.append(f"{n:6d}  {rule}  {slug}")
    if not quiet:
        lines.append(summary(report, fixed=fixed,
                             baselined=(baseline or {}).get("matched", 0)))
    return "\n".join(lines) + ("\n" if lines else "")


def summary(report, fixed: int = 0, baselined: int = 0) -> str:
    """'Found 1 problem (1 error, 0 warnings) in 1 file.' and what else happened."""
    problems = [f for f in report.findings if f.is_problem]
    errors = sum(f.severity == "error" for f in problems)
    warnings = sum(f.severity == "warning" for f in problems)
    verified = sum(f.verified for f in report.findings)
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    parts = [f"{len(problems)} problem{'s' * (len(problems) != 1)} ({counts})"]
    if verified:
        parts.append(f"{verified} verified")
    if fixed:
        parts.append(f"{fixed} fixed")
    if baselined:
        parts.append(f"{baselined} baselined")
    if report.errors:
        parts.append(f"{len(report.errors)} unreadable input{'s' * (len(report.errors) != 1)}")
    files = f"{report.files} file{'s' * (report.files != 1)}"
    if report.entries != report.files:
        files += f", {report.entries} entries"
    return f"Found {', '.join(parts)} in {files}."
