"""Rules users write: new roles with their keywords, their own codes, their examples run by
`mclint check-rules`, and bad roles refused with their position."""

import json

import pytest
from conftest import FIXTURES, run_cli

import linter
from linter.ruleset.load import RuleError, load_rules

USER = FIXTURES / "rules" / "user"


def test_a_rule_with_natural_names_fires_on_its_example():
    # gpu_hours, gpus and hours are new roles: the rule file gives their units and keywords
    out = linter.lint("We trained on 64 GPUs for 100 hours, so 64,000 GPU hours in all.",
                      rules=[str(USER)], select=["ACME01"])
    [f] = out["findings"]
    assert (f["rule"], f["text"], f["stated"], f["computed"], f["grade"]) == (
        "ACME01", "64,000 GPU hours", 64000.0, 6400.0, "material")
    assert f["message"] == ("64,000 GPU hours: GPUs x hours gives 6,400 GPU hours from "
                            "gpus 64 GPUs, hours 100 hours, not 64,000 GPU hours "
                            "(off by ×10) [material]")


def test_a_new_quantity_needs_only_yaml():
    out = linter.lint("A 7B parameter model trained on 140B tokens, so 30 tokens per "
                      "parameter.", rules=[str(USER)], select=["ACME02"])
    [f] = out["findings"]
    assert (f["rule"], f["text"], f["stated"], f["computed"]) == (
        "ACME02", "30 tokens per parameter", 30.0, 20.0)


def test_check_rules_runs_a_folder_of_user_rules():
    proc = run_cli("check-rules", str(USER))
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.decode().splitlines()[-1] == "4 examples of 2 rules: 4 passed, 0 failed"


def test_check_rules_fails_on_an_example_that_does_not_hold(tmp_path):
    text = (USER / "ACME01-gpu-hours.yaml").read_text().replace("computed: 6400",
                                                                "computed: 6500")
    (tmp_path / "ACME01.yaml").write_text(text)
    proc = run_cli("check-rules", str(tmp_path))
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert "FAIL ACME01 fail example 1" in out and "computed 6400" in out
    assert out.splitlines()[-1] == "2 examples of 1 rule: 1 passed, 1 failed"


def test_mclint_claims_shows_the_roles_a_note_offers():
    proc = run_cli("claims", str(FIXTURES / "notes" / "nemotron-4-340b.txt"), "--format",
                   "json")
    assert proc.returncode == 0
    claims = json.loads(proc.stdout)
    by_text = {c["text"]: c for c in claims}
    assert by_text["9 trillion tokens"]["role"] == "training_tokens"
    assert (by_text["8 GPUs"]["kind"], by_text["8 GPUs"]["role"]) == ("chips", "chips")
    assert by_text["1.8E25"]["concluded"] is True
    table = run_cli("claims", str(FIXTURES / "notes" / "nemotron-4-340b.txt")).stdout.decode()
    assert table.splitlines()[0].split() == ["where", "text", "value", "unit", "kind", "role",
                                            "notes"]
    assert f"{len(claims)} claims" in table.splitlines()[-1]


@pytest.mark.parametrize("folder, where, message", [
    ("unknown-role", "rule.yaml:11:3",
     "unknown role 'gpu_hour': a new role needs a unit (and keywords for the extractor)"),
    ("role-wrong-unit", "rule.yaml:11:10",
     "role chips: unit 'hour' does not have the dimension of role chips (chip)"),
])
def test_a_rule_naming_an_unknown_role_or_a_wrong_unit_is_refused(folder, where, message):
    with pytest.raises(RuleError) as info:
        load_rules((str(FIXTURES / "rules" / folder),))
    assert str(info.value).endswith(f"{where}: {message}")
    proc = run_cli("rules", "--rules", str(FIXTURES / "rules" / folder))
    assert proc.returncode == 2
    assert proc.stderr.decode().strip().endswith(f"{where}: {message}")


def test_extend_select_turns_on_a_preview_rule_on_top_of_the_default(tmp_path):
    text = (USER / "ACME01-gpu-hours.yaml").read_text()
    (tmp_path / "ACME01.yaml").write_text("preview: true\n" + text)
    note = "We trained on 64 GPUs for 100 hours, so 64,000 GPU hours in all. 6 * 340B * 9T = 1.8E24"
    rules = lambda **o: sorted({f["rule"] for f in linter.lint(note, rules=[str(tmp_path)],
                                                                isolated=True, **o)["findings"]})
    assert rules() == ["MC101", "MC203"]        # MC203 chip-hours reads it too
    assert rules(extend_select="ACME01") == ["ACME01", "MC101", "MC203"]
    assert rules(select="MC101", extend_select="ACME01") == ["ACME01", "MC101"]
