"""The work behind each HTTP request, as a worker process runs it: JSON text in, JSON text out.

A job is `{"kind": "plan" | "explain" | "next", "applicant": NAME, "facts": {fact:
value or null}, "lang": "en" | "zh", ...}`; the answer is one line `STATUS JSON`. A fact
given as null was answered "don't know". Every PolicyError becomes the same
`{code, message, diagnostics}` the command line reports, with status 400 (the
command line's exit 2); nothing else is caught, so a bug is a 500 with a
traceback in the server's log, not a wrong answer.
"""
from __future__ import annotations

import json
from decimal import Decimal

import policy
from policy.errors import PolicyError

REQUEST_FILE = "<request>"


class Worker:
    """The compiled policy of one worker process, and the jobs it answers."""

    def __init__(self, policy_path: str):
        from policy.decide.plan import require_catalogue

        self.compiled = policy.load_policy(policy_path)
        require_catalogue(self.compiled)

    def run(self, job_bytes: bytes) -> bytes:
        try:
            job = json.loads(job_bytes, parse_float=Decimal)  # a decimal's every digit
            status, answer = 200, JOBS[job["kind"]](self.compiled, job)
        except PolicyError as problem:
            status, answer = 400, error_json(problem)
        return f"{status} ".encode("ascii") + json.dumps(answer, ensure_ascii=False,
                                                          default=str).encode("utf-8")


def out_of_memory_answer(max_memory: int) -> bytes:
    """The answer line for a job that runs out of memory, made before any job runs."""
    message = (f"the request needed more memory than the limit of {max_memory / 2 ** 20:g} MiB; "
               "the server's --max-memory-mb sets the limit")
    body = {"code": "limit_exceeded", "message": message, "diagnostics": []}
    from policy.web.pool import OUT_OF_MEMORY

    return f"{OUT_OF_MEMORY} ".encode("ascii") + json.dumps(body).encode("utf-8") + b"\n"


def error_json(problem: PolicyError) -> dict:
    diagnostics = [d.as_dict() for d in problem.diagnostics]
    first = problem.diagnostics[0] if problem.diagnostics else None
    return {"code": first.code if first else "error",
            "message": first.message if first else str(problem),
            "diagnostics": diagnostics}


def applicant_of(compiled, job: dict):
    """The request's applicant (FactsError naming every fact that does not fit)."""
    from policy.inputs.applicant import applicant_from_mapping, fact_schema

    facts = dict(job.get("facts") or {})
    facts.pop("applicant", None)
    mapping = {"applicant": job.get("applicant") or "applicant", **facts}
    return applicant_from_mapping(mapping, fact_schema(compiled.program), REQUEST_FILE, 1)


def plan_job(compiled, job: dict) -> dict:
    from policy.decide.plan import make_plan

    return plan_dict(make_plan(compiled, applicant_of(compiled, job)), job)


def plan_dict(plan, job: dict) -> dict:
    from policy.views.planview import plan_json

    return json.loads(plan_json(plan, bool(job.get("all")), job.get("lang", "en")))


def explain_job(compiled, job: dict) -> dict:
    from policy.tools.explanation import ApplicantExplainer
    from policy.views.explainview import explanation_json

    explainer = ApplicantExplainer(compiled, applicant_of(compiled, job), job.get("lang", "en"))
    document = explainer.document(job["procedure"], bool(job.get("why_not")),
                                  int(job.get("depth", 2)), bool(job.get("all_proofs")))
    return json.loads(explanation_json(document))


def next_job(compiled, job: dict) -> dict:
    """The next question (None when nothing can change the plan), its why, and the plan so far."""
    from policy.decide.interview import Interview
    from policy.views.interviewview import question_json

    applicant = applicant_of(compiled, job)  # checks every answer first
    facts = {k: v for k, v in (job.get("facts") or {}).items() if k != "applicant"}
    state = Interview(compiled, applicant.name, facts, REQUEST_FILE)
    question = state.next_question()
    lang = job.get("lang", "en")
    plan = state.plan
    if job.get("reasons"):  # the page shows each procedure's one-line explanation
        plan = _with_reasons(compiled, applicant, lang, bool(job.get("all")))
    return {
        "schema": "policylog/interview-next/1",
        "question": question_json(question, lang) if question else None,
        "done": question is None,
        # facts answered "don't know" that can still change the plan (then it is not final)
        "declined_open": state.open_declined(),
        "answered": len(facts),
        "open": [fact for fact, _ in state.candidates()],
        "plan": plan_dict(plan, job),
    }


def _with_reasons(compiled, applicant, lang: str, show_all: bool):
    from policy.tools.explanation import ApplicantExplainer

    explainer = ApplicantExplainer(compiled, applicant, lang)
    for procedure in explainer.plan.shown(show_all):
        procedure.reason = explainer.reason(procedure.id)
    return explainer.plan


JOBS = {"plan": plan_job, "explain": explain_job, "next": next_job}
