"""Run a lint from parsed command-line arguments: settings, input, output, exit code."""

from __future__ import annotations

import os
import sys

from .cli import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, UsageError, _codes, _load_rules
from .core import Report, Settings, lint_paths, lint_text
from .formatters import FORMATS, register_sarif
from .hardware import load_hardware
from .readers import InputError, decode
from .rules import select


def run(args) -> int:
    rules = select(_load_rules(args.rules), _codes(args.select), _codes(args.ignore))
    settings = Settings(rules=rules, hardware=load_hardware(), show_verified=args.show_verified)
    paths = list(args.paths)
    if not paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no input: give file paths, or '-' to read stdin")
        paths = ["-"]
    report = Report()
    files = [p for p in paths if p != "-"]
    if "-" in paths:
        data = sys.stdin.buffer.read()
        try:
            lint_text(decode(data, args.stdin_filename), args.stdin_filename, settings, report)
        except InputError as exc:
            report.errors.append(exc)
    if files:
        file_report = lint_paths(files, settings)
        report.findings += file_report.findings
        report.errors += file_report.errors
        report.files += file_report.files
        report.entries += file_report.entries
    if args.format == "sarif":
        register_sarif()
    color = _use_color(args.color)
    out = FORMATS[args.format](report, color=color, quiet=args.quiet, statistics=args.statistics,
                               rules=rules)
    sys.stdout.write(out)
    sys.stdout.flush()
    if report.errors:
        for err in report.errors:
            if args.format != "text":
                print(f"mclint: {err}", file=sys.stderr)
        return EXIT_ERROR
    if any(not f.verified for f in report.findings) and not args.exit_zero:
        return EXIT_PROBLEMS
    return EXIT_OK


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
