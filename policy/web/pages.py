"""The applicant page: GET / and plain form posts, rendered on the server (Jinja2).

The whole interview travels in the form: every answer so far is a hidden
field `a.FACT` (empty: don't know), in the order given, so the page needs no
session and no JavaScript (one `onclick` prints). Each post is one worker job
(the same `next` job as POST /v1/interview/next) whose JSON the template
draws: the next question with "why are you asking?" beside it, the answers so
far, the plan as it fills in (ordered steps, each with its explanation and
citations), and the checklist of documents. POST /answers.yaml gives the
answers as an applicant file to download.
"""
from __future__ import annotations


import json
from pathlib import Path
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from policy.views.labels import LABELS
from policy.inputs.answers import answer_text, holds_several, several_answer
from policy.values import ValueProblem, parse_decimal

HERE = Path(__file__).parent
STATIC = HERE / "static"
ANSWER_PREFIX = "a."
LANGS = ("en", "zh")
router = APIRouter()


def templates():
    """The Jinja2 environment (autoescaping every value), built once."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        _ENVIRONMENT = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                                   autoescape=select_autoescape(["html"]), trim_blocks=True,
                                   lstrip_blocks=True)
    return _ENVIRONMENT


_ENVIRONMENT = None


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def start(request: Request, lang: str = "en"):
    return await _page(request, _lang(lang), "", {}, None)


@router.post("/", response_class=HTMLResponse, include_in_schema=False)
async def step(request: Request):
    form = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    fields = dict(form)
    lang = _lang(fields.get("lang", "en"))
    name = fields.get("applicant", "")[:200]
    answers = read_answers(request, form)
    action = fields.get("action", "next")
    problem = None
    if action == "restart":
        answers = {}
    elif action == "back" and answers:
        answers.pop(next(reversed(answers)))
    elif action == "next" and fields.get("question") in _specs(request):
        fact = fields["question"]
        try:
            # several choices of a fact of several values come as several `answer` fields
            chosen = [value for key, value in form if key == "answer" and value != ""]
            answers[fact] = convert(_specs(request)[fact], ", ".join(chosen))
        except ValueError as error:
            problem = str(error)
    return await _page(request, lang, name, answers, problem)


@router.post("/answers.yaml", include_in_schema=False)
async def download(request: Request):
    """The answers as an applicant file (what `policylog interview --save` writes)."""
    from policy.decide.interview import Interview
    from policy.tools.interviewer import applicant_yaml

    form = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    fields = dict(form)
    state = Interview(request.app.state.compiled, fields.get("applicant") or "applicant",
                      read_answers(request, form))
    text = applicant_yaml(state, _lang(fields.get("lang", "en")))
    return Response(text, media_type="application/yaml; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="answers.yaml"'})


def read_answers(request: Request, form: list) -> dict:
    """The hidden `a.FACT` fields, in order, as values (empty: don't know); unknown facts dropped."""
    specs = _specs(request)
    answers = {}
    for key, text in form:
        fact = key[len(ANSWER_PREFIX):] if key.startswith(ANSWER_PREFIX) else None
        if fact in specs:
            try:
                answers[fact] = convert(specs[fact], text)
            except ValueError:
                continue  # a hand-edited form: the question comes again
    return answers


def convert(spec, text: str):
    """A form value as the applicant file would give it; "" is don't know. A fact of
    records or of several values takes them on one line (policy/inputs/answers.py)."""
    text = text.strip()
    if text == "":
        return None
    if holds_several(spec):
        return several_answer(spec, text, lambda part: _one(spec, part))
    return _one(spec, text)


def _one(spec, text: str):
    if spec.is_flag or spec.type.name == "boolean":
        if text not in ("true", "false"):
            raise ValueError(text)
        return text == "true"
    if spec.type.name == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f'"{text}" is not a whole number') from None
    if spec.type.name == "decimal":  # as a facts file reads it: exact, finite
        try:
            number = parse_decimal(text)
        except ValueProblem:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(f'"{text}" is not a number (write it as 2500 or 2500.50)')
        return number
    return text


def encode(value) -> str:
    """An answer as a hidden field's value (the inverse of `convert`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return answer_text(value)
    return str(value)


def _specs(request: Request) -> dict:
    from policy.inputs.applicant import fact_schema

    return {spec.name: spec for spec in fact_schema(request.app.state.compiled.program)}


def _lang(value: str) -> str:
    return value if value in LANGS else "en"


async def _page(request: Request, lang: str, name: str, answers: dict, problem):
    job = {"kind": "next", "applicant": name or "applicant", "facts": answers, "lang": lang,
           "reasons": True}
    status, body = await request.app.state.pool.run(job)
    result = json.loads(body)
    if status != 200:  # an answer the policy refuses: show why and ask again
        problem = "; ".join(d["message"] for d in result.get("diagnostics", ())) or result["message"]
        if answers:
            answers.popitem()  # the answer just given
        status, body = await request.app.state.pool.run({**job, "facts": answers})
        result = json.loads(body)
        if status != 200:
            return HTMLResponse(result.get("message", "error"), status_code=status)
    words = {key.split(".", 1)[1]: text for key, text in LABELS[lang].items()
             if key.startswith(("page.", "plan.", "interview."))}
    specs = _specs(request)
    context = {
        "lang": lang, "name": name, "words": words, "result": result, "problem": problem,
        "answers": [(fact, encode(value), _answer_text(specs[fact], value, lang))
                    for fact, value in answers.items()],
        "questions": {fact: specs[fact].text("question", lang) for fact in answers},
        "steps": _steps(result["plan"]["procedures"]),
    }
    html = templates().get_template("page.html").render(**context)
    return HTMLResponse(html)


def _answer_text(spec, value, lang: str) -> str:
    from policy.decide.interview import choices_of
    from policy.views.wording import choice_text
    from policy.views.labels import label

    if value is None:
        return label(lang, "interview.dont_know")
    if isinstance(value, list):
        return answer_text(value)
    return next((choice_text(c, lang) for c in choices_of(spec) if c.value == value), str(value))


def _steps(procedures: list) -> list:
    """[(step number, [procedures])] in step order, for the procedures with a step."""
    steps = {}
    for procedure in procedures:
        if procedure["step"] is not None:
            steps.setdefault(procedure["step"], []).append(procedure)
    return sorted(steps.items())
