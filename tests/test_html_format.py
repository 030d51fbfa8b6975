"""--format html: the findings of the JSON, every one, marked in place; escaped; offline."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from web_expect import (
    COMPUTE_SLIP,
    EPOCH_SAMPLE,
    SEED,
    SEED_VERIFIED,
    SLIP_MATERIAL,
    SLIP_MATERIAL_AT,
    XSS_NOTE,
    Elements,
    lint,
    marks_of,
)

from linter.formatters.html import document
from linter.formatters.marks import STATUSES, build_marks, excerpts, fmt, pct, status_of


def render(path: Path | None = None, text: str | None = None, filename: str = "note.txt",
           **options) -> tuple[dict, str, str]:
    """(JSON report, its text, the HTML document) for a fixture or a text."""
    if path is not None:
        data, text, name = lint(path, **options), path.read_text(encoding="utf-8"), str(path)
    else:
        data, name = lint(None, text, filename, **options), filename
    return data, text, document(data, {name: text})


@pytest.fixture(scope="module")
def epoch():
    data, text, doc = render(EPOCH_SAMPLE)
    return data, text, Elements(doc)


def test_every_finding_of_the_json_is_listed_once_with_its_status_and_rule(epoch):
    data, _, elements = epoch
    items = {int(n["attrs"]["data-finding"]): n["attrs"]
             for n in elements.select("li", "data-finding")}
    assert sorted(items) == list(range(len(data["findings"])))
    for i, f in enumerate(data["findings"]):
        assert items[i]["data-rule"] == f["rule"]
        assert items[i]["data-status"] == status_of(f)
        assert items[i].get("data-entry") == f["entry"]
    assert data["summary"]["problems"] > 0 and data["summary"]["verified"] > 0


def test_every_finding_and_claim_is_in_exactly_one_mark_at_its_place(epoch):
    data, text, elements = epoch
    marks = marks_of(elements)
    in_marks = [i for m in marks for i in m["findings"]]
    assert sorted(in_marks) == [i for i, f in enumerate(data["findings"])
                                if f["end_offset"] > f["offset"]]
    assert sorted(i for m in marks for i in m["claims"]) == list(range(len(data["claims"])))
    for m in marks:
        assert m["text"] == text[m["offset"]:m["end"]]
        for i in m["findings"]:
            f = data["findings"][i]
            assert m["offset"] <= f["offset"] < f["end_offset"] <= m["end"]
            assert text[f["offset"]:f["end_offset"]] in m["text"]
        for i in m["claims"]:
            c = data["claims"][i]
            assert m["offset"] <= c["offset"] < c["end_offset"] <= m["end"]
        statuses = [status_of(data["findings"][i]) for i in m["findings"]] or ["unchecked"]
        assert m["status"] == min(statuses, key=STATUSES.index)
        assert m["rules"] == sorted({data["findings"][i]["rule"] for i in m["findings"]})
    in_order = sorted(marks, key=lambda m: m["offset"])
    assert all(a["end"] <= b["offset"] for a, b in pairwise(in_order))   # no overlap


def test_each_entry_is_a_section_open_only_when_it_has_problems(epoch):
    data, _, elements = epoch
    sections = {n["attrs"]["data-entry"]: int(n["attrs"]["data-problems"])
                for n in elements.select("section", "data-entry")}
    named = {f["entry"] for f in data["findings"]} | {c["entry"] for c in data["claims"]}
    assert set(sections) == named
    problems = {}
    for f in data["findings"]:
        problems[f["entry"]] = problems.get(f["entry"], 0) + (f["status"] == "problem")
    assert sections == {e: problems.get(e, 0) for e in named}
    opened = re.findall(r'<section class="entry" data-entry="([^"]*)"[^>]*><details( open)?>',
                        document(data, {str(EPOCH_SAMPLE): EPOCH_SAMPLE.read_text()}))
    assert {name: bool(flag) for name, flag in opened} == {e: n > 0 for e, n in sections.items()}


def test_derivations_carry_rule_stated_recomputed_inputs_and_how_far_off():
    data, _, doc = render(COMPUTE_SLIP)
    elements = Elements(doc)
    problems = [m for m in marks_of(elements) if m["status"] == "material"]
    assert len(problems) == SLIP_MATERIAL
    assert problems[0]["text"].startswith(SLIP_MATERIAL_AT)
    (f,) = [f for f in data["findings"] if f["status"] == "problem"]
    box = next(n for n in elements.select("span", "data-finding")
               if int(n["attrs"]["data-finding"]) == data["findings"].index(f))
    assert f["rule"] in box["text"] and f["message"] in box["text"]
    assert f"stated {fmt(f['stated'])} {f['unit']}" in box["text"]
    assert f"recomputed {fmt(f['computed'])} {f['unit']}" in box["text"]
    assert pct(f["relative_error"]) in box["text"]
    for inp in f["inputs"]:
        assert inp["text"] in box["text"]


def test_the_seed_note_is_one_text_with_its_verified_claims_marked():
    data, _, doc = render(SEED)
    marks = marks_of(Elements(doc))
    verified = [m for m in marks if m["status"] == "verified"]
    assert len(verified) == data["summary"]["verified"] == SEED_VERIFIED
    assert 'class="entry"' not in doc          # a note is shown whole, not as entries
    assert not {m["status"] for m in marks} & {"material", "minor", "notation"}


def test_the_cli_writes_the_same_findings_as_its_json():
    html_run = run_cli("--format", "html", str(EPOCH_SAMPLE.relative_to(ROOT)))
    json_run = run_cli("--format", "json", "--show-verified", str(EPOCH_SAMPLE.relative_to(ROOT)))
    assert html_run.returncode == json_run.returncode == 1
    data = json.loads(json_run.stdout)
    items = Elements(html_run.stdout.decode()).select("li", "data-finding")
    assert [(n["attrs"]["data-rule"], n["attrs"]["data-status"]) for n in items] == \
        [(f["rule"], status_of(f)) for f in data["findings"]]
    shown = [re.search(r"\d+:\d+", n["text"]).group() for n in items]
    assert shown == [f"{f['line']}:{f['column']}" for f in data["findings"]]


def test_the_document_is_self_contained_and_allows_only_its_own_style_and_script():
    _, _, doc = render(EPOCH_SAMPLE)
    elements = Elements(doc)
    assert elements.tags.count("script") == 1 and elements.tags.count("style") == 1
    assert "link" not in elements.tags and "img" not in elements.tags
    assert not re.search(r'\b(src|href)="(?!#)', doc)          # nothing loaded, only anchors
    assert "@import" not in doc and "url(" not in "".join(elements.styles)
    policy = html.unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', doc).group(1))

    def digest(source: str) -> str:
        return base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()

    assert f"style-src 'sha256-{digest(elements.styles[0])}'" in policy
    assert f"script-src 'sha256-{digest(elements.scripts[0])}'" in policy
    assert policy.startswith("default-src 'none'")


def test_user_text_is_escaped_everywhere():
    data, text, doc = render(text=XSS_NOTE, filename='<img src=x onerror=alert(1)>.txt')
    elements = Elements(doc)
    assert elements.tags.count("script") == 1 and elements.tags.count("style") == 1
    assert "img" not in elements.tags
    assert "textarea" not in elements.tags
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in doc
    assert not [a for a in elements.attribute_names if a.startswith("on")]
    view = re.search(r'<div class="text">(.*?)</div>', doc, re.DOTALL).group(1)
    assert Elements(view).tags.count("mark") >= 1
    shown = Elements(f"<div data-x>{view}</div>").found[0]["own"]
    assert shown == text                        # the whole note, as text, marks and all
    assert any(f["status"] == "problem" for f in data["findings"])


def test_characters_beyond_the_basic_plane_keep_marks_in_place():
    note = "\ufeff\U0001f600 Notes: 6 * 340B * 9T = 1.8E24 \U0001f680 and 4096 * 2304 = 9,437,184"
    _, text, doc = render(text=note)
    for m in marks_of(Elements(doc)):
        assert m["text"] == text[m["offset"]:m["end"]]
    assert any(m["text"] == "1.8E24" for m in marks_of(Elements(doc)))


@pytest.mark.parametrize("value, shown", [
    (None, "\u2014"), (float("nan"), "\u2014"), (0.0, "0"), (6.0, "6"), (9437184.0, "9,437,184"),
    (88.65247685185186, "88.65"), (0.41000000000000003, "0.41"), (1.836e25, "1.836e25"),
    (1.9e24, "1.9e24"), (3.4e11, "3.4e11"), (-1234.5, "-1,234"), (999.96, "1,000"),
    (7.75e-06, "7.75e-6"), (0.00123, "0.00123"), (123456789.0, "123,456,789"),
])
def test_numbers_read_as_people_write_them(value, shown):
    assert fmt(value) == shown


def test_relative_errors_are_signed_percentages():
    assert [pct(x) for x in (None, 0.0, -0.9, 0.0196, -0.0004)] == \
        [None, "+0.0%", "-90.0%", "+2.0%", "-0.0%"]


def _finding(offset, end, status="verified", severity="info", grade=None, **kw):
    return {"offset": offset, "end_offset": end, "status": status, "severity": severity,
            "grade": grade, "entry": None, "field": None, "line": 1, **kw}


def test_overlapping_spans_merge_into_one_mark_with_the_worst_status():
    findings = list(enumerate([
        _finding(10, 16), _finding(12, 20, "problem", "warning"), _finding(30, 35),
        _finding(40, 40, "problem", "error"),        # no span: listed, not marked
        _finding(50, 55, "problem", "error", "notation"),
    ]))
    claims = list(enumerate([_finding(10, 16), _finding(60, 64), _finding(35, 38)]))
    marks = build_marks(findings, claims)
    assert [(m.start, m.end, m.status, m.findings, m.claims) for m in marks] == [
        (10, 20, "minor", [0, 1], [0]), (30, 35, "verified", [2], []),
        (35, 38, "unchecked", [], [2]), (50, 55, "notation", [4], []),
        (60, 64, "unchecked", [], [1])]


def test_excerpts_stop_at_a_csv_cell_and_cut_long_lines_at_a_space():
    text = 'Model,"Notes with a ""quote"", and 6 * 2 = 12",next cell\n' + "word " * 100 + "99 x"
    marks = build_marks([(0, _finding(text.index("12"), text.index("12") + 2))],
                        [(0, _finding(text.index("99"), text.index("99") + 2))])
    first, second = excerpts(text, marks)
    assert text[first.start:first.end] == 'Notes with a ""quote"", and 6 * 2 = 12'
    assert not first.cut_start and not first.cut_end
    assert second.cut_start and text[second.start] == "w" and text[second.end - 1] == "x"
