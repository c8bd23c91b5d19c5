"""Static checks: every problem of a program, as Diagnostics sorted by position.

Nothing here raises on a problem: each check appends to the list, so an analyst
sees all of a policy's mistakes in one run. Negation through recursion and
unsafe variables are refused here, before pyDatalog could loop on them.
"""
from __future__ import annotations

from policy.lang import ast
from policy.errors import Diagnostic, did_you_mean, error_at, warning_at
from policy.analysis.graph import dependency_graph, strongly_connected
from policy.lang.program import Program, all_atoms, dependencies
from policy.analysis.safety import unsafe_in_rule
from policy.analysis.types import rule_type_problems
from policy.values import brief, show, type_of

KNOWN_ANNOTATIONS = {
    "id": "a unique id for the clause or declaration",
    "source": "the citation of the source document's item",
    "title": "a title, in en and zh",
    "doc": "free-text documentation",
    "interpretation": "how a vague clause was read",
    "description": "what a declared predicate means, in en and zh",
    "question": "the question that asks an applicant for the fact, in en and zh",
    "explain": "a sentence template for explanations, in en and zh",
    "values": "\"one\" (the default) or \"many\": how many values an applicant's valued fact holds",
}
LANGUAGES = {"en", "zh"}


def check_program(program: Program, syntax=()) -> list:
    """All diagnostics of `program`, sorted by file, line and column. When `syntax` (the
    parser's diagnostics) says a statement did not parse, the unused warnings are left out:
    an input the broken rule reads is not unused. Errors are all kept (an undefined
    predicate may be one the broken statement meant to define, or a real mistake: both
    are worth seeing)."""
    complete = not any(d.code == "syntax_error" for d in syntax)
    found = []
    whole = (_check_unused,)
    for check in (
        _check_annotations,
        _check_duplicate_ids,
        _check_declarations,
        _check_arity,
        _check_undefined,
        _check_safety,
        _check_cyclic_negation,
        _check_types,
        _check_unused,
        _check_sources,
    ):
        if complete or check not in whole:
            found.extend(check(program))
    return sorted(found, key=Diagnostic.sort_key)


def _error(program: Program, code: str, message: str, span) -> Diagnostic:
    return error_at(code, message, span, program.source_line(span))


def _check_annotations(program: Program):
    for statement in program.statements:
        for annotation in statement.annotations:
            yield from _annotation_problems(program, annotation)


def _annotation_problems(program: Program, annotation: ast.Annotation):
    if annotation.name not in KNOWN_ANNOTATIONS:
        message = f"unknown annotation '@{annotation.name}'" + did_you_mean(
            annotation.name, KNOWN_ANNOTATIONS
        )
        yield _error(program, "bad_annotation", message, annotation.span)
    elif not annotation.positional and not annotation.keywords:
        yield _error(program, "bad_annotation", f"'@{annotation.name}' needs a text", annotation.span)
    if annotation.name == "values" and annotation.positional \
            and annotation.text() not in ("one", "many"):
        message = f"'@values' takes \"one\" or \"many\", not {annotation.text()!r}"
        yield _error(program, "bad_annotation", message, annotation.span)
    for key, _ in annotation.keywords:
        if key not in LANGUAGES:
            message = f"'@{annotation.name}' has text for '{key}'; the languages are en and zh"
            yield _error(program, "bad_annotation", message, annotation.span)


def _check_duplicate_ids(program: Program):
    seen = {}
    for statement in program.statements:
        annotation = ast.find_annotation(statement.annotations, "id")
        if annotation is None:
            continue
        identifier = annotation.text()
        if identifier in seen:
            first = seen[identifier]
            message = f"the id '{identifier}' is already used at {first.file}:{first.line}"
            yield _error(program, "duplicate_id", message, annotation.span)
        else:
            seen[identifier] = annotation.span


def _check_declarations(program: Program):
    seen = {}
    for declaration in program.declarations:
        name = declaration.predicate
        if name in seen:
            message = f"'{name}' is declared twice (first at {seen[name].file}:{seen[name].line})"
            yield _error(program, "bad_declaration", message, declaration.span)
            continue
        seen[name] = declaration.span
        if declaration.kind == "input" and name in program.derived_predicates:
            rule = next(r for r in program.rules_by_head[name] if not r.is_fact)
            message = f"'{name}' is declared as input but the rule at line {rule.span.line} derives it"
            yield _error(program, "bad_declaration", message, declaration.span)
        names = [p.name for p in declaration.params]
        for param in declaration.params:
            if names.count(param.name) > 1:
                message = f"'{name}' names its argument '{param.name}' twice"
                yield _error(program, "bad_declaration", message, param.span)
                break


def _uses(program: Program):
    """(name, arity, span, what) for every place a predicate is named."""
    for declaration in program.declarations:
        yield declaration.predicate, len(declaration.params), declaration.span, "declared"
    for rule in program.rules:
        yield rule.head.predicate, rule.head.arity, rule.head.span, "defined"
        for atom in all_atoms(rule):
            yield atom.predicate, atom.arity, atom.span, "used"


def _check_arity(program: Program):
    first = {}
    for name, arity, span, what in _uses(program):
        if name not in first:
            first[name] = (arity, span, what)
            continue
        expected, where, how = first[name]
        if arity != expected:
            message = (
                f"'{name}' has {arity} argument(s) here but {expected} where it is {how}"
                f" at {where.file}:{where.line}"
            )
            yield _error(program, "arity_mismatch", message, span)


def _check_undefined(program: Program):
    defined = set(program.arities)
    for rule in program.rules:
        for atom in all_atoms(rule):
            if atom.predicate not in defined:
                message = f"'{atom.predicate}' is used but no rule, fact or declaration defines it"
                message += did_you_mean(atom.predicate, defined)
                yield _error(program, "undefined_predicate", message, atom.span)


def _check_safety(program: Program):
    for rule in program.rules:
        for variable, why in unsafe_in_rule(rule):
            message = f"variable '{variable.name}' {why}"
            if rule.is_fact:
                message = f"a fact cannot hold variables: '{variable.name}' is not a value"
            yield _error(program, "unsafe_variable", message, variable.span)


def _check_cyclic_negation(program: Program):
    components = strongly_connected(dependency_graph(program))
    component_of = {name: i for i, members in enumerate(components) for name in members}
    for rule in program.rules:
        head = rule.head.predicate
        for predicate, negative, literal in dependencies(rule):
            if negative and component_of.get(predicate) == component_of.get(head):
                how = "aggregates over" if isinstance(literal, ast.Comparison) else "negates"
                message = (
                    f"'{head}' {how} '{predicate}', which depends on '{head}' again: negation"
                    " and aggregation through recursion have no single meaning"
                )
                yield _error(program, "cyclic_negation", message, literal.span)


def _check_types(program: Program):
    for rule in program.rules:
        for atom in [rule.head, *all_atoms(rule)]:
            yield from _atom_type_problems(program, atom)
        for message, span in rule_type_problems(program, rule):
            yield _error(program, "type_error", message, span)


def _atom_type_problems(program: Program, atom: ast.Atom):
    declaration = program.declared.get(atom.predicate)
    if declaration is None or len(declaration.params) != atom.arity:
        return
    for param, arg in zip(declaration.params, atom.args):
        if not isinstance(arg, ast.Constant):
            continue  # variables and arithmetic: see analysis/types.py
        problem = value_fits(arg.value, param.type)
        if problem:
            message = f"'{atom.predicate}' argument '{param.name}': {problem}"
            yield _error(program, "type_error", message, arg.span)


def value_fits(value, param_type: ast.ParamType) -> str:
    """'' when `value` fits the declared type, else what is wrong."""
    if param_type.name == "any":
        return ""
    if param_type.name == "enum":
        if value in param_type.values:
            return ""
        allowed = ", ".join(show(v) for v in param_type.values)
        return f"{brief(value)} is not one of {allowed}" + did_you_mean(
            str(value), [str(v) for v in param_type.values]
        )
    actual = type_of(value)
    if actual == param_type.name or (param_type.name == "decimal" and actual == "integer"):
        return ""
    return f"{brief(value)} is {_a(actual)}, not {_a(param_type.name)}"


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _check_unused(program: Program):
    used = {atom.predicate for rule in program.rules for atom in all_atoms(rule)}
    for name, declaration in program.inputs.items():
        if name not in used:
            message = f"input '{name}' is declared but no rule uses it"
            yield warning_at("unused_declaration", message, declaration.span)
    for name in sorted(program.derived_predicates - used - set(program.declared)):
        rule = program.rules_by_head[name][0]
        message = f"'{name}' is derived but never used; declare it 'derived' if it is an output"
        yield warning_at("unused_derived", message, rule.head.span)



SOURCE_LIST = "source_clause"  # the policy's list of the clauses of its source documents


def listed_clauses(program: Program) -> dict:
    """{citation: fact} of the policy's `source_clause("...")` facts (empty: no list)."""
    return {rule.head.args[0].value: rule for rule in program.rules_by_head.get(SOURCE_LIST, ())
            if rule.is_fact and rule.head.arity == 1 and isinstance(rule.head.args[0], ast.Constant)}


def _check_sources(program: Program):
    """A @source must name a listed clause, when the policy lists its sources' clauses:
    a typo in a citation ("returnee-guide II.7") would otherwise go unnoticed."""
    listed = listed_clauses(program)
    if not listed:
        return
    for statement in program.statements:
        annotation = ast.find_annotation(statement.annotations, "source")
        if annotation is None or annotation.text() in listed:
            continue
        message = (f"@source names \"{annotation.text()}\", which is not a listed clause of the "
                   f"sources ({SOURCE_LIST} facts)" + did_you_mean(annotation.text(), listed))
        yield _error(program, "unknown_source", message, annotation.span)
