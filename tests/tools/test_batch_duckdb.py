"""`batch --engine duckdb` and `diff --population`: the same records as the default engine.

Statuses are exact over the completions of the unknown facts (completions.py)
whichever engine runs. The bundled policy's schema is finite, so its statuses
come from decision diagrams and no engine evaluates a row; the library example
has an open-typed record fact (`overdue(book, days)`), so each distinct row is
evaluated: on DuckDB one lifted evaluation per block (the certain/possible
approximation over the exact domains), with an exact decision for each row it
leaves undetermined.
"""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import policy
from policy.decide.plan import procedure_statuses
from policy.engine.lifted import SITUATION, lift, lifted_predicates, split_model
from policy.engine.lowering import LAtom
from policy.inputs.applicant import applicant_from_mapping, fact_schema

LIBRARY = Path(__file__).parent.parent.parent / "examples" / "library_card" / "rules"


def write_rows(path, count: int, seed: int) -> None:
    schema = fact_schema(policy.load_policy().program)
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["applicant"] + [spec.name for spec in schema])
        for i in range(count):
            cells = []
            for spec in schema:
                choices = ["true", "false"] if spec.type.name == "boolean" else list(spec.type.values)
                cells.append("" if rng.random() < 0.3 else rng.choice(choices + ["nonsense"] * (i == 7)))
            writer.writerow([f"a{i}"] + cells)


def library_rows(path, count: int, seed: int) -> list:
    """JSONL applicants of the library example: each fact given or not (unknown), books
    overdue by days on both sides of the policy's 30, a wrong value on one row."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        row = {"applicant": f"r{i}"}
        for flag in ("resident", "has_card", "has_id_with_address"):
            if rng.random() < 0.7:
                row[flag] = rng.random() < 0.5
        if rng.random() < 0.7:
            row["overdue"] = [{"book": rng.choice(["a", "b", "c"]), "days": rng.choice([0, 12, 30, 31, 45])}
                              for _ in range(rng.randrange(3))]
        rows.append(row)
    rows[5]["overdue"] = [{"book": "a", "days": "many"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


def test_duckdb_batch_writes_the_same_records_as_pydatalog(run, tmp_path):
    rows = tmp_path / "rows.csv"
    write_rows(rows, 60, seed=4)
    outputs = {}
    for engine in ("pydatalog", "duckdb"):
        outputs[engine] = tmp_path / f"{engine}.jsonl"
        result = run("batch", rows, "--out", outputs[engine], "--engine", engine, "--jobs", "1")
        assert result.exit_code == 1, result.stderr  # row 7 is an error record
    assert outputs["duckdb"].read_text() == outputs["pydatalog"].read_text()
    records = outputs["duckdb"].read_text()
    assert '"undetermined"' in records and '"applies"' in records and '"error": "' in records


def test_duckdb_batch_of_an_open_typed_policy_gives_query_statuses(run, tmp_path):
    source = tmp_path / "rows.jsonl"
    rows = library_rows(source, 80, seed=11)
    outputs = {}
    for engine in ("pydatalog", "duckdb"):
        outputs[engine] = tmp_path / f"{engine}.jsonl"
        result = run("batch", source, "--out", outputs[engine], "--policy", LIBRARY,
                     "--engine", engine, "--jobs", "1")
        assert result.exit_code == 1, result.stderr  # row 6 (line 6) is an error record
    assert outputs["duckdb"].read_text() == outputs["pydatalog"].read_text()
    records = [json.loads(line) for line in outputs["duckdb"].read_text().splitlines()]
    assert len(records) == 80 and records[5]["error"] and not records[4]["error"]
    compiled = policy.load_policy(LIBRARY)
    schema = fact_schema(compiled.program)
    seen = set()
    for row, record in zip(rows, records):
        if record["error"]:
            continue
        facts = {k: v for k, v in row.items() if k != "applicant"}
        applicant = applicant_from_mapping(facts, schema, "rows.jsonl", 1)
        assert record["procedures"] == procedure_statuses(compiled, applicant), row
        seen |= set(record["procedures"].values())
    assert seen == {"applies", "blocked", "undetermined", "not_applicable"}


CASES = """
input age(n: integer).
input member.
procedure(vote, may). procedure(ride, may). procedure(club, may).
eligible(vote) :- age(A), A >= 18.
eligible(ride) :- age(A), A >= 18.
eligible(ride) :- age(A), A < 18.
eligible(club) :- member.
needs(club, grown).
achieved(grown) :- age(A), A >= 21.
"""


def test_a_status_only_case_analysis_decides_is_exact_on_duckdb(run, tmp_path):
    """`ride` applies whatever the unknown age is: the certain/possible approximation
    cannot see it (neither rule's premise is certain), so DuckDB's batch decides that row
    exactly; `club` is blocked for a member of 19 and undetermined without an age."""
    rules = tmp_path / "cases.pl"
    rules.write_text(CASES, encoding="utf-8")
    source = tmp_path / "rows.jsonl"
    source.write_text('{"applicant": "x"}\n{"applicant": "y", "age": 19, "member": true}\n'
                      '{"applicant": "z", "age": 30, "member": false}\n', encoding="utf-8")
    texts = []
    for engine in ("duckdb", "pydatalog"):
        out = tmp_path / f"{engine}.jsonl"
        assert run("batch", source, "--out", out, "--policy", rules, "--engine", engine).exit_code == 0
        texts.append(out.read_text())
    assert texts[0] == texts[1]
    statuses = [json.loads(line)["procedures"] for line in texts[0].splitlines()]
    assert statuses[0] == {"club": "undetermined", "ride": "applies", "vote": "undetermined"}
    assert statuses[1] == {"club": "blocked", "ride": "applies", "vote": "applies"}
    assert statuses[2] == {"club": "not_applicable", "ride": "applies", "vote": "applies"}


def test_lifting_keys_only_what_depends_on_the_inputs():
    compiled = policy.compile_text("""
        input age(n: integer).
        place(beijing). place(shanghai).
        adult :- age(N), N >= 18.
        minor :- not adult.
        offer(P) :- place(P), adult.
        count_places(N) :- N = count : { place(_) }.
    """)
    lifted = lifted_predicates(compiled.lowered, {"age"})
    assert {"adult", "minor", "offer"} <= lifted and not {"place", "count_places"} & lifted
    program = lift(compiled.lowered, {"age"})
    minor = next(r for r in program.rules if r.head.predicate == "minor")
    assert minor.body[0] == LAtom(SITUATION, (("var", "Ksituation"),))
    model = {"adult": {(0,)}, "place": {("beijing",)}}
    assert split_model(model, lifted, [0, 1]) == [{"adult": {()}, "place": {("beijing",)}},
                                                   {"adult": set(), "place": {("beijing",)}}]


def test_population_diff_is_the_same_on_both_engines_and_counts_per_procedure(run, tmp_path):
    new = tmp_path / "new"
    new.mkdir()
    text = (LIBRARY / "library.pl").read_text(encoding="utf-8")
    (new / "library.pl").write_text(text.replace("Days > 30.", "Days > 10."), encoding="utf-8")
    source = tmp_path / "rows.jsonl"
    rows = library_rows(source, 60, seed=3)
    del rows[5]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    reports = [run("diff", LIBRARY, new, "--population", source, "--engine", engine,
                   "--format", "json").stdout for engine in ("duckdb", "pydatalog")]
    assert reports[0] == reports[1]
    report = json.loads(reports[0])
    population = report["population"]
    assert population["rows"] == report["applicants"] == 59
    assert population["changed"] == len(report["changed"]) > 0
    assert {entry["id"] for entry in population["procedures"]} == {"pay_fine"}
    assert sum(e["applicants"] for e in population["procedures"]) == population["changed"]
    moved = {(e["old"], e["new"]) for e in population["procedures"]}
    assert moved <= {("not_applicable", "applies"), ("not_applicable", "undetermined"),
                     ("undetermined", "applies")}
    assert [r["change"] for r in report["rules"]] == ["modified"]
    text = run("diff", LIBRARY, new, "--population", source).stdout
    assert "Per procedure, of the population's 59 row(s):" in text


def test_population_diff_names_a_bad_row_and_compares_the_others(run, tmp_path):
    """Before, the first bad row ended the report (exit 2): the other rows' work was lost."""
    source = tmp_path / "rows.jsonl"
    library_rows(source, 8, seed=3)
    result = run("diff", LIBRARY, LIBRARY, "--population", source)
    assert result.exit_code == 1, result.output  # as batch: a row that is an error record
    assert "1 row(s) not compared" in result.stdout and f"{source}:6: " in result.stdout
    report = json.loads(run("diff", LIBRARY, LIBRARY, "--population", source,
                            "--format", "json").stdout)
    assert report["population"]["rows"] == 7 and report["population"]["errors"] == 1
    assert report["population"]["error_examples"][0]["line"] == 6


def test_population_diff_reads_a_pipe(run, tmp_path):
    """Before: "no such file" for a FIFO that batch itself reads."""
    import os
    import threading

    rows = tmp_path / "rows.jsonl"
    library_rows(rows, 8, seed=1)
    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)
    feeder = threading.Thread(target=lambda: pipe.write_bytes(rows.read_bytes()), daemon=True)
    feeder.start()
    result = run("diff", LIBRARY, LIBRARY, "--population", pipe, "--format", "json")
    feeder.join(10)
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["population"]["rows"] + \
        json.loads(result.stdout)["population"]["errors"] == 8
