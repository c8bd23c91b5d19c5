"""The interview as a conversation: in a terminal, or answered from a file of true facts.

The conversation reads and writes through two callables (`read(prompt) -> str`,
which raises EOFError at the end of input and KeyboardInterrupt on Ctrl-C, and
`write(text)`), so the command line, the tests and any other front end drive the
same loop. Every sentence shown comes from interviewview (labels) and the policy
(questions, titles, citations).

Replies to a question: a choice's number, its value or its title; `yes`/`no`
for a yes/no fact; a value for an open type (integer, decimal, ISO date, text);
Enter (or 0) for "don't know"; `?` or `why` for why it is asked; `back` to undo
the last answer; `stop` to end. The Chinese words 为什么, 返回, 停止 work too.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from policy.decide.interview import Interview, Question, truth_answer
from policy.errors import FactsError
from policy.inputs.answers import answer_text, holds_several, several_answer
from policy.views import interviewview as view

WHY, BACK, STOP, HELP = "why", "back", "stop", "help"
COMMANDS = {"?": WHY, "why": WHY, "为什么": WHY, "back": BACK, "返回": BACK, "stop": STOP,
            "quit": STOP, "停止": STOP, "help": HELP, "帮助": HELP}
SHOWN_REPLY = 200  # characters of a refused reply said back
YES = {"y", "yes", "true", "t", "是", "对", "有"}
NO = {"n", "no", "false", "f", "否", "不", "没有"}


@dataclass
class Turn:
    """One question of an interview and the answer given (None: don't know)."""

    question: Question
    answer: object  # the value given; None: don't know


@dataclass
class Transcript:
    """The questions asked in order with their answers, and the interview they led to."""

    interview: Interview
    turns: list = field(default_factory=list)
    scripted: bool = False
    stopped: str = ""  # "": ran to the end; "stop", "eof" or "interrupt": the applicant ended it
    saved: str = ""  # the file the answers were written to

    @property
    def plan(self):
        return self.interview.plan


def answer_from(interview: Interview, truth) -> Transcript:
    """Answer every question from the Applicant `truth` (a fact it does not give: don't know)."""
    transcript = Transcript(interview, scripted=True)
    question = interview.next_question()
    while question is not None:
        value = truth_answer(truth, question.spec)
        interview.answer(question.fact, value)
        transcript.turns.append(Turn(question, value))
        question = interview.next_question()
    return transcript


def converse(interview: Interview, lang: str, read, write) -> Transcript:
    """Ask one question at a time until nothing can change the plan or the applicant stops."""
    transcript = Transcript(interview)
    try:
        question = interview.next_question()
        while question is not None:
            reply = _ask(question, len(transcript.turns) + 1, lang, read, write, transcript)
            if reply is STOP:
                transcript.stopped = STOP
                break
            question = interview.next_question()
    except EOFError:
        transcript.stopped = "eof"
        write("")
    except KeyboardInterrupt:
        transcript.stopped = "interrupt"
        write("")
    if transcript.stopped:
        write(view.label(lang, "stopped", n=len(transcript.turns)))
    else:  # out of questions: final, or only what the applicant did not know is left
        write(view.label(lang, "done_unknown" if interview.open_declined() else "done"))
    return transcript


def _ask(question: Question, number: int, lang: str, read, write, transcript: Transcript):
    """Ask until the reply is an answer (recorded), `back` (undone) or `stop`."""
    write(view.question_text(question, number, lang))
    while True:
        reply = read(view.label(lang, "prompt")).strip()
        command = COMMANDS.get(reply.lower())
        if command == WHY:
            write(view.why_text(question, lang))
        elif command == HELP:
            write(view.label(lang, "help"))
        elif command == BACK:
            undone = transcript.interview.back()
            if undone is None:
                write(view.label(lang, "nothing_to_undo"))
                continue
            transcript.turns.pop()
            write(view.label(lang, "undone", fact=undone))
            return BACK
        elif command == STOP:
            return STOP
        elif _record(question, reply, lang, write, transcript):
            return None


def _record(question: Question, reply: str, lang: str, write, transcript: Transcript) -> bool:
    try:
        value = parse_reply(question, reply)
        transcript.interview.answer(question.fact, value)
    except (ValueError, FactsError) as problem:
        shown = reply if len(reply) <= SHOWN_REPLY else reply[: SHOWN_REPLY - 3] + "..."
        write(view.label(lang, "not_understood", reply=shown, problem=_problem_text(problem)))
        return False
    transcript.turns.append(Turn(question, value))
    return True


def _problem_text(problem) -> str:
    if isinstance(problem, FactsError):
        return "; ".join(d.message for d in problem.diagnostics)
    return str(problem)


def parse_reply(question: Question, reply: str):
    """The value a reply gives (None: don't know); ValueError when it is none of the answers."""
    text = reply.strip()
    if text in ("", "0"):
        return None
    if holds_several(question.spec):
        return several_answer(question.spec, text, lambda part: _one(question, part))
    return _one(question, text)


def _one(question: Question, text: str):
    """One value of the fact: a choice's number or name, or a value of its type."""
    if question.choices:
        return _choice(question, text)
    kind = question.kind
    try:
        if kind == "integer":
            return int(text)
        if kind == "decimal":
            return Decimal(text)
        if kind == "date":
            return datetime.date.fromisoformat(text)
    except (ValueError, InvalidOperation):
        raise ValueError(f"expected {kind}") from None
    return text


def _choice(question: Question, text: str):
    folded = text.lower()
    if text.isdigit() and 1 <= int(text) <= len(question.choices):
        return question.choices[int(text) - 1].value
    if question.kind == "yes_no" and folded in YES | NO:
        return folded in YES
    for choice in question.choices:
        names = {str(choice.value).lower()} | {t.lower() for t in choice.title.values()}
        if folded in names:
            return choice.value
    if question.kind == "yes_no":  # not "True, False": what the applicant can type
        raise ValueError("yes or no (是 or 否), or 1 or 2")
    names = ", ".join(str(c.value) for c in question.choices)
    raise ValueError(f"{names}, or 1 to {len(question.choices)}")


def applicant_yaml(interview: Interview, lang: str) -> str:
    """The answers as an ordinary applicant file (a fact left empty is "don't know")."""
    lines = [f"# {view.label(lang, 'saved_header')}", f"applicant: {answer_text(interview.name)}"]
    for fact, value in interview.answers.items():
        spec = interview.specs[fact]
        question = spec.text("question", lang)
        if question:
            lines.append(f"# {question}")
        if value is None:
            lines.append(f"{fact}:  # {view.label(lang, 'dont_know')}")
        else:
            lines.append(f"{fact}: {answer_text(value)}")
    return "\n".join(lines) + "\n"


def offer_to_save(transcript, lang: str, read, write):
    """Ask where to save the answers of a stopped interview; None when declined or no input."""
    if not transcript.interview.answers:
        return None
    try:
        reply = read(view.label(lang, "save_offer")).strip()
    except (EOFError, KeyboardInterrupt):
        write("")
        reply = ""
    if not reply:
        write(view.label(lang, "not_saved"))
    return Path(reply) if reply else None


def save_answers(state, path, lang: str = "en") -> None:
    """Write an interview's answers as an applicant file that `query` reads back (all or
    nothing: policy.outputs writes beside the target and renames it into place)."""
    from policy.outputs import write_text

    write_text(path, applicant_yaml(state, lang))
