"""POST /api/lint answers exactly linter.lint's JSON; errors are JSON; limits hold; the
server only reads what it is sent.  Starlette's TestClient, real worker processes."""

from __future__ import annotations

import threading
import time

import pytest
from web_expect import EPOCH_SAMPLE, SEED, XSS_NOTE, lint

from linter.web.api import MAX_BODY, MAX_TEXT

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("multipart", reason="the web extra is not installed")
testclient = pytest.importorskip("starlette.testclient", reason="httpx2 is not installed")

BASE = "http://127.0.0.1:8000"


def client(**kw):
    from linter.web.app import create_app

    return testclient.TestClient(create_app(**kw), base_url=BASE, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def api():
    with client(timeout=120) as c:
        yield c


def slow_text(lines: int = 20000) -> str:
    """A long note of distinct calculations (no two lines alike, so nothing is cached)."""
    return "".join(f"Run {i}: {i + 7} * 340B * 9T = {(i + 7) * 1.836e25:.4e} FLOP.\n"
                   for i in range(lines))


def assert_error(response, status: int, words: str = "") -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and words in body["error"]
    assert "Traceback" not in response.text and 'File "' not in response.text


def test_json_body_answers_exactly_what_linter_lint_returns(api):
    text = SEED.read_text()
    for options in ({}, {"show_verified": True, "show_claims": True},
                    {"select": "MC1", "show_verified": True}, {"ignore": ["MC211", "MC207"]}):
        response = api.post("/api/lint", json={"text": text, **options})
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        expected = lint(None, text, None, **{"show_verified": False, "show_claims": False,
                                             **options})
        assert response.json() == expected


def test_a_file_upload_answers_what_linter_lint_returns_for_that_file(api):
    data = EPOCH_SAMPLE.read_bytes()
    response = api.post("/api/lint", files={"file": ("epoch_sample.csv", data, "text/csv")},
                        data={"show_verified": "true", "show_claims": "true"})
    assert response.status_code == 200
    assert response.json() == lint(None, data.decode("utf-8"), "epoch_sample.csv")
    assert response.json()["summary"]["entries"] > 1


def test_an_upload_is_kept_in_memory_not_written_to_disk(api, monkeypatch):
    from starlette import formparsers

    rolled = []

    class Spool(formparsers.SpooledTemporaryFile):
        def rollover(self):
            rolled.append(self._max_size)
            super().rollover()

    monkeypatch.setattr(formparsers, "SpooledTemporaryFile", Spool)
    big = ("Notes: 6 * 340B * 9T = 1.8E25. " * 150_000).encode()[:MAX_TEXT]
    response = api.post("/api/lint", files={"file": ("big.txt", big)})
    assert response.status_code == 200 and not rolled


def test_malformed_form_data_is_400(api):
    assert_error(api.post("/api/lint", content=b"--x\r\nnonsense",
                          headers={"content-type": "multipart/form-data"}), 400, "malformed")


def test_the_file_name_only_picks_the_reader(api):
    response = api.post("/api/lint", files={"file": ("../../etc/passwd", b"1.8E25 = 6 * 340B * 9T")})
    assert response.status_code == 200
    assert all(f["path"] == "passwd" for f in response.json()["findings"])
    card = api.post("/api/lint", json={"text": "6 * 340B * 9T = 1.8E24", "filename": "c:\\x\\card.md"})
    assert card.json()["findings"][0]["field"] == "body"


def test_options_that_would_read_server_files_are_refused(api):
    for key, value in (("rules", "/etc"), ("config", "/etc/passwd"), ("baseline", "b.json"),
                       ("isolated", False)):
        assert_error(api.post("/api/lint", json={"text": "1", key: value}), 400, "unknown field")


@pytest.mark.parametrize("kwargs, status, words", [
    ({"content": b"{", "headers": {"content-type": "application/json"}}, 400, "not valid JSON"),
    ({"json": ["a list"]}, 400, "must be an object"),
    ({"json": {"filename": "a.txt"}}, 400, "'text' is missing"),
    ({"json": {"text": 12}}, 400, "'text' is missing or not a string"),
    ({"json": {"text": "x", "show_verified": "maybe"}}, 400, "true or false"),
    ({"json": {"text": "x", "select": {"MC1": 1}}}, 400, "rule codes"),
    ({"json": {"text": "x", "select": ["MC1;rm"]}}, 400, "rule ids"),
    ({"json": {"text": "x", "select": "MC999"}}, 400, "matches no rule"),
    ({"json": {"text": "x", "filename": "a\x00b.txt"}}, 400, "plain file name"),
    ({"json": {"text": "x", "filename": 3}}, 400, "'filename' must be a string"),
    ({"content": b'{"text": "\\ud800"}', "headers": {"content-type": "application/json"}},
     400, "surrogate"),
    ({"files": {"file": ("b.bin", b"\x00\x01\x02")}}, 400, "binary file"),
    ({"files": {"file": ("b.txt", b"caf\xe9 1.8E25")}}, 400, "invalid UTF-8"),
    ({"files": {"file": ("a.txt", b"1")}, "data": {"text": "2"}}, 400, "exactly one"),
    ({"data": {"select": "MC1"}, "files": {"other": ("a.txt", b"1")}}, 400, "unknown field"),
    ({"content": b"6 * 340B * 9T = 1.8E25", "headers": {"content-type": "text/plain"}},
     415, "application/json or multipart"),
])
def test_bad_input_is_a_json_error_never_a_trace(api, kwargs, status, words):
    assert_error(api.post("/api/lint", **kwargs), status, words)


def test_a_body_over_the_limit_is_413(api):
    assert_error(api.post("/api/lint", content=b"x" * (MAX_BODY + 1),
                          headers={"content-type": "application/json"}), 413, "larger than 5 MB")

    def chunks():          # no Content-Length: counted while it is read
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"y" * 65536

    assert_error(api.post("/api/lint", content=chunks(),
                          headers={"content-type": "application/json"}), 413, "larger than 5 MB")


def test_a_text_over_the_limit_is_413_even_when_the_body_fits(api):
    assert MAX_BODY > MAX_TEXT + 1
    assert_error(api.post("/api/lint", files={"file": ("big.txt", b"1" * (MAX_TEXT + 1))}),
                 413, "larger than 5 MB")
    assert api.post("/api/lint", json={"text": "1"}).status_code == 200   # still serving


def test_other_sites_and_other_host_names_are_refused(api):
    assert_error(api.post("/api/lint", json={"text": "1"},
                          headers={"origin": "http://evil.example"}), 403, "other sites")
    assert api.post("/api/lint", json={"text": "1"}, headers={"origin": BASE}).status_code == 200
    assert_error(api.get("/", headers={"host": "rebound.example:8000"}), 400, "Host")
    assert api.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_every_answer_carries_the_security_headers(api):
    from linter.web.guard import CSP

    for response in (api.get("/"), api.get("/static/render.js"), api.get("/api/rules"),
                     api.post("/api/lint", json={"text": "1"}),
                     api.post("/api/lint", json=[]), api.get("/nothing-here")):
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert "server" not in response.headers or "uvicorn" not in response.headers["server"]


def test_the_page_and_its_assets_come_from_the_package(api):
    page = api.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "__MAX_BYTES__" not in page.text and "__LEGEND__" not in page.text
    assert f'data-max-bytes="{MAX_TEXT}"' in page.text
    for asset in ("mclint.css", "marks.js", "render.js", "page.js"):
        assert api.get(f"/static/{asset}").status_code == 200
    assert "http://" not in page.text.replace(BASE, "") and "https://" not in page.text
    assert api.get("/static/../app.py").status_code == 404
    assert api.get("/static/%2e%2e/app.py").status_code == 404
    rules = api.get("/api/rules").json()
    assert {"id", "slug", "severity", "summary"} <= set(rules[0]) and len(rules) > 10


def test_the_xss_note_comes_back_as_data(api):
    response = api.post("/api/lint", json={"text": XSS_NOTE, "show_claims": True})
    assert response.json() == lint(None, XSS_NOTE, None, show_verified=False)


def test_a_check_over_the_time_limit_is_504_and_the_next_one_works():
    text = slow_text()
    started = time.monotonic()
    lint(None, text[:2000], None)          # warm this process's spaCy for a fair comparison
    with client(timeout=0.5) as c:
        took = time.monotonic()
        assert_error(c.post("/api/lint", json={"text": text}), 504, "longer than 0.5 s")
        assert time.monotonic() - took < 10
        assert c.post("/api/lint", json={"text": "6 * 340B * 9T = 1.8E24"}).json()[
            "summary"]["problems"] == 1
    assert time.monotonic() - started < 120


def test_a_request_that_finds_every_worker_busy_is_503():
    with client(timeout=60, queue_wait=0.05) as c:
        slow = {}
        thread = threading.Thread(
            target=lambda: slow.update(r=c.post("/api/lint", json={"text": slow_text(4000)})))
        thread.start()
        time.sleep(0.3)
        busy = c.post("/api/lint", json={"text": "1"})
        thread.join(120)
        assert_error(busy, 503, "busy")
        assert busy.headers["retry-after"] == "5"
        assert slow["r"].status_code == 200
