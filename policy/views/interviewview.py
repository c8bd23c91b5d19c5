"""The interview as text and JSON: questions, "why are you asking?", transcripts.

The policy's own words (questions, value titles, procedure titles, rule titles,
citations) come from the policy files; only the labels of the layout live here,
in both languages.
"""
from __future__ import annotations

import json

from policy.views.planview import plan_json, plan_text
from policy.views.render import dumps

TRANSCRIPT_SCHEMA = "policylog/interview/1"

LABELS = {
    "en": {
        "prompt": "> ", "dont_know": "don't know", "default": "Enter: don't know",
        "commands": "? why · back · stop",
        "help": "Answer with a number, a value or its name; Enter for don't know; "
                "? or why: why this question; back: undo the last answer; stop: end here.",
        "nothing_to_undo": "Nothing to undo.", "undone": "Undone: {fact}.",
        "not_understood": "Not an answer here ({problem}): {reply!r}. Type ? for why, help for help.",
        "why_intro": "Your answer can settle {n} open procedure(s):",
        "why_clauses": "Rules that read it:", "yes_no": "yes/no",
        "transcript": "Interview for {name}", "answered": "-> {answer}",
        "count": "{n} question(s) asked; the schema has {size} facts.",
        "stopped": "Stopped after {n} answer(s).",
        "saved": "Answers saved to {file}.", "save_offer": "Save your answers to a file (Enter: do not save): ",
        "not_saved": "Answers not saved; rerun with --save FILE to keep them.",
        "saved_header": "Answers given to `policylog interview`; a fact left empty means \"don't know\".",
        "done": "Nothing more can change the plan.",
    },
    "zh": {
        "prompt": "> ", "dont_know": "不知道", "default": "回车：不知道",
        "commands": "? 为什么 · 返回 · 停止",
        "help": "请输入编号、取值或其名称；直接回车表示不知道；? 或“为什么”：为什么问这个问题；"
                "“返回”：撤销上一个回答；“停止”：到此结束。",
        "nothing_to_undo": "没有可撤销的回答。", "undone": "已撤销：{fact}。",
        "not_understood": "无法识别的回答（{problem}）：{reply!r}。输入 ? 查看原因，输入“帮助”查看说明。",
        "why_intro": "您的回答可以确定 {n} 项待定手续：",
        "why_clauses": "相关规则：", "yes_no": "是/否",
        "transcript": "{name} 的问答", "answered": "-> {answer}",
        "count": "共提问 {n} 个；事实清单共 {size} 项。",
        "stopped": "已在回答 {n} 个问题后停止。",
        "saved": "回答已保存到 {file}。", "save_offer": "将回答保存到文件（回车：不保存）：",
        "not_saved": "回答未保存；使用 --save FILE 重新运行可保存回答。",
        "saved_header": "policylog interview 的回答；留空的事实表示“不知道”。",
        "done": "再没有能改变计划的问题了。",
    },
}


def label(lang: str, key: str, **values) -> str:
    return LABELS[lang][key].format(**values)


def answer_text(question, value, lang: str) -> str:
    """An answer as the applicant would read it: the choice's title, the value, or don't know."""
    if value is None:
        return label(lang, "dont_know")
    for choice in question.choices:
        if choice.value == value:
            return choice.text(lang)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def question_text(question, number: int, lang: str) -> str:
    """The question, its numbered answers and the default, for a terminal."""
    lines = [f"{number}. {question.text(lang)}  [{question.fact}]"]
    if question.choices:
        lines.extend(f"   {i}) {choice.text(lang)}" for i, choice in enumerate(question.choices, 1))
        lines.append(f"   0) {label(lang, 'dont_know')}")
    else:
        lines.append(f"   ({question.kind})")
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
        "choices": [{"value": c.value, "title": c.text(lang)} for c in question.choices],
        "default": None,
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
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
