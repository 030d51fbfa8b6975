"""The seed note (Nemotron-4 340B) checks out; one changed number gives one finding."""

import json

from conftest import FIXTURES, run_cli

SEED = FIXTURES / "notes" / "nemotron-4-340b.txt"


def test_seed_checks_out_and_lists_what_it_verified():
    proc = run_cli("--show-verified", "--format", "json", str(SEED))
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["problems"] == 0
    verified = {f["text"] for f in report["findings"] if f["verified"]}
    assert "6 * 340B * 9T = 1.8E25" in verified
    assert "4096 * 2304 = 9,437,184 tokens" in verified
    assert "7,659,574 seconds, or 89 days" in verified
    assert any(t.startswith("Multiplying 7,659,574 seconds") for t in verified)


def test_compute_slip_is_one_finding_at_the_changed_number():
    proc = run_cli("--format", "json", str(FIXTURES / "notes" / "nemotron-4-340b-compute-slip.txt"))
    assert proc.returncode == 1
    findings = [f for f in json.loads(proc.stdout)["findings"] if not f["verified"]]
    assert len(findings) == 1
    f = findings[0]
    line2 = (FIXTURES / "notes" / "nemotron-4-340b-compute-slip.txt").read_text().split("\n")[1]
    assert (f["rule"], f["line"], f["column"]) == ("MC101", 2, line2.index("1.9e24") + 1)
    assert f["column"] == 1480
    assert f["stated"] == 1.9e24
    assert abs(f["computed"] - 1.908e25) / 1.908e25 < 1e-3
    assert f["severity"] == "error"


def test_days_slip_is_one_finding_at_the_changed_number():
    proc = run_cli("--format", "json", str(FIXTURES / "notes" / "nemotron-4-340b-days-slip.txt"))
    assert proc.returncode == 1
    findings = [f for f in json.loads(proc.stdout)["findings"] if not f["verified"]]
    assert len(findings) == 1
    f = findings[0]
    line2 = (FIXTURES / "notes" / "nemotron-4-340b-days-slip.txt").read_text().split("\n")[1]
    assert (f["rule"], f["line"], f["column"]) == ("MC102", 2, line2.index("98 days") + 1)
    assert f["stated"] == 98
    assert abs(f["computed"] - 88.65) < 0.01
