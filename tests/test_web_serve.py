"""'mclint serve': this machine only unless told, a warning when told, nothing logged."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from linter.cli.main import main

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("uvicorn", reason="the web extra is not installed")


@pytest.fixture
def fake_uvicorn(monkeypatch):
    """Record what uvicorn.run is asked to do instead of binding a port."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    return calls


def test_serves_this_machine_only_by_default(fake_uvicorn, capsys):
    assert main(["serve"]) == 0
    (app, kw), = fake_uvicorn
    assert (kw["host"], kw["port"]) == ("127.0.0.1", 8000)
    assert kw["access_log"] is False
    assert app.allowed_hosts == {"127.0.0.1", "localhost", "::1"}
    err = capsys.readouterr().err
    assert "serving on http://127.0.0.1:8000/" in err and "warning" not in err


def test_another_host_must_be_asked_for_and_is_warned_about(fake_uvicorn, capsys):
    assert main(["serve", "--host", "0.0.0.0", "--port", "9000"]) == 0
    (app, kw), = fake_uvicorn
    assert (kw["host"], kw["port"]) == ("0.0.0.0", 9000)
    assert app.allowed_hosts is None            # any name: the server is reachable as anything
    assert "warning: serving on 0.0.0.0, not only this machine" in capsys.readouterr().err
    assert main(["serve", "--host", "::1"]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize("args, words", [
    (["--port", "0"], "--port"), (["--workers", "0"], "--workers"),
    (["--timeout", "0"], "--timeout"),
])
def test_bad_options_are_usage_errors(args, words, capsys, fake_uvicorn):
    assert main(["serve", *args]) == 2
    assert words in capsys.readouterr().err and not fake_uvicorn


def test_without_the_web_extra_it_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert main(["serve"]) == 2
    assert "pip install 'mclint[web]'" in capsys.readouterr().err


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_real_server_answers_and_logs_nothing_of_what_it_was_sent(tmp_path):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "linter", "serve", "--port", str(port)],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as r:
                    assert r.status == 200
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        secret = "Zanzibar-7 note: 6 * 340B * 9T = 1.8E25"
        request = urllib.request.Request(base + "/api/lint", method="POST",
                                         data=json.dumps({"text": secret}).encode(),
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as r:
            assert json.load(r)["summary"]["problems"] == 0
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert b"Zanzibar" not in out + err and b"/api/lint" not in out + err
    assert err.decode().strip().splitlines()[0] == \
        f"mclint: serving on http://127.0.0.1:{port}/ (Ctrl+C stops)"
    assert not list(tmp_path.iterdir())            # nothing written where it ran
