"""What pint said of the units mclint has met, and the data files it parses on every run,
kept on disk between runs.

pint's import and registry are most of what a cold run costs beyond spaCy's own import, and
a run meets few units (a note, a few dozen), the same ones run after run.  A run that meets
only units in this cache never imports pint.

One JSON file per mclint version and units.txt, in $MCLINT_CACHE_DIR, else
$XDG_CACHE_HOME/mclint, else ~/.cache/mclint (as pip and ruff keep theirs); set
MCLINT_CACHE_DIR to an empty string to keep nothing.  Only answers are kept, never errors
(an unknown unit asks pint every time, with pint's message).  The file is written once, at
exit, when the run met new units, through a temporary file and a rename; a file that cannot
be read or written is ignored.  Values are what pint gave, to the last bit (JSON keeps a
float's repr), so findings are the same with or without the cache.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from pathlib import Path


@dataclass
class UnitCache:
    """Answers by kind ("info", "prefix", "parts") and unit expression."""

    path: Path | None
    answers: dict[str, dict[str, object]] = field(default_factory=dict)
    dirty: bool = False

    def get(self, kind: str, unit: str):
        table = self.answers.get(kind)
        return table.get(unit) if isinstance(table, dict) else None

    def put(self, kind: str, unit: str, answer) -> None:
        self.answers.setdefault(kind, {})[unit] = answer
        if not self.dirty and self.path is not None:
            self.dirty = True
            atexit.register(self.save)

    def save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".units-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.answers, fh, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError:
            pass     # a read-only home, a full disk: the next run asks pint again


def cache_folder() -> Path | None:
    """Where the cache lives, or None when MCLINT_CACHE_DIR is set empty."""
    configured = os.environ.get("MCLINT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mclint"


@lru_cache(maxsize=1)
def store() -> UnitCache:
    """The cache of this run (read once)."""
    from .. import __version__
    from .units import DATA

    folder = cache_folder()
    if folder is None:
        return UnitCache(None)
    digest = hashlib.sha256((DATA / "units.txt").read_bytes()).hexdigest()[:16]
    path = folder / f"units-{__version__}-{digest}.json"
    try:
        answers = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        answers = {}
    return UnitCache(path, answers if isinstance(answers, dict) else {})


def persisted(kind: str, encode, decode):
    """Keep a function's answers for unit expressions in the cache: `encode` makes an answer
    JSON, `decode` reads it back and raises TypeError or ValueError on anything else (None
    when the unit is not there)."""
    def wrap(fn):
        @wraps(fn)
        def answer(unit: str):
            try:
                return decode(store().get(kind, unit))
            except (TypeError, ValueError):      # not in the cache, or not as written there
                pass
            value = fn(unit)                     # pint's errors are never kept
            store().put(kind, unit, encode(value))
            return value
        return answer
    return wrap


def parsed(text: str, parse):
    """`parse(text)`: the plain data of a data file mclint reads on every run (the hardware
    table, units, roles), kept in the cache under the text's digest, so that a warm run
    does not parse YAML.  Only data that JSON gives back exactly is kept, as a JSON text
    of its own (the cache file sorts its keys; the data keeps its order)."""
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    kept = store().get("data", key)
    if isinstance(kept, str):
        try:
            return json.loads(kept)
        except ValueError:
            pass
    data = parse(text)
    try:
        written = json.dumps(data)
        if json.loads(written) == data:
            store().put("data", key, written)
    except (TypeError, ValueError):     # not JSON data: parsed again next time
        pass
    return data


def load_packaged(text: str) -> object:
    """A YAML data file shipped with mclint (units, roles, patterns, hardware), parsed with
    safe tags only, by libyaml where PyYAML has it, and kept in the cache (`parsed`)."""
    import yaml

    return parsed(text, lambda t: yaml.load(t, Loader=getattr(yaml, "CSafeLoader",
                                                               yaml.SafeLoader)))


def as_float(answer) -> float:
    if not isinstance(answer, float):
        raise TypeError(answer)
    return answer


def as_pairs(answer) -> tuple[tuple[str, float], ...]:
    """(name, exponent) pairs: a unit's dimension or its named parts."""
    return tuple((str(k), float(v)) for k, v in answer)
