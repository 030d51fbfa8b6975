"""What a check sees of one entry: its fields, its notes with their extractions, the tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..model.claims import Claim, factors, leaves, single
from ..model.entries import Entry, Note
from ..quantities.roles import Registry, builtin


@dataclass
class EntryContext:
    """Everything a check sees for one entry."""

    entry: Entry
    notes: list[Note]
    hardware: object = None   # linter.quantities.hardware.Hardware
    show_verified: bool = False
    registry: Registry = field(default_factory=builtin)
    memo: dict = field(default_factory=dict, repr=False)   # what several rules recompute

    def once(self, key, compute):
        """compute(), once per key for the whole entry (keys name what they hold)."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def judged(self, step, tol=None):
        """judge(step, tol), once per step and tolerance for the whole entry."""
        from ..arithmetic.judge import Tolerance, judge

        tol = tol or Tolerance()
        return self.once(("judge", id(step), tol), lambda: judge(step, tol))

    def in_calculations(self, note: Note) -> set[int]:
        """Ids of the claims a note's written calculations read or state (MC1xx's)."""
        return self._in_calculations.get(id(note), set())

    @cached_property
    def _in_calculations(self) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        for note in self.notes:
            ids: set[int] = set()
            for calc in note.extraction.calculations:
                for step in calc.steps:
                    ids |= {id(c) for c in leaves(step.left) + leaves(step.right)}
            out[id(note)] = ids
        return out

    def products(self) -> list[tuple[Note, object, list[Claim], Claim]]:
        """(note, step, factors, stated result) of every judged step whose left side is a
        pure product of three or more factors ("6 * 340B * 9T = 1.8E25"), in order: the
        operation counts and hardware products the slip rules look into."""
        return self.once("products", self._products)

    def _products(self) -> list[tuple[Note, object, list[Claim], Claim]]:
        out = []
        for note in self.notes:
            for calc in note.extraction.calculations:
                if calc.skip:
                    continue
                for step in calc.steps:
                    parts, result = factors(step.left), single(step.right)
                    if parts is not None and len(parts) >= 3 and result is not None:
                        out.append((note, step, parts, result))
        return out

    def role_of(self, claim: Claim) -> str | None:
        """A claim's role by its canonical name."""
        return self.registry.canonical(claim.role) if claim.role else None

    def with_role(self, note: Note, role: str | None) -> list[Claim]:
        """A note's claims whose role (by canonical name) is `role`, in order: every rule
        of a role looks them up, indexed once for the whole entry."""
        return self._by_role.get(id(note), {}).get(role, [])

    @cached_property
    def _by_role(self) -> dict[int, dict[str | None, list[Claim]]]:
        out: dict[int, dict[str | None, list[Claim]]] = {}
        for note in self.notes:
            index: dict[str | None, list[Claim]] = {}
            for c in note.extraction.claims:
                index.setdefault(self.role_of(c), []).append(c)
            out[id(note)] = index
        return out
