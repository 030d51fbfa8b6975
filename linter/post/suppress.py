"""Suppressions: inline '<!-- mclint: disable=MC101 -->' comments and configured entries.

Inline directives work in any file mclint reads (they are found in the file's text):

    <!-- mclint: disable=MC101 -->            from this line to the end, or to an enable
    <!-- mclint: enable=MC101 -->             ends an earlier disable of MC101 (or =all)
    <!-- mclint: disable-next-line=MC101,MC102 -->
    some text <!-- mclint: disable-line=MC101 -->
    # mclint: disable-next-line=MC101         the same, for plain text and YAML comments

Codes are rule ids, id prefixes ("MC1"), slugs, or "all"; no codes means all.
Databases use the configuration's `suppressions` list (entry id, rule, reason).
Only problems are suppressed: verified claims are never hidden.

A comment that starts like a directive ('<!-- mclint:' or '# mclint:') but is not one (a
misspelt action, a missing '-->', a code that matches no rule) would silently suppress
nothing, or too much: it is reported as MC001 (invalid-directive) in every run, as the
configuration reports an unknown key.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from dataclasses import dataclass

from ..config import Config, Suppression, code_matches, display_path, relative_to
from ..model.findings import Finding
from ..model.positions import LineIndex
from ..ruleset.load import Rule, matches

ACTIONS = ("disable-next-line", "disable-line", "disable", "enable")
_OPEN = r"(?P<open><!--|(?:^|(?<=\s))\#)"
_ACTION = rf"(?P<action>{'|'.join(ACTIONS)})"
_CODE = r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*"
_CODES = rf"(?:[ \t]*=[ \t]*(?P<codes>{_CODE}(?:[ \t]*,[ \t]*{_CODE})*))?"
# A directive ends at '-->', a blank or the end of the line: 'disable-nextline' is no
# 'disable' followed by text.
_CLOSE = r"(?:[ \t]*(?P<close>-->)|(?=\s|$))"
DIRECTIVE = re.compile(rf"{_OPEN}[ \t]*mclint:[ \t]*{_ACTION}{_CODES}{_CLOSE}", re.MULTILINE)
# What looks like a directive: a comment opener, then 'mclint' and a colon, any case.
CANDIDATE = re.compile(rf"{_OPEN}[ \t]*mclint[ \t]*:(?P<rest>[^\r\n]*)",
                       re.MULTILINE | re.IGNORECASE)
END_OF_FILE = 1 << 62

def _directive_rule(rule_id: str, slug: str, summary: str, description: str) -> Rule:
    """A rule about the directives themselves (no rule file: there is no kind to run)."""
    return Rule(id=rule_id, slug=slug, kind="suppression", severity="warning", summary=summary,
                description=description, source="mclint", message="{text}", options={},
                examples={})


UNUSED_RULE = _directive_rule(
    "MC000", "unused-suppression", "A suppression that no longer suppresses anything.",
    "Reported with --report-unused-suppressions: an inline 'mclint: disable' comment or a "
    "configured suppression that matched no problem in this run (the slip was fixed, or "
    "the code is wrong). Remove it so it cannot hide a future finding.")
INVALID_RULE = _directive_rule(
    "MC001", "invalid-directive",
    "A comment that looks like an mclint directive but is not a valid one.",
    "An inline comment starting '<!-- mclint:' or '# mclint:' whose action is not disable, "
    "disable-line, disable-next-line or enable, whose codes are not written as "
    "'=CODE,CODE', whose HTML comment does not close with '-->' on its line, or that names "
    "a code matching no rule. It suppresses nothing, so it is reported in every run "
    "(select does not turn it off; ignore or per-file-ignores do).")
BUILTIN_RULES = (INVALID_RULE, UNUSED_RULE)


@dataclass
class Scope:
    """One code of one inline directive, and the lines it covers."""

    code: str
    first: int
    last: int
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    used: bool = False

    def covers(self, f: Finding) -> bool:
        return (code_matches(self.code, f.rule, f.slug)
                and f.line <= self.last and max(f.end_line, f.line) >= self.first)


@dataclass(frozen=True)
class Directive:
    """A comment that looks like a directive, where it is in its file, and what it says:
    `action` and `codes` when it is valid, `why` it is not otherwise."""

    action: str | None
    codes: str | None
    offset: int
    end_offset: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    why: str | None = None


_MCLINT = re.compile("mclint", re.IGNORECASE)


def find(text: str, index: LineIndex | None = None) -> list[Directive]:
    """The directive-like comments of a text: the whole file, or a piece of it that starts
    at a line start (`index` then places it in the file)."""
    if _MCLINT.search(text) is None:
        return []
    index = index or LineIndex(text)
    base = index.offset
    out = []
    for c in CANDIDATE.finditer(text):
        m = DIRECTIVE.match(text, c.start())
        if m is not None and (m["open"] == "<!--") == bool(m["close"]):
            start, end, action, codes, why = m.start(), m.end(), m["action"], m["codes"], None
        else:
            start, end = c.start(), _comment_end(text, c)
            action, codes, why = None, None, _why_invalid(text, c)
        (line, col), (end_line, end_col) = index.position(base + start), \
            index.position(base + end)
        out.append(Directive(action, codes, base + start, base + end, line, col, end_line,
                             end_col, text[start:end], why))
    return out


def _comment_end(text: str, c: re.Match) -> int:
    close = text.find("-->", c.start(), c.end()) if c["open"] == "<!--" else -1
    return close + 3 if close >= 0 else c.end()


def _why_invalid(text: str, c: re.Match) -> str:
    """Say what is wrong with a comment that starts like a directive."""
    if text[c.start():c.end()].find("mclint") < 0:
        return "write 'mclint:' in lower case"
    rest = c["rest"].strip()
    if c["open"] == "<!--":
        if "-->" not in rest:
            return "an HTML directive must close with '-->' on its line"
        rest = rest[:rest.index("-->")].strip()
    word = re.match(r"[A-Za-z_-]*", rest)[0]
    if word not in ACTIONS:
        hint = difflib.get_close_matches(word.lower(), ACTIONS, n=1, cutoff=0.6)
        shown = f"unknown directive {word!r}" if word else "no directive"
        return shown + (f" (did you mean {hint[0]!r}?)" if hint else
                        f" (known: {', '.join(ACTIONS)})")
    return f"write '{word}=CODE,CODE' (rule ids, prefixes or slugs; no codes means all)"


def check_directives(found: list[Directive], path: str, known: tuple) -> list[Finding]:
    """MC001 findings for the comments of a file that look like directives but are not, and
    for directive codes that match no known rule."""
    bad = []
    for d in found:
        if d.action is None:
            bad.append((d, d.why))
        for code in (d.codes or "").split(","):
            code = code.strip()
            if code and code != "all" and not any(matches(r, code) for r in known):
                bad.append((d, f"{code!r} matches no rule"))
    out = []
    for d, why in sorted(bad, key=lambda item: (item[0].offset, item[0].end_offset, item[1])):
        comment = d.text.strip()
        out.append(Finding(
            rule=INVALID_RULE.id, slug=INVALID_RULE.slug, severity=INVALID_RULE.severity,
            message=f"invalid directive {comment}: {why}", path=path, line=d.line,
            column=d.column, end_line=d.end_line, end_column=d.end_column, text=comment,
            offset=d.offset, end_offset=d.end_offset))
    return out


def parse_directives(text: str, path: str, index: LineIndex | None = None,
                     aliases: dict | None = None) -> list[Scope]:
    """The inline suppressions of a whole text (see `scopes`)."""
    return scopes(find(text, index), path, aliases)


def scopes(found: list[Directive], path: str, aliases: dict | None = None) -> list[Scope]:
    """The inline suppressions of a file's directives, one Scope per code (old codes of
    renamed rules stand for the rule's id)."""
    aliases = aliases or {}
    out: list[Scope] = []
    open_ranges: list[Scope] = []
    for d in found:
        if d.action is None:
            continue
        line, end_line = d.line, d.end_line
        codes = [aliases.get(c.strip(), c.strip()) for c in (d.codes or "all").split(",")]
        action = d.action
        if action == "enable":
            for s in open_ranges:
                if s.last == END_OF_FILE and ("all" in codes or s.code in codes):
                    s.last = line - 1
            continue
        first, last = {
            "disable-line": (line, end_line),
            "disable-next-line": (end_line + 1, end_line + 1),
            "disable": (line, END_OF_FILE),
        }[action]
        for code in codes:
            scope = Scope(code, first, last, path, line, d.column, end_line, d.end_column,
                          d.text)
            out.append(scope)
            if action == "disable":
                open_ranges.append(scope)
    return out


@dataclass(frozen=True)
class Use:
    """A suppression seen in a run, and whether it hid a problem there.

    `key` identifies it across files (a configured suppression applies to every file it
    governs: it is unused only if no file used it); `why` says why it would be unused.
    """

    key: tuple
    used: bool
    why: str | None             # None: not hiding anything proves nothing (rule not run)
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    message: str


def apply(findings: list[Finding], scopes: list[Scope], path: str, config: Config | None,
          rules: tuple = (), known: tuple = (),
          aliases: dict | None = None) -> tuple[list[Finding], list[Use]]:
    """Drop the located problems of one file that its inline `scopes` or its configured
    suppressions cover.

    Returns the findings kept and every suppression with whether it was used; verified
    claims are never hidden.  A pure function of its arguments.
    """
    configured = config.suppressions if config is not None else ()
    used_scopes: set[int] = set()
    used_config: set[int] = set()
    kept = []
    for f in findings:
        if not f.is_problem:
            kept.append(f)
            continue
        hit = False
        for k, scope in enumerate(scopes):
            if scope.covers(f):
                used_scopes.add(k)
                hit = True
        for k, s in enumerate(configured):
            if _config_covers(s, f, path, config, aliases or {}):
                used_config.add(k)
                hit = True
        if not hit:
            kept.append(f)
    uses = [Use(("inline", path, k), k in used_scopes, _why_unused(s.code, rules, known),
                s.path, s.line, s.column, s.end_line, s.end_column, s.text,
                f"{s.text.strip()}: {_why_unused(s.code, rules, known)}")
            for k, s in enumerate(scopes)]
    where = display_path(config.path) if config is not None else ""
    uses += [Use(("config", where, k), k in used_config, _why_unused(s.rule, rules, known),
                 where, s.line, s.column, s.line, s.column, f"{s.entry}: {s.rule}",
                 f"suppression of {s.rule} for entry {s.entry!r}: "
                 f"{_why_unused(s.rule, rules, known)}")
             for k, s in enumerate(configured)]
    return kept, uses


def _config_covers(s: Suppression, f: Finding, path: str, config: Config,
                   aliases: dict) -> bool:
    if (f.entry or "").strip() != s.entry or \
            not code_matches(aliases.get(s.rule, s.rule), f.rule, f.slug):
        return False
    return s.path is None or fnmatch.fnmatchcase(relative_to(path, config.root), s.path)


def _why_unused(code: str, rules: tuple, known: tuple) -> str | None:
    """Explain why a code suppressed nothing, or None when that proves nothing."""
    if code == "all" or any(matches(r, code) for r in rules):
        return f"{code} suppressed nothing"
    return None   # not selected this run, so it could still match; or no rule (MC001 says so)


def unused(uses: list[Use]) -> list[Finding]:
    """MC000 findings for the suppressions that hid nothing anywhere in the run."""
    used = {u.key for u in uses if u.used}
    out, seen = [], set()
    for u in uses:
        if u.key in used or u.key in seen or u.why is None:
            continue
        seen.add(u.key)
        out.append(_unused(u.path, u.line, u.column, u.end_line, u.end_column, u.text,
                           u.message))
    return out


def _unused(path: str, line: int, column: int, end_line: int, end_column: int, text: str,
            message: str) -> Finding:
    return Finding(rule=UNUSED_RULE.id, slug=UNUSED_RULE.slug, severity=UNUSED_RULE.severity,
                   message=f"unused suppression: {message}", path=path, line=line,
                   column=column, end_line=end_line, end_column=end_column, text=text)
