import json
from pathlib import Path

from ops.bench.report import (
    END_MARK,
    START_MARK,
    markdown_table,
    merge_results,
    previous_results,
    update_readme,
    write_reports,
)

RESULTS = {"vrf": {"verify_gas": 61_000, "proofs_per_s": 812.5}, "gas": {"dice_place": 135_000, "note": "x"}}


def test_table_marks_goals_met_and_missed() -> None:
    table = markdown_table(RESULTS)
    assert "| vrf | verify_gas | 61,000 | <= 80000 | yes |" in table
    assert "| gas | dice_place | 135,000 | <= 130000 | no |" in table
    assert "| vrf | proofs_per_s | 812.50 |  |  |" in table
    assert "| gas | note | x |  |  |" in table


def test_reports_and_readme_are_regenerated(tmp_path: Path) -> None:
    json_path, md_path = write_reports(RESULTS, tmp_path)
    assert json.loads(json_path.read_text())["results"] == RESULTS
    assert "verify_gas" in md_path.read_text()
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{START_MARK}\nold table\n{END_MARK}\noutro\n")
    assert update_readme(RESULTS, readme)
    text = readme.read_text()
    assert "old table" not in text and "verify_gas" in text and text.endswith("outro\n")
    readme.write_text("no markers")
    assert not update_readme(RESULTS, readme)


def test_a_partial_run_refreshes_its_benchmarks_and_keeps_the_others(tmp_path: Path) -> None:
    assert previous_results(tmp_path) == {}
    write_reports(RESULTS, tmp_path)
    fresh = {"gas": {"dice_place": 80_000}}
    merged = merge_results(previous_results(tmp_path), fresh, ["gas", "vrf"])
    assert merged == {"gas": {"dice_place": 80_000}, "vrf": RESULTS["vrf"]}
    assert list(merged) == ["gas", "vrf"]
    (tmp_path / "bench.json").write_text("not json")
    assert previous_results(tmp_path) == {}
