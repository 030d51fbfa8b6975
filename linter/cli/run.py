"""Run a lint from parsed command-line arguments: settings, input, output, exit code.

Files are grouped by the configuration that governs them (the nearest one, --config,
or none with --isolated); each group gets its own Settings.  After the core loop:
unused suppressions, per-file ignores, fixes, the baseline, then one formatter.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..post import baseline as baseline_mod
from ..post import fix as fix_mod
from .main import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, UsageError, _codes, _load_rules
from ..config import Config, ConfigError, code_matches, find_config, load_config
from ..pipeline import Report, Settings, lint_text, read_bytes
from ..model.findings import Finding
from ..formatters import FORMATS
from ..quantities.hardware import load_hardware
from ..readers import InputError, decode
from ..ruleset.load import select
from ..post.suppress import UNUSED_RULE, Suppressor


@dataclass
class Group:
    """Inputs governed by one configuration."""

    config: Config | None
    paths: list[str] = field(default_factory=list)


def run(args) -> int:
    """Lint what the arguments name, print the report, and return the exit code."""
    _check_args(args)
    paths = _inputs(args)
    known = _load_baseline(args.baseline) if args.baseline and not args.write_baseline else None
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    report, rules, snapshots = Report(), {}, {}
    for group in _groups(paths, args):
        part, group_rules = _lint_group(group, args, stdin, snapshots)
        _merge(report, part)
        for r in group_rules:
            rules.setdefault(r.id, r)
    if args.report_unused_suppressions:
        rules.setdefault(UNUSED_RULE.id, UNUSED_RULE)
    report.findings.sort(key=Finding.sort_key)

    if args.diff:
        return _print_diffs(report, snapshots, args)
    fixed = _apply_fixes(report, snapshots) if args.fix else 0
    if args.write_baseline:
        return _write_baseline(report, args)
    baseline = None
    if known is not None:
        linted = [p for p in paths if p != "-"] + ([args.stdin_filename] if stdin else [])
        baseline = _apply_baseline(report, known, linted, args)
    out = FORMATS[args.format](report, color=_use_color(args.color), quiet=args.quiet,
                               statistics=args.statistics, rules=tuple(rules.values()),
                               fixed=fixed, baseline=baseline)
    sys.stdout.write(out)
    sys.stdout.flush()
    return _exit_code(report, args)


def _merge(report: Report, part: Report) -> None:
    report.findings += part.findings
    report.errors += part.errors
    report.files += part.files
    report.entries += part.entries
    report.checked += part.checked


def _check_args(args) -> None:
    if args.config and args.isolated:
        raise UsageError("--config and --isolated cannot be used together")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.write_baseline and (args.fix or args.diff):
        raise UsageError("--write-baseline cannot be combined with --fix or --diff")


def _inputs(args) -> list[str]:
    paths = list(dict.fromkeys(args.paths))
    if not paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no input: give file paths, or '-' to read stdin")
        paths = ["-"]
    if "-" in paths and args.fix and not args.diff:
        raise UsageError("--fix cannot rewrite stdin; use --diff to see the fixes")
    return paths


def _groups(paths: list[str], args) -> list[Group]:
    """Group inputs by the configuration that governs each (stdin: the one from cwd)."""
    try:
        if args.isolated:
            return [Group(None, paths)]
        if args.config:
            return [Group(load_config(args.config), paths)]
        groups: dict[str, Group] = {}
        cache: dict = {}
        for path in paths:
            start = os.getcwd() if path == "-" else os.path.dirname(os.path.abspath(path))
            config = find_config(start, cache)
            key = config.path if config else ""
            groups.setdefault(key, Group(config)).paths.append(path)
        return list(groups.values())
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _settings(config: Config | None, args) -> tuple[Settings, Suppressor]:
    """Build the rules, options and suppressions for inputs under one configuration."""
    cfg = config or Config()
    try:
        known = cfg.apply_tolerance(_load_rules(list(args.rules) + list(cfg.rules)))
        cfg.check_codes(known + (UNUSED_RULE,))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    cli_select, cli_ignore = _codes(args.select), _codes(args.ignore)
    for flag, codes in (("--select", cli_select), ("--ignore", cli_ignore)):
        for code in codes:
            if not any(code_matches(code, r.id, r.slug) for r in known + (UNUSED_RULE,)):
                raise UsageError(f"{flag}: {code!r} matches no rule (see 'mclint rules')")
    # --select replaces the configuration's select; --ignore adds to its ignore.
    rules = select(known, cli_select or list(cfg.select or ()), list(cfg.ignore) + cli_ignore)
    suppressor = Suppressor(rules=rules, known=known, config=config)
    # Used suppressions are counted in this process: --report-unused-suppressions
    # needs every entry linted here, so it runs on one process.
    jobs = 1 if args.report_unused_suppressions else args.jobs
    settings = Settings(rules=rules, hardware=load_hardware(),
                        show_verified=args.show_verified or bool(cfg.show_verified),
                        config=config, suppress=suppressor, jobs=jobs,
                        progress=not args.quiet)
    return settings, suppressor


def _lint_group(group: Group, args, stdin: bytes | None, snapshots: dict) -> tuple[Report, tuple]:
    """Lint one group's inputs; return its report and the rules it ran."""
    settings, suppressor = _settings(group.config, args)
    report = Report()
    files = [p for p in group.paths if p != "-"]
    if "-" in group.paths:
        _lint_snapshot(lambda: stdin, args.stdin_filename, settings, report, snapshots)
    # With --fix or --diff, keep the bytes that were linted, to fix exactly those.
    keep = snapshots if args.fix or args.diff else None
    for path in files:
        _lint_snapshot(lambda p=path: read_bytes(p), path, settings, report, keep)
    if args.report_unused_suppressions:
        report.findings += suppressor.unused()
    if group.config is not None and group.config.per_file_ignores:
        report.findings = [f for f in report.findings if not any(
            code_matches(c, f.rule, f.slug) for c in group.config.ignored_codes(f.path))]
    return report, settings.rules


def _lint_snapshot(read, path: str, settings: Settings, report: Report,
                   snapshots: dict | None) -> None:
    """Lint one input; an input it cannot read, or a bug it hits, stops only this input."""
    try:
        data = read()
        text = decode(data, path)
    except InputError as exc:
        report.errors.append(exc)
        return
    if snapshots is not None:
        snapshots[path] = fix_mod.Snapshot(path, data, text)
    part = Report()
    try:
        lint_text(text, path, settings, part)
    except InputError as exc:
        report.errors.append(exc)
        return
    except RecursionError as exc:   # deeply nested input that some stage walks recursively
        report.errors.append(InputError(path, f"input nested too deeply to lint ({exc})"))
        return
    except Exception as exc:        # a bug in mclint: report it, and lint the other inputs
        if os.environ.get("MCLINT_DEBUG"):
            raise
        report.errors.append(InputError(
            path, f"internal error while linting: {type(exc).__name__}: {str(exc)[:300]} "
                  "(set MCLINT_DEBUG=1 for the traceback, and please report it)"))
        return
    _merge(report, part)


def _by_path(report: Report) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in report.findings:
        if not f.verified and f.fix is not None:
            out.setdefault(f.path, []).append(f)
    return out


def _apply_fixes(report: Report, snapshots: dict) -> int:
    """Write the fixes; fixed findings leave the report.  Returns how many were fixed."""
    done: set[int] = set()
    for path, findings in _by_path(report).items():
        outcome = fix_mod.plan(snapshots[path], findings)
        if not outcome.changed:
            continue
        try:
            fix_mod.write(snapshots[path], outcome.new)
        except fix_mod.FixError as exc:
            report.errors.append(InputError(path, str(exc)))
            continue
        done |= {id(f) for f in outcome.fixed}
    report.findings = [f for f in report.findings if id(f) not in done]
    return len(done)


def _print_diffs(report: Report, snapshots: dict, args) -> int:
    """--diff: print what --fix would change, write nothing."""
    fixable = files = 0
    for path, findings in _by_path(report).items():
        outcome = fix_mod.plan(snapshots[path], findings)
        if outcome.changed:
            sys.stdout.write(fix_mod.unified_diff(outcome))
            fixable += len(outcome.fixed)
            files += 1
    sys.stdout.flush()
    for err in report.errors:
        _say(str(err))
    if not args.quiet:
        _say(f"Would fix {fixable} problem{'s' * (fixable != 1)} in {files} "
             f"file{'s' * (files != 1)}." if fixable else "No fixes available.")
    if report.errors:
        return EXIT_ERROR
    return EXIT_PROBLEMS if fixable and not args.exit_zero else EXIT_OK


def _apply_baseline(report: Report, known, linted: list[str], args) -> dict:
    """Drop the problems the baseline knows; say which recorded ones are gone."""
    root = Path(args.baseline).resolve().parent
    before = len(report.findings)
    report.findings, gone = baseline_mod.apply(report.findings, known, root, linted)
    if args.format != "json" and gone and not args.quiet:
        _say(f"{sum(i.count for i in gone)} baseline finding(s) no longer occur; "
             f"update the baseline with --write-baseline {args.baseline}")
        for item in gone:
            where = f" [{item.entry}{' / ' + item.field if item.field else ''}]" \
                if item.entry else ""
            times = f" (x{item.count})" if item.count > 1 else ""
            _say(f"  gone: {item.path}{where} {item.rule} {item.text!r}{times}")
    return {"file": args.baseline, "matched": before - len(report.findings),
            "fixed": [item.to_dict() for item in gone]}


def _load_baseline(path: str):
    try:
        return baseline_mod.load(path)
    except baseline_mod.BaselineError as exc:
        raise UsageError(str(exc)) from None


def _write_baseline(report: Report, args) -> int:
    """--write-baseline: record today's problems; refuse if some input was unreadable."""
    if report.errors:
        for err in report.errors:
            _say(str(err))
        _say(f"baseline not written: {len(report.errors)} input(s) could not be read")
        return EXIT_ERROR
    root = Path(args.write_baseline).resolve().parent
    text = baseline_mod.dumps(report.findings, root)
    try:
        fix_mod.atomic_write(args.write_baseline, text.encode("utf-8"))
    except fix_mod.FixError as exc:
        raise UsageError(f"{args.write_baseline}: {exc}") from None
    if not args.quiet:
        n = sum(not f.verified for f in report.findings)
        _say(f"recorded {n} problem{'s' * (n != 1)} in {args.write_baseline}")
    return EXIT_OK


def _exit_code(report: Report, args) -> int:
    if report.errors:
        if args.format != "text":
            for err in report.errors:
                _say(str(err))
        return EXIT_ERROR
    if any(not f.verified for f in report.findings) and not args.exit_zero:
        return EXIT_PROBLEMS
    return EXIT_OK


def _say(message: str) -> None:
    print(f"mclint: {message}", file=sys.stderr)


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
