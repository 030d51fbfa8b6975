"""The role registry (data/roles.yaml): what each quantity is, and how claims are bound to it.

One registry serves the extractor (bindings: which claim takes which role), the readers
(fields: which column or key holds which role, in which unit) and the rules (formulas are
written over role names, checked against it when a rule file loads).  Rule files may
extend it; `Registry.extend` returns a new registry and never changes this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .unit_cache import load_packaged
from .units import DATA, unit_info

ROLE_KEYS = ("unit", "fields", "aliases", "keywords", "kinds", "before", "after", "fraction",
             "per_chip", "large")
BINDING_KEYS = ("role", "kinds", "keywords", "before", "after", "fraction", "per_chip", "large")


class RoleError(ValueError):
    """A role or binding that cannot be used; `where` is the key path of the problem."""

    def __init__(self, message: str, where: tuple = ()):
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class Role:
    """One quantity: its name, unit and the database fields that hold it."""

    name: str
    unit: str | None                        # pint unit; None for text (a chip's name)
    dimension: tuple = ()                   # pint dimension of the unit
    fields: tuple[tuple[str, str | None], ...] = ()   # (normalized field name, its unit)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Binding:
    """How the extractor binds a claim to a role (see data/roles.yaml)."""

    role: str
    kinds: tuple | None = None              # unit kinds; None in the tuple is a bare number
    keywords: tuple[tuple[str, ...], ...] = ()
    before: int = 4
    after: int = 4
    fraction: bool = False
    per_chip: bool = False
    large: bool = False


def normalize_key(key: str) -> str:
    """A field name as the registry knows it: lower case, no spaces, underscores or dashes."""
    return re.sub(r"[\s_\-]+", "", key).lower()


@dataclass(frozen=True)
class Registry:
    """Roles by name and the bindings, in the order the extractor tries them."""

    roles: tuple[Role, ...]
    bindings: tuple[Binding, ...]
    _names: dict = field(default_factory=dict, compare=False, repr=False)
    _fields: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        for r in self.roles:
            self._names[r.name] = r
            for a in r.aliases:
                self._names.setdefault(a, r)
            for key, unit in r.fields:
                self._fields.setdefault(key, (r, unit))

    def __hash__(self) -> int:
        return hash((self.roles, self.bindings))

    def role(self, name: str) -> Role | None:
        """The role a name or alias stands for."""
        return self._names.get(name)

    def canonical(self, name: str) -> str | None:
        r = self._names.get(name)
        return r.name if r else None

    def field_role(self, key: str) -> tuple[Role, str | None] | None:
        """(role, unit of the values) of a database column or entry key, or None."""
        return self._fields.get(normalize_key(key))

    def extend(self, spec: dict) -> Registry:
        """Add a rule file's roles: {name: unit} names an existing role (its unit must have
        the role's dimension); {name: {unit, keywords, ...}} adds keywords to an existing role
        or defines a new one.  Raises RoleError with the key path of a problem."""
        roles = list(self.roles)
        bindings = list(self.bindings)
        new_bindings: list[Binding] = []
        for name, value in spec.items():
            if not isinstance(name, str) or not name.isidentifier():
                raise RoleError(f"role name {name!r} must be an identifier", (name,))
            value = {"unit": value} if isinstance(value, str) or value is None else value
            if not isinstance(value, dict):
                raise RoleError(f"role {name}: give its unit, or a mapping with unit and "
                                "keywords", (name,))
            for key in value:
                if key not in ROLE_KEYS:
                    raise RoleError(f"role {name}: unknown key {key!r} (known: "
                                    f"{', '.join(ROLE_KEYS)})", (name, key))
            existing = self.role(name)
            unit = value.get("unit")
            if unit is not None and not isinstance(unit, str):
                raise RoleError(f"role {name}: unit must be a text", (name, "unit"))
            dim = _dimension(name, unit) if unit else None
            if existing is not None:
                if dim is not None and existing.unit is not None and \
                        dim != existing.dimension and not _count(unit, existing.unit):
                    raise RoleError(
                        f"role {name}: unit {unit!r} does not have the dimension of role "
                        f"{existing.name} ({existing.unit})", (name, "unit"))
                target = existing.name
            else:
                if unit is None:
                    raise RoleError(f"unknown role {name!r}: a new role needs a unit "
                                    "(and keywords for the extractor)", (name,))
                roles.append(Role(name, unit, dim or (), aliases=tuple(value.get("aliases") or ())))
                target = name
            if "keywords" in value:
                kinds = value.get("kinds")
                if kinds is None:
                    kinds = _kinds_for(unit or self.role(target).unit)
                new_bindings.append(_binding({"role": target, "kinds": kinds,
                                              **{k: value[k] for k in BINDING_KEYS[2:]
                                                 if k in value}}, (name,)))
        # A rule's own keywords are the most specific: they are tried first.
        return Registry(tuple(roles), tuple(new_bindings + bindings))


def _count(a: str, b: str) -> bool:
    """Counted nouns are all dimensionless to pint; two count units are compatible."""
    try:
        return not unit_info(a).dimension and not unit_info(b).dimension
    except Exception:  # noqa: BLE001 - an unknown unit is reported by _dimension
        return False


def _dimension(name: str, unit: str) -> tuple:
    try:
        return unit_info(unit).dimension
    except Exception as exc:  # noqa: BLE001 - pint's errors are many; all mean "not a unit"
        raise RoleError(f"role {name}: unit {unit!r} is not a unit mclint knows ({exc})",
                        (name, "unit")) from None


def _kinds_for(unit: str) -> tuple:
    """The unit kinds of claims a new role may take: those whose unit has its dimension."""
    from .units import unit_forms

    try:
        target = unit_info(unit)
    except Exception:  # noqa: BLE001
        return ()
    kinds = set()
    for spec in unit_forms().values():
        try:
            if unit_info(spec.unit).dimension == target.dimension:
                kinds.add(spec.kind)
        except Exception:  # noqa: BLE001
            continue
    if not target.dimension:   # a count: only its own noun ("tokens", "GPUs")
        head = unit.split()[0]
        kinds = {s.kind for s in unit_forms().values() if s.unit == head} or {None}
    return tuple(sorted(kinds, key=str))


def _binding(item: dict, where: tuple) -> Binding:
    for key in item:
        if key not in BINDING_KEYS:
            raise RoleError(f"unknown binding key {key!r}", where + (key,))
    keywords = item.get("keywords") or ()
    if not isinstance(keywords, (list, tuple)) or not all(
            isinstance(k, (list, tuple, str)) for k in keywords):
        raise RoleError("keywords must be a list of phrases", where + ("keywords",))
    phrases = tuple(tuple(str(w).lower() for w in (k.split() if isinstance(k, str) else k))
                    for k in keywords)
    kinds = item.get("kinds")
    return Binding(
        role=item["role"], kinds=tuple(kinds) if kinds is not None else None,
        keywords=phrases, before=int(item.get("before", 4)), after=int(item.get("after", 4)),
        fraction=bool(item.get("fraction", False)), per_chip=bool(item.get("per_chip", False)),
        large=bool(item.get("large", False)))


@lru_cache(maxsize=1)
def builtin() -> Registry:
    """The registry shipped with mclint."""
    data = load_packaged((DATA / "roles.yaml").read_text(encoding="utf-8"))
    roles = []
    for name, spec in data["roles"].items():
        unit = spec.get("unit")
        fields = tuple((normalize_key(k), u) for k, u in (spec.get("fields") or {}).items())
        roles.append(Role(name, unit, unit_info(unit).dimension if unit else (), fields,
                          tuple(spec.get("aliases") or ())))
    bindings = tuple(_binding(b, ("bindings", k)) for k, b in enumerate(data["bindings"]))
    return Registry(tuple(roles), bindings)


def with_keywords(registry: Registry, binding: Binding, keywords) -> Registry:
    """A registry with one binding's keywords replaced (tests, rule authors' experiments)."""
    bindings = tuple(replace(b, keywords=keywords) if b is binding else b
                     for b in registry.bindings)
    return Registry(registry.roles, bindings)
