"""The interview as text and JSON: questions, "why are you asking?", transcripts.

The policy's own words (questions, value titles, procedure titles, rule titles,
citations) come from the policy files; only the labels of the layout live here,
in both languages.
"""
from __future__ import annotations

import json

from policy.inputs.answers import holds_several, record_example
from policy.views import labels
from policy.views.wording import choice_text
from policy.views.planview import plan_json, plan_text
from policy.views.render import dumps, json_value

TRANSCRIPT_SCHEMA = "policylog/interview/1"


def label(lang: str, key: str, **values) -> str:
    """An interview label (policy/views/labels.py, section `interview.`)."""
    return labels.label(lang, "interview." + key, **values)


def answer_text(question, value, lang: str) -> str:
    """An answer as the applicant would read it: the choice's title, the value, or don't know."""
    if value is None:
        return label(lang, "dont_know")
    for choice in question.choices:
        if choice.value == value:
            return choice_text(choice, lang)
    if isinstance(value, list):
        return ", ".join(_value_text(v) for v in value)
    return _value_text(value)


def _value_text(value) -> str:
    """One value or record as the applicant wrote it: `{name: Leo, born: 2025-07-15}`, never
    Python's repr of a mapping of dates."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value_text(v)}" for k, v in value.items()) + "}"
    shown = json_value(value)
    return str(shown).lower() if isinstance(shown, bool) else str(shown)


def several_hint(spec, lang: str) -> str:
    """How to give several values or records on one line ("" for a fact of one value)."""
    if not holds_several(spec):
        return ""
    return label(lang, "records" if spec.is_record else "several", example=record_example(spec))


def question_text(question, number: int, lang: str) -> str:
    """The question, its numbered answers and the default, for a terminal."""
    lines = [f"{number}. {question.text(lang)}  [{question.fact}]"]
    if question.choices:
        lines.extend(f"   {i}) {choice_text(choice, lang)}" for i, choice in enumerate(question.choices, 1))
        lines.append(f"   0) {label(lang, 'dont_know')}")
    else:
        lines.append(f"   ({question.kind})")
    if holds_several(question.spec):
        lines.append("   " + several_hint(question.spec, lang))
    lines.append(f"   {label(lang, 'default')} · {label(lang, 'commands')}")
    return "\n".join(lines)


def why_items(question, lang: str) -> dict:
    """Why a question is asked: the open procedures it decides and the clauses that read it."""
    return {
        "procedures": [{"id": p.id, "title": p.title.get(lang, p.id), "citations": p.citations}
                       for p in question.procedures],
        "clauses": [_clause(rule, lang) for rule in question.clauses],
    }


def _clause(rule, lang: str) -> dict:
    title, source = rule.annotation("title"), rule.annotation("source")
    return {"id": rule.rule_id, "title": title.text(lang) if title else "",
            "source": source.text() if source else "",
            "file": rule.span.file, "line": rule.span.line}


def why_text(question, lang: str) -> str:
    items = why_items(question, lang)
    lines = ["   " + label(lang, "why_intro", n=len(items["procedures"]))]
    lines.extend(f"   - {p['title']} [{p['id']}] ({'; '.join(p['citations'])})"
                 for p in items["procedures"])
    lines.append("   " + label(lang, "why_clauses"))
    lines.extend(f"   - {c['title'] or c['id']} ({c['source'] or c['id']})" for c in items["clauses"])
    return "\n".join(lines)


def question_json(question, lang: str) -> dict:
    """The question for programs (the HTTP service and --format json)."""
    return {
        "fact": question.fact,
        "question": question.text(lang),
        "kind": question.kind,
        "choices": [{"value": c.value, "title": choice_text(c, lang)} for c in question.choices],
        "default": None,
        "hint": several_hint(question.spec, lang),  # how to write several values, or ""
        "several": holds_several(question.spec),  # choices: any number of them (none: [])
        "why": why_items(question, lang),
    }


def transcript_text(transcript, lang: str) -> str:
    """Scripted: every question with its answer, the count, then the plan. In a terminal the
    applicant saw the questions already: the plan alone."""
    interview = transcript.interview
    lines = []
    if transcript.scripted:
        lines.append(label(lang, "transcript", name=interview.name))
        lines.append("")
        for number, turn in enumerate(transcript.turns, 1):
            lines.append(f"{number:>2}. {turn.question.text(lang)}  [{turn.question.fact}]")
            lines.append("    " + label(lang, "answered", answer=answer_text(turn.question, turn.answer, lang)))
        lines.append("")
        lines.append(label(lang, "count", n=len(transcript.turns), size=len(interview.schema)))
        lines.append("")
    if transcript.saved:
        lines.append(label(lang, "saved", file=transcript.saved))
    if not transcript.scripted:
        lines.append("")
    lines.append(plan_text(transcript.plan, False, lang))
    return "\n".join(lines)


def transcript_json(transcript, lang: str) -> str:
    interview = transcript.interview
    return dumps({
        "schema": TRANSCRIPT_SCHEMA,
        "applicant": interview.name,
        "lang": lang,
        "questions": [{"fact": t.question.fact, "question": t.question.text(lang),
                       "answer": _json_value(t.answer),
                       "answer_text": answer_text(t.question, t.answer, lang)}
                      for t in transcript.turns],
        "count": len(transcript.turns),
        "schema_size": len(interview.schema),
        "stopped": transcript.stopped or None,
        "plan": json.loads(plan_json(transcript.plan, False, lang)),
    })


def _json_value(value):
    """An answer as JSON: lists and records kept (a record a mapping of JSON values), dates
    as ISO strings, and a decimal by its digits, as a string (as it always was)."""
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    shown = json_value(value)
    return shown if isinstance(shown, (bool, str)) else str(value)
