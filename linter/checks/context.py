"""What a check sees of one entry: its fields, its notes with their extractions, the hardware table."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.entries import Entry, Note


@dataclass
class EntryContext:
    """Everything a check sees for one entry."""

    entry: Entry
    notes: list[Note]
    hardware: object = None   # linter.quantities.hardware.Hardware
    show_verified: bool = False
