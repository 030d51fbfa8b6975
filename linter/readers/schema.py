"""What the columns and keys of structured files mean, and how a key/value tree becomes an entry.

The CSV reader uses a `DatabaseSchema` (built in: `EPOCH`; or a user's column mapping).
The YAML, JSON and model-card readers parse into the small positioned tree below
(`Scalar`, `MapNode`, `SeqNode`) and call `mapping_entry`, so all three name fields and
notes the same way, through the role registry (role_for_key).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..model.entries import Entry, FieldValue, Segment
from ..model.positions import LineIndex
from ..quantities.roles import builtin, normalize_key

# Roles come from the role registry (linter/quantities/data/roles.yaml): a field's role is
# the role whose `fields` name its column or key.  Text roles (unit null: a chip's name)
# carry no number (FieldValue.value is None).
REGISTRY = builtin()
TEXT_ROLES = frozenset(r.name for r in REGISTRY.roles if r.unit is None)
ROLES = frozenset(r.name for r in REGISTRY.roles if r.fields)


@dataclass(frozen=True)
class DatabaseSchema:
    """Which CSV column is the id, which hold numbers (and their roles), which are notes."""

    id_column: str
    numeric: dict[str, str] = field(default_factory=dict)   # column -> role
    notes: tuple[str, ...] = ()            # text columns to lint
    hardware_column: str | None = None     # text field with role "hardware"
    text: dict[str, str] = field(default_factory=dict)      # other text columns -> role
    notes_suffix: str | None = None        # also lint every column ending in this (any case)

    def note_columns(self, header: list[str]) -> list[str]:
        """The notes columns of a header, in header order."""
        suffix = self.notes_suffix.lower() if self.notes_suffix else None
        return [name for name in header
                if name in self.notes or (suffix and name.lower().endswith(suffix))]

    def field_roles(self) -> dict[str, str]:
        """Every field column with its role."""
        roles = dict(self.numeric)
        roles.update(self.text)
        if self.hardware_column:
            roles[self.hardware_column] = "hardware"
        return roles


EPOCH = DatabaseSchema(
    id_column="Model",
    numeric={
        "Parameters": "parameters",
        "Training compute (FLOP)": "compute",
        "Training compute lower bound": "compute_lower",
        "Training compute upper bound": "compute_upper",
        "Training dataset size (datapoints)": "dataset_size",
        "Epochs": "epochs",
        "Training time (hours)": "duration",
        "Hardware quantity": "chips",
        "Hardware utilization": "utilization",
        "Finetune compute (FLOP)": "finetune_compute",
        "Batch size": "batch_size",
    },
    hardware_column="Training hardware",
    text={"Confidence": "confidence"},
    notes_suffix=" notes",
)

_MAPPING_KEYS = ("id", "fields", "notes", "hardware")


def schema_from_mapping(mapping: dict) -> DatabaseSchema:
    """Build a schema from a user's column mapping: {id, fields: {column: role}, notes, hardware}.

    Without `notes`, every column whose name ends in " notes" is linted (as for Epoch's CSV).
    """
    if not isinstance(mapping, dict):
        raise ValueError(  # noqa: TRY004 - config errors are ValueErrors, whatever their cause
            "columns: expected a mapping with keys " + ", ".join(_MAPPING_KEYS))
    for key in mapping:
        if key not in _MAPPING_KEYS:
            raise ValueError(f"columns: unknown key {key!r} (expected one of "
                             + ", ".join(_MAPPING_KEYS) + ")")
    id_column = mapping.get("id")
    if not isinstance(id_column, str) or not id_column.strip():
        raise ValueError("columns.id: required, the name of the column that identifies a row")
    fields = mapping.get("fields") or {}
    if not isinstance(fields, dict):
        raise ValueError(  # noqa: TRY004
            "columns.fields: expected a mapping of column name to role")
    numeric, text = {}, {}
    for column, role in fields.items():
        if not isinstance(column, str) or not column:
            raise ValueError(f"columns.fields: column names must be text, not {column!r}")
        known = REGISTRY.role(role) if isinstance(role, str) else None
        if known is None:
            raise ValueError(f"columns.fields[{column!r}]: unknown role {role!r} (known: "
                             + ", ".join(sorted(ROLES)) + ")")
        role = known.name
        (text if role in TEXT_ROLES else numeric)[column] = role
    notes = mapping.get("notes")
    if notes is not None:
        if isinstance(notes, str) or not isinstance(notes, list) or not notes:
            raise ValueError("columns.notes: expected a non-empty list of column names")
        for column in notes:
            if not isinstance(column, str) or not column:
                raise ValueError(f"columns.notes: column names must be text, not {column!r}")
    hardware = mapping.get("hardware")
    if hardware is not None and (not isinstance(hardware, str) or not hardware):
        raise ValueError("columns.hardware: expected the name of a column")
    return DatabaseSchema(
        id_column=id_column, numeric=numeric, text=text, hardware_column=hardware,
        notes=tuple(notes or ()), notes_suffix=None if notes else " notes",
    )


_EPOCH_KEYS = {normalize_key(c): r for c, r in EPOCH.field_roles().items()}


_NOTE_NAMES = frozenset({"notes", "description", "body", "comment", "comments"})
ID_KEYS = ("id", "model", "modelname", "modelid", "name")   # normalized, by priority


def role_for_key(key: str) -> str | None:
    """The role of an entry key ("n_params", "Parameters", "Training compute (FLOP)")."""
    found = REGISTRY.field_role(key)
    return found[0].name if found else _EPOCH_KEYS.get(normalize_key(key))


def is_notes_key(key: str) -> bool:
    """Whether a key holds free text to lint ("notes", "Parameters notes", "description")."""
    k = normalize_key(key)
    return k.endswith("notes") or k in _NOTE_NAMES


_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(raw: str) -> float | None:
    """The number a cell or value spells ("2400000000.0", "9.504e+22", "1,000"), else None."""
    s = raw.strip()
    if not s or not _NUMBER.fullmatch(s):
        return None
    value = float(s.replace(",", ""))
    return value if math.isfinite(value) else None


_SUFFIXES = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "%": 1e-2}


def parse_quantity(raw: str) -> float | None:
    """A number, optionally with a magnitude suffix or percent sign ("7B", "2T", "41%")."""
    s = raw.strip()
    factor = _SUFFIXES.get(s[-1:])
    if factor is None:
        return parse_number(s)
    number = parse_number(s[:-1])
    if number is None or not math.isfinite(number * factor):    # "1e308B" overflows
        return None
    return number * factor


# --- a positioned key/value tree, shared by the YAML, JSON and front-matter readers -----------

@dataclass(frozen=True)
class Scalar:
    """A leaf value and where its text is in the file.

    `text` is the decoded text (a string's content, a number as written); `start`/`end`
    are file offsets of its source (inside quotes); `offsets` maps `text` to the file
    as in Segment.offsets.
    """

    value: object          # str, int, float, bool or None
    text: str
    start: int
    end: int
    offsets: tuple[tuple[int, int], ...]
    is_string: bool


@dataclass(frozen=True)
class MapNode:
    items: tuple[tuple[Scalar, Node], ...]
    start: int


@dataclass(frozen=True)
class SeqNode:
    items: tuple[Node, ...]
    start: int


Node = Scalar | MapNode | SeqNode


class EntryShapeError(ValueError):
    """A mapping that cannot be an entry; `offset` is where the problem is."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message, self.offset = message, offset


def mapping_entry(path: str, node: MapNode, index: LineIndex, fallback_id: str,
                  nested: bool = False) -> Entry:
    """Turn one mapping into an entry.

    Supported: top-level keys the role registry knows become fields; notes keys holding text become
    segments; one level of nesting as {"fields": {key: value}, "notes": {key: text}} (nested
    notes are named "notes.<key>"). A field's value is a number, or text read as a number
    with an optional suffix ("2.84e8", "7B", "41%"; else value None, raw kept). Lists,
    nested mappings under other keys, and null or boolean values are ignored.
    """
    fields: dict[str, FieldValue] = {}
    segments: list[Segment] = []
    ids: dict[str, Scalar] = {}

    def add_field(key: Scalar, value: object, role: str) -> None:
        if not isinstance(value, Scalar) or value.value is None or isinstance(value.value, bool):
            return
        if key.text in fields:
            raise EntryShapeError(f"duplicate field {key.text!r}", key.start)
        if role in TEXT_ROLES:
            number = None
        elif value.is_string:
            number = parse_quantity(value.text)
        else:
            try:
                number = float(value.value)
            except OverflowError:           # an integer beyond the float range
                number = None
            number = number if number is not None and math.isfinite(number) else None
        fields[key.text] = FieldValue(key.text, value.text, number, value.start, value.end, role)

    def add_note(name: str, value: object) -> None:
        if isinstance(value, Scalar) and value.is_string and value.text.strip():
            segments.append(Segment(value.text, name, value.offsets))

    for key, value in node.items:
        k = normalize_key(key.text)
        if k in ID_KEYS and isinstance(value, Scalar) and value.value is not None:
            ids.setdefault(k, value)
        elif k == "fields" and isinstance(value, MapNode):
            for sub_key, sub_value in value.items:
                role = role_for_key(sub_key.text)
                if role:
                    add_field(sub_key, sub_value, role)
        elif k == "notes" and isinstance(value, MapNode):
            for sub_key, sub_value in value.items:
                add_note(f"notes.{sub_key.text}", sub_value)
        elif is_notes_key(key.text):
            add_note(key.text, value)
        elif role_for_key(key.text) and not (nested and isinstance(value, MapNode)):
            add_field(key, value, role_for_key(key.text))
        elif nested and isinstance(value, MapNode):
            # model-card front matter: co2_eq_emissions: {emissions: 7540, hardware_used: ...}
            for sub_key, sub_value in value.items:
                dotted = f"{key.text}.{sub_key.text}"
                role = role_for_key(dotted) or role_for_key(sub_key.text)
                if role:
                    add_field(Scalar(sub_key.value, dotted, sub_key.start, sub_key.end,
                                     sub_key.offsets, sub_key.is_string), sub_value, role)
    entry_id = next((ids[k].text.strip() for k in ID_KEYS if k in ids), None) or fallback_id
    return Entry(path=path, id=entry_id, segments=segments, fields=fields,
                 line=index.position(node.start)[0])


def compress(anchors: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Drop anchors that continue the previous run, and keep one anchor per segment offset."""
    out: list[tuple[int, int]] = []
    for seg, fil in anchors:
        if out and out[-1][0] == seg:
            out[-1] = (seg, fil)
            continue
        if out and fil - out[-1][1] == seg - out[-1][0]:
            continue
        out.append((seg, fil))
    return tuple(out) or ((0, 0),)
