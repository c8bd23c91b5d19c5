"""explain of a procedure that a fact of records decides, for an applicant who gave nothing."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent
LIBRARY = ROOT / "examples" / "library_card" / "rules"


def test_an_unknown_list_of_records_shows_what_each_kind_of_row_gives(run, tmp_path):
    applicant = tmp_path / "nobody.yaml"
    applicant.write_text("applicant: Nobody\n", encoding="utf-8")
    result = run("explain", applicant, "pay_fine", "--policy", LIBRARY, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["procedure"]["status"] == "undetermined"
    assert document["missing_facts"] == ["overdue"]
    (overdue,) = document["decided_by"]
    statuses = [(value["value"], value["status"]) for value in overdue["values"]]
    assert statuses[0] == ([], "not_applicable")  # no overdue book: no fine
    late = {row[0]["days"]: status for row, status in statuses[1:]}
    assert set(late.values()) == {"applies", "not_applicable"}
    assert all((days > 30) == (status == "applies") for days, status in late.items())
    text = run("explain", applicant, "pay_fine", "--policy", LIBRARY).output
    assert "days: 31}]: applies" in text.replace("\n", " ").replace("│", "").replace("  ", " ")
