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
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from ..config import Config, Suppression, code_matches, display_path, relative_to
from ..pipeline import locate
from ..model.findings import Finding
from ..model.positions import LineIndex
from ..ruleset.load import Rule

_OPEN = r"(?P<open><!--|(?:^|(?<=\s))\#)"
_ACTION = r"(?P<action>disable-next-line|disable-line|disable|enable)"
_CODE = r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*"
_CODES = rf"(?:[ \t]*=[ \t]*(?P<codes>{_CODE}(?:[ \t]*,[ \t]*{_CODE})*))?"
_CLOSE = r"(?:[ \t]*(?P<close>-->))?"
DIRECTIVE = re.compile(rf"{_OPEN}[ \t]*mclint:[ \t]*{_ACTION}{_CODES}{_CLOSE}", re.MULTILINE)
END_OF_FILE = 1 << 62

UNUSED_RULE = Rule(
    id="MC000", slug="unused-suppression", kind="suppression", severity="warning",
    summary="A suppression that no longer suppresses anything.",
    description="Reported with --report-unused-suppressions: an inline "
                "'mclint: disable' comment or a configured suppression that matched no "
                "problem in this run (the slip was fixed, or the code is wrong). Remove it so "
                "it cannot hide a future finding.",
    source="mclint", message="{text}", options={}, examples={},
)


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


def parse_directives(text: str, path: str, index: LineIndex | None = None) -> list[Scope]:
    """Find the inline suppressions of a file, one Scope per code."""
    index = index or LineIndex(text)
    scopes: list[Scope] = []
    open_ranges: list[Scope] = []
    for m in DIRECTIVE.finditer(text):
        if (m["open"] == "<!--") != bool(m["close"]):
            continue   # an HTML comment must close on the directive; '#' needs no close
        line, col = index.position(m.start())
        end_line, end_col = index.position(m.end())
        codes = [c.strip() for c in (m["codes"] or "all").split(",")]
        action = m["action"]
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
            scope = Scope(code, first, last, path, line, col, end_line, end_col, m[0])
            scopes.append(scope)
            if action == "disable":
                open_ranges.append(scope)
    return scopes


@dataclass
class Suppressor:
    """Settings.suppress: drop suppressed problems of an entry, remembering what was used."""

    rules: tuple = ()            # the selected rules
    known: tuple = ()            # every loaded rule
    config: Config | None = None
    scopes: list[Scope] = field(default_factory=list, init=False)   # every file's, for unused()
    used: set = field(default_factory=set, init=False)   # config suppressions that matched
    # The file being linted: core calls us once per entry with the same text.
    _text: str | None = field(default=None, init=False, repr=False)
    _path: str | None = field(default=None, init=False, repr=False)
    _index: LineIndex | None = field(default=None, init=False, repr=False)
    _file_scopes: list[Scope] = field(default_factory=list, init=False, repr=False)

    def __call__(self, findings: list[Finding], entry, text: str) -> list[Finding]:
        """Keep the findings of one entry that no suppression covers."""
        if text is not self._text or entry.path != self._path:
            self._text, self._path, self._index = text, entry.path, LineIndex(text)
            self._file_scopes = parse_directives(text, entry.path, self._index)
            self.scopes += self._file_scopes
        return [f for f in findings if f.verified or not self._suppressed(f, entry)]

    def _suppressed(self, f: Finding, entry) -> bool:
        hit = False
        if self._file_scopes:
            located = locate(f, entry, self._index)
            for scope in self._file_scopes:
                if scope.covers(located):
                    scope.used = hit = True
        for i, s in enumerate(self.config.suppressions if self.config else ()):
            if self._config_covers(s, f, entry):
                self.used.add(i)
                hit = True
        return hit

    def _config_covers(self, s: Suppression, f: Finding, entry) -> bool:
        entry_id = (f.entry or entry.id or "").strip()
        if entry_id != s.entry or not code_matches(s.rule, f.rule, f.slug):
            return False
        return s.path is None or fnmatch.fnmatchcase(relative_to(entry.path, self.config.root),
                                                     s.path)

    def unused(self) -> list[Finding]:
        """Report MC000 findings for suppressions that suppressed nothing in this run."""
        out = []
        for s in self.scopes:
            if s.used:
                continue
            why = self._why_unused(s.code)
            if why:
                out.append(_unused(s.path, s.line, s.column, s.end_line, s.end_column, s.text,
                                   f"{s.text.strip()}: {why}"))
        if self.config is not None:
            where = display_path(self.config.path)
            for i, s in enumerate(self.config.suppressions):
                if i in self.used:
                    continue
                why = self._why_unused(s.rule)
                if why:
                    out.append(_unused(where, s.line, s.column, s.line, s.column,
                                       f"{s.entry}: {s.rule}",
                                       f"suppression of {s.rule} for entry {s.entry!r}: {why}"))
        return out

    def _why_unused(self, code: str) -> str | None:
        """Explain why a code suppressed nothing, or None when that proves nothing."""
        if code == "all" or any(code_matches(code, r.id, r.slug) for r in self.rules):
            return f"{code} suppressed nothing"
        if not any(code_matches(code, r.id, r.slug) for r in self.known):
            return f"{code} is not a rule code"
        return None   # a rule that was not selected this run could still match


def _unused(path: str, line: int, column: int, end_line: int, end_column: int, text: str,
            message: str) -> Finding:
    return Finding(rule=UNUSED_RULE.id, slug=UNUSED_RULE.slug, severity=UNUSED_RULE.severity,
                   message=f"unused suppression: {message}", path=path, line=line,
                   column=column, end_line=end_line, end_column=end_column, text=text)
