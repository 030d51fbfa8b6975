"""'mclint rules', 'mclint explain', --select/--ignore, --rules and --jobs."""

import yaml
from conftest import FIXTURES, run_cli

from linter.cli.main import main
from linter.ruleset.load import load_rules

SEED = FIXTURES / "notes" / "nemotron-4-340b.txt"
EXPECTED_CSV = yaml.safe_load(
    (FIXTURES / "entries" / "slips" / "expected.yaml").read_text(encoding="utf-8"))["database.csv"]


def test_rules_lists_every_rule_with_id_slug_and_summary():
    out = run_cli("rules").stdout.decode()
    for rule in load_rules():
        line = next(l for l in out.splitlines() if l.startswith(rule.id))
        assert rule.slug in line and rule.summary in line


def test_explain_prints_description_formula_and_examples():
    proc = run_cli("explain", "MC202")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert "Formula: compute = chips * peak_flops * utilization * duration" in out
    assert "Examples that pass:" in out and "6144 H100s at 41% MFU" in out
    assert run_cli("explain", "hardware-estimate").stdout == proc.stdout  # by slug too
    bad = run_cli("explain", "MC999")
    assert bad.returncode == 2 and b"no rule" in bad.stderr


def test_select_and_ignore_take_ids_and_prefixes(capsys):
    slip = str(FIXTURES / "notes" / "nemotron-4-340b-compute-slip.txt")
    assert main(["--isolated", "--select", "MC1", slip]) == 1
    assert main(["--isolated", "--select", "MC2", slip]) == 0
    assert main(["--isolated", "--ignore", "MC101", slip]) == 0
    assert capsys.readouterr().out.count("MC101 ") == 1


def test_user_rule_folder_adds_rules(tmp_path):
    rule = (FIXTURES.parent / "rules" / "MC205-batch-tokens.yaml").read_text()
    (tmp_path / "XX.yaml").write_text(rule.replace("MC205", "MC905").replace(
        "slug: batch-tokens", "slug: my-batch-tokens"))
    out = run_cli("rules", "--rules", str(tmp_path)).stdout.decode()
    assert "MC905  my-batch-tokens" in out


def test_hostile_formula_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    rule = (FIXTURES.parent / "rules" / "MC203-chip-hours.yaml").read_text()
    rule = rule.replace("MC203", "MC903").replace("slug: chip-hours", "slug: evil").replace(
        "formula: chip_hours = chips * duration",
        f"formula: chip_hours = __import__('os').system('touch {marker}')")
    (tmp_path / "evil.yaml").write_text(rule)
    proc = run_cli("--rules", str(tmp_path), str(SEED))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "evil.yaml:" in err and "only min, max, abs, sqrt and gmean may be called" in err
    assert "Traceback" not in err and not marker.exists()
