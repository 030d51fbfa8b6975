"""Kind 'copied-number': a number used in a calculation must be the one the entry states.

"2.4M images" stated in one place and "240000" used in a calculation elsewhere in the same
entry: the same digits, another magnitude.  The slip happens when a figure written with a
magnitude word is written out in full with zeros too many or too few, so it is caught
when: the stated figure counts something (images, tokens, parameters, samples...) and
carries a magnitude word; the used one is written out in full ("240000": no magnitude
word, trailing zeros), in the same unit or none; both have at least two significant digits; their values are a power of ten apart;
and no other statement of the entry gives the used value.
"""

from __future__ import annotations

import math

from ..model.claims import Claim, leaves
from ..model.numbers import digit_string, significant_digits
from ..quantities.units import COUNT_KINDS
from .build import finding
from .context import EntryContext

CONSUMES = ("calculations", "claims")
OPTIONS = {
    "min_digits": (int, 2, "significant digits a figure needs to be recognised"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "used", "source", "where"}


def _abbreviated(c: Claim) -> bool:
    """A bare figure with a magnitude word ('25 million') or an amount or rate of
    operations with an SI prefix ('230 PFLOPS'): a figure whose zeros a reader writes
    out, of a kind the text may not say."""
    if c.number.magnitude != 1:
        return c.unit is None
    if c.unit is None or c.factor < 1e3:
        return False
    k = math.log10(c.factor)
    return c.kind in ("flop", "flop_rate") and math.isclose(k, round(k), abs_tol=1e-9)


def check(rule, ctx: EntryContext):
    """Yield a finding at each calculation operand whose digits another statement has at
    another magnitude."""
    used: list[tuple[object, Claim]] = []
    stated: list[tuple[object, Claim]] = []
    for note in ctx.notes:
        in_calc = ctx.in_calculations(note)
        operands = {id(c) for calc in note.extraction.calculations if not calc.skip
                    for s in calc.steps for c in leaves(s.left)}
        for c in note.extraction.claims:
            if not math.isfinite(c.value) or c.value <= 0 or c.high is not None:
                continue
            if id(c) in operands:
                used.append((note, c))
            elif id(c) not in in_calc:
                stated.append((note, c))
    values = {round(c.value, 6) for _, c in stated}
    for note, u in used:
        if significant_digits(u.number) < rule.options["min_digits"] or round(u.value, 6) in values:
            continue
        for src_note, s in stated:
            if s is u or digit_string(s.number.value) != digit_string(u.number.value) \
                    or significant_digits(s.number) < rule.options["min_digits"]:
                continue
            counted = s.kind in COUNT_KINDS and s.number.magnitude != 1
            if not (counted or _abbreviated(s)) or u.number.magnitude != 1 or not (
                    u.number.trailing_zeros >= 2 or u.number.abbreviated):
                continue      # only a figure with a magnitude word or prefix, written out
            if u.unit and u.kind != s.kind:
                continue
            ratio = u.value / s.value
            k = round(math.log10(ratio))
            if k == 0 or not math.isclose(ratio, 10.0 ** k, rel_tol=1e-6):
                continue
            if not counted and abs(k) != 3:
                continue      # of a figure whose kind is unknown, only one step on the
                              # ladder of magnitude words and prefixes (thousand, million)
            where = "" if src_note is note else f" in {src_note.field}"
            yield finding(rule, status="problem", field=note.field, start=u.start, end=u.end,
                          text=u.text, grade="material", stated=u.value, computed=s.value,
                          used=u.text, source=s.text, where=where,
                          sources=(("stated", s.text, s.value),))
            break
