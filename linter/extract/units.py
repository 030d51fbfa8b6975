"""spaCy component: attach units to numbers, and class the numbers that are no quantity.

'989 peak teraFLOP/s', '6144 H100s', '24 hr/day', '$2/GPU-hour' become claims with a pint
unit.  Numbers that only name something are classed on purpose and become marks, never
claims: a model's size in its name ("Llama 2-13B", "Falcon 40B", "Mixtral 8x7B"), a
reference ("Table 2", "arXiv:2303.08774"), a year in a date ("June 2023").  A word right
after a number that looks like a unit mclint does not know ("10 GFLOPSs") is kept on the
claim, so no calculation is judged on a unit half understood.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from ..model import numbers as nums
from ..model.claims import Claim, Mark
from ..quantities.unit_cache import store
from ..quantities.units import UnitSpec, unit_forms, unit_info
from .numbers import NumberSpan
from .patterns import load_patterns
from .view import TokenView, view

MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
SIZE_SUFFIXES = frozenset({"b", "m", "k", "t"})     # Llama-2-7b, Falcon 40B, Pythia 70M
CURRENCY = {"$": "dollar", "us$": "dollar"}


class UnitLinker:
    """Attach units to numbers; class model names, references and dates as marks."""

    def __init__(self, nlp: Language, chips: list[list[str]]):
        patterns = load_patterns()
        self.fillers = set(patterns["unit_fillers"])
        self.context_words = {w for group in ("hedges",) for w in patterns[group]} | {
            w for group in ("upper_bounds", "lower_bounds", "conclusions", "near_conclusions")
            for phrase in patterns[group] for w in phrase}
        self.specs: dict[str, UnitSpec] = dict(unit_forms())
        for alias, name in chips:
            a = alias.lower()
            self.specs.setdefault(a, UnitSpec("chips", "chip", chip=name))
            self.specs.setdefault(a + "s", UnitSpec("chips", "chip", chip=name))
        self.first = _first_token_index(nlp, self.specs)
        self.glue_ok = set(nums.MAGNITUDES) | {"x", "X", "×", "%"}
        self.references = set(patterns["references"])

    def units_at(self, doc: Doc) -> dict[int, tuple[int, UnitSpec]]:
        """Longest unit spelling starting at each token."""
        out: dict[int, tuple[int, UnitSpec]] = {}
        lower = view(doc).lower
        first = self.first
        for start, word in enumerate(lower):
            spellings = first.get(word)
            if spellings is None:
                continue
            for key, spec in spellings:
                end = start + len(key)
                if len(key) == 1 or tuple(lower[start:end]) == key:
                    out[start] = (end, spec)
                    break
        return out

    def __call__(self, doc: Doc) -> Doc:
        found: list[NumberSpan] = doc._.mc_numbers or []
        if not found:
            doc._.mc_chips, doc._.mc_claims, doc._.mc_marks = [], [], []
            return doc
        units = self.units_at(doc)
        doc._.mc_chips = [(start, end, spec.chip) for start, (end, spec) in sorted(units.items())
                          if spec.chip]
        v = view(doc)
        # Marks first: a model name's size may swallow a version read just before it
        # ("Llama 2-13B": the 2 is part of the name, not a number of its own).
        marks: list[Mark] = []
        for k, ns in enumerate(found):
            if ns.pattern == "WORD" or self._glued_to_word(v, ns, units):
                continue
            mark = self._mark(v, ns, found[k - 1] if k else None, units)
            if mark is not None:
                if marks and marks[-1].end > mark.start:
                    marks.pop()
                marks.append(mark)
        claims: list[Claim] = []
        taken = -1
        m = 0
        for ns in found:
            start = v.idx[ns.start]
            while m < len(marks) and marks[m].end <= start:
                m += 1
            if m < len(marks) and marks[m].start <= start < marks[m].end:
                continue
            if ns.start < taken or self._glued_to_word(v, ns, units):
                continue
            claim = self._claim(v, ns, units)
            if claim is not None:
                claims.append(claim)
                taken = claim.end_token
        doc._.mc_claims = _shared_units(v, _ranges(v, claims))
        doc._.mc_marks = marks
        return doc

    # ------------------------------------------------------------------ classed numbers

    def _slice_chip(self, v: TokenView, i: int) -> str | None:
        """The chip of a TPU slice name whose size starts at token i ("v3-8 TPUs", "TPU
        v3-512"): the chip's name when "TPU" is next to "v3-", else None."""
        if i < 2 or v.text[i - 1] != "-" or v.space[i - 2] or v.space[i - 1]:
            return None
        version = v.lower[i - 2]
        near = v.lower[max(0, i - 4):i - 2] + v.lower[i + 1:i + 4]
        if not (version[:1] == "v" and version[1:2].isdigit()) or not any(
                w in ("tpu", "tpus") for w in near):
            return None
        spec = self.specs.get(f"tpu {version}")
        return spec.chip if spec is not None else None

    def _mark(self, v: TokenView, ns: NumberSpan, previous: NumberSpan | None,
              units) -> Mark | None:
        """A model name with its size, a reference or a date, or None for a quantity."""
        item = _list_marker(v, ns)
        if item is not None:
            start, end = item
            return Mark("item", v.idx[start], v.end_char(end - 1),
                        v.doc_text[v.idx[start]:v.end_char(end - 1)])
        kind = self._name(v, ns, previous, units)
        if kind is None and self._reference(v, ns):
            kind = "reference"
        if kind is None and self._date(v, ns, units):
            kind = "date"
        if kind is None:
            return None
        start = v.idx[ns.start]
        if kind == "name":
            start = v.idx[self._name_start(v, ns.start)]
        end = v.end_char(ns.end - 1)
        return Mark(kind, start, end, v.doc_text[start:end])

    def _name(self, v: TokenView, ns: NumberSpan, previous: NumberSpan | None,
              units) -> str | None:
        """'Llama 2-13B', 'Yi-34B', 'Llama-2-7b', 'Falcon 40B', 'Llama 3 8B', 'Mixtral 8x7B':
        a model's size in its name, never a parameter count to check."""
        if ns.pattern != "MAG" or v.lower[ns.end - 1] not in SIZE_SUFFIXES:
            return None
        if ns.end < v.n and self._unit_after(v, ns.end, units) is not None:
            return None     # "GPT-3 175B parameters": a count, with its unit
        k = ns.start - 1
        if k < 0:
            return None
        # glued by a hyphen: "Llama-2-7b", "T5-11B", "Llama 2-13B" (the 2 a version)
        if v.text[k] in ("-", "–") and not v.space[k] and k > 0 and not v.space[k - 1]:
            before = v.text[k - 1]
            if any(ch.isalpha() for ch in before) or (
                    previous is not None and previous.end == k and self._after_name(v, previous.start)):
                return "name"
            return None
        # "Mixtral 8x7B": an expert count and a size
        if k >= 1 and v.text[k] in ("x", "×") and not v.space[k] and previous is not None \
                and previous.end == k and not v.space[k - 1] and self._after_name(v, previous.start):
            return "name"
        if not v.space[k] or k < 0:
            return None
        # "Falcon 40B", "Nemotron-4 340B", "Llama 3 8B" (a version between name and size)
        if previous is not None and previous.start <= k - 1 < previous.end:
            return None      # "7B 4k": the word before is the previous number's suffix
        if self._after_name(v, ns.start):
            return "name"
        if previous is not None and previous.end == ns.start and previous.pattern == "ONE" \
                and len(v.text[previous.start]) <= 4 and self._after_name(v, previous.start):
            return "name"
        return None

    def _after_name(self, v: TokenView, i: int) -> bool:
        """Whether the word right before token i (one space away) is a model's name: a
        capitalised or mixed-case word that is no context word ("Over 2T", "About 7B")."""
        k = i - 1
        if k < 0 or not v.space[k]:
            return False
        word = v.text[k]
        if not word[:1].isupper() or word.lower() in self.context_words:
            return False
        if word.lower() in self.specs or word.lower() in self.fillers:
            return False    # "NVIDIA 8B"? a unit word or a filler is no model name
        return any(ch.isalpha() for ch in word)

    def _name_start(self, v: TokenView, i: int) -> int:
        """The first token of the model name whose size starts at token i: the glued run
        before it ("Llama-2-"), a version one space back ("Llama 3 8B"), then the name."""
        k = self._glued_start(v, i)
        if k >= 1 and v.space[k - 1] and nums.is_number_text(v.text[k - 1]):
            k = self._glued_start(v, k - 1)
        if k >= 1 and v.space[k - 1] and v.text[k - 1][:1].isupper():
            k = self._glued_start(v, k - 1)
        return k

    @staticmethod
    def _glued_start(v: TokenView, k: int) -> int:
        while k > 0 and not v.space[k - 1] and not v.is_space[k - 1]:
            k -= 1
        return k

    def _reference(self, v: TokenView, ns: NumberSpan) -> bool:
        """'Table 1', 'Fig. 9', 'step 3', 'arXiv:2303.08774': a number that names something."""
        if ns.pattern != "ONE" or ns.start == 0:
            return False
        k = ns.start - 1
        while k > 0 and v.is_space[k] and "\n" not in v.text[k]:
            k -= 1
        if v.text[k] == ":" and k > 0 and v.lower[k - 1] == "arxiv":
            return True             # "arXiv:2303.08774"
        if "." in v.text[ns.start] or v.is_space[k]:
            return False
        return v.lower[k] in self.references

    def _date(self, v: TokenView, ns: NumberSpan, units) -> bool:
        """A year next to a month ('June 2023', 'June 30th, 2018'), or a day of a month."""
        if ns.pattern != "ONE" or ns.end < v.n and ns.end in units:
            return False
        text = v.text[ns.start]
        if not (text.isascii() and text.isdigit()):
            return False
        near = [v.lower[k] for k in range(max(0, ns.start - 4), min(v.n, ns.end + 3))
                if not v.is_space[k]]
        return any(w in MONTHS or w.rstrip(".") in MONTHS for w in near) and (
            1900 <= int(text) <= 2100 or int(text) <= 31)

    # ------------------------------------------------------------------------- quantities

    def _glued_to_word(self, v: TokenView, ns: NumberSpan, units) -> bool:
        """A number glued to a word after it ("1st", "6ND", "3D") is part of that word."""
        if v.space[ns.end - 1] or ns.end >= v.n:
            return False
        return v.is_alpha[ns.end] and ns.end not in units and v.text[ns.end] not in self.glue_ok

    def _unit_after(self, v: TokenView, i: int, units):
        """The unit starting at token i, possibly after fillers, and its end."""
        j = i
        skipped = 0
        while j < v.n and skipped <= 3:
            if j in units:
                end, spec = units[j]
                if v.text[j] in ("s", "h") and j != i:
                    return None
                return j, end, spec
            if v.lower[j] in self.fillers and not v.is_space[j]:
                j += 1
                skipped += 1
                continue
            return None
        return None

    def _unknown_unit(self, v: TokenView, i: int) -> str:
        """A unit-like word at token i that no unit matched ("GFLOPSs"), else ''."""
        j = i
        while j < v.n and v.is_space[j] and "\n" not in v.text[j]:
            j += 1
        if j >= v.n or not v.is_alpha[j]:
            return ""
        word = v.text[j]
        low = word.lower()
        if low in self.specs or low in self.fillers or len(word) < 2:
            return ""
        # "GFLOPSs": a known unit with a stray letter; "TWh": a prefix on a known unit.
        # Counted nouns in capitals ("60,530 WSIs", "10 CDRs", "12,195 mAbs") are words.
        if low[:-1] in self.specs and low[:-1] not in nums.MAGNITUDES and len(low) > 3:
            return word
        if word[0] in "kMGTPE" and low[1:] in self.specs and len(low) > 2 \
                and self.specs[low[1:]].kind not in ("chips", "tokens", "words", "samples"):
            return word
        return ""

    def _claim(self, v: TokenView, ns: NumberSpan, units) -> Claim | None:
        text = v.doc_text
        number = ns.number
        start = ns.start
        end = ns.end
        found = self._unit_after(v, ns.end, units) if ns.end < v.n else None
        spec: UnitSpec | None = None
        unit = None
        chip = None
        spread = 0.0
        ambiguous = False
        currency = CURRENCY.get(v.lower[start - 1]) if start > 0 and not v.space[start - 1] \
            else None
        if currency and found is None:
            spec = UnitSpec("money", currency)
            unit = currency
            start -= 1
            found = (end, end, spec)
        sliced = self._slice_chip(v, ns.start)
        if sliced is not None:
            # "v3-8 TPUs", "TPU v3-512": a TPU slice's name counts its cores
            after = found[1] if found is not None and found[2].kind == "chips" else end
            found = (end, after, UnitSpec("cores", "core", chip=sliced))
        if found is not None:
            _, end, spec = found
            unit, chip, spread = spec.unit, spec.chip, spec.spread
            # "6144 H100 GPUs": a chip name then the generic noun is one unit;
            # "128 TPUv3 cores" counts cores, not chips.
            nxt = end + 1 if end < v.n and v.text[end] == "-" and not v.space[end - 1] else end
            if spec.kind == "chips" and nxt in units and units[nxt][1].kind in (
                    "chips", "cores", "chip_time", "core_time", "time", "nodes"):
                # "2.788M H800 GPU hours", "14.82K TPUv3 core-days", "270,336 TPUv4-hours":
                # the unit after the chip's name says what is counted.
                after = units[nxt][1]
                if after.kind == "time":
                    spec = UnitSpec("chip_time", f"chip * ({after.unit})", after.spread, chip)
                elif after.kind != "chips":
                    spec = after
                unit, spread = spec.unit, spec.spread
                end = units[nxt][0]
            # Compound units: "FLOP/GPU-sec", "hr/day", "FLOP/token/param/epoch", "$2/GPU-hour".
            for _ in range(4):
                k = end
                if k + 1 < v.n and v.text[k] == "-" and not v.space[k - 1] \
                        and not v.space[k] and k + 1 in units:
                    # a hyphenated product: "5.24 epoch-TB" is epochs times terabytes (a unit
                    # read only up to the hyphen would leave "-TB" unaccounted for)
                    factor_end, other = units[k + 1]
                    unit = f"({unit}) * ({other.unit})"
                    spread = max(spread, other.spread)
                    chip = chip or other.chip
                    end = factor_end
                    spec = UnitSpec(f"{spec.kind}*{other.kind}", unit)
                    continue
                if k < v.n and v.text[k] in ("/", "per"):
                    k += 1
                    if k < v.n and v.lower[k] in ("a", "each", "one", "every"):
                        k += 1
                    bracket = k + 1 < v.n and v.text[k] == "(" and not v.space[k]
                    if bracket:
                        k += 1          # "FLOP/(TPU-second)": the denominator in brackets
                    if k in units:
                        den_end, den = _chip_time(v, units, k)
                        if bracket:
                            if den_end >= v.n or v.text[den_end] != ")":
                                break
                            den_end += 1
                        if den.kind == "percent":
                            break
                        if spec.kind == "flop_ambiguous" and den.kind in ("chips", "cores"):
                            # "TFLOPS/GPU" is a rate per chip (ambiguous only without prefix)
                            unit = f"({unit}) / second"
                            ambiguous = unit_info(unit).factor == 1.0
                        unit = f"({unit}) / ({den.unit})"
                        spread = max(spread, den.spread)
                        chip = chip or den.chip
                        end = den_end
                        spec = UnitSpec(_compound_kind(spec.kind, den.kind), unit)
                        continue
                break
        if ns.pattern == "WORD" and (unit is None or currency):
            return None     # "one of the models": a number word counts only a unit
        kind = spec.kind if spec else None
        try:
            info = unit_info(unit) if unit else None
        except Exception:  # noqa: BLE001 - a compound pint cannot read: the unit is not known
            info, unit, kind = None, None, None
        if kind == "flop_ambiguous":
            # "FLOPS" is an amount or a rate: at 1e17 and above it is an amount; with an SI
            # prefix below that ("312 TFLOPS", "15.1 PFLOPS") a rate; a bare "FLOPS" of a
            # chip's or cluster's size stays a guess, and the dimension check skips it.
            value = number.value * info.factor  # type: ignore[union-attr]
            prefixed = info.factor != 1.0      # type: ignore[union-attr]
            if value < 1e17 and (prefixed or (value >= 1e9 and not _is_amount_context(
                    v, ns.start))):
                kind, unit = "flop_rate", f"({unit}) / second"
                info = unit_info(unit)
                ambiguous = not prefixed
            else:
                kind = "flop"
                ambiguous = value < 1e17
        unknown = "" if unit else self._unknown_unit(v, ns.end)
        repeated = ""
        if unit is None and number.magnitude != 1 and ns.end < v.n and \
                len(v.lower[ns.end]) > 3 and v.lower[ns.end] in nums.MAGNITUDES:
            repeated = v.text[ns.end]       # "104B billion": the magnitude written twice
            unknown = ""
        dimension = info.dimension if info else ()
        start_char = v.idx[start]
        end_char = v.end_char(end - 1)
        number_end = v.end_char(ns.end - 1)
        return Claim(
            text=text[start_char:end_char],
            start=start_char,
            end=end_char,
            number=number,
            unit=unit,
            kind=kind,
            factor=info.factor if info else 1.0,
            spread=spread,
            dimension=dimension,
            chip=chip,
            ambiguous_unit=ambiguous,
            unit_text=(text[number_end:end_char].strip() if not currency else
                       v.text[start] + text[number_end:end_char]) if unit else "",
            unknown_unit=unknown,
            repeated=repeated,
            token=start,
            end_token=end,
        )


OPERATORS = {"*", "×", "x", "/", "+", "-", "=", "^", "·", "÷"}


def _chip_time(v: TokenView, units, k: int) -> tuple[int, UnitSpec]:
    """The unit at token k, a chip's name and a time joined by a hyphen read as chip time
    ("TPU-second", "GPU-hour"): (end token, spec)."""
    end, spec = units[k]
    if spec.kind == "chips" and end + 1 < v.n and v.text[end] == "-" and \
            not v.space[end - 1] and not v.space[end] and end + 1 in units:
        after_end, after = units[end + 1]
        if after.kind == "time":
            return after_end, UnitSpec("chip_time", f"chip * ({after.unit})", after.spread,
                                       spec.chip)
    return end, spec


def _list_marker(v: TokenView, ns: NumberSpan) -> tuple[int, int] | None:
    """'(1) 256*2 = 512', '2) Elu', '3. Calculation:' at the start of a line: the number of
    a list item, not a quantity (tokens [start, end) with its brackets or point)."""
    text = v.text[ns.start]
    if ns.pattern != "ONE" or not (text.isascii() and text.isdigit()) or int(text) > 99:
        return None
    start, end = ns.start, ns.end
    if start > 0 and v.text[start - 1] == "(" and not v.space[start - 1]:
        start -= 1
    if end >= v.n or v.text[end] not in (")", ".") or v.space[end - 1]:
        return None
    if v.text[end] == "." and (start != ns.start or end + 1 >= v.n or not v.space[end]):
        return None
    end += 1
    k = start - 1
    while k >= 0 and v.is_space[k] and "\n" not in v.text[k]:
        k -= 1
    if k >= 0 and not (v.is_space[k] and "\n" in v.text[k]):
        return None                 # not at the start of a line
    j = end
    while j < v.n and v.is_space[j] and "\n" not in v.text[j]:
        j += 1
    if j < v.n and (v.text[j] in OPERATORS or v.lower[j] in ("x", "times")):
        return None                 # "(8) * (9.8e13)": an operand in brackets
    return start, end


def _compound_kind(num: str, den: str) -> str:
    if num == "time" and den in ("steps", "sequences", "samples"):
        return "step_time"   # "1.2 seconds per step"
    if num == "time" and den == "epochs":
        return "epoch_time"
    if num == "flop" and den in ("time", "chip_time"):
        return "flop_rate"
    if num == "flop_rate" and den in ("chips",):
        return "flop_rate"
    if num == "flop_ambiguous" and den in ("chips", "time", "chip_time"):
        return "flop_rate"
    if num == "emissions" and den == "energy":
        return "carbon_intensity"   # "0.3 kg CO2eq/kWh"
    return f"{num}/{den}"


def _is_amount_context(v: TokenView, start: int) -> bool:
    window = set(v.lower[max(0, start - 6):start])
    return bool(window & {"compute", "total", "training", "trained", "requires", "required", "="})


def _ranges(v: TokenView, claims: list[Claim]) -> list[Claim]:
    """Join 'NUM - NUM unit' and 'NUM to NUM unit' into one claim with a range."""
    text = v.doc_text
    out: list[Claim] = []
    i = 0
    while i < len(claims):
        a = claims[i]
        if i + 1 < len(claims) and a.unit is None:
            b = claims[i + 1]
            joiner = "".join(v.text[a.end_token:b.token])
            spaced = any(v.space[a.end_token - 1:b.token])
            low = a.number
            if b.number.magnitude != 1 and a.number.magnitude == 1:
                try:
                    low = nums.scale(a.number, b.number.magnitude)  # "5 - 6 million"
                except nums.NumberError:    # out of range: no range to read
                    low = None
            if (low is not None and joiner in ("-", "–", "−", "to")
                    and (joiner == "to" or not spaced or low is not a.number)
                    and b.number.value > low.value > 0):
                out.append(replace(
                    b, text=text[a.start:b.end], start=a.start, token=a.token,
                    number=low, high=b.number,
                ))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


LIST_JOINERS = {",", "and", "or", "+", ", and", ", or"}


def _shared_units(v: TokenView, claims: list[Claim]) -> list[Claim]:
    """A unit written once after a list of numbers is every number's unit: "14 and 158
    hours", "14+158+68 hours", "8, 16 or 32 GPUs".  Only numbers joined by nothing but a
    comma, "and", "or" or "+" share it; a number with a unit of its own ends the list."""
    out = list(claims)
    for i in range(len(out) - 1, 0, -1):
        last = out[i]
        if last.unit is None or last.ambiguous_unit or last.high is not None:
            continue
        k = i - 1
        while k >= 0:
            a, b = out[k], out[k + 1]
            joiner = " ".join(v.lower[a.end_token:b.token]).replace(" ,", ",")
            if a.unit is not None or a.unknown_unit or a.high is not None or \
                    joiner not in LIST_JOINERS or not math.isfinite(a.number.value):
                break
            out[k] = replace(a, unit=last.unit, kind=last.kind, factor=last.factor,
                             spread=last.spread, dimension=last.dimension, chip=last.chip,
                             unit_text=last.unit_text)
            k -= 1
    return out


def _first_token_index(nlp: Language, specs: dict[str, UnitSpec]) -> dict:
    """Each spelling as the tokenizer splits it, in lower case, indexed by its first token,
    longest first: matching is a dictionary lookup per token of the Doc's lower-case strings
    (which the token view reads in C), and nothing is built per spelling but a tuple.

    Tokenizing the few thousand spellings and sorting them was a fifth of a cold run's own
    cost, so the index is kept in mclint's cache, under a digest of the spellings, their
    meanings, the tokenizer's rules and spaCy's version."""
    from spacy import about

    from .tokenizer import RULES_DIGEST

    lines = "\n".join(f"{f}\t{s.kind}\t{s.unit}\t{s.spread!r}\t{s.chip}"
                      for f, s in specs.items())
    key = hashlib.sha256(f"{about.__version__}\n{RULES_DIGEST}\n{lines}".encode()).hexdigest()
    try:
        return _index_from(store().get("unit index", key[:32]))
    except (TypeError, ValueError, KeyError, IndexError):
        pass     # not in the cache, or not as written there
    first: dict[str, dict[tuple[str, ...], UnitSpec]] = {}
    for form, spec in specs.items():
        words = tuple(t.text.lower() for t in nlp.tokenizer(form))
        first.setdefault(words[0], {}).setdefault(words, spec)
    index = {w: sorted(keys.items(), key=lambda item: -len(item[0]))
             for w, keys in first.items()}
    meanings = list(dict.fromkeys(spec for keys in index.values() for _, spec in keys))
    number = {spec: k for k, spec in enumerate(meanings)}
    store().put("unit index", key[:32], {
        "meanings": [[m.kind, m.unit, m.spread, m.chip] for m in meanings],
        "first": [[w, [[list(words), number[spec]] for words, spec in keys]]
                  for w, keys in index.items()]})
    return index


def _index_from(kept) -> dict:
    """The index as the cache keeps it (raises TypeError, ValueError, KeyError or IndexError
    on anything else)."""
    if not isinstance(kept, dict):
        raise TypeError(kept)
    meanings = [UnitSpec(kind, unit, float(spread), chip)
                for kind, unit, spread, chip in kept["meanings"]]
    index = {}
    for word, keys in kept["first"]:
        index[str(word)] = [(tuple(map(str, words)), meanings[k]) for words, k in keys]
    return index


@Language.factory("mc_units", default_config={"chips": []})
def make_unit_linker(nlp: Language, name: str, chips: list) -> UnitLinker:
    return UnitLinker(nlp, chips)
