"""SARIF 2.1.0 for GitHub code scanning: the rules in tool.driver, one result per finding."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from .counts import rule_counts

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FALLBACK_URI = "https://pypi.org/project/mclint/"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "mclint/v1"


def format_report(report, *, rules=(), statistics: bool = False, **_) -> str:
    """Render the report as a SARIF log with one run."""
    descriptors = [_rule(r) for r in rules]
    index = {r.id: i for i, r in enumerate(rules)}
    for f in report.findings:   # a finding of a rule the caller did not list still resolves
        if f.rule not in index:
            index[f.rule] = len(descriptors)
            descriptors.append({"id": f.rule, "name": f.slug,
                                "shortDescription": {"text": f.slug or f.rule}})
    seen: Counter = Counter()
    results = [_result(f, index[f.rule], seen) for f in report.findings]
    run = {
        "tool": {"driver": {
            "name": "mclint", "version": __version__, "semanticVersion": __version__,
            "informationUri": information_uri(), "rules": descriptors,
        }},
        "invocations": [_invocation(report)],
        "columnKind": "unicodeCodePoints",   # columns count characters, as in text output
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
        "results": results,
    }
    if statistics:
        run["properties"] = {"statistics": {rule: n for rule, _, n in rule_counts(report)}}
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def information_uri() -> str:
    """Return the project's home page from the installed metadata, if it names one."""
    from importlib import metadata

    try:
        urls = metadata.metadata("mclint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "repository", "source") and url.strip():
            return url.strip()
    return FALLBACK_URI


def _rule(rule) -> dict:
    from ..ruleset.explain import explain

    return {
        "id": rule.id,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description},
        # explain() ends with where the rule file is on this machine: not for a SARIF log.
        "help": {"text": explain(rule, source_path=False)
                 if rule.examples else rule.description},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["correctness"], "kind": rule.kind},
    }


def _result(f, rule_index: int, seen: Counter) -> dict:
    result = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "kind": {"verified": "pass", "skipped": "notApplicable"}.get(f.status, "fail"),
        "level": LEVELS[f.severity] if f.is_problem else "none",
        "message": {"text": f.message},
        "locations": [_location(f.path, f.line, f.column, f.end_line, f.end_column)],
        "partialFingerprints": {FINGERPRINT: _fingerprint(f, seen)},
    }
    props = {k: v for k, v in (("entry", f.entry), ("field", f.field)) if v is not None}
    if props:
        result["properties"] = props
    return result


def _fingerprint(f, seen: Counter) -> str:
    """Stable across edits elsewhere: rule, file, entry, field and claim text, not line.

    A second equal claim in the same place gets ':2' (as GitHub's own line hashes do).
    """
    ident = "\x1f".join([f.rule, uri(f.path), f.entry or "", f.field or "", f.text])
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:32]
    seen[digest] += 1
    return f"{digest}:{seen[digest]}"


def uri(path: str) -> str:
    """Turn a path into an escaped URI reference, relative to the working folder when inside it."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            return p.resolve().as_uri()
    rel = os.path.normpath(p).replace(os.sep, "/")
    return quote(rel, safe="/")


def _location(path: str, line: int, column: int, end_line: int, end_column: int) -> dict:
    artifact = {"uri": uri(path)}
    if not artifact["uri"].startswith("file:"):
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict = {"artifactLocation": artifact}
    if line >= 1:
        region = {"startLine": line, "startColumn": max(column, 1)}
        if end_line >= line:
            region["endLine"] = end_line
            end_col = max(end_column, 1)
            same_line = end_line == line
            region["endColumn"] = max(end_col, region["startColumn"]) if same_line else end_col
        physical["region"] = region
    return {"physicalLocation": physical}


def _invocation(report) -> dict:
    notes = []
    for e in report.errors:
        note = {"level": "error", "message": {"text": e.message},
                "locations": [_location(e.path, e.line, e.column, 0, 0)]}
        notes.append(note)
    out: dict = {"executionSuccessful": not report.errors}
    if notes:
        out["toolExecutionNotifications"] = notes
    return out
