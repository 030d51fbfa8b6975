"""Configuration: [tool.mclint] in pyproject.toml or .mclint.yaml, found upward from a file.

Like ruff, the nearest configuration file wins (no merging): `.mclint.yaml`,
`.mclint.yml`, then a pyproject.toml that has a [tool.mclint] table.  Every key is
validated; a problem is a ConfigError reading ``path:line:col: message``.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .marked_yaml import YamlError, load_documents, mark_of
from .model.positions import PlaceError

CONFIG_NAMES = (".mclint.yaml", ".mclint.yml", "pyproject.toml")
KEYS = ("select", "ignore", "per-file-ignores", "tolerance", "rules", "columns",
        "suppressions", "show-verified", "exclude", "extend-exclude", "fail-on")
FAIL_ON = ("error", "warning", "info")      # severities, most severe first
SUPPRESSION_KEYS = ("entry", "rule", "reason", "path")
MAX_CONFIG = 1024 * 1024


class ConfigError(PlaceError):
    """A configuration file that cannot be used: 'path:line:col: message'."""


@dataclass(frozen=True)
class Suppression:
    """A database finding accepted on purpose: entry id, rule code and the reason why."""

    entry: str
    rule: str
    reason: str
    path: str | None = None   # glob, relative to the configuration's folder
    line: int = 0             # where the suppression is written in the configuration
    column: int = 0


@dataclass(frozen=True)
class Config:
    """One configuration file's settings (an empty Config is the defaults)."""

    path: str = ""
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tolerance: dict = field(default_factory=dict)      # {rule id or slug: {option: value}}
    rules: tuple[str, ...] = ()                        # extra rule folders, absolute
    columns: dict | None = None                        # database column mapping (readers)
    suppressions: tuple[Suppression, ...] = ()
    show_verified: bool | None = None
    exclude: tuple[str, ...] | None = None             # globs; None: the default excludes
    extend_exclude: tuple[str, ...] = ()               # globs added to exclude
    fail_on: str | None = None                         # a severity in FAIL_ON
    marks: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def root(self) -> Path:
        """The folder relative paths in this configuration start from."""
        return Path(self.path).resolve().parent if self.path else Path.cwd()

    def fail(self, where: tuple, message: str, key: bool = False) -> ConfigError:
        """Build an error at the position of a key path such as ("tolerance", "MC101")."""
        line, col = mark_of(self.marks, where, key) if self.marks else (0, 0)
        return ConfigError(self.path, line, col, message)

    def rule_options(self, rule) -> dict:
        """Return the option overrides this configuration gives a rule (by id or slug)."""
        out: dict = {}
        for key in (rule.slug, rule.id):
            out.update(self.tolerance.get(key, {}))
        return out

    def apply_tolerance(self, rules) -> tuple:
        """Rules with this configuration's option overrides, checked against their kinds."""
        from .checks import KINDS

        known = {r.id for r in rules} | {r.slug for r in rules}
        for key in self.tolerance:
            if key not in known:
                raise self.fail(("tolerance", key), f"tolerance: unknown rule {key!r}", key=True)
        out = []
        for rule in rules:
            overrides = self.rule_options(rule)
            if not overrides:
                out.append(rule)
                continue
            spec = KINDS[rule.kind].OPTIONS
            options = dict(rule.options)
            for name, value in overrides.items():
                key = rule.id if name in self.tolerance.get(rule.id, {}) else rule.slug
                where = ("tolerance", key, name)
                if name not in spec:
                    raise self.fail(where, f"tolerance: rule {rule.id} has no option {name!r} "
                                           f"(it has: {', '.join(sorted(spec))})", key=True)
                typ = spec[name][0]
                ok, value = _coerce(value, typ)
                if not ok:
                    raise self.fail(where, f"tolerance: {rule.id} option {name} must be "
                                           f"{typ.__name__}")
                options[name] = value
            kind = KINDS[rule.kind]
            if hasattr(kind, "prepare"):   # the kind's own checks, as when rules load
                try:
                    options = kind.prepare(options)
                except ValueError as exc:
                    raise self.fail(("tolerance", rule.id if rule.id in self.tolerance
                                     else rule.slug), f"tolerance: {rule.id}: {exc}") from None
            out.append(replace(rule, options=options))
        return tuple(out)

    def check_codes(self, rules) -> None:
        """Refuse rule codes (select, ignore, ...) that match no rule: a typo hides findings."""
        from .ruleset.load import matches

        def check(code: str, where: tuple) -> None:
            if code != "all" and not any(matches(r, code) for r in rules):
                raise self.fail(where, f"{where[0]}: {code!r} matches no rule")

        for key in ("select", "ignore"):
            for i, code in enumerate(getattr(self, key) or ()):
                check(code, (key, i))
        for pattern, codes in self.per_file_ignores:
            for i, code in enumerate(codes):
                check(code, ("per-file-ignores", pattern, i))
        for i, s in enumerate(self.suppressions):
            check(s.rule, ("suppressions", i, "rule"))

    def ignored_codes(self, path: str) -> tuple[str, ...]:
        """Return the codes per-file-ignores switch off for a file."""
        rel = relative_to(path, self.root)
        out: list[str] = []
        for pattern, codes in self.per_file_ignores:
            if glob_matches(rel, pattern):
                out += codes
        return tuple(out)


def glob_matches(rel: str, pattern: str) -> bool:
    """Match a '/'-separated relative path against a configuration glob.

    A glob with a '/' matches the whole relative path ('drafts/*', '*' crossing folders);
    one without matches the last part too ('legacy.md', '*.tmp.md', '.venv').
    """
    pattern = pattern.removeprefix("./").rstrip("/") or "."
    return fnmatch.fnmatchcase(rel, pattern) or (
        "/" not in pattern and fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern))


def code_matches(code: str, rule_id: str, slug: str = "") -> bool:
    """Tell whether a rule code (id prefix such as "MC1", slug, or "all") matches a rule."""
    return code == "all" or rule_id.startswith(code) or code == slug


def relative_to(path: str, root: Path) -> str:
    """Make a path relative to a folder, with '/' separators ('<stdin>' stays as is)."""
    if path.startswith("<"):
        return path
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def display_path(path: str) -> str:
    """Show a path as the user would write it: relative when under the working folder."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def find_config(start: str | os.PathLike, cache: dict | None = None) -> Config | None:
    """Find the nearest configuration in start's folder or above it, if any.

    `cache` (folder -> Config or None) lets one run look each folder up once.
    """
    cache = {} if cache is None else cache
    here = Path(start).resolve()
    visited = []
    found: Config | None = None
    while True:
        key = str(here)
        if key in cache:
            found = cache[key]
            break
        visited.append(key)
        found = _config_in(here)
        if found is not None or here.parent == here:
            break
        here = here.parent
    for key in visited:
        cache[key] = found
    return found


def _config_in(folder: Path) -> Config | None:
    for name in CONFIG_NAMES:
        candidate = folder / name
        if candidate.is_file():
            config = load_config(display_path(str(candidate)), required=False)
            if config is not None:
                return config
    return None


def load_config(path: str, required: bool = True) -> Config | None:
    """Read one configuration file; a pyproject.toml without [tool.mclint] gives None."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, 0, 0, "configuration file not found") from None
    except IsADirectoryError:
        raise ConfigError(path, 0, 0, "configuration path is a directory") from None
    except OSError as exc:
        raise ConfigError(path, 0, 0, f"cannot read configuration: {exc.strerror}") from None
    if len(raw) > MAX_CONFIG:
        raise ConfigError(path, 1, 1, f"configuration larger than {MAX_CONFIG} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(path, 1, 1, f"not UTF-8 (byte {exc.start})") from None
    if Path(path).suffix == ".toml":
        data, marks = _load_toml(path, text, required)
        if data is None:
            return None
    else:
        try:
            docs = load_documents(text)
        except YamlError as exc:
            raise ConfigError(path, exc.line, exc.column, exc.message) from None
        if len(docs) > 1:
            raise ConfigError(path, docs[1][1].get((), (0, 0))[0], 1,
                              "a configuration is one YAML document")
        data, marks = docs[0] if docs else ({}, {})
        data = {} if data is None else data
    return parse(data, marks, path)


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def _load_toml(path: str, text: str, required: bool) -> tuple[dict | None, dict]:
    """Read the [tool.mclint] table of a pyproject.toml and the lines of its keys."""
    toml = _toml_parser()
    if toml is None:
        if not required and "[tool.mclint" not in text:
            return None, {}
        raise ConfigError(path, 0, 0, "reading pyproject.toml needs Python 3.11 or the tomli "
                                      "package; use .mclint.yaml instead")
    try:
        doc = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        if not required and "[tool.mclint" not in text:
            return None, {}   # someone else's broken pyproject: not ours to judge
        m = _TOML_POS.search(str(exc))
        line, col = (int(m[1]), int(m[2])) if m else (text.count("\n") + 1, 1)
        message = _TOML_POS.sub("", str(exc)).replace("(at end of document)", "").strip()
        raise ConfigError(path, line, col, f"invalid TOML: {message}") from None
    except (RecursionError, ValueError) as exc:   # deep nesting, an integer of 5,000 digits
        if not required and "[tool.mclint" not in text:
            return None, {}
        why = "nested too deeply" if isinstance(exc, RecursionError) else \
            str(exc).split(":")[0]
        raise ConfigError(path, 1, 1, f"invalid TOML: {why}") from None
    table = doc.get("tool", {}).get("mclint") if isinstance(doc.get("tool"), dict) else None
    if table is None:
        if required:
            raise ConfigError(path, 0, 0, "no [tool.mclint] table")
        return None, {}
    return table, _toml_marks(text)


def _toml_parser():
    """Return tomllib (Python 3.11+), else tomli if installed, else None."""
    try:
        import tomllib
    except ModuleNotFoundError:
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            return None
    return tomllib


# Written so that no two parts can match the same spaces: a name or key starts and ends
# with a non-space, so a long line of spaces costs linear time, not quadratic.
_KEY_CHAR = r"""[A-Za-z0-9_.\-"']"""
_HEADER = re.compile(r"^[ \t]*(?P<array>\[)?\[[ \t]*(?P<name>[^\]\s](?:[^\]]*[^\]\s])?)[ \t]*\]\]?")
_KEY = re.compile(rf"""^[ \t]*(?P<key>{_KEY_CHAR}(?:[A-Za-z0-9_.\-"' ]*{_KEY_CHAR})?)[ \t]*=""")


def _toml_marks(text: str) -> dict:
    """Approximate marks for [tool.mclint] keys: the line of each header and 'key =' line.

    tomllib reports no positions; this line scan finds tables and top-level keys of
    each table, which is enough to point an error at the right line.
    """
    marks: dict = {}
    table: tuple | None = None
    arrays: dict = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            parts = tuple(p.strip().strip("\"'") for p in header["name"].split("."))
            table = None
            if parts[:2] == ("tool", "mclint"):
                table = parts[2:]
                if header["array"]:
                    arrays[table] = arrays.get(table, -1) + 1
                    table = table + (arrays[table],)
                marks.setdefault(table, (lineno, 1))
            continue
        key = _KEY.match(line)
        if key and table is not None:
            parts = tuple(p.strip().strip("\"'") for p in key["key"].split("."))
            col = len(line) - len(line.lstrip()) + 1
            marks.setdefault(table + parts, (lineno, col))
            marks.setdefault(table + parts + ("__key__",), (lineno, col))
    marks.setdefault((), (1, 1))
    return marks


def parse(data: object, marks: dict, path: str) -> Config:
    """Validate a configuration's data key by key and build the Config."""
    probe = Config(path=path, marks=marks)

    def fail(where: tuple, message: str, key: bool = False):
        raise probe.fail(where, message, key)

    if not isinstance(data, dict):
        fail((), "a configuration must be a mapping of keys to values")
    for key in data:
        if key not in KEYS:
            hint = difflib.get_close_matches(str(key), KEYS, n=1)
            fail((key,), f"unknown key {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint
                                                   else f" (known: {', '.join(KEYS)})"),
                 key=True)
    root = Path(path).resolve().parent
    kw: dict = {}
    if "select" in data:
        kw["select"] = _codes(data["select"], ("select",), fail)
    if "ignore" in data:
        kw["ignore"] = _codes(data["ignore"], ("ignore",), fail)
    if "per-file-ignores" in data:
        pfi = _mapping(data["per-file-ignores"], ("per-file-ignores",), fail,
                       "a mapping of file glob to a list of rule codes")
        kw["per_file_ignores"] = tuple(
            (str(glob), _codes(codes, ("per-file-ignores", glob), fail))
            for glob, codes in pfi.items())
    if "tolerance" in data:
        tol = _mapping(data["tolerance"], ("tolerance",), fail,
                       "a mapping of rule id to {option: value}")
        for rule, options in tol.items():
            _mapping(options, ("tolerance", rule), fail, f"a mapping of {rule}'s options to values")
        kw["tolerance"] = {str(k): dict(v) for k, v in tol.items()}
    if "rules" in data:
        folders = _strings(data["rules"], ("rules",), fail, "a list of rule folders")
        kw["rules"] = tuple(str((root / f).resolve()) for f in folders)
    if "columns" in data:
        kw["columns"] = _columns(data["columns"], fail)
    if "suppressions" in data:
        kw["suppressions"] = _suppressions(data["suppressions"], marks, fail)
    if "show-verified" in data:
        if not isinstance(data["show-verified"], bool):
            fail(("show-verified",), "show-verified must be true or false")
        kw["show_verified"] = data["show-verified"]
    for key in ("exclude", "extend-exclude"):
        if key in data:
            kw[key.replace("-", "_")] = _strings(data[key], (key,), fail,
                                                 "a list of file or folder globs")
    if "fail-on" in data:
        if data["fail-on"] not in FAIL_ON:
            fail(("fail-on",), f"fail-on must be one of {', '.join(FAIL_ON)}")
        kw["fail_on"] = data["fail-on"]
    return Config(path=path, marks=marks, **kw)


def _mapping(value: object, where: tuple, fail, what: str) -> dict:
    if not isinstance(value, dict):
        fail(where, f"{'.'.join(map(str, where))} must be {what}")
    return value


def _strings(value: object, where: tuple, fail, what: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        fail(where, f"{'.'.join(map(str, where))} must be {what}")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            fail(where + (i,), f"{'.'.join(map(str, where))} must be {what} (item {i + 1} is "
                               f"{type(item).__name__})")
    return tuple(v.strip() for v in value)


def _codes(value: object, where: tuple, fail) -> tuple[str, ...]:
    return _strings(value, where, fail, "a list of rule codes such as [MC101, MC2]")


def _columns(value: object, fail) -> dict:
    """Check a column mapping with the CSV reader's own rules, at the key it names."""
    from .readers.schema import schema_from_mapping

    try:
        schema_from_mapping(value)
    except ValueError as exc:
        named = re.match(r"columns\.(\w+)", str(exc))
        where = ("columns", named[1]) if named and isinstance(value, dict) else ("columns",)
        message = str(exc) if str(exc).startswith("columns") else f"columns: {exc}"
        fail(where, message)
    return dict(value)


def _suppressions(value: object, marks: dict, fail) -> tuple[Suppression, ...]:
    if not isinstance(value, list):
        fail(("suppressions",), "suppressions must be a list of {entry, rule, reason}")
    out = []
    for i, item in enumerate(value):
        where = ("suppressions", i)
        if not isinstance(item, dict):
            fail(where, "a suppression is a mapping with entry, rule and reason")
        for key in item:
            if key not in SUPPRESSION_KEYS:
                fail(where + (key,), f"suppressions: unknown key {key!r} "
                                     f"(known: {', '.join(SUPPRESSION_KEYS)})", key=True)
        for key in ("entry", "rule", "reason"):
            if key not in item:
                fail(where, f"suppressions: item {i + 1} needs {key!r}"
                            + (" (say why the finding is accepted)" if key == "reason" else ""))
            if not isinstance(item[key], str) or not item[key].strip():
                fail(where + (key,), f"suppressions: {key} must be a non-empty text")
        if "path" in item and not isinstance(item["path"], str):
            fail(where + ("path",), "suppressions: path must be a file glob")
        line, col = mark_of(marks, where)
        out.append(Suppression(entry=item["entry"].strip(), rule=item["rule"].strip(),
                               reason=item["reason"].strip(), path=item.get("path"),
                               line=line, column=col))
    return tuple(out)


def _coerce(value: object, typ: type) -> tuple[bool, object]:
    """Check an option value against its kind's type, as rule files are checked."""
    if typ is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, bool) and typ is not bool:
        return False, value
    return isinstance(value, typ), value
