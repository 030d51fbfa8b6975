"""Kind 'table': a table's Total row must add up, and prose that cites a total must match it.

`report: totals` — in a Markdown table, a row whose label is one of `total_labels` ("Total")
must hold, in each numeric column, the sum of the rows above it (down to the header or the
previous total), within the total's digits.  A Total may include rows the table does not
show; then the table is wrong as shown, and the finding says which rows were summed.

`report: citations` — a figure in prose that cites a table or a total ("3.3M GPU hours in
total", "see the table below") must agree, within its own digits, with the Total of the
table column of its role.
"""

from __future__ import annotations

import math
import re

from ..model.claims import Claim
from ..model.numbers import fmt
from .build import finding
from .context import EntryContext

CONSUMES = ("tables", "claims")
OPTIONS = {
    "report": (str, "totals", "totals (a Total row against its column) or citations (prose "
                              "that cites a total or a table against it)"),
    "total_labels": (list, ["total", "sum", "overall", "all", "combined"],
                     "row labels that make a row the total of the rows above"),
    "cites": (list, ["total", "cumulative", "table", "in all", "altogether", "combined"],
              "words in a prose sentence that cite a table or its total"),
    "tolerance": (float, 0.0, "relative band beyond the stated digits"),
    "material": (float, 0.10, "a problem off by this fraction or more is material"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "table", "row", "column", "parts"}


def check(rule, ctx: EntryContext):
    if rule.options["report"] == "citations":
        yield from _citations(rule, ctx)
        return
    for table, note in _tables(ctx):
        yield from _totals(rule, ctx, table, note)


def _tables(ctx: EntryContext):
    by_field = {n.field: n for n in ctx.notes}
    for t in ctx.entry.tables:
        if not t.keyed and t.field in by_field:
            yield t, by_field[t.field]


def _cell_claims(table, note) -> dict[tuple[int, int], list[Claim]]:
    out: dict[tuple[int, int], list[Claim]] = {}
    for c in note.extraction.claims:
        where = table.cell_at(c.start)
        if where is not None and where[0] >= 0:
            out.setdefault(where, []).append(c)
    return out


def _is_total(rule, label: str) -> bool:
    words = re.findall(r"[a-z]+", label.lower())
    return bool(words) and words[0] in rule.options["total_labels"] and len(words) <= 3


def _totals(rule, ctx, table, note):
    cells = _cell_claims(table, note)
    start = 0
    for r, row in enumerate(table.rows):
        if not row or not _is_total(rule, row[0].text):
            continue
        for col in range(1, len(table.header)):
            f = _column_total(rule, ctx, table, note, cells, start, r, col)
            if f is not None:
                yield f
        start = r + 1


def _column_total(rule, ctx, table, note, cells, start: int, r: int, col: int):
    total = cells.get((r, col))
    if not total or len(total) != 1:
        return None
    t = total[0]
    parts = []
    for k in range(start, r):
        row = table.rows[k]
        if col >= len(row) or not row[col].text:
            continue
        got = cells.get((k, col))
        if not got or len(got) != 1 or got[0].kind != t.kind:
            return None        # a cell the sum cannot read: the column is not judged
        parts.append(got[0])
    if len(parts) < 2:
        return None
    computed = sum(c.value for c in parts) / (t.factor or 1.0)
    lo, hi = (x / (t.factor or 1.0) for x in t.base_interval(as_result=True))
    tol = rule.options["tolerance"]
    column = table.header[col].text
    label = table.rows[r][0].text
    where = dict(table=table.field, row=label, column=column,
                 parts=" + ".join(c.text for c in parts))
    if lo * (1 - tol) <= computed <= hi * (1 + tol):
        if not ctx.show_verified:
            return None
        return finding(rule, status="verified", field=note.field, start=t.start, end=t.end,
                       text=t.text, stated=t.number.value, computed=computed,
                       unit=t.unit_text, reading=f"the sum of {len(parts)} rows", **where)
    rel = (t.number.value - computed) / computed if computed else math.inf
    grade = "material" if abs(rel) >= rule.options["material"] else "minor"
    return finding(rule, status="problem", field=note.field, start=t.start, end=t.end,
                   text=t.text, grade=grade, stated=t.number.value, computed=computed,
                   unit=t.unit_text, sources=tuple(("row", c.text, c.value) for c in parts),
                   reading=f"the sum of {len(parts)} rows", **where)


def _sentence(text: str, c: Claim) -> str:
    starts = [text.rfind(ch, 0, c.start) for ch in ".!?\n"]
    ends = [i for i in (text.find(ch, c.end) for ch in "!?\n") if i >= 0]
    dot = re.search(r"\.(\s|$)", text[c.end:])
    if dot:
        ends.append(c.end + dot.start())
    return text[max(starts) + 1:min(ends) if ends else len(text)]


def _citations(rule, ctx: EntryContext):
    totals = {}     # role -> (total claim, table, column name)
    for table, note in _tables(ctx):
        cells = _cell_claims(table, note)
        for r, row in enumerate(table.rows):
            if row and _is_total(rule, row[0].text):
                for col in range(1, len(table.header)):
                    got = cells.get((r, col))
                    if got and len(got) == 1 and got[0].role:
                        totals.setdefault(got[0].role, (got[0], table, table.header[col].text))
    if not totals:
        return
    tables = {t.field for t in ctx.entry.tables}
    for note in ctx.notes:
        if note.field in tables:
            continue
        for c in note.extraction.claims:
            if c.role not in totals or c.bound or c.high is not None:
                continue
            sentence = _sentence(note.text, c).lower()
            if not any(re.search(rf"\b{re.escape(w)}\b", sentence) for w in rule.options["cites"]):
                continue
            t, table, column = totals[c.role]
            if t.kind != c.kind:
                continue
            value = t.value / (c.factor or 1.0)
            lo, hi = c.number.as_result()
            band = 0.10 if c.hedge else 0.0
            where = dict(table=table.field, row=t.text, column=column, parts="")
            if lo * (1 - band) <= value <= hi * (1 + band):
                if ctx.show_verified:
                    yield finding(rule, status="verified", field=note.field, start=c.start,
                                  end=c.end, text=c.text, stated=c.number.value,
                                  computed=value, unit=c.unit_text,
                                  reading=f"the Total of {column} in {table.field}", **where)
                continue
            rel = (c.number.value - value) / value if value else math.inf
            grade = "material" if abs(rel) >= rule.options["material"] else "minor"
            yield finding(rule, status="problem", field=note.field, start=c.start, end=c.end,
                          text=c.text, grade=grade, stated=c.number.value, computed=value,
                          unit=c.unit_text, sources=(("total", t.text, t.value),),
                          reading=f"the Total of {column} in {table.field}", **where)
