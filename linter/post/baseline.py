"""Baselines: record today's problems, then report only new ones and the ones that are gone.

A problem is keyed by (path, entry, field, rule, claim text), never by line, so edits
elsewhere in a file leave the baseline valid.  Paths are stored relative to the
baseline file's folder.  Equal keys are counted: a baseline is a multiset.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..config import relative_to
from ..model.findings import Finding

VERSION = 1
MAX_BASELINE = 256 * 1024 * 1024

Key = tuple  # (path, entry, field, rule, text)


class BaselineError(ValueError):
    """A baseline file that cannot be read or written."""


@dataclass(frozen=True)
class Item:
    """One baseline record, with how many equal findings it stands for."""

    path: str
    entry: str | None
    field: str | None
    rule: str
    text: str
    count: int = 1

    def to_dict(self) -> dict:
        return {"path": self.path, "entry": self.entry, "field": self.field, "rule": self.rule,
                "text": self.text, "count": self.count}


def key(f: Finding, root: Path) -> Key:
    """Identify a finding by where it is by name (path, entry, field, rule, text), not line."""
    return (relative_to(f.path, root), f.entry, f.field, f.rule, f.text)


def dumps(findings: list[Finding], root: Path) -> str:
    """Serialize a run's problems as a baseline (verified claims are not recorded)."""
    counts = Counter(key(f, root) for f in findings if f.is_problem)
    items = [Item(*k, count=n).to_dict()
             for k, n in sorted(counts.items(), key=lambda kv: tuple(map(str, kv[0])))]
    return json.dumps({"tool": "mclint", "version": VERSION, "findings": items},
                      indent=2, ensure_ascii=False) + "\n"


def load(path: str) -> Counter:
    """Read a baseline file into a multiset of keys."""
    try:
        size = os.path.getsize(path)
        if size > MAX_BASELINE:
            raise BaselineError(f"{path}: baseline larger than {MAX_BASELINE // 2**20} MB")
        with open(path, "rb") as fh:
            data = json.loads(fh.read().decode("utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except IsADirectoryError:
        raise BaselineError(f"{path}: baseline path is a directory") from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: not a mclint baseline (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: not a mclint baseline "
                            f"(invalid JSON: {exc.msg})") from None
    except (RecursionError, ValueError) as exc:   # deep nesting, an integer of 5,000 digits
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(":")[0]
        raise BaselineError(f"{path}: not a mclint baseline (invalid JSON: {why})") from None
    if (not isinstance(data, dict) or data.get("tool") != "mclint"
            or not isinstance(data.get("findings"), list)):
        raise BaselineError(f"{path}: not a mclint baseline (expected an object with "
                            "\"tool\": \"mclint\" and a \"findings\" list; write one with "
                            "--write-baseline)")
    if data.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {data.get('version')!r} is not "
                            f"supported (this mclint writes version {VERSION})")
    counts: Counter = Counter()
    for i, item in enumerate(data["findings"]):
        if not _valid(item):
            raise BaselineError(f"{path}: not a mclint baseline (finding {i + 1} needs path, "
                                "entry, field, rule, text and a positive count)")
        counts[(item["path"], item["entry"], item["field"], item["rule"],
                item["text"])] += item.get("count", 1)
    return counts


def _valid(item: object) -> bool:
    if not isinstance(item, dict):
        return False
    strings = all(isinstance(item.get(k), str) for k in ("path", "rule", "text"))
    optional = all(item.get(k) is None or isinstance(item.get(k), str) for k in ("entry", "field"))
    count = item.get("count", 1)
    return (strings and optional and "entry" in item and "field" in item
            and isinstance(count, int) and not isinstance(count, bool) and count > 0)


def apply(findings: list[Finding], known: Counter, root: Path,
          linted: list[str]) -> tuple[list[Finding], list[Item]]:
    """Drop the problems the baseline records; return the rest and the linted items now gone."""
    left = Counter(known)
    kept = []
    for f in findings:
        k = key(f, root)
        if f.is_problem and left[k] > 0:
            left[k] -= 1
            continue
        kept.append(f)
    paths = {relative_to(p, root) for p in linted}   # files not linted now are not "gone"
    gone = [Item(*k, count=n) for k, n in sorted(left.items(),
                                                 key=lambda kv: tuple(map(str, kv[0])))
            if n > 0 and k[0] in paths]
    return kept, gone
