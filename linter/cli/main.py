"""The mclint command: parse arguments, call the core loop, print with a formatter."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from .. import __version__

from .errors import EXIT_ERROR, EXIT_OK, UsageError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mclint",
        description="Fact-check the numbers in AI model cards and model-database notes.",
        epilog="Subcommands: 'mclint rules' lists the rules, 'mclint explain MC101' explains one, "
               "'mclint claims FILE' lists what the extractor read, 'mclint check-rules DIR' "
               "runs rule files' examples, 'mclint serve' serves a page to check pasted text.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files to lint (.txt, .md, .csv, .yaml, .json, .jsonl); '-' reads stdin")
    p.add_argument("--format", choices=["text", "json", "sarif", "github", "html"],
                   default="text",
                   help="output format (default: text); html is one self-contained page that "
                        "marks every claim in place (implies --show-verified)")
    p.add_argument("--show-verified", action="store_true",
                   help="also list the claims that checked out, with their recomputation")
    p.add_argument("--select", action="append", metavar="CODES",
                   help="only these rule ids, prefixes or slugs (comma-separated, e.g. "
                        "MC1,MC201); replaces the configuration's select")
    p.add_argument("--ignore", action="append", metavar="CODES",
                   help="skip these rule ids, prefixes or slugs; adds to the configuration's "
                        "ignore")
    p.add_argument("--rules", action="append", metavar="PATH", default=[],
                   help="add a rule file, or the rule files in a folder (repeatable)")
    p.add_argument("--config", metavar="FILE",
                   help="use this configuration (pyproject.toml or .mclint.yaml)")
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("--stdin-filename", metavar="NAME", default="<stdin>",
                   help="name to report for text read from stdin")
    p.add_argument("--fix", action="store_true",
                   help="apply the fixes findings carry (rewrites the files in place)")
    p.add_argument("--diff", action="store_true", help="print the fixes as a diff, change nothing")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="lint a large file's entries in N processes (POSIX; findings and "
                        "their order are the same as with 1)")
    p.add_argument("--baseline", metavar="FILE",
                   help="report only findings not recorded in this baseline")
    p.add_argument("--write-baseline", metavar="FILE",
                   help="record the current findings as the baseline and exit 0")
    p.add_argument("--report-unused-suppressions", action="store_true",
                   help="report suppressions that no longer suppress anything")
    p.add_argument("--statistics", action="store_true", help="count problems per rule")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="no summary line and no notes on stderr")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="colour the text output (default: auto, honours NO_COLOR)")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when problems are found")
    p.add_argument("--version", action="version", version=f"mclint {__version__}")
    return p


def main(argv: list[str] | None = None) -> int:
    if argv is None:    # run as a program, not called from Python: own SIGTERM
        _on_terminate()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # A file named "rules" or "explain" can still be linted as ./rules.
        if argv[:1] == ["rules"]:
            return _cmd_rules(argv[1:])
        if argv[:1] == ["explain"]:
            return _cmd_explain(argv[1:])
        if argv[:1] == ["claims"]:
            from .inspect import cmd_claims

            return cmd_claims(argv[1:])
        if argv[:1] == ["check-rules"]:
            from .inspect import cmd_check_rules

            return cmd_check_rules(argv[1:])
        if argv[:1] == ["serve"]:
            from ..web.serve import main as serve

            return serve(argv[1:])
        return _cmd_lint(argv)
    except UsageError as exc:
        print(f"mclint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except _Terminated:
        print("mclint: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("mclint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug in mclint: say so in one line, not a traceback
        if os.environ.get("MCLINT_DEBUG"):
            raise
        print(f"mclint: internal error: {type(exc).__name__}: {exc} "
              "(set MCLINT_DEBUG=1 for the traceback, and please report it)", file=sys.stderr)
        return EXIT_ERROR


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a cancelled CI job, a killed pre-commit hook), raised as an interruption."""


def _on_terminate() -> None:
    """Let SIGTERM unwind like Ctrl-C, so --fix removes its temporary file on the way out."""
    def handler(signum, frame):
        raise _Terminated()

    try:
        signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):     # not the main thread, or no SIGTERM on this system
        pass


def _load_rules(extra: list[str]):
    from ..ruleset.load import RuleError, load_rules

    try:
        return load_rules(tuple(extra))
    except RuleError as exc:
        raise UsageError(str(exc)) from None


def _cmd_rules(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="mclint rules", description="List the rules.")
    p.add_argument("--rules", action="append", metavar="PATH", default=[])
    args = p.parse_args(argv)
    for r in _load_rules(args.rules):
        print(f"{r.id}  {r.slug:<28} {r.severity:<8} {r.summary}")
    return EXIT_OK


def _cmd_explain(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="mclint explain", description="Explain one rule.")
    p.add_argument("rule", help="rule id (MC101) or slug")
    p.add_argument("--rules", action="append", metavar="PATH", default=[])
    args = p.parse_args(argv)
    rules = [r for r in _load_rules(args.rules) if args.rule in (r.id, r.slug)]
    if not rules:
        raise UsageError(f"no rule {args.rule!r} (see 'mclint rules')")
    from ..ruleset.explain import explain

    print(explain(rules[0]))
    return EXIT_OK


def _cmd_lint(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.format == "html":       # the report shows every claim checked, in place
        args.show_verified = True
    from .run import run

    return run(args)
