"""The layout holds: no import cycle, the checks and the arithmetic run without spaCy, the
model imports nothing of mclint, and no module keeps state in globals."""

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "linter"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, top_level_only: bool) -> set[str]:
    """The linter modules a file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _linter_imports(path: Path, top_level_only: bool = True) -> set[str]:
    return {m for m in _imports(path, top_level_only) if m in MODULES}


def test_no_import_cycle_between_modules():
    graph = {name: _linter_imports(path) - {name} for name, path in MODULES.items()}
    # a package's __init__ importing its own modules is how packages work: not a cycle
    for name in graph:
        graph[name] = {m for m in graph[name] if not (m.startswith(name + ".")
                                                      and MODULES[name].name == "__init__.py")}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(nxt):]
                                                                    + [nxt]))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_the_model_imports_nothing_of_mclint():
    for name, path in MODULES.items():
        if name.startswith("linter.model"):
            others = {m for m in _linter_imports(path, False) if not m.startswith("linter.model")}
            assert not others, (name, others)


def test_checks_and_arithmetic_never_import_the_extractor_or_spacy():
    for name, path in MODULES.items():
        if name.startswith(("linter.checks", "linter.arithmetic", "linter.post")):
            bad = {m for m in _imports(path, False)
                   if m.split(".")[0] == "spacy" or m.startswith("linter.extract")}
            assert not bad, (name, bad)


def test_no_module_keeps_state_in_globals():
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Global)], name


def test_the_arithmetic_and_the_checks_run_with_spacy_blocked():
    script = r'''
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "spacy" or name.startswith("spacy.") or name.startswith("linter.extract"):
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, Block())
from linter.arithmetic.judge import judge
from linter.checks import KINDS
from linter.model.claims import Claim, Leaf, Step, Term
from linter.model.numbers import magnitude, parse_plain, scale
from linter.ruleset.load import load_rules

def claim(text, unit=None, kind=None):
    word = magnitude(text[-1]) if text[-1].isalpha() else None
    number = scale(parse_plain(text[:-1]), word) if word else parse_plain(text)
    return Claim(text=text, start=0, end=len(text), number=number, unit=unit, kind=kind)

left = Term(Leaf(claim("6")), (("*", Leaf(claim("340B"))), ("*", Leaf(claim("9T")))))
v = judge(Step(left, Leaf(claim("1.8E24", "FLOP", "flop"))))
assert (v.status, v.grade) == ("problem", "material"), v
v = judge(Step(left, Leaf(claim("1.8E25", "FLOP", "flop"))))
assert v.status == "verified", v
assert len(load_rules()) >= 30 and "relation" in KINDS
assert "spacy" not in sys.modules
print("ok")
'''
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.stdout.strip() == "ok", proc.stderr


def test_every_package_says_what_it_holds_and_may_import():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, init
