"""Facts files for `policylog eval`: a mapping from predicate name to a list of rows.

    edge:
      - [a, b]          # a row is a list ...
      - [b, c]
    start: [a]          # ... or a single value for a one-argument predicate
    ok: [[]]            # a zero-argument fact holds when it has a row

Every problem of the file is reported, each with its line. Facts handed to
CompiledPolicy.evaluate are checked here too (engine_facts): against the
policy's predicates, arities and declared types.
"""
from __future__ import annotations

import yaml

from pathlib import Path

from policy.inputs.documents import (line_of, load_document, mapping_items, read_text, scalar,
                                     sequence_items)
from policy.analysis.checks import value_fits
from policy.errors import FactsError, Span, did_you_mean, error_at
from policy.values import ValueProblem, as_declared, to_engine


APPLICANT_FILE_HINT = (" (is this an applicant file? `eval --facts` reads a facts file, each "
                      "predicate with a list of rows; `policylog query FILE --policy DIR` and "
                      "`explain` read applicant files)")


def load_facts_file(compiled, path) -> dict:
    """{predicate: [row tuples]} from a facts file, checked against `compiled`.

    A `.json` file is read with the JSON parser first (YAML's composer, which
    keeps every line, is some hundred times slower on large files); when that
    finds anything wrong, the file is read again the YAML way, whose messages
    name the line.
    """
    if str(path).lower().endswith(".json"):
        facts = _json_facts(compiled, path)
        if facts is not None:
            return facts
    root, file = load_document(path)
    problems, facts = [], {}
    for name, node in mapping_items(root, file, "a facts file"):
        problem = predicate_problem(compiled, name)
        if problem:
            if name == "applicant" and "applicant" not in compiled.predicates:
                problem += APPLICANT_FILE_HINT
            problems.append(error_at("facts_error", problem, Span(file, line_of(node))))
            continue
        facts[name] = _rows(compiled, name, node, file, problems)
    if problems:
        raise FactsError(problems)
    return facts


def _json_facts(compiled, path):
    """The facts of a well-formed JSON facts file, or None (then the YAML way tells what is wrong)."""
    import json
    from decimal import Decimal

    text = read_text(Path(path))
    if "\\u" in text:  # an escape may write a lone surrogate: the YAML way names its line
        return None
    try:
        root = json.loads(text, parse_float=Decimal, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError):  # a duplicate key too: the YAML way names its line
        return None
    if not isinstance(root, dict) or not root:
        return None
    facts = {}
    for name, items in root.items():
        if predicate_problem(compiled, name) or not isinstance(items, list):
            return None
        rows = facts[name] = []
        for item in items:
            row = tuple(item) if isinstance(item, list) else (item,)
            if not all(isinstance(v, (str, int, Decimal)) for v in row) or \
                    convert_row(compiled, name, row)[1]:
                return None
            rows.append(row)
    return facts


def _unique_keys(pairs: list) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise ValueError("a key twice")
    return found


def _rows(compiled, name: str, node, file: str, problems: list) -> list:
    rows = []
    for item in sequence_items(node):
        try:
            row = _row_values(item, file)
        except FactsError as problem:
            problems.extend(problem.diagnostics)
            continue
        _, problem = convert_row(compiled, name, row)
        if problem:
            problems.append(error_at("facts_error", problem, Span(file, line_of(item))))
        else:
            rows.append(row)
    return rows


def _row_values(item, file: str) -> tuple:
    if isinstance(item, yaml.SequenceNode):
        return tuple(scalar(value, file) for value in item.value)
    return (scalar(item, file),)


def engine_facts(compiled, facts: dict) -> dict:
    """Validate and convert facts for the engine; FactsError lists every problem."""
    problems, converted = [], {}
    for name, rows in facts.items():
        problem = predicate_problem(compiled, name)
        if problem:
            problems.append(error_at("facts_error", problem))
            continue
        if _all_plain(compiled, name, rows):  # already engine values of the declared types
            converted[name] = set(rows)
            continue
        converted[name] = found = set()
        for row in rows:
            values, problem = convert_row(compiled, name, row)
            if problem:
                problems.append(error_at("facts_error", problem))
            else:
                found.add(values)
    if problems:
        raise FactsError(problems)
    return converted


def _all_plain(compiled, name: str, rows) -> bool:
    """Whether every row is a tuple of the predicate's arity whose values are plain engine
    values of their arguments' types (_plain_types), checked a column at a time."""
    if not isinstance(rows, (list, tuple, set, frozenset)) or not rows:
        return False  # (an iterator would be used up by looking)
    if set(map(type, rows)) != {tuple}:
        return False
    arity = compiled.predicates[name]
    if set(map(len, rows)) != {arity}:
        return False
    columns = list(zip(*rows))
    return all(set(map(type, column)) <= set(types)
               for column, types in zip(columns, _plain_types(compiled, name)))


def _plain_types(compiled, name: str) -> tuple:
    """Per argument, the Python types whose values are already engine values that fit its
    declaration (an int for an integer, decimal or untyped argument, a str for a string or
    untyped one): such rows skip the conversion and the type check, which were most of
    the time of giving 100,000 facts to an evaluation."""
    declaration = compiled.program.declared.get(name)
    arity = compiled.predicates[name]
    if declaration is None:
        return ((int, str),) * arity
    return tuple(_PLAIN.get(param.type.name, ()) for param in declaration.params)


_PLAIN = {"any": (int, str), "integer": (int,), "decimal": (int,), "string": (str,)}


def predicate_problem(compiled, name) -> str:
    """'' when facts may be given for `name`, else why not."""
    if name not in compiled.predicates:
        return f"the policy has no predicate '{name}'" + did_you_mean(str(name), compiled.predicates)
    if name in compiled.program.derived_predicates:
        return f"'{name}' is derived by the policy's rules; facts cannot be given for it"
    return ""

def convert_row(compiled, name: str, row) -> tuple:
    """(engine values, '') for a row of `name`, or (None, what is wrong)."""
    arity = compiled.predicates[name]
    row = tuple(row) if isinstance(row, (tuple, list)) else (row,)
    if len(row) != arity:
        return None, f"'{name}' takes {arity} value(s); the row {list(row)!r} has {len(row)}"
    declaration = compiled.program.declared.get(name)
    try:
        if declaration is not None and declaration.params:
            row = tuple(as_declared(v, p.type.name) for v, p in zip(row, declaration.params))
        values = tuple(to_engine(v) for v in row)
    except ValueProblem as problem:
        return None, f"'{name}': {problem}"
    problem = _row_type_problem(compiled.program.declared.get(name), values)
    return (None, f"'{name}' {problem}") if problem else (values, "")


def _row_type_problem(declaration, values: tuple) -> str:
    if declaration is None:
        return ""
    for param, value in zip(declaration.params, values):
        problem = value_fits(value, param.type)
        if problem:
            return f"argument '{param.name}': {problem}"
    return ""
