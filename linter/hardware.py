"""The hardware table (rules/hardware.yaml): dense peak FLOP/s per chip and the names people use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .marked_yaml import YamlError, load_documents

PRECISIONS = ("fp64", "fp32", "tf32", "bf16", "fp16", "fp16_nontensor", "fp8", "int8", "fp4")


@dataclass(frozen=True)
class Chip:
    name: str
    family: str
    vendor: str = ""
    cores_per_chip: int = 1
    peaks: dict = field(default_factory=dict)   # precision -> FLOP/s
    aliases: tuple[str, ...] = ()


def _key(name: str) -> str:
    return re.sub(r"[\s\-_]+", " ", name.strip().lower())


@dataclass(frozen=True, eq=False)
class Hardware:
    chips: tuple[Chip, ...] = ()
    index: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for chip in self.chips:
            for alias in (chip.name,) + chip.aliases:
                self.index.setdefault(_key(alias), chip)
                self.index.setdefault(_key(alias) + "s", chip)

    @property
    def aliases(self) -> tuple[tuple[str, str], ...]:
        """(alias, chip name) pairs for the extractor's unit matcher."""
        out = []
        for chip in self.chips:
            for alias in (chip.name,) + chip.aliases:
                out.append((alias, chip.name))
        return tuple(out)

    def family(self, chip: Chip) -> list[Chip]:
        """Every chip of the same family (all V100 variants for a V100)."""
        return [c for c in self.chips if c.family == chip.family]

    def lookup(self, name: str | None) -> Chip | None:
        """The chip a name or alias stands for (case, spaces and dashes ignored)."""
        if not name:
            return None
        return self.index.get(_key(name))


def hardware_path() -> Path:
    from .rules import builtin_rules_dir

    return builtin_rules_dir() / "hardware.yaml"


@lru_cache(maxsize=4)
def load_hardware(path: str | None = None) -> Hardware:
    """Load the hardware table (the built-in one unless a path is given)."""
    p = Path(path) if path else hardware_path()
    if not p.exists():
        return Hardware()
    try:
        docs = load_documents(p.read_text(encoding="utf-8"))
    except YamlError as exc:
        from .rules import RuleError

        raise RuleError(str(p), exc.line, exc.column, exc.message) from None
    data = docs[0][0] if docs else {}
    chips = []
    for item in (data or {}).get("chips", []):
        peaks = {k: float(v) for k, v in (item.get("peak_flops") or {}).items() if k in PRECISIONS}
        chips.append(Chip(
            name=str(item["name"]), family=str(item.get("family") or item["name"]),
            vendor=str(item.get("vendor") or ""), cores_per_chip=int(item.get("cores_per_chip", 1)),
            peaks=peaks, aliases=tuple(str(a) for a in item.get("aliases") or ()),
        ))
    return Hardware(tuple(chips))
