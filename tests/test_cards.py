"""Model cards read as Markdown: excerpts of real cards give exactly these findings.

The excerpts and what was changed in them are listed in fixtures/modelcards/README.md.
"""

import math

import pytest
from conftest import FIXTURES

import linter

CARDS = FIXTURES / "modelcards"


def findings(name: str, **options):
    path = CARDS / name
    out = linter.lint(path, show_verified=True, **options)
    assert out["errors"] == []
    return out["findings"]


def problems(name: str):
    return [(f["rule"], f["line"], f["column"], f["grade"], f["stated"], f["computed"])
            for f in findings(name) if f["status"] == "problem"]


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-3)


def same(got, want):
    assert len(got) == len(want), got
    for g, w in zip(got, want):
        assert g[:4] == w[:4], (g, w)
        assert close(g[4], w[4]) and close(g[5], w[5]), (g, w)


def test_a_total_row_that_is_not_the_sum_of_the_rows_shown():
    # Llama 2's table keeps the family's Total while the 34B row is not shown
    same(problems("llama-2-carbon.md"), [
        ("MC401", 9, 8, "material", 3311616, 2273280),
        ("MC401", 9, 17, "material", 539.00, 385.08),
    ])
    [f] = [f for f in findings("llama-2-carbon.md") if f["status"] == "problem"][:1]
    assert f["message"] == (
        "3311616: the Total of 'Time (GPU hours)' is 3,311,616 GPU hours, but its rows add up "
        "to 2,273,280 GPU hours (+45.7%; 184320 + 368640 + 1720320) [material]")
    assert f["field"] == "table 1" and f["severity"] == "error"


def test_the_table_is_read_the_prose_cites_it_and_the_rows_share_one_grid():
    verified = [(f["rule"], f["line"], f["column"]) for f in findings("llama-2-carbon.md")
                if f["status"] == "verified"]
    assert verified == [("MC402", 2, 56), ("MC402", 2, 166), ("MC405", 6, 24),
                        ("MC405", 7, 25), ("MC405", 8, 26)]


def test_an_emissions_cell_that_does_not_follow_from_gpu_hours_and_power():
    got = problems("llama-2-carbon-emissions-slip.md")
    same(got[:1], [("MC405", 7, 25, "material", 82.44, 62.44)])
    [f] = [f for f in findings("llama-2-carbon-emissions-slip.md") if f["rule"] == "MC405"]
    assert f["message"].startswith("82.44: the Llama 2 13B row's emissions are 82.44 tCO2eq, "
                                   "but 368640 x 400 at the 0.423 kg CO2eq/kWh the other 2 "
                                   "rows imply give 62.44 tCO2eq (+32.0%)")


def test_a_prose_total_that_contradicts_its_table():
    got = problems("llama-2-carbon-prose-slip.md")
    same(got[:1], [("MC402", 2, 166, "material", 593, 539)])


def test_a_key_value_table_feeds_the_relation_rules():
    same(problems("biomedlm-keyvalue-compute-slip.md"),
         [("MC201", 16, 22, "material", 4.9e22, 4.86e21)])


def test_code_urls_dates_and_sizes_in_bytes_are_not_claims():
    assert findings("code-urls-and-sizes.md") == []


def test_front_matter_emissions_against_the_body():
    same(problems("dalle-mini-emissions.md"), [("MC308", 5, 18, "material", 7540, 30160)])


def test_the_nemotron_card_on_hugging_face_gives_no_false_alarm():
    assert [f for f in findings("nemotron-4-340b-instruct-hf.md")
            if f["status"] == "problem"] == []


@pytest.mark.parametrize("name", ["llama-2-carbon.md", "llama-2-carbon-emissions-slip.md"])
def test_findings_on_a_cell_point_at_the_cell(name):
    text = (CARDS / name).read_text(encoding="utf-8").splitlines()
    for f in findings(name):
        if f["field"] and f["field"].startswith("table"):
            line = text[f["line"] - 1]
            assert line[f["column"] - 1:f["end_column"] - 1] == f["text"], f
