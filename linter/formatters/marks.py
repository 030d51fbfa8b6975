"""Marks: a file's findings and claims as spans of its text, the way the HTML report and the
web page show them.

Everything here reads the JSON report (`linter.lint`, `--format json`) and the file's text,
never a Finding or a spaCy object, because the web page builds the very same marks in the
browser from the very same JSON: linter/web/static/render.js is a line-by-line port of
this module and of html.py's pieces.  Keep the two in step; tests/test_web_browser.py
renders one input both ways and compares every mark, tooltip and list item.

A mark is one span of text with the findings and claims that cover it.  Spans that
overlap are merged into one mark (a claim and the finding that judged it, two findings on
one number), so marks never nest and each is one focusable element.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Worst first: a mark shows the worst status among its findings.
STATUSES = ("material", "minor", "notation", "verified", "skipped", "unchecked")
LABELS = {
    "material": "material problem",
    "minor": "minor problem",
    "notation": "notation",
    "verified": "verified",
    "skipped": "skipped",
    "unchecked": "not checked",
}
# A problem without a grade yet (older cores) is graded by its severity (issue 10).
SEVERITY_GRADE = {"error": "material", "warning": "minor", "info": "notation"}
# Characters of context shown on each side of a mark in a database entry's excerpt.
CONTEXT = 200


def status_of(finding: dict) -> str:
    """material, minor, notation, verified or skipped."""
    if finding["status"] in ("verified", "skipped"):
        return finding["status"]
    return finding.get("grade") or SEVERITY_GRADE.get(finding["severity"], "material")


@dataclass
class Mark:
    """A span [start, end) of the file's text and the findings and claims on it (indices into
    the report's "findings" and "claims" lists)."""

    start: int
    end: int
    findings: list[int] = field(default_factory=list)
    claims: list[int] = field(default_factory=list)
    status: str = "unchecked"
    entry: str | None = None
    field: str | None = None
    line: int = 0
    number: int = 0          # 0, 1, 2, ... in the order of the text (ids m0, m1, ...)


def build_marks(findings: list[tuple[int, dict]], claims: list[tuple[int, dict]]) -> list[Mark]:
    """Merge the spans of a file's findings and claims ((index, dict) pairs) into marks.

    Findings without a span (end_offset <= offset) get no mark; they are only listed.
    """
    spans = [(f["offset"], f["end_offset"], 0, i, f) for i, f in findings
             if f["end_offset"] > f["offset"]]
    spans += [(c["offset"], c["end_offset"], 1, i, c) for i, c in claims
              if c["end_offset"] > c["offset"]]
    spans.sort(key=lambda s: (s[0], -s[1], s[2], s[3]))
    marks: list[Mark] = []
    for start, end, kind, index, item in spans:
        if not marks or start >= marks[-1].end:
            marks.append(Mark(start, end, entry=item.get("entry"), field=item.get("field"),
                              line=item.get("line") or 0, number=len(marks)))
        mark = marks[-1]
        mark.end = max(mark.end, end)
        (mark.claims if kind else mark.findings).append(index)
    by_index = dict(findings)
    for mark in marks:
        mark.findings.sort()
        mark.claims.sort()
        statuses = [status_of(by_index[i]) for i in mark.findings] or ["unchecked"]
        mark.status = min(statuses, key=STATUSES.index)
    return marks


def is_structured(marks: list[Mark]) -> bool:
    """Does the file hold database entries (shown one section each) rather than one text?"""
    return any(m.field not in (None, "body") for m in marks) or \
        len({m.entry for m in marks}) > 1


@dataclass
class Block:
    """A run of the file's text shown as one piece, with the marks inside it."""

    start: int
    end: int
    marks: list[Mark]
    cut_start: bool = False    # the text goes on before start (an excerpt)
    cut_end: bool = False


@dataclass
class Group:
    """An entry's marks in one field, shown as excerpts of the text."""

    field: str | None
    blocks: list[Block]


@dataclass
class Section:
    """A database entry and its fields."""

    entry: str | None
    groups: list[Group]

    @property
    def marks(self) -> list[Mark]:
        return [m for g in self.groups for b in g.blocks for m in b.marks]


def sections(text: str, marks: list[Mark]) -> list[Section]:
    """The entries of a structured file, in the order of their first mark, each with its
    fields in the order of their first mark, each as excerpts around its marks."""
    order: dict[str | None, dict[str | None, list[Mark]]] = {}
    for m in marks:
        order.setdefault(m.entry, {}).setdefault(m.field, []).append(m)
    return [Section(entry, [Group(name, excerpts(text, group)) for name, group in fields.items()])
            for entry, fields in order.items()]


def excerpts(text: str, marks: list[Mark]) -> list[Block]:
    """The lines around marks, cut at CONTEXT characters from them at a space or tab, or
    where a quoted value (a CSV cell, a JSON string) ends; excerpts that overlap or touch
    are joined."""
    blocks: list[Block] = []
    for m in marks:
        line_start = max(text.rfind("\n", 0, m.start), text.rfind("\r", 0, m.start)) + 1
        line_end = min((k for k in (text.find("\n", m.end), text.find("\r", m.end)) if k >= 0),
                       default=len(text))
        line_start = max(line_start, _quote_before(text, max(line_start, m.start - CONTEXT),
                                                   m.start) + 1)
        close = _quote_after(text, m.end, min(line_end, m.end + CONTEXT))
        line_end = close if close >= 0 else line_end
        start, end = max(line_start, m.start - CONTEXT), min(line_end, m.end + CONTEXT)
        cut_start, cut_end = start > line_start, end < line_end
        if cut_start:     # start after the first space past the cut: no word shown in part
            first = min((k for k in (text.find(" ", start, m.start),
                                     text.find("\t", start, m.start)) if k >= 0), default=-1)
            start = first + 1 if first >= 0 else start
        if cut_end:
            last = max(text.rfind(" ", m.end, end), text.rfind("\t", m.end, end))
            end = last if last >= 0 else end
        if blocks and start <= blocks[-1].end:
            block = blocks[-1]
            if end >= block.end:
                block.end, block.cut_end = end, cut_end
            block.marks.append(m)
        else:
            blocks.append(Block(start, end, [m], cut_start, cut_end))
    return blocks


def _quote_run(text: str, k: int) -> tuple[int, int]:
    """The run of double quotes around text[k] as [first, last], without a quote that a
    backslash escapes (JSON's \\")."""
    first, last = k, k
    while first > 0 and text[first - 1] == '"':
        first -= 1
    while last + 1 < len(text) and text[last + 1] == '"':
        last += 1
    if first > 0 and text[first - 1] == "\\":
        first += 1
    return first, last


def _quote_before(text: str, lo: int, hi: int) -> int:
    """Where a quoted value that text[hi] is in opens, looking back to lo: the opening
    quote's index, or -1.  A run of quotes of odd length holds a value's opening or
    closing quote (a CSV cell doubles the quotes inside it, so a cell that opens with a
    quotation starts with three)."""
    k = hi - 1
    while k >= lo:
        if text[k] == '"':
            first, last = _quote_run(text, k)
            if first <= last and (last - first) % 2 == 0:
                return first
            k = first - 1
        else:
            k -= 1
    return -1


def _quote_after(text: str, lo: int, hi: int) -> int:
    """Where the quoted value that text[lo] is in closes, looking on to hi: the closing
    quote's index, or -1."""
    k = lo
    while k < hi:
        if text[k] == '"':
            first, last = _quote_run(text, k)
            if first <= last and (last - first) % 2 == 0:
                return last
            k = last + 1
        else:
            k += 1
    return -1


def fmt(value: float | None) -> str:
    """A number for people: 9,437,184; 88.65; 0.41; 1.836e25 (four significant digits)."""
    if value is None or not math.isfinite(value):
        return "\u2014"
    if value == 0:
        return "0"
    mantissa, exp_text = f"{value:.3e}".split("e")
    exponent = int(exp_text)
    if -3 <= exponent < 9:
        if float(value).is_integer():
            return _group(f"{value:.0f}")
        return _group(_strip(f"{value:.{max(0, 3 - exponent)}f}"))
    return f"{_strip(mantissa)}e{exponent}"


def pct(relative: float | None) -> str | None:
    """A relative error as a signed percentage: +2.0%, -90.0%."""
    if relative is None:
        return None
    p = relative * 100
    return f"{'-' if p < 0 else '+'}{abs(p):.1f}%"


def _strip(number: str) -> str:
    """1.800 -> 1.8, 9.000 -> 9."""
    return number.rstrip("0").rstrip(".") if "." in number else number


def _group(number: str) -> str:
    """-1234567.5 -> -1,234,567.5"""
    sign = "-" if number.startswith("-") else ""
    digits, _, frac = number.lstrip("-").partition(".")
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[k:k + 3] for k in range(head, len(digits), 3)]
    return sign + ",".join(parts) + ("." + frac if frac else "")
