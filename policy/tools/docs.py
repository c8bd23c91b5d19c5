"""The policy as documents: a Markdown catalogue (en, zh) and the dependency graph in DOT."""
from __future__ import annotations

from policy.lang import ast
from policy.inputs.applicant import fact_schema
from policy.views.explainview import Sentences
from policy.views.labels import section
from policy.views.wording import says_nothing_more, type_text
from policy.decide.plan import catalogue_order, labels_of, relevant_inputs
from policy.lang.printer import literal_text, term_text
from policy.lang.program import dependencies

def catalogue_markdown(compiled, lang: str) -> str:
    """Every procedure with its conditions, prerequisites, documents, place and citations."""
    words = section(lang, "docs")
    static = compiled.static_model
    sentences = Sentences(compiled.program, lang)
    lines = [f"# {words['title']}", ""]
    modalities = dict(static.get("procedure", ()))
    for pid in catalogue_order(compiled):
        lines += _procedure_section(compiled, static, sentences, words, lang, pid, modalities[pid])
    lines += traceability_lines(compiled, words, lang)
    lines += [f"## {words['facts']}", ""]
    titles = labels_of(static)
    for spec in fact_schema(compiled.program):
        lines.append(f"- `{spec.name}` ({words['type']}: {type_text(spec, lang, titles)}): "
                     f"{spec.text('description', lang)}. {words['question']}: {spec.text('question', lang)}")
    return "\n".join(lines).rstrip() + "\n"


def traceability(compiled) -> list:
    """[(clause, [what encodes it], [procedures citing it], advice reason or None)] for
    every clause of the policy's `source_clause` list, in the order listed."""
    from policy.analysis.checks import listed_clauses

    program = compiled.program
    encoding = {}
    for rule in program.rules:
        source = rule.annotation("source")
        if source is not None:
            name = rule.rule_id or f"{_brief_head(rule.head)} ({_where(rule)})"
            encoding.setdefault(source.text(), []).append(name)
    static = compiled.static_model
    cited = {}
    for pid, citation in static.get("citation", ()):
        cited.setdefault(citation, set()).add(pid)
    advice = {row[0]: row[1:] for row in static.get("advice_only", ())}
    return [(clause, encoding.get(clause, []), sorted(cited.get(clause, ())), advice.get(clause))
            for clause in listed_clauses(program)]


def _brief_head(atom) -> str:
    """`office(register_social_security_as_freelancer, …)`: the head without its texts."""
    args = [term_text(a) for a in atom.args if not isinstance(getattr(a, "value", None), str)
            or not any(ord(c) > 127 or c == " " for c in a.value)]
    more = ", …" if len(args) < len(atom.args) else ""
    return f"{atom.predicate}({', '.join(args)}{more})"


def _where(rule) -> str:
    from pathlib import Path

    return f"{Path(rule.span.file).name}:{rule.span.line}"


def traceability_lines(compiled, words: dict, lang: str) -> list:
    rows = traceability(compiled)
    if not rows:
        return []
    lines = [f"## {words['trace']}", "", f"| {words['clause']} | {words['encoded']} |", "| --- | --- |"]
    for clause, encoded, procedures, advice in rows:
        parts = [", ".join(f"`{name}`" for name in encoded)] if encoded else []
        if procedures:
            parts.append(f"{words['cited']}: " + ", ".join(f"`{p}`" for p in procedures))
        if advice is not None:
            parts.append(f"{words['advice']}: {advice[0] if lang == 'en' else advice[1]}")
        text = "; ".join(parts) or words["not_encoded"]
        lines.append(f"| {clause} | {text.replace('|', '/')} |")
    return lines + [""]


def _procedure_section(compiled, static, sentences, words, lang, pid, modality) -> list:
    title = _text(static, "title", pid, lang) or pid
    lines = [f"## {title} (`{pid}`)", ""]
    titles = labels_of(static)
    group = next((g for p, g in static.get("alternative", ()) if p == pid), "")
    kind = words.get(modality, modality) + (
        f" ({words['group']}: {_titled(group, titles, lang)})" if group else "")
    lines.append(f"- **{words['modality']}**: {kind}")
    for key in ("office", "duration"):
        text = _text(static, key, pid, lang)
        if text:
            lines.append(f"- **{words[key]}**: {text}")
    documents = sorted((key, en, zh) for p, key, en, zh in static.get("document", ()) if p == pid)
    if documents:
        lines.append(f"- **{words['documents']}**: " + "; ".join(
            (en if lang == "en" else zh) for _, en, zh in documents))
    for key in ("needs", "provides"):
        found = sorted(m for p, m in static.get(key, ()) if p == pid)
        if found:
            lines.append(f"- **{words[key]}**: "
                         + ", ".join(_titled(m, titles, lang) for m in found))
    citations = sorted(c for p, c in static.get("citation", ()) if p == pid)
    if citations:
        lines.append(f"- **{words['citations']}**: {'; '.join(citations)}")
    asks = sorted(relevant_inputs(compiled, pid, with_prerequisites=False))
    if asks:
        lines.append(f"- **{words['asks']}**: " + ", ".join(f"`{name}`" for name in asks))
    lines += ["", f"### {words['conditions']}", ""]
    for rule in compiled.program.rules_by_head.get("eligible", ()):
        if rule.head.args and getattr(rule.head.args[0], "value", None) == pid:
            lines += _rule_lines(rule, sentences, words)
    return lines + [""]


def _condition(literal, sentences) -> str:
    """A rule's condition in words. An applicant's fact read with variables (`child(N, A)`)
    by its description ("Children"), which the rule text beside it does not say."""
    if isinstance(literal, ast.Atom) and any(not isinstance(a, ast.Constant) for a in literal.args):
        described = sentences.fact_sentence(literal.predicate, ())
        if described != literal_text(literal) and described != literal.predicate:
            return described
    return sentences.literal_sentence(literal, {})


def _rule_lines(rule: ast.Rule, sentences, words) -> list:
    source = rule.annotation("source")
    heading = sentences.rule_sentence(rule, {})
    lines = [f"- {heading} — {words['rule']} `{rule.rule_id}`, {words['source']}: "
             f"{source.text() if source else '-'}"]
    for literal in rule.body:
        lines.append(f"  - {_condition(literal, sentences)} (`{literal_text(literal)}`)")
    interpretation = rule.annotation("interpretation")
    if interpretation is not None:
        lines.append(f"  - *{words['interpretation']}*: {interpretation.text()}")
    return lines


def _titled(key: str, titles: dict, lang: str) -> str:
    """A milestone or group by its title in `lang` (the policy's label/3), its key after it."""
    title = titles.get(key, {}).get(lang)
    if title and says_nothing_more(title, key):
        return title
    return f"{title} (`{key}`)" if title else f"`{key}`"


def _text(static, predicate: str, pid: str, lang: str) -> str:
    for row in static.get(predicate, ()):
        if row[0] == pid:
            return row[1] if lang == "en" else row[2]
    return ""


def dependency_dot(program) -> str:
    """The predicate dependency graph: an edge from each body predicate to the head it feeds;
    negation and aggregation edges are dashed and red, labelled `not` or the aggregate."""
    lines = ["digraph policy {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for name in sorted(program.arities):
        shape = "box" if name in program.inputs else "ellipse"
        lines.append(f'  "{name}" [shape={shape}];')
    edges = set()
    for rule in program.rules:
        for predicate, negative, literal in dependencies(rule):
            label = ""
            if negative:
                label = literal.right.op if isinstance(literal, ast.Comparison) else "not"
            edges.add((predicate, rule.head.predicate, label))
    for source, target, label in sorted(edges):
        style = f' [style=dashed, color=red, label="{label}"]' if label else ""
        lines.append(f'  "{source}" -> "{target}"{style};')
    lines.append("}")
    return "\n".join(lines) + "\n"


def procedure_dot(compiled, lang: str = "en") -> str:
    """The order of the steps: each procedure (a box, its modality and group) and each
    milestone (an ellipse; a document the applicant holds is one too), an edge from a
    milestone to the procedures that need it and from a procedure to what it provides."""
    static = compiled.static_model
    modality = dict(static.get("procedure", ()))
    groups = dict(static.get("alternative", ()))
    lines = ["digraph procedures {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for pid in catalogue_order(compiled):
        title = _text(static, "title", pid, lang) or pid
        kind = modality[pid] + (f", {groups[pid]}" if pid in groups else "")
        label = f"{pid}\\n{_dot_escape(title)}\\n({kind})"
        lines.append(f'  "{pid}" [shape=box, label="{label}"];')
    milestones = sorted({m for _, m in static.get("needs", ())} | {m for _, m in static.get("provides", ())})
    titles = labels_of(static)
    for milestone in milestones:
        title = titles.get(milestone, {}).get(lang)
        label = f"{milestone}\\n{_dot_escape(title)}" if title else milestone
        lines.append(f'  "{milestone}" [shape=ellipse, style=filled, fillcolor="#eeeeee", '
                     f'label="{label}"];')
    for pid, milestone in sorted(static.get("needs", ())):
        lines.append(f'  "{milestone}" -> "{pid}";')
    for pid, milestone in sorted(static.get("provides", ())):
        lines.append(f'  "{pid}" -> "{milestone}" [style=bold];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
