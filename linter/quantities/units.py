"""Units: the one pint registry, and the spellings of units people write in notes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .unit_cache import as_float, as_pairs, load_packaged, persisted

DATA = resources.files("linter.quantities") / "data"

# Kinds whose dimension is a plain count: pint treats them as dimensionless and the
# claim's kind tells them apart.
COUNT_KINDS = frozenset(
    {"chips", "cores", "nodes", "tokens", "words", "parameters", "sequences", "images",
     "samples", "steps", "epochs", "cycles"}
)


@dataclass(frozen=True)
class UnitSpec:
    """What a written unit means: its kind, pint unit and how to match it."""

    kind: str
    unit: str                  # a pint expression over the names in units.txt
    spread: float = 0.0        # relative uncertainty of the conversion factor
    chip: str | None = None    # canonical chip name when the unit names a chip


@dataclass(frozen=True)
class UnitInfo:
    """A pint unit reduced to what checks need: factor to base units and dimension."""

    factor: float
    dimension: tuple[tuple[str, float], ...]

    @property
    def dimensionless(self) -> bool:
        return not self.dimension


@lru_cache(maxsize=1)
def registry():
    """Return mclint's pint registry, built once from linter/data/units.txt."""
    import pint  # imported here: pint's import is the slowest part of a cold start

    ureg = pint.UnitRegistry(None, autoconvert_offset_to_baseunit=False, cache_folder=None)
    ureg.load_definitions(str(DATA / "units.txt"))
    return ureg


def _info_from(answer) -> UnitInfo:
    factor, dims = answer
    return UnitInfo(as_float(factor), as_pairs(dims))


@lru_cache(maxsize=4096)
@persisted("info", lambda info: [info.factor, info.dimension], _info_from)
def unit_info(unit: str) -> UnitInfo:
    """Reduce a pint unit expression to its factor to base units and its dimension."""
    ureg = registry()
    q = ureg.Quantity(1.0, unit).to_base_units()
    dims = tuple(sorted((str(k), float(v)) for k, v in q.dimensionality.items()))
    return UnitInfo(float(q.magnitude), dims)


_TIME_WORDS = re.compile(r"\b(minute|hour|day|week|month|year)\b")


@lru_cache(maxsize=4096)
@persisted("prefix", float, as_float)
def prefix_factor(unit: str) -> float:
    """The factor of a unit's SI prefixes alone: its times stay as written.

    'teraflop / second' -> 1e12, 'chip * hour' -> 1, 'pfday' -> 1e15 (a PF-day read as
    petaFLOP/s times days).  This is how "990 TFLOPS * 6.4M GPU-hours * 3600" is meant.
    """
    expr = _TIME_WORDS.sub("second", unit).replace("pfday", "(petaflop / second * second)")
    ureg = registry()
    return float(ureg.parse_expression(expr).to_base_units().magnitude)


def combine(numerator: str, denominator: str) -> str:
    """The pint expression of 'numerator per denominator'."""
    return f"({numerator}) / ({denominator})"


def multiply(a: str, b: str) -> str:
    return f"({a}) * ({b})"


def dimension_name(dimension: tuple[tuple[str, float], ...]) -> str:
    """A readable dimension: '[flop] / [time]'."""
    if not dimension:
        return "dimensionless"
    num = [k if v == 1 else f"{k}^{v:g}" for k, v in dimension if v > 0]
    den = [k if v == -1 else f"{k}^{-v:g}" for k, v in dimension if v < 0]
    text = " * ".join(num) or "1"
    return f"{text} / {' / '.join(den)}" if den else text


@lru_cache(maxsize=1)
def unit_forms() -> dict[str, UnitSpec]:
    """Every spelling in units.yaml (lower case) mapped to what it means."""
    data = load_packaged((DATA / "units.yaml").read_text(encoding="utf-8"))
    prefixes: dict[str, str] = data["prefixes"]
    forms: dict[str, UnitSpec] = {}
    for group in data["groups"]:
        spec = UnitSpec(
            kind=group["kind"],
            unit=group["unit"],
            spread=float(group.get("spread", 0.0)),
        )
        for form in group["forms"]:
            form = str(form).lower()
            # A one-letter form of a prefixed unit ("b" for byte) only counts with a
            # prefix: alone it is a magnitude ("340B" is 340 billion).
            if not (group.get("prefixed") and len(form) == 1):
                forms.setdefault(form, spec)
            if group.get("prefixed"):
                for spelling, prefix in prefixes.items():
                    head, _, rest = spec.unit.partition(" ")
                    unit = f"{prefix}{head} {rest}".strip()
                    forms.setdefault(
                        spelling + form,
                        UnitSpec(spec.kind, unit, spec.spread),
                    )
    return forms
