"""The one finding type every check produces and every formatter reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as dc_field

SEVERITIES = ("error", "warning", "info")
# How much a problem matters (issue 10): material -> error, minor -> warning, notation -> info.
GRADES = ("material", "minor", "notation")
# What a finding says of its span: the claim checked out, is a problem, or was not judged.
STATUSES = ("verified", "problem", "skipped")


@dataclass(frozen=True)
class Fix:
    """Replace the text at [start, end) of the file (character offsets) with `replacement`."""

    start: int
    end: int
    replacement: str
    original: str = ""


@dataclass(frozen=True)
class Finding:
    """One result of a check: what was stated, what was recomputed, where, by how much."""

    rule: str
    slug: str
    severity: str             # "error" | "warning" | "info" (info = verified or skipped)
    message: str
    start: int = 0            # character offsets in the segment (filled in by checks)
    end: int = 0
    path: str = ""
    line: int = 0             # 1-based, in the input file
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    entry: str | None = None
    field: str | None = None
    text: str = ""            # the claim or calculation as written
    stated: float | None = None
    computed: float | None = None
    relative_error: float | None = None
    unit: str | None = None   # unit of stated and computed
    inputs: tuple = ()        # ((name, text, value), ...): the numbers it was recomputed from
    verified: bool = False    # True for a claim that checked out (shown with --show-verified)
    fix: Fix | None = dc_field(default=None, compare=False)
    offset: int = 0           # character offset of start in the file
    end_offset: int = 0       # character offset just after the span in the file
    grade: str | None = None  # a problem's materiality (GRADES); None for verified/skipped
    skipped: bool = False     # not judged (shown with --show-verified, with the reason)

    @property
    def status(self) -> str:
        """verified, problem or skipped."""
        return "skipped" if self.skipped else "verified" if self.verified else "problem"

    @property
    def is_problem(self) -> bool:
        return not (self.verified or self.skipped)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("start")
        d.pop("end")
        d["status"] = self.status
        d["inputs"] = [
            {"name": n, "text": t, "value": v} for n, t, v in self.inputs
        ]
        return d

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.message)
