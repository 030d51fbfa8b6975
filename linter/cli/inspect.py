"""Subcommands for rule authors: `mclint claims FILE` and `mclint check-rules DIR`.

`claims` prints what the extractor bound in a file (value, unit, kind, role, position), so
that an author sees which roles a note offers before writing a formula over them, as Vale's
`ls-metrics` does.  `check-rules` runs the examples of the rule files in a folder exactly as
mclint's own rule examples are tested (sqlfluff's rule cases): each pass example must give
no problem, each fail example exactly the one it describes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..pipeline import UsageError
from .errors import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS

CLAIM_COLUMNS = ("where", "text", "value", "unit", "kind", "role", "notes")


def cmd_claims(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="mclint claims",
        description="List the numbers the extractor found in files, with the unit, kind and "
                    "role it bound to each (what rule formulas can name).")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to read ('-' for stdin)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--rules", action="append", metavar="PATH", default=[],
                   help="rule files or folders whose roles and keywords to add")
    p.add_argument("--stdin-filename", metavar="NAME", help="how to read stdin (notes.md)")
    args = p.parse_args(argv)
    from .. import lint

    claims = []
    for path in args.paths:
        if path == "-":
            out = lint(sys.stdin.read(), filename=args.stdin_filename, isolated=True,
                       rules=args.rules, show_claims=True)
        else:
            out = lint(Path(path), isolated=True, rules=args.rules, show_claims=True)
        for err in out["errors"]:
            print(f"mclint: {err['path']}:{err['line']}:{err['column']}: {err['message']}",
                  file=sys.stderr)
        if out["errors"]:
            return EXIT_ERROR
        claims += out["claims"]
    if args.format == "json":
        json.dump(claims, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return EXIT_OK
    rows = [_row(c) for c in claims]
    widths = [max([len(h)] + [len(r[k]) for r in rows]) for k, h in enumerate(CLAIM_COLUMNS)]
    widths[1] = min(widths[1], 40)
    print("  ".join(h.ljust(w) for h, w in zip(CLAIM_COLUMNS, widths)).rstrip())
    for r in rows:
        cells = [r[0], r[1][:40]] + list(r[2:])
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    print(f"{len(rows)} claim{'s' if len(rows) != 1 else ''}")
    return EXIT_OK


def _row(c: dict) -> list[str]:
    from ..model.numbers import fmt

    where = f"{c['path']}:{c['line']}:{c['column']}"
    if c["entry"] is not None and c["field"]:
        where += f" [{c['entry']} / {c['field']}]"
    notes = [x for x in (c.get("hedge") and f"hedged {c['hedge']!r}",
                         c.get("bound") and f"{c['bound']} bound",
                         c.get("range_high") is not None and f"range to {fmt(c['range_high'])}",
                         c.get("concluded") and "concluded",
                         c.get("chip") and f"chip {c['chip']}",
                         c.get("unknown_unit") and f"unknown unit {c['unknown_unit']!r}")
             if x]
    return [where, " ".join(c["text"].split()), fmt(c["value"]), c["unit"] or "-",
            c["kind"] or "-", c["role"] or "-", ", ".join(notes)]


def cmd_check_rules(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="mclint check-rules",
        description="Run the examples of rule files: each 'pass' example must give no "
                    "problem, each 'fail' example exactly the finding it describes.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="rule files or folders")
    p.add_argument("-q", "--quiet", action="store_true", help="print failures only")
    args = p.parse_args(argv)
    from ..ruleset.cases import run_cases
    from ..ruleset.load import RuleError, builtin_rules_dir, load_rule_file, load_rules, rule_files

    builtin = builtin_rules_dir().resolve()
    try:
        extra = [p for p in args.paths if Path(p).resolve() != builtin
                 and Path(p).resolve().parent != builtin]
        known = load_rules(tuple(extra))
        mine = []
        for path in args.paths:
            target = Path(path)
            if not target.exists():
                raise UsageError(f"{path}: no such rule file or folder")
            files = rule_files(target) if target.is_dir() else [target]
            for f in files:
                mine += load_rule_file(f)
    except RuleError as exc:
        raise UsageError(str(exc)) from None
    ids = {r.id for r in mine}
    results = run_cases([r for r in known if r.id in ids], known)
    failed = [r for r in results if not r.ok]
    for r in results:
        if r.ok and args.quiet:
            continue
        mark = "ok  " if r.ok else "FAIL"
        print(f"{mark} {r.rule} {r.which} example {r.index + 1}: {' '.join(r.text.split())[:70]}")
        for problem in r.problems:
            print(f"       {problem}")
    print(f"{len(results)} example{'s' if len(results) != 1 else ''} of {len(ids)} "
          f"rule{'s' if len(ids) != 1 else ''}: {len(results) - len(failed)} passed, "
          f"{len(failed)} failed")
    return EXIT_PROBLEMS if failed else EXIT_OK
