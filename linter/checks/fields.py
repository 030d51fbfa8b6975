"""Kinds 'field' and 'magnitude': a database field must be explained by what its notes state.

A field (Parameters, Training compute, Dataset size...) is *explained* when its value
matches, within rounding, one of these candidates:

* a number of the field's role in the entry's notes (a claim with that role or unit kind,
  a bare number in the field's own notes column, a calculation's result or its
  recomputed value), in the field's unit;
* a sum of such values in one note (stages; no part under 2% of it), a product
  of a node count and a per-node chip count ("64 nodes of 8 GPUs"), a geometric mean of
  two compute estimates, a count times a rate per counted thing ("650GB" and "111e6
  word/GB"), a total over the epoch count of its sentence ("1T total tokens over 4
  epochs"), the value of arithmetic the field's own notes write with no result
  ("13*20*4/3 billion tokens"), the value under a conversion the rule names (tokens
  stored as words: x 0.75);
* any number of the notes with the same digits (a figure the note states in another role
  still explains the field).

Two kinds of value explain nothing: a chip count below the node count of its sentence
(it can only be per node: "16x DGX A100 nodes (8x A100 80GB)" ran on 128 chips), and a
stated result its own calculation contradicts (a field that copies it is listed as not
checked: the field copies the slip, or the formula is written wrong).

'field' flags a field that nothing explains while its notes do state values of its role,
and names the closest candidates.  'magnitude' flags a field whose value, shifted by a
power of ten (10^3, 10^6, 10^9, 10^12), is exactly such a value ("284000000" for "284B"),
with a fix.  A field the notes say nothing about is not judged.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from functools import cached_property, lru_cache
from typing import NamedTuple

from ..arithmetic.expressions import dimension, evaluate
from ..arithmetic.units import conversion_factors
from ..model.claims import Claim, leaves, single
from ..model.entries import FieldValue
from ..model.findings import Fix
from ..model.intervals import Interval, Undefined
from ..model.numbers import NumberError, fmt, parse_plain
from ..model.wording import difference
from .build import finding
from .context import EntryContext

CONSUMES = ("fields", "claims", "calculations")
OPTIONS = {
    "field_role": (str, "parameters", "the role of the structured field"),
    "claim_roles": (list, [], "roles of note claims that state the field's value"),
    "claim_kinds": (list, [], "unit kinds of note claims that state it (any role)"),
    "notes": (list, [], "the field's own notes columns (substrings of their names); bare "
                        "numbers there state the field"),
    "implied": (list, [], "formulas over the entry's fields (and the hardware table's peak "
                          "for peak_flops) whose value also explains the field"),
    "max_ratio": (float, 10.0, "a note value further than this factor from the field states "
                               "another quantity: it is no evidence against the field"),
    "conversions": (list, [], "factors under which a note value also states the field "
                              "(0.75: tokens stored as words)"),
    "derive": (list, ["sum", "product", "gmean"], "derived candidates: sum, product (a count "
                                                  "times a rate per counted thing), gmean, "
                                                  "per_epoch (a total over the epochs of its "
                                                  "sentence)"),
    "own_notes_only": (bool, False, "read only the field's own notes columns (a fine-tuning "
                                    "field: the other notes are about pretraining)"),
    "tolerance": (float, 0.02, "relative difference accepted beyond rounding"),
    "material": (float, 0.10, "a problem off by this fraction or more is material"),
    "powers": (list, [3, 6, 9, 12], "powers of ten a magnitude slip may be off by"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "field", "value", "closest", "fixed"}


class Candidate(NamedTuple):
    """A value the notes give for the field: its interval, and what it came from (a named
    tuple: a note of ten numbers gives hundreds of sums)."""

    label: str | tuple[str, ...]    # a tuple: the texts of a sum's parts (joined by `name`
                                    # only when shown: most sums never are)
    value: float          # in base units
    lo: float
    hi: float
    claim: Claim | None = None
    evidence: bool = False   # a statement of the field's quantity (not a derived value)
    answer: bool = False     # given as the field's value: a conclusion, a calculation's
                             # result, or the one value of the field's own notes
    suffix: str = ""         # a conversion factor applied (" x 3600")
    recomputed: bool = False  # a calculation's value, not its stated result
    certain: bool = False    # the text fixes it as the field's quantity whatever its size
                             # (16 nodes of 8 chips are 128 chips): no max_ratio
    rounding: tuple[float, float] | None = None   # what the rounding of its abbreviated
                             # inputs allows ("4e8 * 4.5e5"): it grades a miss, never explains

    @property
    def name(self) -> str:
        """What the candidate is, as messages show it."""
        label = " + ".join(self.label) if isinstance(self.label, tuple) else self.label
        return label + self.suffix


class Sums:
    """Sums of a note's values, in the order they were formed: they may explain a field but
    are no evidence of it, so they are kept as plain numbers (a note of ten numbers gives
    hundreds) and one becomes a Candidate only when a finding shows it.  They are formed
    only when a field is compared with them: a stated value explains most fields first."""

    def __init__(self, form: Callable[[], tuple[list[tuple[str, ...]], list[float]]],
                 suffix: str = ""):
        self._form = form     # () -> (labels, values in base units)
        self.suffix = suffix

    @cached_property
    def _formed(self) -> tuple[list[tuple[str, ...]], list[float]]:
        return self._form()

    @property
    def labels(self) -> list[tuple[str, ...]]:
        return self._formed[0]

    @property
    def values(self) -> list[float]:
        return self._formed[1]

    def scaled(self, k: float, tag: str) -> Sums:
        return Sums(lambda: (self.labels, [v * k for v in self.values]), self.suffix + tag)

    def candidate(self, i: int) -> Candidate:
        v = self.values[i]
        return Candidate(self.labels[i], v, v, v, suffix=self.suffix)


def plain(cands: list[Candidate | Sums]) -> list[Candidate]:
    """The candidates that are not sums (what evidence, answers and magnitudes look at)."""
    return [c for c in cands if isinstance(c, Candidate)]


def field_values(ctx: EntryContext, role: str) -> list[FieldValue]:
    return [f for f in ctx.entry.fields.values()
            if f.role == role and f.value is not None and math.isfinite(f.value) and f.value > 0]


def field_scale(ctx: EntryContext, fv: FieldValue) -> float:
    """Base units per unit of the field's values (3600 for a field in hours)."""
    return ctx.once(("field scale", fv.name), lambda: _field_scale(ctx, fv))


def _field_scale(ctx: EntryContext, fv: FieldValue) -> float:
    from ..quantities.units import unit_info

    found = ctx.registry.field_role(fv.name)
    unit = found[1] if found else None
    if not unit:
        return 1.0
    try:
        return unit_info(unit).factor
    except Exception:  # noqa: BLE001
        return 1.0


def own_notes(rule, ctx: EntryContext):
    """The notes columns about the rule's field ("Parameters notes"); every note of an entry
    whose notes are not split by field (a model card body, a plain 'notes' key)."""
    wanted = dedicated_notes(rule, ctx)
    if wanted:
        return wanted
    split = any((n.field or "").lower().endswith(" notes") for n in ctx.notes)
    return [] if split else ctx.notes


def dedicated_notes(rule, ctx: EntryContext):
    """The notes columns named for the rule's field: a bare number there states it."""
    patterns = [p.lower() for p in rule.options["notes"]]
    return [n for n in ctx.notes if patterns and any(p in (n.field or "").lower()
                                                       for p in patterns)]


CANDIDATE_OPTIONS = ("claim_roles", "claim_kinds", "notes", "own_notes_only", "derive",
                     "conversions")
NEGLIGIBLE = 0.02     # a part this small beside its sum changes nothing: no sum
_KEYS: dict[int, tuple] = {}     # id(rule) -> (rule, its candidate options, frozen)


def candidates(rule, ctx: EntryContext, scale: float = 1.0) -> list[Candidate | Sums]:
    """Every value the entry's notes give for the rule's field, nearest kinds first.  A bare
    number is in the field's unit (`scale` base units each: 3600 for hours).  Computed once
    per entry for the rules that ask alike (a field's check and its magnitude check)."""
    kept = _KEYS.get(id(rule))
    if kept is None or kept[0] is not rule:
        if len(_KEYS) > 256:
            _KEYS.clear()       # rule sets of earlier runs in this process (a server's)
        kept = _KEYS[id(rule)] = (rule, tuple(_frozen(rule.options[k])
                                              for k in CANDIDATE_OPTIONS))
    return list(ctx.once(("candidates", scale) + kept[1],
                         lambda: _candidates(rule, ctx, scale)))


def _frozen(value):
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _candidates(rule, ctx: EntryContext, scale: float) -> list[Candidate | Sums]:
    o = rule.options
    shown = _shown(ctx)
    roles = {ctx.registry.canonical(r) or r for r in o["claim_roles"]}
    own = {id(n) for n in dedicated_notes(rule, ctx)}
    out: list[Candidate | Sums] = []
    stated: list[tuple[Claim, bool]] = []
    for note in ctx.notes:
        mine = id(note) in own
        if o["own_notes_only"] and not mine:
            continue
        usable, bare_parts = _note_table(ctx, note)
        found = [c for c, role, bare, _ in usable
                 if role in roles or c.kind in o["claim_kinds"] or (mine and bare)]
        ids = {id(c) for c in found}
        found_results = {id(c) for c, _, _, result in usable if result and id(c) in ids}
        if mine and found:
            kinds = {f.kind for f in found}
            sole = len({shown(c) for c in found} | {
                shown(c) for c in note.extraction.claims if c.kind and c.kind in kinds}) == 1
        else:
            sole = False
        stated += [(c, sole or id(c) in found_results) for c in found]
        out += _computed(note, roles, o, ctx, mine, scale)
        # every bare number of the field's own notes may be a part ("752 negative and 1301
        # positive reviews"): parts explain, they are no evidence
        parts = found + [c for c in bare_parts if mine and id(c) not in ids]
        out += _derived(parts, o, scale)
        if mine:
            # the field's own notes give it only as arithmetic ("FLOP = 11B*2*(920k*512*4096)
            # + ..."): that arithmetic is what the field says, evidence and answer
            in_arithmetic = {id(c) for e in note.extraction.expressions for c in leaves(e.node)}
            out += _expression_values(note, scale, _dimension(ctx, o), given=all(
                id(c) in in_arithmetic for c, role, _, _ in usable
                if role in roles or c.kind in o["claim_kinds"]))
        if "per_epoch" in o["derive"]:
            out += _per_epoch(ctx, note, found, scale)
        if "product" in o["derive"]:
            out += _products(note, set(o["claim_kinds"]))
    # the one value the entry's notes give for the quantity is given as the field's (one
    # value of its unit kind too: "170 minutes a first epoch, 340 minutes a last" is not)
    kinds = {c.kind for c, _ in stated if c.kind}
    alike = [c for n in ctx.notes for c in n.extraction.claims if c.kind in kinds]
    only = len({shown(c) for c, _ in stated} | {shown(c) for c in alike}) == 1
    split = any((n.field or "").lower().endswith(" notes") for n in ctx.notes)
    if o["notes"] and split and not own:
        only = False     # the field's own notes column is empty: other notes are about
                         # other things ("6 hours" per network, the field the committee's)
    out = [_candidate(c, evidence=True, answer=only or sole or c.concluded, scale=scale)
           for c, sole in stated] + out
    for k in o["conversions"]:
        tag = f" x {k:g}"
        out += [c.scaled(k, tag) if isinstance(c, Sums) else
                Candidate(c.label, c.value * k, c.lo * k, c.hi * k, c.claim,
                          suffix=c.suffix + tag) for c in list(out)]
    return out


def _note_table(ctx: EntryContext, note):
    """What every field rule reads of a note's claims, once per entry: (claim, role, bare,
    result) for each finite positive value (bare: a number with no unit that still states
    a quantity; result: a calculation's stated result), and the bare values a sum may
    add."""
    def compute():
        results = {id(single(st.right)) for calc in note.extraction.calculations
                   for st in calc.steps if single(st.right) is not None}
        usable = []
        for c in note.extraction.claims:
            if not math.isfinite(c.value) or c.value <= 0 or c.high is not None:
                continue
            result = id(c) in results
            bare = c.unit is None and (c.number.magnitude != 1 or result
                                       or c.number.abbreviated or c.value >= 1000)
            usable.append((c, ctx.role_of(c), bare, result))
        bare_parts = [c for c in note.extraction.claims if c.unit is None and c.high is None
                      and math.isfinite(c.value) and c.value > 0 and not c.bound]
        return usable, bare_parts
    return ctx.once(("field table", id(note)), compute)


def _shown(ctx: EntryContext) -> Callable[[Claim], str]:
    """A claim's value as shown (`fmt`), formatted once per claim for the whole entry: every
    field rule compares the values its notes give as shown."""
    def compute() -> Callable[[Claim], str]:
        memo: dict[int, str] = {}

        def shown(c: Claim) -> str:
            if id(c) not in memo:
                memo[id(c)] = fmt(c.value)
            return memo[id(c)]
        return shown
    return ctx.once(("shown",), compute)


def _candidate(c: Claim, evidence: bool, answer: bool = False, scale: float = 1.0
               ) -> Candidate:
    per = scale if c.unit is None else 1.0
    lo, hi = c.base_interval(as_result=True)
    if c.hedge:
        lo, hi = lo * 0.9, hi * 1.1
    return Candidate(c.text, c.value * per, lo * per, hi * per, c, evidence, answer)


def _base(c: Claim, scale: float) -> float:
    """A claim's value in base units; a bare number is in the field's unit."""
    return c.value * (scale if c.unit is None else 1.0)


def _computed(note, roles: set[str], o, ctx: EntryContext, mine: bool, scale: float
              ) -> list[Candidate]:
    """What a note's calculations recompute for the field's role ("6 * 340B * 9T = ...")."""
    out = []
    for calc in note.extraction.calculations:
        if calc.skip:
            continue
        for step in calc.steps:
            result = single(step.right) or single(step.left)
            if result is None:
                continue
            stating = ctx.role_of(result) in roles or result.kind in o["claim_kinds"]
            if not (stating or result.unit is None):
                continue
            v = ctx.judged(step)
            if v.computed and v.stated_claim is not None and math.isfinite(v.computed):
                value = v.computed * (v.stated_claim.factor or 1.0)
                if v.stated_claim.unit is None:
                    value *= scale
                out.append(Candidate(f"{step.text.strip()} (recomputed {fmt(value)})", value,
                                     value, value, v.stated_claim, answer=stating or mine,
                                     recomputed=True))
    return out


def _derived(found: list[Claim], o, scale: float = 1.0) -> list[Candidate | Sums]:
    """Sums of the values of one note (parts of one kind, or bare), geometric means."""
    out: list[Candidate | Sums] = []
    values = [c for c in found if c.bound is None][:10]
    if "sum" in o["derive"] and len(values) > 1:
        out.append(Sums(lambda: _sums(values, scale)))
    if "gmean" in o["derive"]:
        for a, b in itertools.combinations(values, 2):
            g = math.sqrt(_base(a, scale) * _base(b, scale))
            out.append(Candidate(f"geometric mean of {a.text} and {b.text}", g, g, g))
    return out


def _sums(values: list[Claim], scale: float) -> tuple[list[tuple[str, ...]], list[float]]:
    """The labels and values of the sums of two to four of a note's values."""
    texts = [c.text for c in values]
    bases = [_base(c, scale) for c in values]
    kinds = [c.kind for c in values]
    mixed = len(set(kinds) - {None}) > 1      # else every combination is of one kind
    combinations = itertools.combinations
    labels: list[tuple[str, ...]] = []
    sums: list[float] = []
    # a negligible part changes nothing: no sum (tested per sum only when the smallest
    # value could be one: the sum of all bounds every sum)
    small = min(bases) <= NEGLIGIBLE * sum(bases)
    for r in range(2, min(len(values), 4) + 1):
        for label, parts, of in zip(combinations(texts, r), combinations(bases, r),
                                    combinations(kinds, r)):
            if mixed and len(set(of) - {None}) > 1:
                continue
            total = sum(parts)
            if small and min(parts) <= NEGLIGIBLE * total:
                continue
            labels.append(label)
            sums.append(total)
    return labels, sums


def _expression_values(note, scale: float, dims: tuple | None, given: bool = False
                       ) -> list[Candidate]:
    """The value of each result-less arithmetic of the field's own notes ("13*20*4/3 billion
    tokens"), in base units (a bare one in the field's unit): it explains; it is evidence
    of the field's value only when `given` (the notes state no value of the field's role
    but this arithmetic)."""
    out = []
    for e in note.extraction.expressions:
        marked, _ = conversion_factors(e.node)

        try:
            # the inputs' own rounding: "4e8 FLOP/bp * 4.5e5 bp" stands for 3.5e8..4.5e8
            span = evaluate(e.node, lambda n: Interval.point(1.0) if id(n.claim) in marked
                            else Interval.of(*n.claim.base_interval(as_result=False),
                                             n.claim.value))
            v = span.mid
            got = dimension(e.node, lambda n: {} if id(n.claim) in marked
                            or n.claim.unit is None else dict(n.claim.dimension))
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            continue
        if got is None or not math.isfinite(v) or v <= 0:
            continue
        if got and (dims is None or got != dict(dims)):
            continue        # a quantity of another kind (a time, a rate)
        k = scale if all(c.unit is None for c in leaves(e.node)) else 1.0
        out.append(Candidate(f"{e.text} (= {fmt(v * k)})", v * k, v * k, v * k,
                             evidence=given, answer=given,
                             rounding=(span.lo * k, span.hi * k)))
    if len(out) > 1:
        # "Layer 1: (102 + 35 + 1)*35 parameters / Layer 2: ...": the parts of one total
        total = sum(c.value for c in out)
        out.append(Candidate(f"the sum of {len(out)} formulas (= {fmt(total)})", total, total,
                             total, evidence=given, answer=given,
                             rounding=(sum(c.rounding[0] for c in out),
                                       sum(c.rounding[1] for c in out))))
    return out


def _products(note, kinds: set[str]) -> list[Candidate]:
    """'650GB' and '111e6 word/GB', '2000 hours' and '13680 words per hour': a count of
    things and a rate per thing in one paragraph, whose units cancel to a kind of the
    field, multiply (it explains; it is no evidence)."""
    claims = [c for c in note.extraction.claims if c.unit and c.kind and c.high is None
              and not c.bound and math.isfinite(c.value) and c.value > 0]
    out = []
    for rate in claims:
        top, _, per = rate.kind.partition("/")
        if not per or top not in kinds:
            continue
        for count in claims:
            if count.kind == per and count.paragraph == rate.paragraph:
                v = count.value * rate.value
                out.append(Candidate(f"{count.text} x {rate.text}", v, v, v))
    return out


def _per_epoch(ctx: EntryContext, note, found: list[Claim], scale: float) -> list[Candidate]:
    """'1T total tokens over 4 epochs': what one epoch holds, for each value of the field's
    kind beside the one epoch count of its sentence (it explains; it is no evidence)."""
    epochs = [c for c in note.extraction.claims if ctx.role_of(c) == "epochs"
              and c.high is None and math.isfinite(c.value) and c.value > 1]
    out = []
    for c in found:
        mine = {e.value for e in epochs if e.sentence == c.sentence}
        if len(mine) == 1:
            k = mine.pop()
            v = _base(c, scale) / k
            out.append(Candidate(f"{c.text} / {fmt(k)} epochs", v, v, v))
    return out


def implied(rule, ctx: EntryContext) -> list[Candidate]:
    """What the entry's other fields imply for this one (the rule's `implied` formulas):
    utilization = compute / (chips * peak_flops * duration), with the peaks of the chip the
    hardware field names at each training precision."""
    out = []
    if not rule.options["implied"]:
        return out
    values = ctx.once(("field values by role",), lambda: _field_values(ctx))
    for text in rule.options["implied"]:
        formula = _implied_formula(text)
        names = formula.names
        pools = [values.get(ctx.registry.canonical(n) or n, []) for n in names]
        if any(not pool for pool in pools):
            continue
        for combo in itertools.product(*pools):
            env = dict(zip(names, combo))
            try:
                v = evaluate(formula.expression, lambda n: Interval.point(env[n.name][1])).mid
            except (Undefined, KeyError, ZeroDivisionError, OverflowError):
                continue
            if math.isfinite(v) and v > 0:
                label = f"{formula.text} from " + ", ".join(lbl for lbl, _ in combo)
                out.append(Candidate(label, v, v, v))
    return out


def _field_values(ctx: EntryContext) -> dict[str, list[tuple[str, float]]]:
    """(label, value in base units) of the entry's fields by role, and the hardware
    field's peaks as 'peak_flops': what the `implied` formulas read."""
    values: dict[str, list[tuple[str, float]]] = {}
    for fv in ctx.entry.fields.values():
        if fv.role and fv.value is not None and math.isfinite(fv.value) and fv.value > 0:
            values.setdefault(fv.role, []).append((f"{fv.name} {fv.raw.strip()}",
                                                   fv.value * field_scale(ctx, fv)))
    values["peak_flops"] = _field_peaks(ctx)
    return values


def _field_peaks(ctx: EntryContext) -> list[tuple[str, float]]:
    """The training-precision peaks of the one chip the hardware field names."""
    hw = ctx.hardware
    field = next((f for f in ctx.entry.fields.values() if f.role == "hardware"), None)
    if hw is None or field is None:
        return []
    names = [n.strip() for n in field.raw.split(",") if n.strip()]
    chips = [hw.lookup(n) for n in names]
    if len(chips) != 1 or chips[0] is None:
        return []
    chip = chips[0]
    return [(f"{chip.name} {p} peak", v) for p, v in chip.peaks.items()
            if p in ("bf16", "fp16", "tf32", "fp32", "fp8", "fp16_nontensor")]


@lru_cache(maxsize=64)
def _implied_formula(text: str):
    from ..ruleset.formula import parse_formula

    return parse_formula(text)


def chip_counts(ctx: EntryContext) -> list[Candidate]:
    """Other ways notes count chips: '64 nodes of 8 GPUs' (nodes times the chips per node),
    '512 TPU v3 cores' (two cores a chip), '64 TPUv2 devices' (four chips a device)."""
    out = node_products(ctx)
    hw = ctx.hardware
    for note in ctx.notes:
        named = {m.chip for m in note.extraction.chips}
        for c in note.extraction.claims:
            if c.kind not in ("chips", "cores") or hw is None:
                continue
            name = c.chip
            if name is None:      # "a 512 core slice of a TPU-v3 pod": the note's one chip
                same = {m.chip for m in note.extraction.chips if m.sentence == c.sentence}
                name = next(iter(same or named)) if len(same or named) == 1 else None
            if name is None:
                continue
            chip = hw.lookup(name)
            if chip is None:
                continue
            if chip.cores_per_chip > 1:
                # a slice's name fixes the chip count ("TPU v3-8" is 4 chips); a count of
                # cores written as such may be a ratio's ("1 chip / 2 cores")
                v = c.value / chip.cores_per_chip
                fixed = c.kind == "cores" and "core" not in c.unit_text.lower()
                out.append(Candidate(f"{c.text} ({chip.cores_per_chip} cores a chip)", v, v, v,
                                     evidence=fixed, answer=fixed, certain=fixed))
            if chip.family in ("TPU v2", "TPU v3"):
                v = c.value * 4
                out.append(Candidate(f"{c.text} (4 chips a device)", v, v, v))
    return out


def node_products(ctx: EntryContext) -> list[Candidate]:
    """'64 nodes of 8 GPUs': nodes times the chips per node, per paragraph."""
    out = []
    for note in ctx.notes:
        nodes = [c for c in note.extraction.claims if c.kind == "nodes"]
        chips = [c for c in note.extraction.claims if c.kind in ("chips", "chips/nodes")]
        for n, c in itertools.product(nodes, chips):
            if n.paragraph == c.paragraph and n.value and c.value:
                v = n.value * c.value
                # a count that can only be per node makes the product the run's chip count
                certain = _per_node(c, n)
                out.append(Candidate(f"{n.text} x {c.text}", v, v, v, evidence=certain,
                                     answer=certain, certain=certain))
    return out


def slipped_results(ctx: EntryContext) -> frozenset[int]:
    """Ids of stated results that their own calculation misses materially ("6*10^9 *
    100*10^9 = 6*10^21")."""
    def compute() -> frozenset[int]:
        out = set()
        for note in ctx.notes:
            for calc in note.extraction.calculations:
                if calc.skip:
                    continue
                for step in calc.steps:
                    v = ctx.judged(step)
                    if v.status == "problem" and v.grade == "material" \
                            and v.stated_claim is not None:
                        out.add(id(v.stated_claim))
        return frozenset(out)
    return ctx.once(("slipped results",), compute)


def per_node_counts(ctx: EntryContext) -> frozenset[int]:
    """Ids of chip counts that can only be per node: fewer chips than the nodes its sentence
    names ("16x DGX A100 nodes (8x A100 80GB)": 8 chips on 16 nodes is no total).  They
    state no chip count of the run; the node product does."""
    out: set[int] = set()
    for note in ctx.notes:
        nodes = [c for c in note.extraction.claims if c.kind == "nodes"]
        for c in note.extraction.claims:
            if c.kind == "chips" and any(_per_node(c, n) for n in nodes):
                out.add(id(c))
    return frozenset(out)


def node_counts(ctx: EntryContext) -> frozenset[int]:
    """Ids of the notes' node counts ("16 nodes")."""
    return frozenset(id(c) for note in ctx.notes for c in note.extraction.claims
                     if c.kind == "nodes")


def _per_node(chips: Claim, nodes: Claim) -> bool:
    """Fewer chips than the nodes of the same sentence: a count per node, not a total."""
    return nodes.sentence == chips.sentence and nodes.value > chips.value


def any_number_states(ctx: EntryContext, value: float, scale: float, tol: float,
                      dimension: tuple | None = None, besides: frozenset = frozenset()
                      ) -> bool:
    """Whether some number of the notes, of any role, states the field's value to its
    digits: in base units for a number with a unit of the field's dimension, as written for
    a bare one (whose unit is unknown).  Trailing zeros count as digits here ("10,000 steps"
    is no statement of 7,540), and a number with the field's digits in another unit ("83.5
    kg" for a field of 83.5 grams) is the slip the magnitude rules look for, not a match."""
    for note in ctx.notes:
        for c in note.extraction.claims:
            if not math.isfinite(c.value) or id(c) in besides:
                continue
            half = c.number.ulp / 2
            if c.unit is not None:
                if dimension is not None and c.dimension != dimension:
                    continue
                f = c.factor
                if (c.number.value - half) * f * (1 - tol) <= value <= \
                        (c.number.value + half) * f * (1 + tol):
                    return True
            elif (c.number.value - half) * (1 - tol) <= value / scale <= \
                    (c.number.value + half) * (1 + tol):
                return True
    return False


def _dimension(ctx: EntryContext, o) -> tuple | None:
    role = ctx.registry.role(o["field_role"])
    return role.dimension if role is not None and role.unit else None


def first_explaining(fv: FieldValue, value: float, cands: list[Candidate | Sums],
                     tol: float) -> Candidate | None:
    """The first candidate, in order, that explains the field (see `explains`)."""
    field = None
    for c in cands:
        if isinstance(c, Candidate):
            if explains(fv, value, c, tol):
                return c
            continue
        if field is None:
            field = _field_interval(fv, value)
        lo, hi = field
        for i, v in enumerate(c.values):      # explains() for a point candidate, inline
            if v * (1 - tol) <= value <= v * (1 + tol) or lo <= v <= hi:
                return c.candidate(i)
    return None


def explains(fv: FieldValue, value: float, c: Candidate, tol: float) -> bool:
    """The candidate's interval holds the field, or the field's digits hold the candidate."""
    if c.lo * (1 - tol) <= value <= c.hi * (1 + tol):
        return True
    lo, hi = _field_interval(fv, value)    # already the rounding of the field's digits
    return lo <= c.value <= hi


def _field_interval(fv: FieldValue, value: float) -> tuple[float, float]:
    """The interval a field's digits stand for (a field of 1.5e24 may hold 1.53e24)."""
    return _digits_interval(fv.raw, value)


@lru_cache(maxsize=1024)
def _digits_interval(raw: str, value: float) -> tuple[float, float]:
    """`_field_interval` of a field written `raw` whose value is `value` in base units
    (cached: a field is compared with every candidate its notes give)."""
    raw = raw.strip()
    try:
        # "1.300000000000011e+19": a float's representation noise is no digit
        raw = f"{float(raw):.12g}" if len(raw) > 14 else raw
    except ValueError:
        pass
    if "." in raw and "e" not in raw.lower():
        raw = raw.rstrip("0").rstrip(".") or raw   # "1.0", "240.0": a float's ".0" is no digit
    try:
        n = parse_plain(raw)
    except NumberError:
        return value, value
    if n.value == 0:
        return value, value
    scale = value / n.value
    ulp = n.ulp * 10 ** n.trailing_zeros
    return (n.value - ulp / 2) * scale, (n.value + ulp / 2) * scale


def check(rule, ctx: EntryContext):
    """Kind 'field': flag a field nothing in its notes explains."""
    o = rule.options
    fields = field_values(ctx, o["field_role"])
    if not fields:
        return
    cands = candidates(rule, ctx, field_scale(ctx, fields[0])) + implied(rule, ctx)
    # a node count states no number of chips ("16 nodes, each with 8 A100s" ran on 128)
    per_node = per_node_counts(ctx) | node_counts(ctx) if o["field_role"] == "chips" \
        else frozenset()
    # a result its own calculation contradicts verifies nothing: a field that copies it
    # copies either the slip or the right figure under a formula written wrong
    slipped = slipped_results(ctx)
    unsound = per_node | slipped
    copied = [c for c in plain(cands) if c.claim is not None and id(c.claim) in slipped
              and not c.recomputed]
    cands = [c for c in cands if not (isinstance(c, Candidate) and c.claim is not None
                                      and id(c.claim) in unsound and not c.recomputed)]
    if o["field_role"] == "chips":
        cands += chip_counts(ctx)
    for fv in fields:
        scale = field_scale(ctx, fv)
        value = fv.value * scale
        evidence = [c for c in plain(cands) if c.evidence and (
            c.certain or 1 / o["max_ratio"] <= c.value / value <= o["max_ratio"])]
        hit = first_explaining(fv, value, cands, o["tolerance"])
        if hit is not None:
            if ctx.show_verified and evidence:
                yield _finding(rule, fv, "verified", hit.value / scale, hit,
                               reading=f"explained by {hit.name}")
            continue
        same = next((c for c in copied if explains(fv, value, c, o["tolerance"])), None)
        if same is not None:
            if ctx.show_verified:
                yield _finding(rule, fv, "skipped", same.value / scale, same,
                               reason=f"it is the stated result '{same.name}', which its "
                                      "own calculation does not give: the field copies "
                                      "that slip, or the formula is written wrong")
            continue
        rounded = next((c for c in plain(cands) if c.rounding is not None
                        and c.rounding[0] <= value <= c.rounding[1]), None)
        if rounded is not None:
            # what the note's rounded inputs allow: a minor miss, not an unexplained field
            yield _finding(rule, fv, "problem", rounded.value / scale, rounded, grade="minor",
                           closest=f"{rounded.name} ({difference(value, rounded.value)}; "
                                   "within the rounding of its inputs)")
            continue
        if not evidence:
            continue       # the notes say nothing of this quantity: nothing to compare
        # a figure with the field's digits elsewhere explains it, unless the text fixes
        # the quantity ("16 nodes, each with 8 A100s": 128 chips, whatever '16' else says)
        if not any(c.certain for c in evidence) and any_number_states(
                ctx, value, scale, o["tolerance"], _dimension(ctx, o), unsound):
            continue
        if magnitude_slip(value, evidence, o) is not None:
            continue       # the magnitude rule reports it, with a fix
        answers = [c for c in plain(cands) if c.answer and (
            c.certain or 1 / o["max_ratio"] <= c.value / value <= o["max_ratio"])]
        if not answers:
            # values of the quantity in passing ("one epoch takes 340 minutes"), none given
            # as the field's: the field may come from elsewhere
            if ctx.show_verified:
                near = sorted(evidence, key=lambda c: abs(math.log(c.value / value)))[:2]
                yield _finding(rule, fv, "skipped", near[0].value / scale, near[0],
                               reason="the notes mention " + ", ".join(
                                   f"{c.name} ({difference(value, c.value)})" for c in near)
                               + " but give none of them as this field's value")
            continue
        ranked = sorted(answers, key=lambda c: (not c.evidence, abs(math.log(c.value / value))))
        closest: list[Candidate] = []
        for c in ranked:                    # each name once ("v3-8 TPUs" in two notes)
            if len(closest) < 2 and all(c.name != k.name for k in closest):
                closest.append(c)
        best = closest[0]
        rel = (value - best.value) / best.value
        ratio = value / best.value
        grade = "material" if abs(rel) >= o["material"] or max(ratio, 1 / ratio) >= 1 + \
            o["material"] else "minor"
        yield _finding(rule, fv, "problem", best.value / scale, best, grade=grade,
                       closest=", ".join(f"{c.name} ({difference(value, c.value)})"
                                         for c in closest))


def check_magnitude(rule, ctx: EntryContext):
    """Kind 'magnitude': the field is a power of ten away from a value its notes state."""
    o = rule.options
    fields = field_values(ctx, o["field_role"])
    if not fields:
        return
    cands = [c for c in plain(candidates(rule, ctx, field_scale(ctx, fields[0])))
             if c.claim is not None]
    # the digits shifted by a power of ten are evidence enough: a bare "70B" in any note
    seen = {id(c.claim) for c in cands}
    cands += [_candidate(c, evidence=True, scale=field_scale(ctx, fields[0]))
              for n in ctx.notes for c in n.extraction.claims
              if id(c) not in seen and c.unit is None and c.number.magnitude != 1
              and math.isfinite(c.value) and c.value > 0]
    for fv in fields:
        scale = field_scale(ctx, fv)
        value = fv.value * scale
        if any(explains(fv, value, c, o["tolerance"]) for c in cands) or \
                any_number_states(ctx, value, scale, o["tolerance"], _dimension(ctx, o)):
            continue
        slip = magnitude_slip(value, cands, o)
        if slip is None:
            continue
        c, power = slip
        fixed = _rewrite(fv.raw, 10.0 ** power)
        fix = None
        if fixed is not None and fixed != fv.raw.strip():
            lead = len(fv.raw) - len(fv.raw.lstrip())
            start = fv.start + lead
            fix = Fix(start, start + len(fv.raw.strip()), fixed, fv.raw.strip())
        yield _finding(rule, fv, "problem", c.value / scale, c, grade="material", fix=fix,
                       fixed=fixed or "", closest=c.name)


def magnitude_slip(value: float, cands: list[Candidate], o) -> tuple[Candidate, int] | None:
    """(candidate, k) such that value * 10^k is exactly a written value ("284000000" for
    "284B"), and no other power fits.  Only abbreviated values count: the slip happens when
    "284B" is written out in full."""
    hits = []
    for p in o["powers"]:
        for k in (p, -p):
            for c in cands:
                # the slip of writing "284B" out in full, or "83.5 kg" as grams
                if c.claim is None or not (c.claim.number.abbreviated or c.claim.factor != 1.0):
                    continue
                if math.isclose(value * 10.0 ** k, c.value, rel_tol=1e-9):
                    hits.append((c, k))
    if not hits or len({k for _, k in hits}) != 1:
        return None
    return hits[0]


def _rewrite(raw: str, factor: float) -> str | None:
    """The field's raw text multiplied by a power of ten, in the same style."""
    text = raw.strip()
    try:
        value = float(text)
    except ValueError:
        return None
    new = value * factor
    if "e" in text.lower():
        digits = len(text.lower().split("e")[0].replace("-", "").replace(".", "").strip("0"))
        return f"{new:.{max(digits - 1, 0)}e}"
    if "." in text:
        decimals = len(text.split(".")[1])
        return f"{new:.{decimals}f}"
    return str(int(round(new)))


def _finding(rule, fv: FieldValue, status: str, note_value: float, c: Candidate, *,
             grade: str | None = None, reading: str = "", fix: Fix | None = None, **values):
    return finding(
        rule, status=status, field=fv.name, start=0, end=len(fv.raw), text=fv.raw.strip(),
        grade=grade, stated=fv.value, computed=note_value, reading=reading, fix=fix,
        sources=(("note", c.name, c.value),), value=fmt(fv.value),
        **{"closest": c.name, **values})


def leaf_claims(step) -> list[Claim]:
    return leaves(step.left) + leaves(step.right)
