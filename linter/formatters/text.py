"""Human-readable output: 'path:line:col: RULE message', then a summary line.

One finding per line, always: a line break inside quoted text shows as '⏎', so grep,
`wc -l` and editors' problem matchers see one finding per line.  Findings whose fix
`--fix` can apply are marked '[*]', as ruff marks them.  Colours go through rich, and only
when the caller asks for them (a terminal, --color always, FORCE_COLOR).
"""

from __future__ import annotations

from ..model.wording import one_line, plural
from .counts import rule_counts

STYLES = {"error": "red", "warning": "yellow", "info": "cyan"}
FIXABLE = "[*]"


def format_report(report, *, color: bool = False, quiet: bool = False,
                  statistics: bool = False, fixed: int = 0, baseline: dict | None = None,
                  **_) -> str:
    """Render findings one per line, then statistics and the summary line (unless quiet)."""
    lines = []   # each a list of (text, style) parts
    for f in report.findings:
        where = f"{f.path}:{f.line}:{f.column}:"
        mark = f" {FIXABLE}" if f.is_problem and f.fix is not None else ""
        entry = f" [{f.entry}{' / ' + f.field if f.field else ''}]" if f.entry else ""
        lines.append([(one_line(where), "bold"), (" ", None),
                      (f.rule, STYLES[f.severity] if f.is_problem else "green"),
                      (one_line(f"{mark} {f.message}{entry}"), None)])
    if statistics:
        lines += [[(f"{n:6d}  {rule}  {slug}", None)] for rule, slug, n in rule_counts(report)]
    if not quiet:
        lines.append([(summary(report, fixed=fixed,
                               baselined=(baseline or {}).get("matched", 0)), None)])
    if not lines:
        return ""
    return (_paint(lines) if color else "\n".join("".join(t for t, _ in ln) for ln in lines)
            ) + "\n"


def summary(report, fixed: int = 0, baselined: int = 0) -> str:
    """'Found 1 problem (1 error, 0 warnings) in 1 file.' and what else happened."""
    problems = [f for f in report.findings if f.is_problem]
    errors = sum(f.severity == "error" for f in problems)
    warnings = sum(f.severity == "warning" for f in problems)
    infos = sum(f.severity == "info" for f in problems)
    counts = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    if infos:
        counts += f", {infos} info"
    parts = [f"{plural(len(problems), 'problem')} ({counts})"]
    verified = sum(f.verified for f in report.findings)
    if verified:
        parts.append(f"{verified} verified")
    if fixed:
        parts.append(f"{fixed} fixed")
    if baselined:
        parts.append(f"{baselined} baselined")
    if report.errors:
        parts.append(plural(len(report.errors), "unreadable input"))
    files = plural(report.files, "file")
    # Entries are worth counting only where a file holds several (a database); a text or
    # a model card is one entry of one file.
    if report.entries != report.files:
        files += f", {plural(report.entries, 'entry', 'entries')}"
    line = f"Found {', '.join(parts)} in {files}."
    fixable = sum(f.fix is not None for f in problems)
    if fixable:
        line += f" {FIXABLE} {fixable} fixable with --fix."
    return line


def _paint(lines: list[list[tuple[str, str | None]]]) -> str:
    """The lines with their styles as terminal escapes, rendered by rich."""
    import io

    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, no_color=False, color_system="standard",
                      width=1 << 20, soft_wrap=True, highlight=False, markup=False,
                      emoji=False)
    for parts in lines:
        text = Text()
        for chunk, style in parts:
            text.append(chunk, style=style or "")
        console.print(text)
    return buffer.getvalue().rstrip("\n")
