"""Kind 'nodes-as-chips': a hardware-method product must count chips, not nodes.

"7 days on a cluster of 16 nodes, each equipped with 8 Nvidia A100 GPUs" and then
"311840000000000*16*168*3600*0.3 = 9.05284×10^20": the product multiplies one chip's peak
by the number of nodes, so the run's 128 chips count as 16 and the compute is 8 times too
small.  The arithmetic holds; the reading of the entry does not.

Judged only when all of these hold, so that the count can be nothing but the nodes:
- the step's left side is a product (no sums, no divisions) that holds one chip's peak
  FLOP/s: a figure in FLOP/s, or a bare figure equal (within the rule's tolerance) to a
  dense peak of the chip the entry names;
- one of its other factors is a bare figure (or a count of nodes) equal to the number of
  nodes of a sentence that puts several chips on each node ("16 nodes, each with 8
  GPUs"), and no factor is the run's chip count or the chips per node;
- the entry states that number of chips nowhere (a "16 GPUs" elsewhere could be a
  fine-tuning run's).
"""

from __future__ import annotations

import math

from ..model.claims import factors, single
from ..model.numbers import fmt
from .build import claim_sources, finding
from .context import EntryContext

CONSUMES = ("calculations", "claims", "fields")
OPTIONS = {
    "tolerance": (float, 0.08, "how near a bare figure must be to a chip's peak to be one"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "used", "nodes", "chips", "per_node"}


def check(rule, ctx: EntryContext):
    """Yield a finding at each hardware-method product that counts nodes as chips."""
    clusters = _clusters(ctx)
    if not clusters:
        return
    peaks = _peaks(ctx)
    stated_chips = {c.value for n in ctx.notes for c in n.extraction.claims
                    if c.kind == "chips" and c.high is None}
    tol = rule.options["tolerance"]
    for note in ctx.notes:
        for calc in note.extraction.calculations:
            if calc.skip:
                continue
            for step in calc.steps:
                found = _nodes_used(step, clusters, peaks, stated_chips, tol)
                if found is None:
                    continue
                used, nodes, per_node, stated = found
                total = nodes.value * per_node.value
                yield finding(
                    rule, status="problem", field=note.field, start=used.start, end=used.end,
                    text=step.text, grade="material", stated=stated.value,
                    computed=stated.value * per_node.value, unit=stated.unit_text,
                    sources=claim_sources((used, nodes, per_node)), used=used.text,
                    nodes=nodes.text, chips=fmt(total), per_node=per_node.text)


def _clusters(ctx: EntryContext) -> list[tuple]:
    """(nodes, chips per node) of each sentence that puts several chips on each node
    ("16 nodes, each equipped with 8 Nvidia A100"): fewer chips than nodes, one sentence."""
    out = []
    for note in ctx.notes:
        claims = note.extraction.claims
        nodes = [c for c in claims if c.kind == "nodes" and c.high is None]
        chips = [c for c in claims if c.kind in ("chips", "chips/nodes") and c.high is None]
        for n in nodes:
            per = [c for c in chips if (c.sentence == n.sentence and 1 < c.value < n.value)
                   or (c.kind == "chips/nodes" and c.paragraph == n.paragraph)]
            if len({c.value for c in per}) == 1 and float(n.value).is_integer():
                out.append((n, per[0]))
    return out


def _peaks(ctx: EntryContext) -> list[float]:
    """The dense peaks of the chips the entry names (its hardware field, its notes)."""
    hw = ctx.hardware
    if hw is None:
        return []
    names = [n.strip() for fv in ctx.entry.fields.values() if fv.role == "hardware"
             for n in fv.raw.split(",") if n.strip()]
    names += [m.chip for note in ctx.notes for m in note.extraction.chips]
    out = []
    for name in names:
        chip = hw.lookup(name)
        if chip is not None:
            for other in [chip] + list(hw.family(chip)):
                out += list(other.peaks.values())
    return out


def _nodes_used(step, clusters, peaks, stated_chips, tol):
    """(the factor, its node count, chips per node, the stated result) when the step's
    product counts nodes where chips belong."""
    result = single(step.right)
    parts = factors(step.left)
    if result is None or parts is None or len(parts) < 3:
        return None
    if not any(_is_peak(c, peaks, tol) for c in parts):
        return None
    for nodes, per_node in clusters:
        total = nodes.value * per_node.value
        if nodes.value in stated_chips or any(
                math.isclose(c.value, total) or math.isclose(c.value, per_node.value)
                for c in parts):
            continue        # the chips are counted ("16 nodes * 8 GPUs * ..."), or may be
        used = [c for c in parts if c is not nodes and math.isclose(c.value, nodes.value)
                and (c.unit is None or c.kind == "nodes") and c.number.magnitude == 1]
        if len(used) == 1:
            return used[0], nodes, per_node, result
        if any(c is nodes for c in parts):
            return nodes, nodes, per_node, result
    return None


def _is_peak(c, peaks, tol) -> bool:
    """One chip's throughput: a figure, bare or in FLOP/s, at one of the chip's peaks (a
    node's or a cluster's figure is none)."""
    return (c.unit is None or c.kind == "flop_rate") and \
        any(abs(c.value - p) <= tol * p for p in peaks)
