"""The page in a real browser: Playwright driving the system's Chromium against `mclint serve`.

Skipped when Playwright or Chromium is missing (CI installs Chromium with apt-get; Playwright
cannot download its own browser here).  The seed-note test also writes the README's
screenshot, docs/web.png.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT
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
from linter.formatters.marks import status_of
from linter.web.api import MAX_TEXT

pytest.importorskip("starlette", reason="the web extra is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = os.environ.get("MCLINT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = ROOT / "docs" / "web.png"

# A mark as the page shows it: attributes, its own text (without the box), the box's text.
READ_MARKS = """els => els.map(m => {
  const own = m.cloneNode(true);
  own.querySelectorAll('.tip').forEach(t => t.remove());
  const tip = m.querySelector('.tip');
  return {offset: +m.dataset.offset, end: +m.dataset.end, status: m.dataset.status,
          statuses: m.dataset.statuses.split(' ').filter(Boolean),
          rules: m.dataset.rules.split(' ').filter(Boolean),
          findings: m.dataset.findings.split(' ').filter(Boolean).map(Number),
          claims: m.dataset.claims.split(' ').filter(Boolean).map(Number),
          text: own.textContent, tip: tip ? tip.textContent : null};
})"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`mclint serve` on a free port, for this module."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "linter", "serve", "--port", str(port)],
                            cwd=tmp_path_factory.mktemp("serve"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=5):
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"mclint serve did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
    yield base
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Page:
    """A browser tab on the page, recording every request and every console error."""

    def __init__(self, browser, base: str, width: int = 1280, height: int = 900):
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.tab = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.tab.on("request", lambda r: self.requests.append(r.url))
        self.tab.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.tab.on("pageerror", lambda e: self.problems.append(str(e)))

    def open(self):
        self.tab.goto(self.base + "/")
        return self

    def check(self, text: str | None = None, expect_error: bool = False):
        """Paste text (or keep what is there), press Check, wait for the result."""
        if text is not None:
            self.tab.evaluate("t => { document.getElementById('text').value = t; }", text)
        # what is shown now is stale: wait for the answer to this check
        self.tab.evaluate("document.querySelectorAll('#result .file')"
                          ".forEach(f => f.setAttribute('data-stale', ''))")
        self.tab.click("#check-button")
        self.tab.wait_for_selector("#status.error" if expect_error else
                                   "#result .file:not([data-stale])", timeout=120_000)
        return self

    def text(self) -> str:
        """The text as the page sent it (a textarea has only \\n line ends)."""
        return self.tab.input_value("#text")

    def marks(self) -> list[dict]:
        return self.tab.eval_on_selector_all("#result mark[data-mark]", READ_MARKS)

    def close(self):
        self.context.close()


@pytest.fixture
def page(browser, server):
    p = Page(browser, server).open()
    yield p
    assert not p.problems, p.problems          # no script error, no CSP refusal
    assert all(u.startswith((server, "data:")) for u in p.requests), p.requests
    p.close()


def report_marks(text: str, filename: str, **options) -> tuple[dict, list[dict]]:
    """The JSON and the marks --format html makes of the same input (tips included)."""
    data = lint(None, text, filename, **options)
    elements = Elements(document(data, {filename: text}))
    marks = marks_of(elements)
    tips = [n["text"] for n in elements.select("span", cls="tip")]
    for m, tip in zip(marks, tips):
        m["tip"] = tip
    return data, marks


def test_seed_note_marks_every_claim_where_it_stands(page):
    page.check(SEED.read_text())
    text = page.text()
    data, expected = report_marks(text, "note.txt")
    shown = page.marks()
    assert shown == expected                   # the page and --format html agree, mark by mark
    verified = [m for m in shown if m["status"] == "verified"]
    assert len(verified) == data["summary"]["verified"] == SEED_VERIFIED
    spans = {(f["offset"], f["end_offset"]) for f in data["findings"] if f["verified"]}
    assert {(m["offset"], m["end"]) for m in verified} == spans
    for m in shown:
        assert m["text"] == text[m["offset"]:m["end"]]
    assert not {m["status"] for m in shown} & {"material", "minor", "notation"}
    assert any(m["status"] == "unchecked" for m in shown)
    assert page.tab.locator("#result li.fi").count() == len(data["findings"])
    assert page.tab.inner_text(".verdict").startswith("Passes")
    counts = page.tab.locator(".summary .count.s-verified").inner_text()
    assert counts == f"{SEED_VERIFIED} verified"
    screenshot(page)


def screenshot(page: Page) -> None:
    """The README's picture: the result, with the derivation of the first calculation open."""
    page.tab.set_viewport_size({"width": 1280, "height": 1080})
    mark = page.tab.locator("#result mark[data-mark]", has_text="1.8E25").first
    mark.focus(timeout=5000)
    page.tab.evaluate("window.scrollTo(0, document.querySelector('.summary').offsetTop - 12)")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.tab.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def test_a_derivation_opens_on_focus_and_hover_and_escape_hides_it(page):
    page.check(SEED.read_text())
    mark = page.tab.locator("#result mark[data-mark]", has_text="1.8E25").first
    tip = mark.locator(".tip")
    assert not tip.is_visible()
    mark.focus()
    assert tip.is_visible()
    box = tip.inner_text()
    for words in ("MC101", "verified", "stated", "1.8e25", "recomputed", "1.836e25",
                  "340B = 3.4e11", "9T = 9e12", "off by", "-2.0%"):
        assert words in box, words
    page.tab.keyboard.press("Escape")
    assert not tip.is_visible()
    other = page.tab.locator("#result mark[data-mark]", has_text="89 days").first
    other.hover()
    assert other.locator(".tip").is_visible() and "MC102" in other.locator(".tip").inner_text()
    # keyboard: from the list of findings to the mark, its box open
    link = page.tab.locator("#result li.fi a").nth(2)
    link.focus()
    page.tab.keyboard.press("Enter")
    target = link.get_attribute("data-target")
    assert page.tab.evaluate("document.activeElement.id") == target
    assert page.tab.locator(f"#{target} .tip").is_visible()


def test_the_keyboard_reaches_every_control_and_the_marks(page):
    page.tab.focus("#text")
    page.tab.keyboard.insert_text(SEED.read_text())
    page.tab.keyboard.press("Control+Enter")              # checks from the text box
    page.tab.wait_for_selector("#result .file")
    assert page.tab.evaluate("document.activeElement.id") == "result-title"
    for _ in range(6):
        page.tab.keyboard.press("Tab")
        if page.tab.evaluate("document.activeElement.matches('mark[data-mark]')"):
            break
    assert page.tab.evaluate("document.activeElement.matches('mark[data-mark]')")
    assert page.tab.locator("mark[data-mark]:focus .tip").is_visible()


def test_the_compute_slip_shows_one_material_problem_at_the_changed_number(page):
    page.check(COMPUTE_SLIP.read_text())
    text = page.text()
    shown = page.marks()
    assert shown == report_marks(text, "note.txt")[1]
    material = [m for m in shown if m["status"] == "material"]
    assert len(material) == SLIP_MATERIAL
    assert material[0]["offset"] == text.index(SLIP_MATERIAL_AT)
    assert material[0]["text"].startswith(SLIP_MATERIAL_AT)
    assert "recomputed 1.908e25 FLOP" in material[0]["tip"] and "MC101" in material[0]["tip"]
    assert page.tab.inner_text(".verdict").startswith("Fails")
    assert page.tab.locator("#result li.fi.s-material").count() == SLIP_MATERIAL
    # the fail level changes the verdict at once, without a new check
    requests = len(page.requests)
    page.tab.select_option("#fail-level", "material")
    assert page.tab.inner_text(".verdict").startswith("Fails: 1 problem")
    assert len(page.requests) == requests
    # "89 days" written as 87 (-1.9%): a minor problem, which passes at "material only"
    page.check(SEED.read_text().replace("or 89 days", "or 87 days"))
    assert page.tab.inner_text(".verdict") == \
        "Passes at the fail level (material), with 1 lesser problem."
    page.tab.select_option("#fail-level", "minor")
    assert page.tab.inner_text(".verdict").startswith("Fails: 1 problem")


def test_a_note_with_markup_shows_as_text(page):
    page.check(XSS_NOTE)
    assert page.tab.evaluate("window.__xss") is None
    assert page.tab.locator("#result img, #result b, #result script").count() == 0
    text = page.text()
    view = page.tab.eval_on_selector("#result .doc .text", """el => {
        const c = el.cloneNode(true); c.querySelectorAll('.tip').forEach(t => t.remove());
        return c.textContent; }""")
    assert view == text
    assert page.marks() == report_marks(text, "note.txt")[1]
    assert page.tab.locator("#result mark[data-status=material]").count() >= 1


def test_an_oversized_paste_is_refused_with_413(page):
    page.check("1" * (MAX_TEXT + 10), expect_error=True)
    message = page.tab.inner_text("#status")
    assert "413" in message and "larger than 5 MB" in message
    assert page.tab.locator("#result .file").count() == 0
    # Chromium logs the refused request itself; that, and only that, is expected here
    assert [m for m in page.problems if "status of 413" in m]
    page.problems[:] = [m for m in page.problems if "status of 413" not in m]


def test_a_database_file_shows_one_section_per_entry_with_a_filter(page):
    page.tab.set_input_files("#file", str(EPOCH_SAMPLE))
    # Playwright's expect polls without evaluating a string: the page's CSP forbids eval,
    # which wait_for_function needs whenever its condition is not already true
    sync_api.expect(page.tab.locator("#text")).to_have_value(re.compile(r"[\s\S]{1001}"))
    assert page.tab.input_value("#kind") == ".csv"
    page.check()
    text = page.text()
    data, expected = report_marks(text, EPOCH_SAMPLE.name)
    assert page.marks() == expected
    sections = page.tab.locator("#result section.entry")
    entries = {f["entry"] for f in data["findings"]} | {c["entry"] for c in data["claims"]}
    assert sections.count() == len(entries)
    opened = page.tab.eval_on_selector_all(
        "#result section.entry", "s => s.map(x => [x.dataset.entry, x.querySelector('details').open])")
    assert {e: o for e, o in opened} == {
        e: any(f["entry"] == e and f["status"] == "problem" for f in data["findings"])
        for e in entries}
    # the filter: only material problems
    page.tab.select_option("[data-filter=status]", "material")
    visible = page.tab.locator("#result li.fi:visible")
    material = [f for f in data["findings"] if status_of(f) == "material"]
    assert visible.count() == len(material) > 0
    assert page.tab.locator("#result section.entry:visible").count() == \
        len({f["entry"] for f in material})
    page.tab.select_option("[data-filter=status]", "")
    page.tab.select_option("[data-filter=rule]", "MC211")
    assert page.tab.locator("#result li.fi:visible").count() == \
        sum(f["rule"] == "MC211" for f in data["findings"])


def test_the_page_reads_at_200_percent_zoom(browser, server):
    # 200% zoom of a 1280-pixel window: 640 CSS pixels across
    p = Page(browser, server, width=640, height=800).open()
    try:
        p.check(COMPUTE_SLIP.read_text())
        assert p.tab.evaluate("document.documentElement.scrollWidth <= "
                              "document.documentElement.clientWidth")
        text_box = p.tab.locator("#result .doc").bounding_box()
        aside = p.tab.locator("#result aside.findings").bounding_box()
        assert aside["y"] >= text_box["y"] + text_box["height"] - 1     # one column
        for mark in p.tab.locator("#result mark[data-mark]").all()[-12:]:
            mark.focus()
            box = mark.locator(".tip").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 640 + 1
        assert not p.problems
    finally:
        p.close()


def test_the_html_report_opens_offline_and_filters(browser, tmp_path):
    report = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "linter", "--format", "html", str(EPOCH_SAMPLE)],
                          capture_output=True, cwd=ROOT, timeout=300, check=False)
    assert proc.returncode == 1
    report.write_bytes(proc.stdout)
    context = browser.new_context(offline=True)
    tab = context.new_page()
    problems, requests = [], []
    tab.on("console", lambda m: m.type == "error" and problems.append(m.text))
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(report.as_uri())
    assert tab.locator("[data-filters]").is_visible()       # its script ran under its CSP
    assert tab.locator("mark[data-mark]").count() > 0
    tab.select_option("[data-filter=status]", "minor")
    statuses = tab.eval_on_selector_all("li.fi:not([hidden])", "l => l.map(x => x.dataset.status)")
    assert statuses and set(statuses) == {"minor"}
    mark = tab.locator("mark[data-mark].s-material").first
    link = tab.locator(f"li.fi a[data-target='{mark.get_attribute('id')}']")
    tab.select_option("[data-filter=status]", "")
    link.click()
    assert tab.evaluate("document.activeElement.id") == mark.get_attribute("id")
    assert mark.locator(".tip").is_visible()
    assert not problems, problems
    assert requests == [report.as_uri()]
    context.close()
    assert Path(report).stat().st_size > 10_000


def axe_violations(tab) -> list[str]:
    """What axe-core (the accessibility rules engine) finds wrong on the page as it is."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright",
                              reason="axe-playwright-python is not installed").Axe()
    found = axe.run(tab).response["violations"]
    return [f"{v['id']}: {v['help']} ({v['nodes'][0]['html'][:100]})" for v in found]


def test_the_page_and_the_report_pass_the_accessibility_rules(page, browser, tmp_path):
    assert axe_violations(page.tab) == []                        # the empty page
    page.check(COMPUTE_SLIP.read_text())
    page.tab.locator("#result mark[data-mark].s-material").focus()  # a derivation open
    assert axe_violations(page.tab) == []
    page.tab.set_input_files("#file", str(EPOCH_SAMPLE))
    sync_api.expect(page.tab.locator("#kind")).to_have_value(".csv")
    page.check()
    assert axe_violations(page.tab) == []
    data = lint(EPOCH_SAMPLE)
    report = tmp_path / "report.html"
    report.write_text(document(data, {str(EPOCH_SAMPLE): EPOCH_SAMPLE.read_text()}))
    context = browser.new_context(offline=True)
    tab = context.new_page()
    tab.goto(report.as_uri())
    tab.locator("mark[data-mark].s-material").focus()
    assert axe_violations(tab) == []
    context.close()
