"""The applicant's plan as text (80 columns, Chinese aligned), JSON and Markdown.

The policy's own words (titles, places, documents, questions) come from the
policy files in the chosen language; the few labels of the layout are in
policy/views/labels.py.
"""
from __future__ import annotations

from policy.decide.plan import APPLIES, BLOCKED, NOT_APPLICABLE, UNDETERMINED, Plan
from policy.views.labels import label
from policy.views.layout import Grid, Line, draw
from policy.views.wording import type_text
from policy.views.terminal import STATUS_STYLES
from policy.views.render import dumps

PLAN_SCHEMA = "policylog/plan/1"
WIDTH = 80

def _label(lang: str, key: str, **values) -> str:
    return label(lang, "plan." + key, **values)


def _modality(lang: str, procedure, name=str) -> str:
    return _label(lang, procedure.modality, group=name(procedure.group) if procedure.group else "-")


def _namer(plan: Plan, lang: str):
    """The policy's title of a milestone, group or value in `lang` (label/3), else the key."""
    return lambda key: plan.label(key, lang)


def plan_json(plan: Plan, show_all: bool, lang: str) -> str:
    procedures = [_procedure_json(p, lang) for p in plan.shown(show_all)]
    checklist = [{"id": key, "name": names.get(lang, ""), "for": ids,
                  "held": plan.marks.get(key)} for key, names, ids in plan.checklist()]
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
        "how_to_get": [{"milestone": m, "text": text.get(lang) or None, "provided_by": ids}
                       for m, text, ids in procedure.remedies],
        "missing_facts": procedure.missing,
        **({"reason": procedure.reason} if procedure.reason else {}),
    }


def plan_text(plan: Plan, show_all: bool, lang: str) -> str:
    """The plan for a person: 80 columns wide, or the terminal's width in colour (drawn
    without rich's console when plain: layout.py)."""
    return draw(plan_page(plan, show_all, lang), WIDTH)


def plan_page(plan: Plan, show_all: bool, lang: str) -> list:
    """The text plan's lines and grids (layout.py)."""
    page = [Line([(_label(lang, "plan", name=plan.applicant.name), "bold")])]
    if plan.achieved:
        page.append(Line([(f"{_label(lang, 'achieved')}: "
                           f"{_list_separator(lang).join(plan.label(m, lang) for m in plan.achieved)}",
                           "")]))
    shown = plan.shown(show_all)
    if not any(p.status == APPLIES for p in shown):
        page.append(Line([(_label(lang, _nothing(shown)), "")]))
    for procedure in shown:
        page += [Line([]), _procedure_grid(procedure, lang, _namer(plan, lang))]
    return page + _checklist(plan, lang) + _unknown(plan, lang)


def _nothing(shown: list) -> str:
    """What a plan with no procedure that applies says first: that its steps depend on facts
    not given, when some are undetermined."""
    return "nothing_yet" if any(p.status == UNDETERMINED for p in shown) else "nothing"


def _list_separator(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def _procedure_grid(procedure, lang: str, name=str) -> Grid:
    step = _label(lang, "step", n=procedure.step) if procedure.status != NOT_APPLICABLE else "-"
    heading = f"{procedure.title.get(lang, procedure.id)}  [{procedure.id}]"
    rows = [([(step, "bold")], [(heading, "bold")]),
            ([], [(_label(lang, procedure.status), STATUS_STYLES[procedure.status]),
                  (f" · {_modality(lang, procedure, name)}", "")])]
    for key, value in _details(procedure, lang, name):
        if value:
            rows.append(([], [(f"{_detail_label(lang, key, name)}: {value}", "")]))
    return Grid(rows)


def _details(procedure, lang: str, name=str) -> list:
    separator = "、" if lang == "zh" else "; "
    return [
        ("where", procedure.office.get(lang, "")),
        ("bring", separator.join(names.get(lang, key) for key, names in procedure.documents)),
        ("time", procedure.duration.get(lang, "")),
        ("needs", _list_separator(lang).join(map(name, procedure.needs))),
        ("blocked_by", _list_separator(lang).join(map(name, procedure.blocked_by))
         if procedure.status == BLOCKED else ""),
        *(_remedy(m, text, ids, lang) for m, text, ids in procedure.remedies
          if procedure.status == BLOCKED),
        ("missing", ", ".join(procedure.missing)),
        ("source", "; ".join(procedure.citations)),
        ("why", procedure.reason),
    ]


def _remedy(milestone: str, text: dict, ids: list, lang: str) -> tuple:
    """("get ...", how): the documents' words on where to get it, else the procedures
    that provide it, else that the documents do not say."""
    how = text.get(lang) or (_label(lang, "provided_by", ids=", ".join(ids)) if ids
                             else _label(lang, "no_source"))
    return (f"get:{milestone}", how)


def _detail_label(lang: str, key: str, name=str) -> str:
    if key.startswith("get:"):
        return _label(lang, "get", what=name(key[4:]))
    return _label(lang, key)


MARKS = {"held": "[x]", "missing": "[!]", "unknown": "[?]", None: "[ ]"}


def _mark_text(plan: Plan, key: str, lang: str) -> str:
    mark = plan.marks.get(key)
    if mark is None:
        return ""
    return " — " + _label(lang, {"held": "held", "missing": "missing_doc",
                                  "unknown": "unknown_doc"}[mark])


def _checklist(plan: Plan, lang: str) -> list:
    checklist = plan.checklist()
    if not checklist:
        return []
    return [Line([]), Line([(_label(lang, "checklist"), "bold")]), Grid([
        ([(MARKS[plan.marks.get(key)], "")],
         [(f"{names.get(lang, key)} ({_label(lang, 'for')} {', '.join(ids)})"
           f"{_mark_text(plan, key, lang)}", "")]) for key, names, ids in checklist])]


def _unknown(plan: Plan, lang: str) -> list:
    asked = _asked(plan)
    if not asked:
        return []
    return [Line([]), Line([(_label(lang, "unknown", n=len(asked)), "bold")]), Grid([
        ([("-", "")], [(f"{spec.name}: {spec.text('question', lang)} "
                        f"({type_text(spec, lang, plan.labels)})", "")]) for spec in asked])]


def plan_markdown(plan: Plan, show_all: bool, lang: str) -> str:
    """The plan as a Markdown document: everything the text plan has (what is done or held
    already, each procedure, the checklist with its marks, the questions still open)."""
    name = _namer(plan, lang)
    lines = [f"# {_label(lang, 'plan', name=plan.applicant.name)}", ""]
    if plan.achieved:
        lines += [f"{_label(lang, 'achieved')}: "
                  f"{_list_separator(lang).join(map(name, plan.achieved))}", ""]
    shown = plan.shown(show_all)
    if not any(p.status == APPLIES for p in shown):
        lines += [_label(lang, _nothing(shown)), ""]
    for procedure in shown:
        step = _label(lang, "step", n=procedure.step) if procedure.status != NOT_APPLICABLE else "-"
        lines.append(f"## {step}: {procedure.title.get(lang, procedure.id)} (`{procedure.id}`)")
        lines.append("")
        lines.append(f"- **{_label(lang, procedure.status)}** · {_modality(lang, procedure, name)}")
        lines.extend(f"- {_detail_label(lang, key, name)}: {value}"
                     for key, value in _details(procedure, lang, name) if value)
        lines.append("")
    checklist = plan.checklist()
    if checklist:
        lines += [f"## {_label(lang, 'checklist')}", ""]
        lines.extend(f"- {MARKS[plan.marks.get(key)]} {names.get(lang, key)} "
                     f"({_label(lang, 'for')} {', '.join(ids)}){_mark_text(plan, key, lang)}"
                     for key, names, ids in checklist)
        lines.append("")
    asked = _asked(plan)
    if asked:
        lines += [f"## {_label(lang, 'unknown', n=len(asked))}", ""]
        lines.extend(f"- `{spec.name}`: {spec.text('question', lang)} ({type_text(spec, lang, plan.labels)})"
                     for spec in asked)
    return "\n".join(lines).rstrip() + "\n"


def _asked(plan: Plan) -> list:
    """The unknown facts some procedure's status depends on, the one that can settle the most
    procedures first (ties in schema order)."""
    settles = {}  # fact -> how many procedures' statuses it can change
    for procedure in plan.procedures:
        for name in procedure.missing:
            settles[name] = settles.get(name, 0) + 1
    order = [spec.name for spec in plan.unknown]
    return sorted((spec for spec in plan.unknown if spec.name in settles),
                  key=lambda spec: (-settles[spec.name], order.index(spec.name)))


def schema_text(schema: list, lang: str, titles: dict = None) -> str:
    """The applicant fact schema, one fact a block, for `policylog facts` (enum values
    with their `titles`, the policy's label/3, when given)."""
    blocks = []
    for spec in schema:
        blocks.append("\n".join(line for line in (
            f"{spec.name}  ({type_text(spec, lang, titles)})",
            f"    {spec.text('description', lang)}",
            f"    ? {spec.text('question', lang)}",
        ) if line.strip() not in ("", "?")))
    return "\n\n".join(blocks)


def schema_template(schema: list, lang: str, source: str = None, titles: dict = None) -> str:
    """An applicant file to fill in: every fact, commented with its question and the
    values it takes (in `lang`, enum values with their `titles`), left empty (unknown)
    until the applicant answers."""
    source = source or label(lang, "template.bundled")
    lines = [f"# {label(lang, 'template.header', source=source)}",
             f"# {label(lang, 'template.hint')}",
             f"applicant: {label(lang, 'template.name')}"]
    for spec in schema:
        lines.append("")
        question = spec.text("question", lang) or spec.text("description", lang)
        if question:
            lines.append(f"# {question}")
        lines.append(f"# {_template_values(spec, lang, titles)}")
        lines.append(f"{spec.name}:")
    return "\n".join(lines)


def _template_values(spec, lang: str, titles: dict = None) -> str:
    if spec.is_flag:
        return label(lang, "template.flag")
    types = type_text(spec, lang, titles)
    if spec.is_record:
        example = "{" + ", ".join(f"{p.name}: ..." for p in spec.declaration.params) + "}"
        return label(lang, "template.records", types=types, example=example)
    if spec.type.name == "enum":
        return label(lang, "template.enum", types=types)
    return label(lang, "template.open_many" if spec.holds_many else "template.open",
                 type=spec.type.name)


def schema_json(schema: list) -> str:
    facts = [{
        "name": spec.name,
        "type": "boolean" if spec.is_flag else spec.type.name,
        "values": list(spec.type.values) or None,
        **({"fields": [{"name": p.name, "type": p.type.name, "values": list(p.type.values) or None}
                       for p in spec.declaration.params]} if spec.is_record else {}),
        "description": {lang: spec.text("description", lang) for lang in ("en", "zh")},
        "question": {lang: spec.text("question", lang) for lang in ("en", "zh")},
    } for spec in schema]
    return dumps({"schema": "policylog/facts-schema/1", "facts": facts})
