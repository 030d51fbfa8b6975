"""Rules as data: load, validate and select the YAML files in rules/.

Every rule file names a kind (the mechanism, in linter/kinds/) and carries its own
policy: id, slug, severity, summary, description, source, message template, options
and examples.  Files are validated key by key; a problem is reported as
``path:line:col: message`` and stops the run (exit code 2).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..checks import KINDS
from ..marked_yaml import YamlError, load_documents, mark_of
from ..model.positions import PlaceError
from ..quantities.roles import Registry, RoleError, builtin
from .formula import Formula, FormulaError, parse_formula

ID = re.compile(r"^[A-Z]{1,6}\d{1,4}$")    # MC123 for mclint's own, ACME01 for a team's
SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
SEVERITIES = ("error", "warning", "info")
MAX_RULE_FILE = 256 * 1024

REQUIRED = ("id", "slug", "kind", "severity", "summary", "description", "source", "message",
            "examples")
OPTIONAL = ("options", "formula", "roles", "aliases", "grades", "verified", "skipped",
            "preview")
GRADES = ("material", "minor", "notation")
EXAMPLE_KEYS = ("text", "entry", "file", "rule", "stated", "computed", "grade", "severity",
                "at", "fix", "status", "reason")
KNOWN = REQUIRED + OPTIONAL


class RuleError(PlaceError):
    """A rule file that cannot be used: 'path:line:col: message'."""


@dataclass(frozen=True)
class Rule:
    """One rule: a kind's mechanism with this file's policy."""

    id: str
    slug: str
    kind: str
    severity: str
    summary: str
    description: str
    source: str
    message: str
    options: dict
    examples: dict
    formula: Formula | None = None
    roles: dict = field(default_factory=dict)
    path: str = ""
    line: int = 1
    aliases: tuple[str, ...] = ()       # older codes of this rule, still accepted
    grades: dict = field(default_factory=dict)    # grade -> severity, over the defaults
    verified: str = ""                  # message template for a claim that checked out
    skipped: str = ""                   # message template for a claim not judged
    preview: bool = False               # not yet measured on unseen text: off unless selected

    def option(self, name: str):
        return self.options[name]

    @property
    def consumes(self) -> tuple[str, ...]:
        """What the rule's kind reads: calculations, claims, fields, tables."""
        return KINDS[self.kind].CONSUMES

    def render(self, template: str, values: dict) -> str:
        """Fill a message template (missing names show as '?')."""
        return template.format_map(_Default(values)).strip()


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def builtin_rules_dir() -> Path:
    """rules/ as installed (linter/rules in the wheel) or in a source checkout."""
    installed = resources.files("linter") / "rules"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parents[2] / "rules"


def rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.name != "hardware.yaml")


@lru_cache(maxsize=8)
def load_rules(extra_dirs: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """Load the built-in rules and those in extra_dirs (folders or files); ids must be unique."""
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    dirs = [builtin_rules_dir()] + [Path(d) for d in extra_dirs]
    for directory in dirs:
        if directory.is_file():        # --rules my-rule.yaml
            files = [directory]
        elif directory.is_dir():
            files = rule_files(directory)
        else:
            raise RuleError(str(directory), 0, 0, "no such rule file or folder")
        for path in files:
            for rule in load_rule_file(path, packaged=directory == dirs[0]):
                if rule.id in seen:
                    raise RuleError(str(path), rule.line, 1,
                                    f"rule id {rule.id} is already used by {seen[rule.id]}")
                seen[rule.id] = str(path)
                rules.append(rule)
    return tuple(sorted(rules, key=lambda r: r.id))


def load_rule_file(path: Path, packaged: bool = False) -> list[Rule]:
    """Load and validate every rule document in one file (`packaged`: one of mclint's)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(name, 0, 0, f"cannot read rule file: {exc.strerror}") from None
    if len(raw) > MAX_RULE_FILE:
        raise RuleError(name, 1, 1, f"rule file larger than {MAX_RULE_FILE} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(name, 1, 1, f"not UTF-8 (byte {exc.start})") from None
    try:
        docs = load_documents(text, packaged)
    except YamlError as exc:
        raise RuleError(name, exc.line, exc.column, exc.message) from None
    return [_rule(name, data, marks) for data, marks in docs]


def _rule(path: str, data: object, marks: dict) -> Rule:
    def fail(where: tuple, message: str, key: bool = False):
        line, col = mark_of(marks, where, key)
        raise RuleError(path, line, col, message)

    if not isinstance(data, dict):
        fail((), "a rule must be a mapping")
    for key in data:
        if key not in KNOWN:
            fail((key,), f"unknown key {key!r}", key=True)
    for key in REQUIRED:
        if key not in data:
            fail((), f"missing key {key!r}")
    for key in ("id", "slug", "kind", "severity", "summary", "description", "source", "message"):
        if not isinstance(data[key], str) or not data[key].strip():
            fail((key,), f"{key} must be a non-empty string")
    if not ID.match(data["id"]):
        fail(("id",), f"id {data['id']!r} must be capital letters then digits, like MC123 "
                      "or ACME01")
    if not SLUG.match(data["slug"]):
        fail(("slug",), f"slug {data['slug']!r} must be lower-case words joined by '-'")
    if data["severity"] not in SEVERITIES:
        fail(("severity",), f"severity must be one of {', '.join(SEVERITIES)}")
    if "\n" in data["summary"].strip():
        fail(("summary",), "summary must be one line")
    kind = KINDS.get(data["kind"])
    if kind is None:
        fail(("kind",), f"unknown kind {data['kind']!r} (known: {', '.join(sorted(KINDS))})")

    if not isinstance(data.get("options") or {}, dict):
        fail(("options",), "options must be a mapping")
    options = dict(data.get("options") or {})
    resolved = {}
    for name, (typ, default, _doc) in kind.OPTIONS.items():
        value = options.pop(name, default)
        if typ is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, typ) or isinstance(value, bool) and typ is not bool:
            fail(("options", name), f"option {name} must be {typ.__name__}")
        resolved[name] = value
    for name in options:
        fail(("options", name), f"unknown option {name!r} for kind {data['kind']}", key=True)

    for key in ("message", "verified", "skipped"):
        if key in data:
            _check_template(data[key], key, kind, data["kind"], fail)
    aliases = data.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and ID.match(a)
                                                for a in aliases):
        fail(("aliases",), "aliases must be a list of rule ids such as MC311")
    grades = data.get("grades") or {}
    if not isinstance(grades, dict):
        fail(("grades",), "grades must map a grade (material, minor, notation) to a severity")
    for g, sev in grades.items():
        if g not in GRADES:
            fail(("grades", g), f"unknown grade {g!r} (known: {', '.join(GRADES)})", key=True)
        if sev not in SEVERITIES:
            fail(("grades", g), f"severity must be one of {', '.join(SEVERITIES)}")
    if not isinstance(data.get("preview", False), bool):
        fail(("preview",), "preview must be true or false")

    formula = None
    if getattr(kind, "NEEDS_FORMULA", False):
        if "formula" not in data:
            fail((), f"kind {data['kind']} needs a formula")
        try:
            formula = parse_formula(data["formula"])
        except FormulaError as exc:
            fail(("formula",), f"bad formula: {exc}")
    elif "formula" in data:
        fail(("formula",), f"kind {data['kind']} takes no formula", key=True)
    if hasattr(kind, "prepare"):
        try:
            resolved = kind.prepare(resolved)
        except (FormulaError, ValueError) as exc:
            fail(("options",), f"bad options: {exc}")
    roles = data.get("roles") or {}
    if not isinstance(roles, dict):
        fail(("roles",), "roles must map each role the rule names to its unit, or to "
                         "{unit, keywords}")
    try:
        registry = builtin().extend(roles)
    except RoleError as exc:
        fail(("roles",) + exc.where, str(exc), key=len(exc.where) == 1)
    if formula is not None:
        from ..checks.relation import formulas as all_formulas

        probe = Rule(id="", slug="", kind=data["kind"], severity="", summary="", description="",
                     source="", message="", options=resolved, examples={}, formula=formula)
        for f in all_formulas(probe):
            if f.result != formula.result:
                fail(("options", "variants"), f"variant {f.text!r} must compute {formula.result}")
            for name in f.names + [f.result]:
                if registry.role(name) is None:
                    fail(("formula",), f"the formula names {name!r}, which is no role mclint "
                                       f"knows: define it under roles with a unit and keywords "
                                       f"(see 'mclint claims FILE' for the roles a note offers)")
    for key in ("field_role", "role"):
        if isinstance(resolved.get(key), str) and registry.role(resolved[key]) is None:
            fail(("options", key), f"unknown role {resolved[key]!r}")
    for key in ("claim_roles",):
        for i, name in enumerate(resolved.get(key) or ()):
            if registry.role(name) is None:
                fail(("options", key, i), f"unknown role {name!r}")

    examples = data["examples"]
    if not isinstance(examples, dict) or set(examples) - {"pass", "fail"}:
        fail(("examples",), "examples must be a mapping with 'pass' and 'fail' lists")
    for which in ("pass", "fail"):
        items = examples.get(which)
        if not isinstance(items, list) or not items:
            fail(("examples", which), f"examples need at least one {which!r} example")
        for i, item in enumerate(items):
            if isinstance(item, str):
                continue
            if not isinstance(item, dict) or not ("text" in item or "entry" in item
                                                   or "file" in item):
                fail(("examples", which, i), "an example is a text, or a mapping with "
                                             "'text', 'entry' or 'file'")
            for key in item:
                if key not in EXAMPLE_KEYS:
                    fail(("examples", which, i, key), f"unknown example key {key!r} (known: "
                                                      f"{', '.join(EXAMPLE_KEYS)})", key=True)
    line = marks.get((), (1, 1))[0]
    return Rule(
        id=data["id"], slug=data["slug"], kind=data["kind"], severity=data["severity"],
        summary=data["summary"].strip(), description=data["description"].strip(),
        source=data["source"].strip(), message=data["message"], options=resolved,
        examples=examples, formula=formula, roles=roles, path=path, line=line,
        aliases=tuple(aliases), grades=dict(grades), verified=data.get("verified", ""),
        skipped=data.get("skipped", ""), preview=bool(data.get("preview", False)),
    )


def _check_template(template: object, key: str, kind, kind_name: str, fail) -> None:
    """A message template: a string whose placeholders the kind fills, without format specs."""
    if not isinstance(template, str) or not template.strip():
        fail((key,), f"{key} must be a non-empty string")
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(template)
                  if f is not None]
    except ValueError as exc:
        fail((key,), f"{key} is not a valid template: {exc}")
    if any(spec or conv for _, spec, conv in fields):
        fail((key,), f"{key} placeholders take no format spec or conversion "
                     "(write {name}: mclint formats the numbers)")
    unknown = {f for f, _, _ in fields} - set(kind.PLACEHOLDERS)
    if unknown:
        fail((key,), f"{key} uses {sorted(unknown)}, which kind {kind_name} does not fill "
                     f"(it fills {sorted(kind.PLACEHOLDERS)})")


def registry_for(rules) -> Registry:
    """The role registry of a set of rules: the built-in one with every rule's additions."""
    registry = builtin()
    for r in rules:
        if r.roles:
            registry = registry.extend(r.roles)
    return registry


def aliases_of(rules) -> dict[str, str]:
    """Old codes of the rules, each with the id it now stands for."""
    return {a: r.id for r in rules for a in r.aliases}


def matches(rule: Rule, code: str) -> bool:
    """Whether a code (an id prefix such as MC1, a slug, an old id, or all) names a rule."""
    return code == "all" or rule.id.startswith(code) or rule.slug == code \
        or code in rule.aliases


def select(rules, select_codes=None, ignore_codes=None) -> tuple[Rule, ...]:
    """Keep rules a --select code names (by default: all but preview rules) and no --ignore
    code names.  A preview rule runs only when a code names it by id, slug or alias."""
    def named(rule: Rule, codes) -> bool:
        return any(matches(rule, c) for c in codes)

    def chosen(rule: Rule) -> bool:
        if rule.preview:
            return any(c in (rule.id, rule.slug) or c in rule.aliases for c in select_codes or ())
        return not select_codes or named(rule, select_codes)

    out = [r for r in rules if chosen(r)]
    return tuple(r for r in out if not ignore_codes or not named(r, ignore_codes))
