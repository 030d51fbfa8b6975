"""What the HTML report and the web page are expected to show, in one place.

The marks themselves are derived from `linter.lint` in each test, so they follow the core.
The few numbers below are the ones issue 14 states in words; they depend on the checking
core (being rewritten), and are the only numbers to update when its counts change.
"""

from __future__ import annotations

import html.parser
from pathlib import Path

from conftest import FIXTURES

SEED = FIXTURES / "notes" / "nemotron-4-340b.txt"
COMPUTE_SLIP = FIXTURES / "notes" / "nemotron-4-340b-compute-slip.txt"
DAYS_SLIP = FIXTURES / "notes" / "nemotron-4-340b-days-slip.txt"
EPOCH_SAMPLE = FIXTURES / "entries" / "epoch_sample.csv"

# --- depend on the checking core: update these when its counts change ---
SEED_VERIFIED = 7          # "pasting the seed note marks its seven verified claims"
SLIP_MATERIAL_AT = "1.9e24"   # the compute slip: one material problem, at this number
SLIP_MATERIAL = 1

XSS_NOTE = ('<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">\n'
            'Notes: 6 * 340B * 9T = 1.8E24 <b onmouseover=alert(1)>bold</b> & "quoted" \'s\n'
            '</textarea><style>body{display:none}</style>')


def lint(path: Path | str, text: str | None = None, filename: str | None = None, **options):
    """The JSON report the page asks for: every finding and every claim."""
    import linter

    options = {"show_verified": True, "show_claims": True, "isolated": True, **options}
    if text is None:
        return linter.lint(Path(path), **options)
    return linter.lint(text, filename=filename, **options)


class Elements(html.parser.HTMLParser):
    """The elements of an HTML document, each with its attributes, its text, and its own
    text (a mark's text without its derivation box)."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "wbr", "source", "col",
                      "area", "base"})

    def __init__(self, document: str):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self.stack: list[dict] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.tags: list[str] = []
        self.attribute_names: set[str] = set()
        self._raw: str | None = None
        self.feed(document)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attribute_names.update(name for name, _ in attrs)
        if tag in ("script", "style"):
            self._raw = tag
        if tag in self.VOID:
            return
        node = {"tag": tag, "attrs": dict(attrs), "text": "", "own": ""}
        self.stack.append(node)
        self.found.append(node)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._raw = None
        if tag in self.VOID:
            return
        while self.stack:
            node = self.stack.pop()
            if node["tag"] == tag:
                break

    def handle_data(self, data):
        if self._raw == "script":
            self.scripts.append(data)
            return
        if self._raw == "style":
            self.styles.append(data)
            return
        # A node's own text leaves out the derivation boxes inside it.
        tip_at = next((i for i, n in enumerate(self.stack)
                       if "tip" in n["attrs"].get("class", "").split()), None)
        for i, node in enumerate(self.stack):
            node["text"] += data
            if tip_at is None or i >= tip_at:
                node["own"] += data

    def select(self, tag: str | None = None, attr: str | None = None,
               cls: str | None = None) -> list[dict]:
        return [n for n in self.found if (tag is None or n["tag"] == tag)
                and (attr is None or attr in n["attrs"])
                and (cls is None or cls in n["attrs"].get("class", "").split())]


def marks_of(elements: Elements) -> list[dict]:
    """The marks of a parsed document: offsets, status, findings, claims and their text."""
    out = []
    for n in elements.select("mark", "data-mark"):
        a = n["attrs"]
        out.append({
            "offset": int(a["data-offset"]), "end": int(a["data-end"]),
            "status": a["data-status"], "statuses": a["data-statuses"].split(),
            "rules": a["data-rules"].split(),
            "findings": [int(i) for i in a["data-findings"].split()],
            "claims": [int(i) for i in a["data-claims"].split()],
            "text": n["own"],
        })
    return out
