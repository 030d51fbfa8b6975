"""The mclint command: parse arguments, call the core loop, print with a formatter."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from .. import __version__
from ..formatters import NAMES
from ..parallel import PARALLEL_ENTRIES
from .errors import EXIT_ERROR, EXIT_OK, UsageError


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error told in one line and a hint instead of the usage block."""

    def error(self, message: str):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="mclint",
        description="Fact-check the numbers in AI model cards and model-database notes.",
        epilog="Subcommands: 'mclint rules' lists the rules, 'mclint explain MC101' explains one, "
               "'mclint claims FILE' lists what the extractor read, 'mclint check-rules DIR' "
               "runs rule files' examples, 'mclint serve' serves a page to check pasted text.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files and folders to lint (default: the working folder); folders are "
                        "searched for .txt .md .markdown .csv .tsv .yaml .yml .json .jsonl "
                        ".ndjson files, leaving out what git ignores and what is excluded; "
                        "'-' reads stdin")
    p.add_argument("--output-format", "--format", dest="format",
                   choices=list(NAMES), default="text",
                   help="output format (default: text); html is one self-contained page that "
                        "marks every claim in place (implies --show-verified)")
    p.add_argument("--show-verified", action="store_true",
                   help="also list the claims that checked out, with their recomputation")
    p.add_argument("--select", action="append", metavar="CODES",
                   help="only these rule ids, prefixes or slugs (comma-separated, e.g. "
                        "MC1,MC201); replaces the configuration's select")
    p.add_argument("--extend-select", action="append", metavar="CODES",
                   help="also these rules, on top of the selection")
    p.add_argument("--ignore", action="append", metavar="CODES",
                   help="skip these rule ids, prefixes or slugs; adds to the configuration's "
                        "ignore")
    p.add_argument("--per-file-ignores", action="append", metavar="GLOB:CODES", default=[],
                   help="skip these rules in the files a glob matches, e.g. 'drafts/*:MC1' "
                        "(repeatable; adds to the configuration's)")
    p.add_argument("--exclude", action="append", metavar="GLOBS",
                   help="files and folders not to search for (comma-separated globs); "
                        "replaces the configuration's exclude")
    p.add_argument("--extend-exclude", action="append", metavar="GLOBS",
                   help="more files and folders not to search for")
    p.add_argument("--force-exclude", action="store_true",
                   help="apply the excludes to files named on the command line too "
                        "(for pre-commit)")
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
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                   help="processes for a large database (POSIX); 0, the default, is one per "
                        f"core; a file of fewer than {PARALLEL_ENTRIES} entries uses one")
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
                   help="colour the text output (default: auto: a terminal, or FORCE_COLOR; "
                        "never with NO_COLOR)")
    p.add_argument("--fail-on", choices=["error", "warning", "info"],
                   help="exit 1 only for problems of this severity or above "
                        "(default: the configuration's fail-on, else warning)")
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
            from .. import startup
            from ..web.serve import main as serve

            startup.resume()        # a server runs for long: collect as usual

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
    """Every rule: the rule files' and the built-in directive rules (MC000, MC001)."""
    from ..post.suppress import BUILTIN_RULES
    from ..ruleset.load import RuleError, load_rules

    try:
        return tuple(sorted(load_rules(tuple(extra)) + BUILTIN_RULES, key=lambda r: r.id))
    except RuleError as exc:
        raise UsageError(str(exc)) from None


def _cmd_rules(argv: list[str]) -> int:
    p = Parser(prog="mclint rules", description="List the rules.")
    p.add_argument("--rules", action="append", metavar="PATH", default=[])
    args = p.parse_args(argv)
    for r in _load_rules(args.rules):
        print(f"{r.id}  {r.slug:<28} {r.severity:<8} {r.summary}")
    return EXIT_OK


def _cmd_explain(argv: list[str]) -> int:
    p = Parser(prog="mclint explain", description="Explain one rule.")
    p.add_argument("rule", help="rule id (MC101) or slug, in any case")
    p.add_argument("--rules", action="append", metavar="PATH", default=[])
    args = p.parse_args(argv)
    wanted = args.rule.strip().lower()
    rules = [r for r in _load_rules(args.rules) if wanted in (r.id.lower(), r.slug.lower())]
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
