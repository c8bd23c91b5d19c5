"""A CSV cell can give a fact of records or of several values, written as the interview's
one-line answers: `[{book: Dune, days: 41}]`, `zh, en`, `[]` (no rows); an empty cell is
unknown. Each row's statuses equal `query` on the same facts given in an applicant file."""
from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

import cli

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "examples" / "library_card" / "rules"
LANGUAGES = """\
@values("many")
input speaks(language: enum(zh, en, none)).
input adult.
derived eligible(p: enum(interpreter, chinese_desk, no_language)).
eligible(interpreter) :- adult, not speaks(zh).
eligible(chinese_desk) :- speaks(zh).
eligible(no_language) :- speaks(none).
procedure(interpreter, may).
procedure(chinese_desk, may).
procedure(no_language, may).
derived procedure(p: enum(interpreter, chinese_desk, no_language), modality: enum(must, may, option)).
"""


def invoke(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def batch_statuses(tmp_path, policy, csv_text: str) -> list:
    source, out = tmp_path / "people.csv", tmp_path / "out.jsonl"
    source.write_text(csv_text, encoding="utf-8")
    result = invoke("batch", source, "--out", out, "--policy", policy, "--jobs", "1")
    assert "Traceback" not in result.stderr
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def query_statuses(tmp_path, policy, facts: dict) -> dict:
    applicant = tmp_path / "applicant.yaml"
    applicant.write_text(yaml.safe_dump({"applicant": "x", **facts}), encoding="utf-8")
    result = invoke("query", applicant, "--policy", policy, "--all", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {p["id"]: p["status"] for p in json.loads(result.stdout)["procedures"]}


def test_records_in_a_csv_cell_decide_as_the_same_records_in_an_applicant_file(tmp_path):
    rows = [("[]", []), ('"[{book: Dune, days: 41}, {book: Emma, days: 3}]"',
                         [{"book": "Dune", "days": 41}, {"book": "Emma", "days": 3}]),
            ('"{book: Emma, days: 3}"', [{"book": "Emma", "days": 3}]), ("", None)]
    text = "applicant,resident,has_card,has_id_with_address,overdue\n" + "".join(
        f"r{i},true,true,true,{cell}\n" for i, (cell, _) in enumerate(rows))
    records = batch_statuses(tmp_path, LIBRARY, text)
    for record, (_, overdue) in zip(records, rows):
        facts = {"resident": True, "has_card": True, "has_id_with_address": True}
        if overdue is not None:
            facts["overdue"] = overdue
        assert record["error"] is None
        assert record["procedures"] == query_statuses(tmp_path, LIBRARY, facts)
    assert records[1]["procedures"]["pay_fine"] == "applies"  # Dune is 41 days late
    assert records[3]["procedures"]["pay_fine"] == "undetermined"  # not given: unknown


def test_a_bad_records_cell_is_an_error_record_naming_the_fact(tmp_path):
    text = ("applicant,resident,overdue\n"
            'a,true,"[{book: X, days: soon}]"\n'
            'b,true,"[{book: X}]"\n'
            'c,true,"!!python/object/apply:os.system [touch pwned]"\n'
            "d,true,[]\n")
    records = batch_statuses(tmp_path, LIBRARY, text)
    errors = [record["error"] for record in records]
    assert "'overdue.days'" in errors[0] and "not an integer" in errors[0]
    assert "missing days" in errors[1]
    assert "records are written [{book: ..., days: ...}, ...]" in errors[2]
    assert errors[3] is None and not (tmp_path / "pwned").exists()


def test_several_values_in_a_csv_cell_decide_as_a_list_does(tmp_path):
    policy = tmp_path / "languages.pl"
    policy.write_text(LANGUAGES, encoding="utf-8")
    cells = {"zh": ["zh"], '"zh, en"': ["zh", "en"], "en": ["en"], "[]": [], "none": ["none"],
             "[en]": ["en"]}
    text = "applicant,adult,speaks\n" + "".join(
        f"r{i},true,{cell}\n" for i, cell in enumerate(cells))
    records = batch_statuses(tmp_path, policy, text)
    for record, values in zip(records, cells.values()):
        assert record["error"] is None, record
        assert record["procedures"] == query_statuses(tmp_path, policy,
                                                      {"adult": True, "speaks": values})
    assert [r["procedures"]["interpreter"] for r in records] == [
        "not_applicable", "not_applicable", "applies", "applies", "applies", "applies"]
    assert records[4]["procedures"]["no_language"] == "applies"  # `none` is a value here
