"""Explanations as one JSON-ready document, and that document as text or Markdown.

Sentences about the policy come from the policy files: a rule's `@explain`
template (its `{Variable}`s filled in), else its `@title`; an input fact's
`@description`. Every step carries its rule's id and `@source` citation.
"""
from __future__ import annotations

import io
import re

from rich.console import Console
from rich.text import Text
from rich.tree import Tree as RichTree

from policy.engine.open_values import Open
from policy.lang import ast
from policy.decide.proofs import Proof
from policy.lang.printer import expr_text, literal_text, row_text
from policy.views import terminal
from policy.views.labels import label
from policy.views.terminal import STATUS_STYLES, paint
from policy.views.render import dumps, json_value
from policy.values import Truth, show, to_python

EXPLANATION_SCHEMA = "policylog/explanation/1"

def phrase(lang: str, key: str, **values) -> str:
    return label(lang, "explain." + key, **values)


class Sentences:
    """Turns proof nodes and conditions into sentences in one language."""

    def __init__(self, program, lang: str):
        self.program, self.lang = program, lang

    def rule_sentence(self, rule: ast.Rule, bindings: dict) -> str:
        template = rule.annotation("explain")
        if template is not None:
            return _fill(template.text(self.lang), bindings)
        title = rule.annotation("title")
        return title.text(self.lang) if title else literal_text(rule.head, bindings)

    def fact_sentence(self, predicate: str, row: tuple) -> str:
        declaration = self.program.declared.get(predicate)
        described = declaration.annotation("description") if declaration else None
        implied = False
        if described is None:
            described, implied = self._derived_title(predicate, row)
        if described is None:
            return row_text(predicate, row)
        text = described.text(self.lang)
        return f"{text}: {', '.join(show(v) for v in row)}" if row and not implied else text

    def _derived_title(self, predicate: str, row: tuple = ()):
        """The @titles of a derived predicate's rules, joined with ' / ' (None if untitled),
        and whether they already say the row. For a row, only the rules whose head can
        conclude it: `eligible(subsidy)` is "Claim the childcare subsidy", not the titles of
        every eligible rule joined and then ": subsidy"; a head of constants only says the
        row itself."""
        rules = [rule for rule in self.program.rules_by_head.get(predicate, ())
                 if not rule.is_fact and rule.annotation("title") is not None]
        matching = []
        if row:
            from policy.decide.matching import unify

            matching = [rule for rule in rules if unify(rule.head, row, {}) is not None]
        texts = list(dict.fromkeys(rule.annotation("title").text(self.lang)
                                   for rule in matching or rules))
        if not texts:
            return None, False
        implied = bool(matching) and all(isinstance(arg, ast.Constant)
                                         for rule in matching for arg in rule.head.args)
        return ast.Annotation("title", (" / ".join(texts),), (), None), implied

    def literal_sentence(self, literal, bindings: dict) -> str:
        if isinstance(literal, ast.Atom):
            from policy.decide.matching import ground

            row = ground(literal, bindings)
            if row is not None:
                return self.fact_sentence(literal.predicate, row)
            return self._unbound_sentence(literal, bindings)
        if isinstance(literal, ast.Negation):
            return self.absent_sentence(self.literal_sentence(literal.atom, bindings))
        # a value standing for an unknown fact's region is shown by its variable's name
        return literal_text(literal, {name: value for name, value in bindings.items()
                                      if not isinstance(value, Open)})

    def _unbound_sentence(self, atom: ast.Atom, bindings: dict) -> str:
        """An input atom whose value is not known, by its description and the variables
        the conditions after it name: "When you moved to the town: Day" (then "Day <=
        2026-06-01"), not "moved_in(Day)". Any other atom as the rule writes it."""
        declaration = self.program.declared.get(atom.predicate)
        described = declaration.annotation("description") if declaration else None
        if described is None or not atom.args:
            return literal_text(atom, bindings)
        shown = {name: value for name, value in bindings.items() if not isinstance(value, Open)}
        arguments = ", ".join(expr_text(arg, shown) for arg in atom.args
                              if not (isinstance(arg, ast.Variable) and arg.anonymous))
        return f"{described.text(self.lang)}: {arguments}" if arguments else described.text(self.lang)

    def absent_sentence(self, what: str) -> str:
        if self.lang == "en" and what[:1].isupper() and what[1:2].islower():
            what = what[0].lower() + what[1:]
        return phrase(self.lang, "absent", what=what)


def _fill(template: str, bindings: dict) -> str:
    return re.sub(r"\{([A-Z_][A-Za-z0-9_]*)\}",
                  lambda m: show(bindings[m.group(1)]) if m.group(1) in bindings else m.group(0),
                  template)


def rule_json(rule: ast.Rule) -> dict:
    source = rule.annotation("source")
    title = rule.annotation("title")
    return {"id": rule.rule_id, "source": source.text() if source else None,
            "title": {lang: title.text(lang) for lang in ("en", "zh")} if title else None,
            "file": rule.span.file, "line": rule.span.line}


def proof_json(proof: Proof, sentences: Sentences, applicant=None) -> dict:
    node = {"kind": proof.kind, "fact": _fact_text(proof), "text": _proof_text(proof, sentences),
            "bindings": {k: json_value(to_python(v)) for k, v in proof.bindings.items()}}
    if proof.rule is not None:
        node["rule"] = rule_json(proof.rule)
    if proof.kind in ("input", "absent") and applicant is not None and proof.line:
        node["source"] = {"file": applicant.file, "line": proof.line}
    if proof.other_proofs:
        node["other_proofs"] = proof.other_proofs
    node["children"] = [proof_json(child, sentences, applicant) for child in proof.children]
    if proof.alternatives:
        node["alternatives"] = [proof_json(other, sentences, applicant) for other in proof.alternatives]
    return node


def _fact_text(proof: Proof) -> str:
    if proof.kind in ("derived", "input", "policy_fact", "absent"):
        return row_text(proof.literal.predicate, proof.row)
    return literal_text(proof.literal, proof.bindings)


def _proof_text(proof: Proof, sentences: Sentences) -> str:
    if proof.kind == "cases":
        return phrase(sentences.lang, "cases", what=sentences.fact_sentence(
            proof.literal.predicate, proof.row))
    if proof.kind == "condition":
        return sentences.literal_sentence(proof.literal, proof.bindings)
    if proof.kind == "derived":
        return sentences.rule_sentence(proof.rule, proof.bindings)
    if proof.kind in ("input", "policy_fact"):
        return sentences.fact_sentence(proof.literal.predicate, proof.row)
    if proof.kind == "absent":
        return sentences.absent_sentence(sentences.fact_sentence(proof.literal.predicate, proof.row))
    return literal_text(proof.literal, proof.bindings)


def attempt_json(attempt, sentences: Sentences) -> dict:
    return {
        "rule": rule_json(attempt.rule),
        "text": sentences.rule_sentence(attempt.rule, {}),
        "conditions": [{
            "literal": literal_text(c.literal, c.bindings),
            "text": sentences.literal_sentence(c.literal, c.bindings),
            "status": c.status,
            "below": [attempt_json(a, sentences) for a in c.below],
        } for c in attempt.conditions],
    }


# -- text -----------------------------------------------------------------------

def explanation_text(document: dict, lang: str) -> str:
    buffer = io.StringIO()
    console = terminal.console(buffer, 80)
    procedure = document["procedure"]
    status = paint(label(lang, "plan." + procedure["status"]), STATUS_STYLES[procedure["status"]])
    console.print(Text.from_ansi(phrase(lang, "procedure", title=procedure["title"],
                                        id=procedure["id"], status=status)))
    if document.get("why"):
        tree = plain_tree(phrase(lang, "why"))
        for node in document["why"]:
            _add_proof(tree, node, lang)
        console.print(tree, markup=False)
    if document.get("why_not") is not None:
        tree = plain_tree(phrase(lang, "why_not"))
        if not document["why_not"]:
            tree.add(phrase(lang, "none"))
        for attempt in document["why_not"]:
            _add_attempt(tree, attempt, lang)
        console.print(tree, markup=False)
    if document.get("needs"):
        tree = plain_tree(phrase(lang, "needs"))
        for need in document["needs"]:
            tree.add(_need_text(need, lang, document.get("labels", {})))
        console.print(tree, markup=False)
    if document.get("decided_by"):
        tree = plain_tree(phrase(lang, "decided"))
        for fact in document["decided_by"]:
            branch = tree.add(f"{fact['text']} ({fact['fact']})")
            for value in fact["values"]:
                shown = value.get("condition") or _value_text(value["value"], document.get("labels", {}), lang)
                branch.add(f"{shown}: {label(lang, 'plan.' + value['status'])}")
        console.print(tree, markup=False)
    _print_changes(console, document, lang)
    return terminal.tidy(buffer.getvalue())


def plain_tree(heading):
    """A rich Tree whose labels are plain text, never markup; the heading in bold."""
    return _PlainTree(Text(heading, style="bold"))


class _PlainTree(RichTree):
    def add(self, label, **kwargs):
        return super().add(Text(label) if isinstance(label, str) else label, **kwargs)


def _titled(key, labels: dict, lang: str) -> str:
    """What the policy calls a milestone or value in `lang` (its label/3), else the key."""
    return labels.get(key, {}).get(lang) or str(key)


def _need_text(need: dict, lang: str, labels: dict) -> str:
    milestone = _titled(need["milestone"], labels, lang)
    if need["achieved"]:
        return f"{milestone}: {phrase(lang, 'reached')}"
    providers = ", ".join(f"{p['id']} ({label(lang, 'plan.' + p['status'])})"
                          for p in need["providers"]) or "-"
    return f"{milestone}: {providers}"


def _label(node: dict) -> str:
    rule = node.get("rule")
    cite = ""
    if rule and node["kind"] == "derived":
        cite = f"  [{rule['id'] or rule['file'] + ':' + str(rule['line'])}; {rule['source'] or '-'}]"
    where = ""
    if node.get("source"):
        where = f"  ({node['source']['file']}:{node['source']['line']})"
    return f"{node['text']}{cite}{where}"


def _add_proof(tree, node: dict, lang: str) -> None:
    branch = tree.add(_label(node))
    if node.get("other_proofs"):
        branch.add(phrase(lang, "others", n=node["other_proofs"]))
    for child in node["children"]:
        _add_proof(branch, child, lang)
    for other in node.get("alternatives", ()):
        _add_proof(tree, {**other, "text": phrase(lang, "or") + other["text"]}, lang)


def _add_attempt(tree, attempt: dict, lang: str) -> None:
    rule = attempt["rule"]
    branch = tree.add(f"{attempt['text']}  [{rule['id'] or rule['line']}; {rule['source'] or '-'}]")
    for condition in attempt["conditions"]:
        leaf = branch.add(f"{phrase(lang, 'status:' + condition['status'])}: {condition['text']}")
        for below in condition["below"]:
            _add_attempt(leaf, below, lang)


def _print_changes(console: Console, document: dict, lang: str) -> None:
    if document.get("would_apply_if") is not None:
        tree = plain_tree(phrase(lang, "would"))
        if not document["would_apply_if"]:
            tree.add(phrase(lang, "no_change", n=document.get("max_changes", 3)))
        for changes in document["would_apply_if"]:
            tree.add("; ".join(_change_text(c, lang, document.get("labels", {})) for c in changes))
        console.print(tree, markup=False)
    if document.get("hinges_on"):
        tree = plain_tree(phrase(lang, "hinges"))
        for hinge in document["hinges_on"]:
            value = _value_text(hinge["value"], document.get("labels", {}), lang)
            tree.add(f"{hinge['text']} ({hinge['fact']} = {value})")
        console.print(tree, markup=False)


def _change_text(change: dict, lang: str, labels: dict = None) -> str:
    labels = labels or {}
    was = phrase(lang, "unknown") if change["was"] is None else \
        phrase(lang, "was", was=_value_text(change["was"], labels, lang))
    if change.get("condition"):
        return f"{change['text']} ({change['fact']} {change['condition']}) {was}"
    value = _value_text(change["value"], labels, lang)
    return f"{change['text']} ({phrase(lang, 'set', fact=change['fact'], value=value)}) {was}"


def _value_text(value, labels: dict = None, lang: str = "en") -> str:
    """A value as the applicant file writes it, with the policy's title when it has one."""
    if isinstance(value, (bool, Truth)):
        return "true" if value else "false"
    if isinstance(value, list) and value and all(isinstance(row, dict) for row in value):
        # records, as an applicant file writes them: [{book: dune, days: 12}]
        return "[" + ", ".join("{" + ", ".join(f"{k}: {_value_text(v)}" for k, v in row.items())
                               + "}" for row in value) + "]"
    title = (labels or {}).get(value, {}).get(lang) if isinstance(value, str) else None
    return f"{value} ({title})" if title and title != value else str(value)


def explanation_markdown(document: dict, lang: str) -> str:
    """The explanation as Markdown: the same sections as the text."""
    procedure, labels = document["procedure"], document.get("labels", {})
    title = phrase(lang, "procedure", title=procedure["title"], id=procedure["id"],
                   status=label(lang, "plan." + procedure["status"]))
    lines = [f"# {title}", ""]
    if document.get("why"):
        lines += [f"## {phrase(lang, 'why')}", ""]
        for node in document["why"]:
            lines += _markdown_proof(node, 0)
        lines.append("")
    if document.get("why_not") is not None:
        lines += [f"## {phrase(lang, 'why_not')}", ""]
        for attempt in document["why_not"]:
            lines += _markdown_attempt(attempt, 0, lang)
        lines.append("")
    if document.get("needs"):
        lines += [f"## {phrase(lang, 'needs')}", ""]
        lines += [f"- {_need_text(need, lang, labels)}" for need in document["needs"]] + [""]
    if document.get("would_apply_if") is not None:
        lines += [f"## {phrase(lang, 'would')}", ""]
        lines += [f"- {'; '.join(_change_text(c, lang, labels) for c in changes)}"
                  for changes in document["would_apply_if"]] + [""]
    if document.get("hinges_on"):
        lines += [f"## {phrase(lang, 'hinges')}", ""]
        lines += [f"- {h['text']} ({h['fact']} = {_value_text(h['value'], labels, lang)})"
                  for h in document["hinges_on"]]
    return "\n".join(lines).rstrip() + "\n"


def _markdown_proof(node: dict, depth: int) -> list:
    lines = [f"{'  ' * depth}- {_label(node)}"]
    for child in node["children"]:
        lines += _markdown_proof(child, depth + 1)
    for other in node.get("alternatives", ()):
        lines += _markdown_proof({**other, "text": "or: " + other["text"]}, depth)
    return lines


def _markdown_attempt(attempt: dict, depth: int, lang: str = "en") -> list:
    rule = attempt["rule"]
    lines = [f"{'  ' * depth}- {attempt['text']} [{rule['id']}; {rule['source']}]"]
    for condition in attempt["conditions"]:
        status = phrase(lang, "status:" + condition["status"])
        lines.append(f"{'  ' * (depth + 1)}- **{status}**: {condition['text']}")
        for below in condition["below"]:
            lines += _markdown_attempt(below, depth + 2, lang)
    return lines


def explanation_json(document: dict) -> str:
    return dumps(document)
