"""`query` and `test` give the same answers on both engines (`--engine pydatalog|duckdb`).

With `--engine duckdb` the static predicates are evaluated by DuckDB and an applicant who
gives every fact is decided from DuckDB's model of the plain program; unknown facts are
decided by the lineage evaluator either way. Compared here: the JSON output of `query`
(with reasons, every procedure) on every example applicant, the same applicants with every
fact filled in (so that DuckDB evaluates the whole decision), the JSON of `test` on the
bundled and the example scenarios, and, on the property tests' random policies, the plans
(statuses, deciding facts, blocking milestones, the models proofs are made from).
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from policy import api
from policy.decide import completions
from policy.decide.completions import decide
from policy.decide.plan import CATALOGUE, make_plan
from policy.inputs.applicant import applicant_from_mapping, fact_schema
from tests.decide.test_completions_reference import UNKNOWN, applicants, domain, programs

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "examples" / "library_card"
APPLICANTS = ([(path, None) for path in sorted((ROOT / "facts").glob("*.yaml"))]
              + [(path, LIBRARY / "rules") for path in sorted((LIBRARY / "applicants").glob("*.yaml"))])


def both(run, *args) -> list:
    """The command's exit code and output on each engine."""
    results = [run(*args, "--engine", engine) for engine in ("pydatalog", "duckdb")]
    return [(r.exit_code, r.stdout) for r in results]


@pytest.mark.parametrize("path, rules", APPLICANTS, ids=lambda p: getattr(p, "name", ""))
def test_query_is_the_same_on_both_engines(run, path, rules):
    options = ("--policy", rules) if rules else ()
    pydatalog, duckdb = both(run, "query", path, *options, "--all", "--explain", "--format", "json")
    assert pydatalog[0] == 0 and json.loads(pydatalog[1])["procedures"]
    assert duckdb == pydatalog


def filled(path: Path, schema, seed: int) -> str:
    """The applicant file with every fact it leaves unknown given a value (seeded)."""
    import yaml

    given = yaml.safe_load(path.read_text(encoding="utf-8"))
    pick = random.Random(seed)
    for spec in schema:
        if spec.name not in given:
            given[spec.name] = pick.choice([True, False]) if spec.is_flag else \
                pick.choice(sorted(spec.possible_rows()))[0]
    return yaml.safe_dump(given, allow_unicode=True)


def test_fully_known_applicants_are_decided_on_duckdb_and_agree(run, tmp_path, monkeypatch):
    schema = fact_schema(api.load().program)
    models = []
    original = completions.known_model
    monkeypatch.setattr(completions, "known_model",
                        lambda *args: models.append(args[1].name) or original(*args))
    chosen = APPLICANTS[:16:3]  # six of the bundled policy's examples (0.4 s each on DuckDB)
    for seed, (path, _) in enumerate(chosen):
        full = tmp_path / path.name
        full.write_text(filled(path, schema, seed), encoding="utf-8")
        expected = api.query(full, show_all=True, with_reasons=True).plan
        got = api.query(full, show_all=True, with_reasons=True, engine="duckdb").plan
        assert [(p.id, p.status, p.blocked_by, p.reason) for p in got.procedures] == \
            [(p.id, p.status, p.blocked_by, p.reason) for p in expected.procedures]
        assert (got.achieved, got.marks) == (expected.achieved, expected.marks)
        assert not any(p.missing for p in got.procedures)
        pydatalog, duckdb = both(run, "query", full, "--all", "--explain", "--format", "json")
        assert pydatalog[0] == 0 and duckdb == pydatalog
    assert len(models) == 2 * len(chosen)  # each one evaluated by DuckDB (API, then CLI)


@pytest.mark.parametrize("args", [(), (LIBRARY / "scenarios", "--policy", LIBRARY / "rules")],
                         ids=["bundled", "library_card"])
def test_test_is_the_same_on_both_engines(run, args):
    pydatalog, duckdb = both(run, "test", *args, "--coverage", "--format", "json")
    assert pydatalog[0] == 0 and json.loads(pydatalog[1])
    assert duckdb == pydatalog


def test_a_failing_scenario_fails_alike(run, tmp_path):
    scenario = tmp_path / "wrong.yaml"
    scenario.write_text("scenarios:\n  - name: wrong\n    facts: %s\n    expect:\n"
                        "      restore_hukou_with_passport: not_applicable\n"
                        % (ROOT / "facts" / "01_returnee_self_funded.yaml"), encoding="utf-8")
    pydatalog, duckdb = both(run, "test", scenario, "--format", "json")
    assert pydatalog[0] == 1 and duckdb == pydatalog


def plan_of(compiled, given: dict, engine: str) -> tuple:
    mapping = {name: value for name, value in given.items() if value is not UNKNOWN}
    applicant = applicant_from_mapping({"applicant": "t", **mapping},
                                       fact_schema(compiled.program), "t", 1)
    decision = decide(compiled, applicant, engine)
    plan = make_plan(compiled, applicant, decision)
    return ([(p.id, p.status, p.missing, p.blocked_by) for p in plan.procedures],
            decision.models([p for p in CATALOGUE if p in compiled.predicates] + ["h", "k"]))


SETTINGS = settings(max_examples=30, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(programs(), applicants)
def test_random_policies_plan_alike_on_both_engines(text, given_values):
    compiled = policy.compile_text(text)
    assert plan_of(compiled, given_values, "duckdb") == plan_of(compiled, given_values, "pydatalog")


@SETTINGS
@given(programs(), st.fixed_dictionaries({name: st.sampled_from(domain(name))
                                          for name in ("x0", "x1", "x2", "e", "n")}))
def test_random_policies_fully_known_plan_alike_on_both_engines(text, values):
    compiled = policy.compile_text(text)
    assert plan_of(compiled, values, "duckdb") == plan_of(compiled, values, "pydatalog")
