"""The JSON API: the same plans, errors and codes as the command line; limits; isolation."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import policy
from policy import api
from policy.decide.interview import answers_of
from policy.inputs.applicant import fact_schema, load_applicant
from policy.views.planview import plan_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "facts").glob("*.yaml"))
SCHEMA = fact_schema(policy.load_policy(policy.BUNDLED_POLICY).program)


def body_of(path: Path, lang: str = "en") -> dict:
    """An applicant file as a request body."""
    applicant = load_applicant(path, SCHEMA)
    facts = {k: (v if not hasattr(v, "isoformat") else v.isoformat())
             for k, v in answers_of(applicant, SCHEMA).items()}
    return {"applicant": applicant.name, "facts": facts, "lang": lang}


def expected_plan(path: Path, lang: str = "en") -> dict:
    return json.loads(plan_json(api.query(path).plan, False, lang))


def core(plan: dict) -> dict:
    return {k: plan[k] for k in ("applicant", "achieved", "procedures", "checklist", "lang")}


def test_plan_is_the_query_plan(client):
    for path in EXAMPLES[:3]:
        answer = client.post("/v1/plan", json=body_of(path))
        assert answer.status_code == 200
        assert core(answer.json()) == core(expected_plan(path))
    chinese = client.post("/v1/plan", json=body_of(EXAMPLES[0], "zh")).json()
    assert core(chinese) == core(expected_plan(EXAMPLES[0], "zh"))


def test_bad_facts_are_400_with_the_cli_code_and_diagnostics(client):
    answer = client.post("/v1/plan", json={"facts": {"went_abroad_as": "by_boat", "nope": True}})
    assert answer.status_code == 400
    error = answer.json()
    assert error["code"] == "facts_error"
    messages = [d["message"] for d in error["diagnostics"]]
    assert any("by_boat" in m for m in messages) and any("unknown fact 'nope'" in m for m in messages)


def test_a_body_of_the_wrong_shape_is_422_json(client):
    answer = client.post("/v1/plan", json={"facts": [1, 2]})
    assert answer.status_code == 422
    assert answer.json()["code"] == "usage_error" and "facts" in answer.json()["message"]
    assert client.get("/v1/nothing").json()["code"] == "not_found"


def test_a_fact_beside_facts_is_refused_not_ignored(client):
    """A fact written at the top of the body was dropped, and the plan answered as if it had
    not been given; every endpoint taking an applicant refuses it now."""
    for path, extra in (("/v1/plan", {}), ("/v1/interview/next", {}),
                        ("/v1/explain", {"procedure": "apply_for_id_card"})):
        answer = client.post(path, json={"applicant": "A", "returned_overseas_student": True,
                                         "facts": {}, **extra})
        assert answer.status_code == 422, path
        error = answer.json()
        assert error["code"] == "usage_error"
        assert "returned_overseas_student" in error["message"] and '"facts"' in error["message"]


def test_explain_and_its_errors(client):
    body = body_of(ROOT / "facts/07_employee.yaml")
    answer = client.post("/v1/explain", json={**body, "procedure": "enroll_employee_medical_insurance"})
    assert answer.status_code == 200
    document = answer.json()
    assert document["procedure"]["id"] == "enroll_employee_medical_insurance"
    assert document["why"] and "SIL art.23" in json.dumps(document)
    missing = client.post("/v1/explain", json={**body, "procedure": "no_such_procedure"})
    assert missing.status_code == 400 and missing.json()["code"] == "query_error"


def test_interview_next_walks_to_the_query_plan(client):
    truth_path = ROOT / "facts/06_part_time_flexible.yaml"
    truth = body_of(truth_path)["facts"]
    facts, asked = {}, []
    while True:
        step = client.post("/v1/interview/next", json={"applicant": "Wang Fang", "facts": facts})
        assert step.status_code == 200
        step = step.json()
        if step["done"]:
            break
        question = step["question"]
        assert question["fact"] not in facts and question["why"]["procedures"]
        assert question["default"] is None and question["question"]
        asked.append(question["fact"])
        facts[question["fact"]] = truth.get(question["fact"])
    assert step["question"] is None and step["open"] == []
    assert core(step["plan"])["procedures"] == core(expected_plan(truth_path))["procedures"]
    assert len(asked) == len(set(asked))


def test_schema_health_and_openapi(client):
    schema = client.get("/v1/schema").json()
    assert [f["name"] for f in schema["facts"]] == [s.name for s in SCHEMA]
    assert client.get("/healthz").json()["status"] == "ok"
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/plan", "/v1/explain", "/v1/interview/next", "/v1/schema", "/healthz"} <= set(paths)


def test_bodies_over_the_limit_are_413_json(client, live_server):
    limit = live_server.app.state.settings.max_body
    announced = client.post("/v1/plan", content=b"{" + b" " * limit + b"}",
                            headers={"content-type": "application/json"})
    assert announced.status_code == 413 and announced.json()["code"] == "limit_exceeded"

    def chunks():  # no content-length: the body is streamed in chunks
        for _ in range(limit // 4096 + 2):
            yield b" " * 4096

    streamed = client.post("/v1/plan", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["code"] == "limit_exceeded"


def test_a_request_over_the_time_limit_is_504_and_the_service_goes_on(client, live_server):
    pool = live_server.app.state.pool
    saved, pool.timeout = pool.timeout, 0.001
    # a job that takes far longer than a millisecond (a plan alone can now answer within one):
    # every why-not and proof of a procedure, for an applicant who gave almost nothing
    sparse = {"applicant": "slow", "facts": {}, "procedure": "apply_card_at_district_center",
              "why_not": True, "all_proofs": True, "depth": 10}
    try:
        slow = client.post("/v1/explain", json=sparse)
    finally:
        pool.timeout = saved
    assert slow.status_code == 504 and slow.json()["code"] == "limit_exceeded"
    after = client.post("/v1/plan", json=body_of(EXAMPLES[1]))
    assert after.status_code == 200
    assert core(after.json()) == core(expected_plan(EXAMPLES[1]))


def test_concurrent_requests_never_see_each_others_facts(live_server):
    import httpx

    bodies = [body_of(path) for path in EXAMPLES]
    expected = [core(expected_plan(path)) for path in EXAMPLES]
    results, problems = {}, []

    def client_thread(number: int) -> None:
        with httpx.Client(base_url=live_server.url, timeout=120) as session:
            for round_ in range(3):
                index = (number + round_) % len(bodies)
                answer = session.post("/v1/plan", json=bodies[index])
                if answer.status_code != 200 or core(answer.json()) != expected[index]:
                    problems.append((number, index, answer.status_code))
                results[number, round_] = index

    threads = [threading.Thread(target=client_thread, args=(n,)) for n in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 96
    assert problems == []


def test_a_decimal_keeps_every_digit_through_the_api():
    """The validated body held decimals as binary floats: 60000.49999999999999999 became
    60000.5, and the subsidy's `Income < 60000.50` said not applicable."""
    import httpx

    from policy.web.app import create_app
    from tests.web.conftest import LiveServer

    facts = {"moved_in": "2025-05-01", "child": [{"name": "Leo", "born": "2025-07-15"}],
             "employment": "unemployed", "other_benefit": False, "in_nursery": ["Leo"]}
    body = ('{"applicant": "T", "all": true, "facts": ' + json.dumps(facts)[:-1]
            + ', "income": %s}}')
    with LiveServer(create_app(ROOT / "examples" / "childcare" / "rules", workers=1)) as server, \
            httpx.Client(base_url=server.url, timeout=60) as session:
        for income, expected in (("60000.49999999999999999", "applies"),
                                 ("60000.50", "not_applicable")):
            answer = session.post("/v1/plan", content=body % income,
                                  headers={"content-type": "application/json"})
            assert answer.status_code == 200, answer.text
            statuses = {p["id"]: p["status"] for p in answer.json()["procedures"]}
            assert statuses["subsidy"] == expected, income
