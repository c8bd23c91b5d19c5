"""Facts files for `policylog eval`: a mapping from predicate name to a list of rows.

    edge:
      - [a, b]          # a row is a list ...
      - [b, c]
    start: [a]          # ... or a single value for a one-argument predicate
    ok: [[]]            # a zero-argument fact holds when it has a row

Every problem of the file is reported, each with its line.
"""
from __future__ import annotations

import yaml

from policy.inputs.documents import line_of, load_document, mapping_items, scalar, sequence_items
from policy.errors import FactsError, Span, error_at


def load_facts_file(compiled, path) -> dict:
    """{predicate: [row tuples]} from a facts file, checked against `compiled`."""
    root, file = load_document(path)
    problems, facts = [], {}
    for name, node in mapping_items(root, file, "a facts file"):
        problem = compiled.predicate_problem(name)
        if problem:
            problems.append(error_at("facts_error", problem, Span(file, line_of(node))))
            continue
        facts[name] = _rows(compiled, name, node, file, problems)
    if problems:
        raise FactsError(problems)
    return facts


def _rows(compiled, name: str, node, file: str, problems: list) -> list:
    rows = []
    for item in sequence_items(node):
        try:
            row = _row_values(item, file)
        except FactsError as problem:
            problems.extend(problem.diagnostics)
            continue
        _, problem = compiled.convert_row(name, row)
        if problem:
            problems.append(error_at("facts_error", problem, Span(file, line_of(item))))
        else:
            rows.append(row)
    return rows


def _row_values(item, file: str) -> tuple:
    if isinstance(item, yaml.SequenceNode):
        return tuple(scalar(value, file) for value in item.value)
    return (scalar(item, file),)
