"""'mclint PATH...': turn arguments into pipeline options, run it, act on the report, print.

The pipeline (linter.pipeline) does all the checking; this module only chooses the
inputs, applies fixes or writes a baseline when asked, picks a formatter and decides the
exit code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import pipeline
from ..config import FAIL_ON, ConfigError, find_config, load_config
from ..formatters import write
from ..model.findings import Finding
from ..model.wording import plural
from .errors import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, UsageError
from .files import SUFFIXES, Excludes, Finder

HELP = "(see 'mclint --help')"


def codes(values: list[str] | None) -> tuple[str, ...]:
    """Rule codes from repeatable, comma-separated flags."""
    out: list[str] = []
    for v in values or []:
        out += [c.strip() for c in v.split(",") if c.strip()]
    return tuple(out)


def per_file_ignores(values: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """--per-file-ignores GLOB:CODES flags as (glob, codes) pairs."""
    out = []
    for value in values:
        glob, sep, rest = value.rpartition(":")
        if not sep or not glob.strip() or not codes([rest]):
            raise UsageError(f"--per-file-ignores: expected GLOB:CODES such as 'drafts/*:MC1', "
                             f"got {value!r} {HELP}")
        out.append((glob.strip(), codes([rest])))
    return tuple(out)


def options_from(args) -> pipeline.Options:
    """The pipeline options the command line's arguments ask for."""
    return pipeline.Options(
        select=codes(args.select), extend_select=codes(args.extend_select),
        ignore=codes(args.ignore), per_file_ignores=per_file_ignores(args.per_file_ignores),
        rules=tuple(args.rules),
        config=args.config, isolated=args.isolated, show_verified=args.show_verified,
        report_unused_suppressions=args.report_unused_suppressions,
        stdin_filename=args.stdin_filename,
        baseline=args.baseline if args.baseline and not args.write_baseline else None,
        jobs=args.jobs,
        show_claims=args.format == "html",      # the report marks the numbers not checked
        keep_text=bool(args.fix or args.diff) or args.format == "html",
    )


def run(args) -> int:
    """Lint what the arguments name, print the report, and return the exit code."""
    _check_args(args)
    inputs = _inputs(args)
    options = options_from(args)
    try:
        report = pipeline.run(inputs, options, progress=_progress(args))
    except pipeline.UsageError as exc:
        raise UsageError(str(exc)) from None
    if args.diff:
        return _print_diffs(report, args)
    fixed = _apply_fixes(report) if args.fix else 0
    if args.write_baseline:
        return _write_baseline(report, args)
    if report.baseline is not None:
        _say_gone(report.baseline, args)
    _say_errors(report)
    write(args.format, report, sys.stdout, color=_use_color(args.color), quiet=args.quiet,
          statistics=args.statistics, rules=report.rules, fixed=fixed, baseline=report.baseline)
    sys.stdout.flush()
    return _exit_code(report, args)


def _check_args(args) -> None:
    if args.config and args.isolated:
        raise UsageError(f"--config and --isolated cannot be used together {HELP}")
    if args.jobs < 0:
        raise UsageError(f"--jobs must be 0 (one per core) or more {HELP}")
    if args.write_baseline and (args.fix or args.diff):
        raise UsageError(f"--write-baseline cannot be combined with --fix or --diff {HELP}")


def _inputs(args) -> list[pipeline.Input]:
    """The inputs the paths name: folders walked, '-' read from stdin (only when named)."""
    named = list(dict.fromkeys(args.paths)) or ["."]
    if "-" in named and args.fix and not args.diff:
        raise UsageError("--fix cannot rewrite stdin; use --diff to see the fixes")
    finder = Finder(_excludes_for(args), force_exclude=args.force_exclude)
    paths = finder.expand(named)
    if not paths and finder.force_excluded:
        # pre-commit named only excluded files: nothing to do is the configuration's wish.
        if not args.quiet:
            _say(f"nothing to lint: {plural(len(finder.force_excluded), 'file')} named, all "
                 "excluded (--force-exclude)")
        return []
    if not paths:
        where = " ".join(named)
        raise UsageError(f"no files to lint in {where} (searched for {' '.join(SUFFIXES)}, "
                         f"leaving out excluded and git-ignored files) {HELP}")
    return [pipeline.Input(args.stdin_filename, sys.stdin.buffer.read()) if p == "-"
            else pipeline.Input(p) for p in paths]


def _excludes_for(args):
    """folder -> the Excludes of the configuration that governs it (as the pipeline finds
    it), with --exclude and --extend-exclude on top."""
    exclude = codes(args.exclude) if args.exclude is not None else None
    extend = codes(args.extend_exclude)
    try:
        fixed = None if args.isolated or not args.config else load_config(args.config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    cache: dict = {}
    made: dict = {}

    def excludes_for(folder: str) -> Excludes:
        try:
            config = fixed if args.isolated or args.config else find_config(folder, cache)
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
        key = config.path if config is not None else ""
        if key not in made:
            made[key] = Excludes.of(config, exclude, extend)
        return made[key]

    return excludes_for


def _progress(args):
    """A progress callback for long runs on a terminal, or None."""
    if args.quiet or not sys.stderr.isatty():
        return None
    from .progress import Progress

    return Progress()


def _by_path(report: pipeline.Report) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.is_problem and f.fix is not None and f.path in report.snapshots:
            out.setdefault(f.path, []).append(f)
    return out


def _apply_fixes(report: pipeline.Report) -> int:
    """Write the fixes; fixed findings leave the report.  Returns how many were fixed."""
    from ..post import fix as fix_mod

    done: set[int] = set()
    for path, findings in _by_path(report).items():
        outcome = fix_mod.plan(report.snapshots[path], findings)
        if not outcome.changed:
            continue
        try:
            fix_mod.write(report.snapshots[path], outcome.new)
        except fix_mod.FixError as exc:
            report.errors.append(pipeline.InputError(path, str(exc)))
            continue
        done |= {id(f) for f in outcome.fixed}
    report.findings = [f for f in report.findings if id(f) not in done]
    return len(done)


def _print_diffs(report: pipeline.Report, args) -> int:
    """--diff: print what --fix would change, write nothing."""
    from ..post import fix as fix_mod

    fixable = files = 0
    for path, findings in _by_path(report).items():
        outcome = fix_mod.plan(report.snapshots[path], findings)
        if outcome.changed:
            sys.stdout.write(fix_mod.unified_diff(outcome))
            fixable += len(outcome.fixed)
            files += 1
    sys.stdout.flush()
    _say_errors(report)
    if not args.quiet:
        _say(f"Would fix {plural(fixable, 'problem')} in {plural(files, 'file')}."
             if fixable else "No fixes available.")
    if report.errors:
        return EXIT_ERROR
    return EXIT_PROBLEMS if fixable and not args.exit_zero else EXIT_OK


def _say_gone(baseline: dict, args) -> None:
    """Tell which recorded problems no longer occur, so the baseline can shrink."""
    gone = baseline["fixed"]
    if args.format == "json" or not gone or args.quiet:
        return
    _say(f"{sum(i['count'] for i in gone)} baseline finding(s) no longer occur; "
         f"update the baseline with --write-baseline {args.baseline}")
    for item in gone:
        where = f" [{item['entry']}{' / ' + item['field'] if item['field'] else ''}]" \
            if item["entry"] else ""
        times = f" (x{item['count']})" if item["count"] > 1 else ""
        _say(f"  gone: {item['path']}{where} {item['rule']} {item['text']!r}{times}")


def _write_baseline(report: pipeline.Report, args) -> int:
    """--write-baseline: record today's problems; refuse if some input was unreadable."""
    from ..post import baseline as baseline_mod
    from ..post import fix as fix_mod

    if report.errors:
        _say_errors(report)
        _say(f"baseline not written: {len(report.errors)} input(s) could not be read")
        return EXIT_ERROR
    root = Path(args.write_baseline).resolve().parent
    text = baseline_mod.dumps(report.findings, root)
    try:
        fix_mod.atomic_write(args.write_baseline, text.encode("utf-8"))
    except fix_mod.FixError as exc:
        raise UsageError(f"{args.write_baseline}: {exc}") from None
    if not args.quiet:
        n = sum(f.is_problem for f in report.findings)
        _say(f"recorded {plural(n, 'problem')} in {args.write_baseline}")
    return EXIT_OK


def _exit_code(report: pipeline.Report, args) -> int:
    if report.errors:
        return EXIT_ERROR
    if not args.exit_zero and any(fails(f, report, args.fail_on) for f in report.findings):
        return EXIT_PROBLEMS
    return EXIT_OK


def fails(f: Finding, report: pipeline.Report, fail_on: str | None) -> bool:
    """Whether a finding fails the run: a problem at or above the fail-on severity (the
    flag's, else the configuration's that governs its file, else warning)."""
    level = fail_on or report.fail_on.get(f.path) or "warning"
    return f.is_problem and FAIL_ON.index(f.severity) <= FAIL_ON.index(level)


def _say(message: str) -> None:
    print(f"mclint: {message}", file=sys.stderr)


def _say_errors(report: pipeline.Report) -> None:
    """Inputs that could not be read, on stderr in every format (exit code 2)."""
    for err in report.errors:
        _say(f"error: {err}")


def _use_color(choice: str) -> bool:
    """--color, then NO_COLOR and FORCE_COLOR (https://no-color.org, https://force-color.org),
    then whether stdout is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()
