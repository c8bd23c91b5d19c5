"""The JSON API: /v1/plan, /v1/explain, /v1/interview/next, /v1/schema, /healthz.

Every evaluation goes to the worker pool (pool.py) as a job (jobs.py); the
service itself only validates the request's shape and passes JSON through.
The request bodies carry the applicant as an applicant file would, with
"don't know" as null:

    {"applicant": "Li Wei", "facts": {"returned_overseas_student": true,
     "went_abroad_as": "self_funded", "has_local_hukou": null}, "lang": "en"}
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

router = APIRouter()
ERRORS = {400: {"description": "Bad facts or procedure: {code, message, diagnostics}"},
          413: {"description": "Body over the size limit"},
          422: {"description": "The body is not of the documented shape"},
          504: {"description": "Over the request time limit"}}


class ApplicantRequest(BaseModel):
    """An applicant: a name and facts of the schema (GET /v1/schema); null = don't know.
    Any other field is refused (422), not ignored: a fact written beside "facts" instead of
    inside it was silently dropped, and the answer was about an applicant who had not
    given it."""

    model_config = ConfigDict(extra="forbid")

    applicant: str = Field("applicant", max_length=200)
    facts: dict[str, Any] = Field(default_factory=dict)
    lang: Literal["en", "zh"] = "en"
    all: bool = Field(False, description="Also list the procedures that do not apply.")


class ExplainRequest(ApplicantRequest):
    procedure: str = Field(..., max_length=200)
    why_not: bool = False
    depth: int = Field(2, ge=1, le=10)
    all_proofs: bool = False


async def evaluate(request: Request, kind: str, body: BaseModel) -> Response:
    """Run one job on the pool and pass its JSON answer through. The facts are taken from
    the body's own text with decimals read digit for digit (the validated model has them as
    binary floats: an income of 60000.49999999999999999 became 60000.5, and a rule's
    `I < 60000.50` failed)."""
    job = {"kind": kind, **body.model_dump()}
    job["facts"] = await exact_facts(request, job["facts"])
    status, answer = await request.app.state.pool.run(job)
    return Response(answer, status_code=status, media_type="application/json")


async def exact_facts(request: Request, facts: dict) -> dict:
    """The body's "facts" read again from its text with decimals exact (`facts` when the
    text cannot be read so: the model has validated it already)."""
    try:
        raw = json.loads(await request.body(), parse_float=Decimal)
    except ValueError:
        return facts
    found = raw.get("facts") if isinstance(raw, dict) else None
    return found if isinstance(found, dict) else facts


@router.post("/v1/plan", responses=ERRORS, tags=["plan"])
async def plan(request: Request, body: ApplicantRequest):
    """The applicant's plan in the `policylog query --format json` schema (policylog/plan/1)."""
    return await evaluate(request, "plan", body)


@router.post("/v1/explain", responses=ERRORS, tags=["plan"])
async def explain(request: Request, body: ExplainRequest):
    """Why the procedure applies or not, and what would change it (`policylog explain --format json`)."""
    return await evaluate(request, "explain", body)


@router.post("/v1/interview/next", responses=ERRORS, tags=["interview"])
async def interview_next(request: Request, body: ApplicantRequest):
    """Stateless interview step: the answers so far in (null = don't know); the next question
    (`question`, null when nothing can change the plan), why it is asked, and the plan out."""
    return await evaluate(request, "next", body)


@router.get("/v1/schema", tags=["schema"])
async def schema(request: Request):
    """The applicant fact schema (`policylog facts --format json`): names, types, values, questions."""
    from policy.inputs.applicant import fact_schema
    from policy.views.planview import schema_json

    document = schema_json(fact_schema(request.app.state.compiled.program))
    return Response(document, media_type="application/json")


@router.get("/healthz", tags=["service"])
async def healthz(request: Request):
    """Up, with the number of evaluation workers."""
    pool = request.app.state.pool
    return JSONResponse({"status": "ok", "workers": len(pool.workers),
                         "policy": request.app.state.settings.policy_path})
