"""Kind 'table': a table's Total row must add up, and prose that cites a total must match it.

`report: totals` — in a Markdown table, a row whose label is one of `total_labels` ("Total")
must hold, in each numeric column, the sum of the rows above it (down to the header or the
previous total), within the total's digits.  A Total may include rows the table does not
show; then the table is wrong as shown, and the finding says which rows were summed.

`report: averages` — a row or column labelled Average (Avg, Mean; Gmean for a geometric
mean) that matches the mean of the cells it aggregates is verified; one that does not is
set aside, not flagged: leaderboards average subsets of their columns, or rescaled scores,
without saying so, and mclint cannot tell which.

`report: intensity` — a table with chip-hours, power and emissions columns (the Llama
cards' "Time (GPU hours) | Power Consumption (W) | Carbon Emitted (tCO2eq)") implies a
carbon intensity per row, emissions / (chip-hours x power).  The rows of one table share
one grid: when all rows but one agree on it (within their cells' rounding) and that one
does not, its emissions cell is flagged, recomputed at the others' intensity.  With
fewer than three rows, or no clear majority, nothing is judged.

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
    "report": (str, "totals", "totals (a Total row against its column), averages (an "
                              "Average row or column) or citations (prose that cites a "
                              "total or a table against it)"),
    "spread": (float, 0.02, "intensity: the rows of one grid agree within this fraction"),
    "average_labels": (list, ["average", "avg", "mean", "gmean"],
                       "row or column labels that make it the mean of the others"),
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
    if rule.options["report"] == "intensity":
        for table, note in _tables(ctx):
            yield from _intensity(rule, ctx, table, note)
        return
    if rule.options["report"] == "averages":
        for table, note in _tables(ctx):
            yield from _averages(rule, ctx, table, note)
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


def _is_average(rule, label: str) -> bool:
    words = re.findall(r"[a-z]+", label.lower())
    return bool(words) and len(words) <= 3 and (
        words[0] in rule.options["average_labels"] or words[-1] in rule.options["average_labels"])


def _score(c: Claim) -> bool:
    """A plain score or rate: no unit other than a percent, no magnitude word ("7B")."""
    return (c.unit is None or c.kind == "percent") and c.number.magnitude == 1 \
        and c.high is None and not c.bound and math.isfinite(c.value)


def _averages(rule, ctx, table, note):
    """Average rows (the mean of the rows above, down to the header or the previous
    aggregate) and Average columns (the mean of the row's other score cells)."""
    cells = _cell_claims(table, note)
    start = 0
    for r, row in enumerate(table.rows):
        if not row:
            continue
        if _is_average(rule, row[0].text):
            for col in range(1, len(row)):
                got = cells.get((r, col))
                parts = [_single(cells, table, k, col) for k in range(start, r)]
                if got and len(got) == 1 and _score(got[0]):
                    f = _mean(rule, ctx, note, got[0], parts, row[0].text, table.header[col].text
                              if col < len(table.header) else "", "rows", False)
                    if f is not None:
                        yield f
            start = r + 1
        elif _is_total(rule, row[0].text):
            start = r + 1
    aggregate = [c for c, h in enumerate(table.header) if c and (
        _is_average(rule, h.text) or _is_total(rule, h.text))]
    for col in aggregate:
        if not _is_average(rule, table.header[col].text):
            continue
        geometric = "gmean" in table.header[col].text.lower() or \
            "geometric" in table.header[col].text.lower()
        for r, row in enumerate(table.rows):
            got = cells.get((r, col))
            if col >= len(row) or not got or len(got) != 1 or not _score(got[0]):
                continue
            parts = [_single(cells, table, r, k) for k in range(1, len(row))
                     if k not in aggregate]
            parts = [p for p in parts if p != "magnitude"]
            f = _mean(rule, ctx, note, got[0], parts, row[0].text, table.header[col].text,
                      "columns", geometric)
            if f is not None:
                yield f


def _single(cells, table, r: int, col: int):
    """The one score claim of a cell; None for a cell mclint cannot read as one; the
    string "magnitude" for a size column ("7B"), which an average never covers."""
    row = table.rows[r]
    if col >= len(row):
        return None
    got = cells.get((r, col))
    if got and len(got) == 1 and got[0].number.magnitude != 1:
        return "magnitude"
    if not got or len(got) != 1 or not _score(got[0]):
        return None
    return got[0]


def _mean(rule, ctx, note, avg: Claim, parts, row: str, column: str, over: str,
          geometric: bool):
    where = dict(table=note.field, row=row, column=column,
                 parts=", ".join(p.text for p in parts if isinstance(p, Claim)))
    if len(parts) < 2 or any(not isinstance(p, Claim) for p in parts) or \
            len({p.kind for p in parts} | {avg.kind}) != 1:
        return None                 # a cell that is not a score: nothing to average
    values = [p.number.value for p in parts]
    if geometric:
        if any(v <= 0 for v in values):
            return None
        mean = math.exp(sum(math.log(v) for v in values) / len(values))
    else:
        mean = sum(values) / len(values)
    lo, hi = avg.number.as_result()
    slack = max(p.number.ulp * 10 ** p.number.trailing_zeros for p in parts) / 2
    kind = "geometric mean" if geometric else "mean"
    reading = f"the {kind} of {len(parts)} {over}"
    if lo - slack <= mean <= hi + slack:
        if not ctx.show_verified:
            return None
        return finding(rule, status="verified", field=note.field, start=avg.start, end=avg.end,
                       text=avg.text, stated=avg.number.value, computed=mean, reading=reading,
                       **where)
    if not ctx.show_verified:
        return None
    return finding(rule, status="skipped", field=note.field, start=avg.start, end=avg.end,
                   text=avg.text, stated=avg.number.value, computed=mean,
                   reason=f"it is not the {kind} of the {len(parts)} {over} shown ({fmt(mean)}): "
                          "the table may average other columns or rescaled scores", **where)


INTENSITY_ROLES = ("chip_hours", "power", "emissions")


def _intensity(rule, ctx, table, note):
    cells = _cell_claims(table, note)
    cols = {}
    for col, h in enumerate(table.header):
        got = [cells.get((r, col)) for r in range(len(table.rows))]
        roles = {c[0].role for c in got if c and len(c) == 1}
        if len(roles) == 1 and next(iter(roles)) in INTENSITY_ROLES:
            cols.setdefault(next(iter(roles)), col)
    if len(cols) != 3:
        return
    rows = []
    for r, row in enumerate(table.rows):
        if row and (_is_total(rule, row[0].text) or _is_average(rule, row[0].text)):
            continue
        got = [cells.get((r, cols[role])) for role in INTENSITY_ROLES]
        if all(g and len(g) == 1 for g in got):
            h, w, e = (g[0] for g in got)
            if h.value > 0 and w.value > 0 and e.value > 0:
                rows.append((r, h, w, e))
    if len(rows) < 3:
        return

    def band(h, w, e):
        # the inputs as written (a plain "400" W is 400), the emissions within its digits
        (hl, hh), (wl, wh) = (c.base_interval(as_result=False) for c in (h, w))
        el, eh = e.base_interval(as_result=True)
        return el / (hh * wh), eh / (hl * wl)

    bands = [band(h, w, e) for _, h, w, e in rows]
    for k, (r, h, w, e) in enumerate(rows):
        others = [b for j, b in enumerate(bands) if j != k]
        lo, hi = max(b[0] for b in others), min(b[1] for b in others)
        points = [e2.value / (h2.value * w2.value) for j, (_, h2, w2, e2) in enumerate(rows)
                  if j != k]
        common = sum(points) / len(points)
        slack = rule.options["spread"]
        if lo > hi * (1 + slack) or max(points) > min(points) * (1 + slack):
            continue                        # the other rows do not share one intensity
        per_kwh = common * 3.6e6 / 1000     # g per joule -> kg per kWh
        computed = common * h.value * w.value / (e.factor or 1.0)
        mine = bands[k]
        where = dict(table=table.field, row=table.rows[r][0].text,
                     column=table.header[cols["emissions"]].text, parts="")
        reading = (f"{h.text} x {w.text} at the {fmt(per_kwh, 3)} kg CO2eq/kWh the other "
                   f"{len(others)} rows imply")
        own = e.value / (h.value * w.value)
        if (mine[0] <= hi and lo <= mine[1]) or abs(own / common - 1) <= slack:
            if ctx.show_verified:
                yield finding(rule, status="verified", field=note.field, start=e.start,
                              end=e.end, text=e.text, stated=e.number.value,
                              computed=computed, unit=e.unit_text, reading=reading, **where)
            continue
        rel = (e.number.value - computed) / computed
        grade = "material" if abs(rel) >= rule.options["material"] else "minor"
        yield finding(rule, status="problem", field=note.field, start=e.start, end=e.end,
                      text=e.text, grade=grade, stated=e.number.value, computed=computed,
                      unit=e.unit_text, reading=reading,
                      sources=(("chip_hours", h.text, h.value), ("power", w.text, w.value)),
                      **where)


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
