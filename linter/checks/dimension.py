"""Kind 'dimension': the two sides of a stated calculation must have the same dimension."""

from __future__ import annotations

from .context import EntryContext
from ..model.findings import Finding
from ..quantities.units import dimension_name
from ..arithmetic.recompute import skip_reason, step_dimensions

OPTIONS = {
    "calculations": (list, ["chain", "prose"], "which calculations to check"),
}
PLACEHOLDERS = {"text", "left", "right"}


def check(rule, ctx: EntryContext):
    """Yield a finding for each step whose sides have different physical dimensions."""
    for note in ctx.notes:
        for calc in note.extraction.calculations:
            if calc.kind not in rule.options["calculations"]:
                continue
            for step in calc.steps:
                if skip_reason(step):
                    continue
                dims = step_dimensions(step)
                if dims is None or dims[0] == dims[1]:
                    continue
                left = dimension_name(tuple(sorted(dims[0].items())))
                right = dimension_name(tuple(sorted(dims[1].items())))
                yield Finding(
                    rule=rule.id, slug=rule.slug, severity=rule.severity,
                    message=rule.render(text=step.text, left=left, right=right),
                    start=step.start, end=step.end, field=note.field, text=step.text,
                )
