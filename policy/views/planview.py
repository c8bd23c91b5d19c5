"""The applicant's plan as text (80 columns, Chinese aligned), JSON and Markdown.

The policy's own words (titles, places, documents, questions) come from the
policy files in the chosen language; the few labels of the layout are in
policy/views/labels.py.
"""
from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from policy.decide.plan import APPLIES, BLOCKED, NOT_APPLICABLE, UNDETERMINED, Plan
from policy.views import terminal
from policy.views.labels import label
from policy.views.terminal import STATUS_STYLES
from policy.views.render import dumps

PLAN_SCHEMA = "policylog/plan/1"
WIDTH = 80

def _label(lang: str, key: str, **values) -> str:
    return label(lang, "plan." + key, **values)


def _modality(lang: str, procedure) -> str:
    return _label(lang, procedure.modality, group=procedure.group or "-")


def plan_json(plan: Plan, show_all: bool, lang: str) -> str:
    procedures = [_procedure_json(p, lang) for p in plan.shown(show_all)]
    checklist = [{"id": key, "name": names.get(lang, ""), "for": ids}
                 for key, names, ids in plan.checklist()]
    return dumps({
        "schema": PLAN_SCHEMA,
        "applicant": plan.applicant.name,
        "facts_file": plan.applicant.file,
        "lang": lang,
        "achieved": plan.achieved,
        "procedures": procedures,
        "checklist": checklist,
        "unknown_facts": [{"name": s.name, "question": s.text("question", lang)}
                          for s in plan.unknown],
    })


def _procedure_json(procedure, lang: str) -> dict:
    return {
        "id": procedure.id,
        "title": procedure.title.get(lang, ""),
        "status": procedure.status,
        "modality": procedure.modality,
        "alternative_group": procedure.group or None,
        "step": procedure.step if procedure.status != NOT_APPLICABLE else None,
        "office": procedure.office.get(lang) or None,
        "duration": procedure.duration.get(lang) or None,
        "documents": [{"id": key, "name": names.get(lang, "")} for key, names in procedure.documents],
        "citations": procedure.citations,
        "needs": procedure.needs,
        "blocked_by": procedure.blocked_by,
        "missing_facts": procedure.missing,
        **({"reason": procedure.reason} if procedure.reason else {}),
    }


def plan_text(plan: Plan, show_all: bool, lang: str) -> str:
    """The plan for a person: 80 columns wide, or the terminal's width in colour."""
    buffer = io.StringIO()
    console = terminal.console(buffer, WIDTH)
    console.print(Text(_label(lang, "plan", name=plan.applicant.name), style="bold"))
    if plan.achieved:
        console.print(f"{_label(lang, 'achieved')}: {', '.join(plan.achieved)}")
    shown = plan.shown(show_all)
    if not any(p.status == APPLIES for p in shown):
        console.print(_label(lang, "nothing"))
    for procedure in shown:
        console.print()
        console.print(_procedure_table(procedure, lang))
    _print_checklist(console, plan, lang)
    _print_unknown(console, plan, lang)
    return terminal.tidy(buffer.getvalue()).rstrip("\n")


def _procedure_table(procedure, lang: str) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    step = _label(lang, "step", n=procedure.step) if procedure.status != NOT_APPLICABLE else "-"
    heading = f"{procedure.title.get(lang, procedure.id)}  [{procedure.id}]"
    table.add_row(Text(step, style="bold"), Text(heading, style="bold"))
    status = Text.assemble((_label(lang, procedure.status), STATUS_STYLES[procedure.status]),
                           f" · {_modality(lang, procedure)}")
    table.add_row("", status)
    for key, value in _details(procedure, lang):
        if value:
            table.add_row("", Text(f"{_label(lang, key)}: {value}"))
    return table


def _details(procedure, lang: str) -> list:
    separator = "、" if lang == "zh" else "; "
    return [
        ("where", procedure.office.get(lang, "")),
        ("bring", separator.join(names.get(lang, key) for key, names in procedure.documents)),
        ("time", procedure.duration.get(lang, "")),
        ("needs", ", ".join(procedure.needs)),
        ("blocked", ", ".join(procedure.blocked_by) if procedure.status == BLOCKED else ""),
        ("missing", ", ".join(procedure.missing)),
        ("source", "; ".join(procedure.citations)),
        ("why", procedure.reason),
    ]


def _print_checklist(console: Console, plan: Plan, lang: str) -> None:
    checklist = plan.checklist()
    if not checklist:
        return
    console.print()
    console.print(Text(_label(lang, "checklist"), style="bold"))
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for key, names, ids in checklist:
        table.add_row(Text("[ ]"), Text(f"{names.get(lang, key)} ({_label(lang, 'for')} {', '.join(ids)})"))
    console.print(table)


def _print_unknown(console: Console, plan: Plan, lang: str) -> None:
    relevant = {name for p in plan.procedures for name in p.missing}
    asked = [spec for spec in plan.unknown if spec.name in relevant]
    if not asked:
        return
    console.print()
    console.print(Text(_label(lang, "unknown", n=len(asked)), style="bold"))
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for spec in asked:
        table.add_row("-", Text(f"{spec.name}: {spec.text('question', lang)} ({spec.type_text()})"))
    console.print(table)


def plan_markdown(plan: Plan, show_all: bool, lang: str) -> str:
    lines = [f"# {_label(lang, 'plan', name=plan.applicant.name)}", ""]
    for procedure in plan.shown(show_all):
        step = _label(lang, "step", n=procedure.step) if procedure.status != NOT_APPLICABLE else "-"
        lines.append(f"## {step}: {procedure.title.get(lang, procedure.id)} (`{procedure.id}`)")
        lines.append("")
        lines.append(f"- **{_label(lang, procedure.status)}** · {_modality(lang, procedure)}")
        lines.extend(f"- {_label(lang, key)}: {value}" for key, value in _details(procedure, lang) if value)
        lines.append("")
    checklist = plan.checklist()
    if checklist:
        lines.append(f"## {_label(lang, 'checklist')}")
        lines.append("")
        lines.extend(f"- [ ] {names.get(lang, key)} ({', '.join(ids)})" for key, names, ids in checklist)
    return "\n".join(lines).rstrip() + "\n"


def schema_text(schema: list, lang: str) -> str:
    """The applicant fact schema, one fact a block, for `policylog facts`."""
    blocks = []
    for spec in schema:
        blocks.append("\n".join(line for line in (
            f"{spec.name}  ({spec.type_text()})",
            f"    {spec.text('description', lang)}",
            f"    ? {spec.text('question', lang)}",
        ) if line.strip() not in ("", "?")))
    return "\n\n".join(blocks)


def schema_json(schema: list) -> str:
    facts = [{
        "name": spec.name,
        "type": "boolean" if spec.is_flag else spec.type.name,
        "values": list(spec.type.values) or None,
        "description": {lang: spec.text("description", lang) for lang in ("en", "zh")},
        "question": {lang: spec.text("question", lang) for lang in ("en", "zh")},
    } for spec in schema]
    return dumps({"schema": "policylog/facts-schema/1", "facts": facts})
