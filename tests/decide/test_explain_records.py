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


COUNTS = """\
@description(en: "The books you hold past their due date")
input overdue(book: string, days: integer).
@description(en: "You are a member")
input member.
procedure(warning, must).
procedure(ban, must).
eligible(warning) :- N = count : { overdue(B, D), D > 30 }, N >= 2.
eligible(ban) :- member, N = count : { overdue(B, D) }, N >= 3, overdue(dune, _).
"""


def test_a_count_of_records_is_suggested_with_as_many_records_as_it_needs(run, tmp_path):
    """Before: "no change of at most 3 facts makes it apply" (one record at most). The
    suggestion is the fewest records that work, and `query` with them says applies."""
    rules = tmp_path / "counts.pl"
    rules.write_text(COUNTS, encoding="utf-8")
    applicant = tmp_path / "nobody.yaml"
    applicant.write_text("applicant: Nobody\n", encoding="utf-8")
    wanted = {"warning": (["other value", "other value 2"], {}),
              "ban": (["dune", "other value", "other value 2"], {"member": True})}
    for procedure, (books, others) in wanted.items():
        result = run("explain", applicant, procedure, "--policy", rules, "--format", "json")
        assert result.exit_code == 0, result.output
        (suggestion,) = json.loads(result.output)["would_apply_if"]
        changes = {c["fact"]: c["value"] for c in suggestion}
        assert sorted(r["book"] for r in changes.pop("overdue")) == books
        assert changes == others
        given = tmp_path / f"{procedure}.json"
        given.write_text(json.dumps({"applicant": "Nobody", **others, "overdue": [
            {"book": book, "days": 31} for book in books]}), encoding="utf-8")
        plan = run("query", given, "--policy", rules, "--all", "--format", "json")
        statuses = {p["id"]: p["status"] for p in json.loads(plan.output)["procedures"]}
        assert statuses[procedure] == "applies"
