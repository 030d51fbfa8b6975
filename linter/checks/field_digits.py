"""Kind 'field-digits': a factor of an operation count must not be a field's figure at
another magnitude.

Dolly 2.0-12b's entry: "Parameters: 12000000000" and the note "6ND=6*12000000*3493333=
2.5151998e+14": the 12 billion parameters were written out as 12 million, so the compute
is 1000 times too small while the arithmetic holds.  Ankh_large's: "Parameters:
1900000000" and "(2 * 952B * 19B) + (4 * 952B * 0.36 * 19B) = 6.22e22": 1.9B copied as
19B.

Judged only on a factor of a product in a step that counts operations (its result is an
amount of FLOP, or it stands in a note named for compute), not of the hardware method's
products (a throughput in FLOP/s times a time: no parameter count there).  The entry has
one value of the field, and the factor has the field's significant digits (at least
`min_digits` of them) at another power of ten, is written with a magnitude word or suffix
or with trailing zeros (how a copied figure loses or gains zeros), in the field's unit or
none.  Nothing is said when any other statement of the entry gives the factor's value (a
note stating "19B parameters" disagrees with the field instead: the field rules judge
that), when the power of ten between them is the Epochs field (4104 vectors times 100
epochs is 410400), or when the model's name carries that size.
"""

from __future__ import annotations

import math

from ..model.claims import BinOp, Claim, Neg, Paren, factors, single
from ..model.numbers import digit_string, fmt, significant_digits
from .build import finding
from .context import EntryContext
from .fields import field_values
from .name_size import name_size

CONSUMES = ("calculations", "claims", "fields")
OPTIONS = {
    "field_role": (str, "parameters", "the role of the field whose figure the factor copies"),
    "claim_kinds": (list, ["parameters"], "unit kinds a copied factor may carry (or none)"),
    "notes": (list, ["compute notes"], ("note fields whose steps count operations "
                                        "(substrings), besides steps that conclude FLOP")),
    "min_digits": (int, 2, "significant digits the field and the factor must share"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "source_field", "value", "used", "step"}


def check(rule, ctx: EntryContext):
    """Yield a finding at each factor of an operation count that is the field's figure at
    another power of ten."""
    o = rule.options
    fields = field_values(ctx, o["field_role"])
    if len(fields) != 1 or not fields[0].value or fields[0].value <= 0:
        return
    fv = fields[0]
    digits = digit_string(fv.value)
    if len(digits) < o["min_digits"]:
        return
    named = name_size(ctx.entry.id) if ctx.entry.id else None
    kinds = set(o["claim_kinds"])
    patterns = [p.lower() for p in o["notes"]]
    stated: list[float] | None = None

    def copied(c: Claim) -> bool:
        nonlocal stated
        k = _power_apart(c, fv.value, digits, o["min_digits"])
        if k is None or (c.unit and c.kind not in kinds):
            return False
        if named is not None and named[2][0] <= c.value <= named[2][1]:
            return False        # the name's size: the note counts another model's figure
        if stated is None:
            stated = _stated_values(ctx, o["field_role"])
        # a value the entry states is that figure; the field times its epochs (4104 vectors
        # x 100 epochs = 410400) is a product, not a copy
        return not any(math.isclose(v, c.value, rel_tol=1e-6) for v in stated) and not any(
            math.isclose(e.value, 10.0 ** abs(k), rel_tol=1e-6)
            for e in field_values(ctx, "epochs"))

    for note in ctx.notes:
        counts = any(p in (note.field or "").lower() for p in patterns)
        for calc in note.extraction.calculations:
            if calc.skip:
                continue
            for step in calc.steps:
                result = single(step.right)
                if not (counts or (result is not None and result.kind == "flop")):
                    continue
                # one finding a step: the figure, wherever in the step it recurs
                c = next((c for part in _products(step.left) if not _hardware(part)
                          for c in part if copied(c)), None)
                if c is not None:
                    yield finding(
                        rule, status="problem", field=note.field, start=c.start, end=c.end,
                        text=c.text, grade="material", stated=c.value, computed=fv.value,
                        sources=((fv.name, fv.raw.strip(), fv.value),), source_field=fv.name,
                        value=fmt(fv.value), used=c.text, step=" ".join(step.text.split()))


def _products(node) -> list[list[Claim]]:
    """The factors of each product an expression adds or subtracts ("(2 * N * D) + (4 * N *
    0.36 * D)" has two)."""
    parts = factors(node)
    if parts is not None:
        return [parts] if len(parts) > 1 else []
    if isinstance(node, Paren):
        return _products(node.node)
    if isinstance(node, Neg):
        return _products(node.operand)
    if isinstance(node, BinOp) and node.op in "+-":
        return _products(node.left) + _products(node.right)
    return []


def _hardware(part: list[Claim]) -> bool:
    """Whether a product is the hardware method's (a throughput in FLOP/s times a time):
    it has no parameter count, and its bare factors are chips, hours and seconds."""
    return any(c.kind == "flop_rate" for c in part)


def _power_apart(c: Claim, value: float, digits: str, min_digits: int) -> int | None:
    """The power of ten between a factor and the field's value, when the factor has the
    field's digits, as a copied figure is written; else None."""
    if not math.isfinite(c.value) or c.value <= 0 or c.high is not None:
        return None
    n = c.number
    if significant_digits(n) < min_digits or not (
            n.magnitude != 1 or n.abbreviated or n.trailing_zeros >= 2):
        return None
    if digit_string(c.value) != digits:
        return None
    k = round(math.log10(c.value / value))
    if k == 0 or not math.isclose(c.value / value, 10.0 ** k, rel_tol=1e-6):
        return None
    return k


def _stated_values(ctx: EntryContext, role: str) -> list[float]:
    """Every value the entry's notes state outside the operand lists of its calculations,
    and its other fields' values: a factor one of them gives is that figure, not a copy."""
    out = []
    for note in ctx.notes:
        operands = {id(c) for calc in note.extraction.calculations for s in calc.steps
                    for part in _products(s.left) for c in part}
        out += [c.value for c in note.extraction.claims
                if id(c) not in operands and math.isfinite(c.value)]
    out += [f.value for f in ctx.entry.fields.values() if f.value is not None and f.role != role]
    return out
