"""`batch --engine duckdb`: the same records as the pyDatalog batch, from one lifted evaluation.

The rows are drawn from the bundled policy's fact schema (some facts left
unknown, some values wrong), so undetermined statuses and error records are
covered as well as applies, blocked and not_applicable.
"""
from __future__ import annotations

import csv
import json
import random

import policy
from policy.engine.lifted import SITUATION, lift, lifted_predicates, split_model
from policy.engine.lowering import LAtom
from policy.inputs.applicant import fact_schema


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


def test_duckdb_batch_writes_the_same_records_as_pydatalog(run, tmp_path):
    rows = tmp_path / "rows.csv"
    write_rows(rows, 60, seed=4)
    outputs = {}
    for engine in ("pydatalog", "duckdb"):
        outputs[engine] = tmp_path / f"{engine}.jsonl"
        result = run("batch", rows, "--out", outputs[engine], "--engine", engine, "--jobs", "1")
        assert result.exit_code == 0, result.stderr
    assert outputs["duckdb"].read_text() == outputs["pydatalog"].read_text()
    records = outputs["duckdb"].read_text()
    assert '"undetermined"' in records and '"applies"' in records and '"error": "' in records


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


def test_population_diff_counts_the_applicants_whose_status_changes(run, tmp_path):
    new = tmp_path / "new"
    new.mkdir()
    for source in policy.BUNDLED_POLICY.glob("*.pl"):
        text = source.read_text(encoding="utf-8")
        text = text.replace("    has_doctorate,\n    has_spouse_or_minor_children.", "    has_doctorate.")
        (new / source.name).write_text(text, encoding="utf-8")
    rows = tmp_path / "rows.csv"
    write_rows(rows, 40, seed=9)
    reports = [run("diff", policy.BUNDLED_POLICY, new, "--population", rows, "--engine", engine,
                   "--format", "json").stdout for engine in ("duckdb", "pydatalog")]
    assert reports[0] == reports[1]
    report = json.loads(reports[0])
    assert report["rows"] == 40 and report["changed"] > 0
    assert {entry["id"] for entry in report["procedures"]} == {"move_in_family_hukou"}
    assert sum(entry["applicants"] for entry in report["procedures"]) == report["changed"]
    assert [r["change"] for r in report["rules"]] == ["modified"]
