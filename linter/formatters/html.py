"""HTML output: one self-contained page that marks every claim in place.

The same findings as `--format json` (this formatter renders that JSON), shown inside the
text they were found in: each claim is a mark coloured and shaped by its status, with the
derivation (rule, stated, recomputed, from which numbers, how far off) on hover or focus;
a list of findings jumps to each; database files get one section per entry, collapsed
when clean, and a filter by rule and status.

The file opens offline: the stylesheet and script are inlined (the same files the web page
serves, linter/web/static/), and a Content-Security-Policy allows those two and nothing
else, so even a mistake in escaping could not run a script.  Every piece of text from the
input goes through `tag`/`esc`; nothing else builds markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
from importlib import resources

from .. import __version__
from .json_format import to_json
from .marks import LABELS, STATUSES, Mark, build_marks, fmt, is_structured, pct, status_of
from .marks import sections as entry_sections

DESCRIPTIONS = {
    "material": "the recomputed value disagrees enough to change a conclusion",
    "minor": "the recomputed value disagrees, but not by enough to matter much",
    "notation": "the number is written in a way that reads wrongly (a unit, a prefix)",
    "verified": "recomputed from the numbers it comes from, and it agrees",
    "skipped": "a rule looked at it but could not judge it (the reason is given)",
    "unchecked": "a number mclint read that no rule judged (it may be an input to a check)",
}
SAMPLES = {"material": "1.9e24", "minor": "98 days", "notation": "340b", "verified": "1.8E25",
           "skipped": "~1e25", "unchecked": "6144 GPUs"}


class Html(str):
    """Markup that is already escaped."""


def esc(text: object) -> Html:
    """Escape text for an element's content or an attribute value."""
    return text if isinstance(text, Html) else Html(html.escape(str(text), quote=True))


def tag(name: str, attrs: dict | None = None, *children) -> Html:
    """<name attrs>children</name>: str children and every attribute value are escaped;
    None and False attributes are left out, True ones written bare."""
    parts = [name]
    for key, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        parts.append(key if value is True else f'{key}="{esc(value)}"')
    return Html(f"<{' '.join(parts)}>{_join(children)}</{name}>")


def _join(children) -> Html:
    out = []
    for child in children:
        if child is None:
            continue
        if isinstance(child, (list, tuple)):
            out.append(_join(child))
        else:
            out.append(esc(child))
    return Html("".join(out))


def asset(name: str) -> str:
    """A file of the web page's static assets (shipped in the wheel)."""
    return resources.files("linter.web").joinpath("static", name).read_text(encoding="utf-8")


def csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def format_report(report, **_) -> str:
    """Render the report as one self-contained HTML document."""
    texts = {path: snap.text for path, snap in report.snapshots.items()}
    return document(to_json(report), texts)


def document(data: dict, texts: dict[str, str]) -> str:
    """The HTML document for a JSON report and the texts of the files it covers."""
    css, js = asset("mclint.css"), asset("marks.js")
    policy = (f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    views, shown = [], set()
    for k, (path, text) in enumerate(texts.items()):
        views.append(file_view(k, path, text, data))
        shown.add(path)
    stray = [(i, f) for i, f in enumerate(data["findings"]) if f["path"] not in shown]
    title = "mclint report" + (f": {', '.join(texts)}" if len(texts) <= 3 else "")
    body = tag("body", {"class": "report"},
               tag("header", {"class": "top"}, tag("h1", None, title),
                   tag("p", {"class": "meta"}, f"mclint {__version__}")),
               tag("main", None,
                   summary(data, texts), legend(), filters(), input_errors(data["errors"]),
                   views,
                   tag("section", {"class": "stray", "aria-label": "Other findings"},
                       tag("h2", None, "Other findings"), finding_list(stray, {}, True))
                   if stray else None),
               Html(f"<script>{js}</script>"))
    head = tag("head", None,
               Html('<meta charset="utf-8">'),
               Html('<meta name="viewport" content="width=device-width, initial-scale=1">'),
               Html(f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">'),
               Html('<meta name="referrer" content="no-referrer">'),
               tag("title", None, title), Html(f"<style>{css}</style>"))
    return "<!DOCTYPE html>\n" + tag("html", {"lang": "en"}, head, body) + "\n"


def summary(data: dict, texts: dict[str, str]) -> Html:
    """Counts by status over the whole report, and the command line's summary sentence."""
    counts = dict.fromkeys(STATUSES, 0)
    for f in data["findings"]:
        counts[status_of(f)] += 1
    claimed = [(i, c) for i, c in enumerate(data.get("claims") or [])]
    for path in texts:
        findings = [(i, f) for i, f in enumerate(data["findings"]) if f["path"] == path]
        marks = build_marks(findings, [(i, c) for i, c in claimed if c["path"] == path])
        counts["unchecked"] += sum(m.status == "unchecked" for m in marks)
    s = data["summary"]
    problems = f"{s['problems']} problem{'s' * (s['problems'] != 1)}"
    sentence = (f"Found {problems} ({s['errors']} error{'s' * (s['errors'] != 1)}, "
                f"{s['warnings']} warning{'s' * (s['warnings'] != 1)}), {s['verified']} verified "
                f"in {s['files']} file{'s' * (s['files'] != 1)}, {s['entries']} "
                f"entr{'ies' if s['entries'] != 1 else 'y'}.")
    return tag("section", {"class": "summary", "aria-labelledby": "summary-title"},
               tag("h2", {"id": "summary-title"}, "Summary"),
               tag("p", {"class": "verdict " + ("fail" if s["problems"] else "pass")}, sentence),
               count_list(counts, all_statuses=True))


def count_list(counts: dict[str, int], all_statuses: bool = False) -> Html:
    """1 material problem, 3 verified, ... (every status, or those that occur)."""
    return tag("ul", {"class": "counts"},
               [tag("li", {"class": f"count s-{s}", "data-status": s, "data-count": counts[s]},
                    count_text(s, counts[s]))
                for s in STATUSES if all_statuses or counts[s]])


def count_text(status: str, n: int) -> str:
    label = LABELS[status]
    return f"{n} {label}{'s' if n != 1 and label.endswith('problem') else ''}"


def legend() -> Html:
    items = [tag("li", None, tag("mark", {"class": f"m s-{s}"}, SAMPLES[s]), " ",
                 tag("b", None, LABELS[s]), f": {DESCRIPTIONS[s]}") for s in STATUSES]
    return tag("details", {"class": "legend"}, tag("summary", None, "What the marks mean"),
               tag("ul", None, items),
               tag("p", None, "Hover over a mark, or move to it with Tab, to see how it was "
                   "checked; Escape hides the box."))


def filters() -> Html:
    """Filter controls, shown by the script (they do nothing without it)."""
    options = [tag("option", {"value": ""}, "every status")] + \
        [tag("option", {"value": s}, LABELS[s]) for s in STATUSES]
    return tag("div", {"class": "filters", "data-filters": True, "hidden": True},
               tag("label", None, "Status ", tag("select", {"data-filter": "status"}, options)),
               " ",
               tag("label", None, "Rule ", tag("select", {"data-filter": "rule"},
                                               tag("option", {"value": ""}, "every rule"))),
               " ", tag("span", {"class": "filter-count", "data-filter-count": True,
                                 "aria-live": "polite"}))


def input_errors(errors: list[dict]) -> Html | None:
    if not errors:
        return None
    return tag("section", {"class": "errors", "role": "alert"},
               tag("h2", None, "Inputs that could not be read"),
               tag("ul", None, [tag("li", None, tag("code", None, e["path"]),
                                    f":{e['line']}:{e['column']}: " if e["line"] else ": ",
                                    e["message"]) for e in errors]))


def file_view(k: int, path: str, text: str, data: dict) -> Html:
    """One file: its text (or its entries) with marks, and the list of its findings."""
    findings = [(i, f) for i, f in enumerate(data["findings"]) if f["path"] == path]
    claims = [(i, c) for i, c in enumerate(data.get("claims") or []) if c["path"] == path]
    marks = build_marks(findings, claims)
    by_finding = {i: f"m{k}-{m.number}" for m in marks for i in m.findings}
    ctx = (k, dict(findings), dict(claims))
    structured = is_structured(marks)
    if not marks:
        doc = tag("p", {"class": "empty"}, "No numbers were found to check.")
    elif structured:
        doc = [entry_section(text, section, ctx, findings)
               for section in entry_sections(text, marks)]
    else:
        doc = text_block(text, 0, len(text), marks, ctx)
    return tag("section", {"class": "file", "data-path": path, "aria-label": path},
               tag("h2", {"class": "path"}, path),
               tag("div", {"class": "view"},
                   tag("div", {"class": "doc"}, doc),
                   tag("aside", {"class": "findings", "aria-label": f"Findings in {path}"},
                       tag("h3", None, f"Findings ({len(findings)})"),
                       finding_list(findings, by_finding, structured))))


def entry_section(text: str, section, ctx, findings) -> Html:
    """A database entry: its name and counts, then its fields' excerpts (open if it has
    problems)."""
    own = [f for _, f in findings if f.get("entry") == section.entry]
    counts = dict.fromkeys(STATUSES, 0)
    for f in own:
        counts[status_of(f)] += 1
    counts["unchecked"] = sum(m.status == "unchecked" for m in section.marks)
    problems = counts["material"] + counts["minor"] + counts["notation"]
    name = section.entry if section.entry is not None else "(no name)"
    groups = [tag("div", {"class": "group", "data-field": g.field},
                  tag("h3", {"class": "field"}, g.field or "text", " ",
                      tag("span", {"class": "line"}, f"line {g.blocks[0].marks[0].line}")),
                  [text_block(text, b.start, b.end, b.marks, ctx, b.cut_start, b.cut_end)
                   for b in g.blocks])
              for g in section.groups]
    return tag("section", {"class": "entry", "data-entry": name, "data-problems": problems,
                           "aria-label": name},
               tag("details", {"open": problems > 0},
                   tag("summary", None, tag("span", {"class": "entry-name"}, name), " ",
                       count_list(counts)),
                   groups))


def text_block(text: str, start: int, end: int, marks: list[Mark], ctx,
               cut_start: bool = False, cut_end: bool = False) -> Html:
    """text[start:end] with its marks, as one pre-wrapped block."""
    parts: list = [tag("span", {"class": "cut", "aria-hidden": "true"}, "\u2026")
                   if cut_start else None]
    at = start
    for m in marks:
        parts.append(text[at:m.start])
        parts.append(mark(m, text, ctx))
        at = m.end
    parts.append(text[at:end])
    if cut_end:
        parts.append(tag("span", {"class": "cut", "aria-hidden": "true"}, "\u2026"))
    return tag("div", {"class": "text"}, parts)


def mark(m: Mark, text: str, ctx) -> Html:
    k, findings, claims = ctx
    rules = sorted({findings[i]["rule"] for i in m.findings})
    statuses = [s for s in STATUSES if any(status_of(findings[i]) == s for i in m.findings)]
    return tag("mark", {"class": f"m s-{m.status}", "id": f"m{k}-{m.number}", "tabindex": "0",
                        "data-mark": m.number, "data-offset": m.start, "data-end": m.end,
                        "data-status": m.status, "data-statuses": " ".join(statuses or [m.status]),
                        "data-rules": " ".join(rules),
                        "data-findings": " ".join(map(str, m.findings)),
                        "data-claims": " ".join(map(str, m.claims)),
                        "aria-describedby": f"t{k}-{m.number}"},
               text[m.start:m.end], tip(m, k, findings, claims))


def tip(m: Mark, k: int, findings: dict, claims: dict) -> Html:
    """The derivation box of a mark: each finding on it, or what was read if none."""
    if m.findings:
        body = [derivation(i, findings[i]) for i in m.findings]
    else:
        body = [claim_note(claims[i]) for i in m.claims[:1]]
    return tag("span", {"class": "tip", "id": f"t{k}-{m.number}", "role": "tooltip"}, body)


def derivation(i: int, f: dict) -> Html:
    """A finding as the tooltip shows it: rule, stated, recomputed, inputs, how far off."""
    status = status_of(f)
    unit = f" {f['unit']}" if f.get("unit") else ""
    rows = []
    if f.get("stated") is not None:
        rows.append(("stated", fmt(f["stated"]) + unit))
    if f.get("computed") is not None:
        rows.append(("recomputed", fmt(f["computed"]) + unit))
    if f.get("inputs"):
        rows.append(("from", [tag("span", {"class": "in"}, input_text(i)) for i in f["inputs"]]))
    off = off_by(f)
    if off:
        rows.append(("off by", off))
    return tag("span", {"class": f"tf s-{status}", "data-finding": i},
               tag("span", {"class": "th"}, badge(status), " ", tag("code", None, f["rule"]),
                   " ", f["slug"]),
               tag("code", {"class": "calc"}, f["text"]) if f.get("text") else None,
               [tag("span", {"class": "kv"}, tag("span", {"class": "k"}, key), " ",
                    tag("span", {"class": "v"}, value)) for key, value in rows],
               tag("span", {"class": "msg"}, f["message"]))


def input_text(inp: dict) -> str:
    """'utilization: 41% = 0.41'; the value is left out when the text already shows it."""
    name = f"{inp['name']}: " if inp.get("name") and inp["name"] != "number" else ""
    value = fmt(inp.get("value"))
    shown = value.replace(",", "") in inp["text"].replace(",", "")
    return f"{name}{inp['text']}" + ("" if shown else f" = {value}")


def off_by(f: dict) -> str | None:
    off = pct(f.get("relative_error"))
    stated, computed = f.get("stated"), f.get("computed")
    if stated and computed and (computed / stated >= 2 or 0 < computed / stated <= 0.5):
        ratio = f"\u00d7{fmt(computed / stated)}"
        off = f"{off} ({ratio})" if off else ratio
    return off


def claim_note(c: dict) -> Html:
    unit = f" {c['unit']}" if c.get("unit") else ""
    rows = [("read as", fmt(c.get("number")) + unit)]
    if c.get("kind"):
        rows.append(("kind", c["kind"]))
    if c.get("role"):
        rows.append(("role", c["role"]))
    return tag("span", {"class": "tf s-unchecked"},
               tag("span", {"class": "th"}, badge("unchecked")),
               [tag("span", {"class": "kv"}, tag("span", {"class": "k"}, key), " ",
                    tag("span", {"class": "v"}, value)) for key, value in rows],
               tag("span", {"class": "msg"}, "No rule checked this number."))


def badge(status: str) -> Html:
    return tag("span", {"class": f"badge s-{status}"}, LABELS[status])


def finding_list(findings: list[tuple[int, dict]], by_finding: dict[int, str],
                 structured: bool) -> Html:
    """The findings in file order; each links to its mark."""
    if not findings:
        return tag("p", {"class": "empty"}, "No findings.")
    items = []
    for i, f in findings:
        status = status_of(f)
        where = f"{f['line']}:{f['column']}"
        head = [badge(status), " ", tag("code", None, f["rule"]), " ",
                tag("span", {"class": "where"}, where),
                [" ", tag("span", {"class": "entry"}, f["entry"])]
                if structured and f.get("entry") else None]
        target = by_finding.get(i)
        items.append(tag("li", {"class": f"fi s-{status}", "id": f"f{i}", "data-finding": i,
                                "data-status": status, "data-rule": f["rule"],
                                "data-entry": f.get("entry")},
                         tag("a", {"href": f"#{target}", "data-target": target}, head)
                         if target else tag("span", None, head),
                         tag("span", {"class": "msg"}, f["message"])))
    return tag("ol", {"class": "finding-list"}, items)
