"""The applicant fact schema and applicant files.

The schema is the policy's `input` declarations: a zero-argument input is a
yes/no fact (`employee: true`), a one-argument input takes a value
(`went_abroad_as: self_funded`, or a list of values), and an input of two or
more arguments (`input overdue(book, days).`) takes a list of records, one
mapping per row keyed by the argument names:

    overdue:
      - {book: dune, days: 12}
      - {book: emma, days: 3}

(`overdue: []` says there is none). An applicant file names the applicant and
gives some of these facts; a fact it does not give is unknown, never false.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from policy.lang import ast
from policy.analysis.checks import value_fits
from policy.inputs.answers import record_example
from policy.inputs.documents import line_of, load_document, mapping_items, scalar, sequence_items
from policy.analysis.cache import analysis
from policy.errors import FactsError, Span, did_you_mean, error_at
from policy.values import ValueProblem, as_declared, to_engine

NAME_KEY = "applicant"


@dataclass(frozen=True)
class FactSpec:
    """One fact an applicant can give: a declared input (a flag, a value, or records)."""

    declaration: ast.Declaration

    @property
    def name(self) -> str:
        return self.declaration.predicate

    @property
    def type(self) -> ast.ParamType:
        if not self.declaration.params:
            return ast.ParamType("boolean")
        if self.is_record:
            return ast.ParamType("record")
        return self.declaration.params[0].type

    @property
    def is_record(self) -> bool:
        """Two or more arguments: the fact is a list of records."""
        return len(self.declaration.params) >= 2

    @property
    def holds_many(self) -> bool:
        """A valued fact declared `@values("many")`: unknown, it is any set of values (none,
        one or several), not exactly one."""
        found = self.declaration.annotation("values")
        return found is not None and found.text() == "many"

    @property
    def is_flag(self) -> bool:
        return not self.declaration.params

    def text(self, annotation: str, lang: str) -> str:
        found = self.declaration.annotation(annotation)
        return found.text(lang) if found else ""

    def possible_rows(self) -> set:
        """Every row the fact could have when it is unknown (empty for open types; for a
        record, every combination when each argument's type is finite)."""
        if self.is_flag:
            return {()}
        rows = {()}
        for param in self.declaration.params:
            values = _finite_values(param.type)
            if not values:
                return set()
            rows = {row + (value,) for row in rows for value in values}
        return rows


def _finite_values(param_type: ast.ParamType) -> tuple:
    if param_type.name == "enum":
        return tuple(param_type.values)
    if param_type.name == "boolean":
        return (True, False)
    return ()


@analysis
def fact_schema(program) -> tuple:
    """The FactSpecs of a program, in declaration order (worked out once per program:
    a batch asks for it on every evaluation)."""
    return tuple(FactSpec(d) for d in program.declarations
                 if d.kind == "input" and program.declared[d.predicate] is d)


@dataclass
class Applicant:
    """An applicant's name, the facts given and the facts left unknown."""

    name: str
    file: str
    facts: dict = field(default_factory=dict)  # predicate -> set of rows
    lines: dict = field(default_factory=dict)  # predicate -> line in the file
    unknown: list = field(default_factory=list)  # FactSpecs not given
    declined: set = field(default_factory=set)  # facts written but left empty ("don't know")
    # values every unknown open fact's regions are also told apart at (a what-if search
    # keeps those of the given facts it makes unknown), and {fact: values} where a
    # condition on that fact alone changes (decide/cut_points.py)
    told_apart: frozenset = frozenset()
    cuts: dict = field(default_factory=dict)


def load_applicant(path, schema: list) -> Applicant:
    """Read and check an applicant file; FactsError lists every problem with its line."""
    root, file = load_document(path)
    specs = {spec.name: spec for spec in schema}
    applicant = Applicant(name="", file=file)
    problems = []
    for key, node in mapping_items(root, file, "an applicant file"):
        try:
            _read_entry(applicant, specs, key, node, file)
        except FactsError as problem:
            problems.extend(problem.diagnostics)
    if not applicant.name and not problems:
        problems.append(error_at("facts_error", f"the file has no '{NAME_KEY}:' name",
                                 Span(file, 1)))
    if problems:
        raise FactsError(problems)
    applicant.unknown = [spec for spec in schema if spec.name not in applicant.facts]
    return applicant


def _read_entry(applicant: Applicant, specs: dict, key: str, node, file: str) -> None:
    where = Span(file, line_of(node))
    if key == NAME_KEY:
        applicant.name = str(scalar(node, file))
        return
    _check_known(specs, key, where)
    value_nodes = sequence_items(node)
    if specs[key].is_record:
        values = [_record_value(v, file) for v in value_nodes]
    else:
        values = [scalar(v, file) for v in value_nodes]
    wheres = [Span(file, line_of(v)) for v in value_nodes]
    _set_fact(applicant, specs[key], values, wheres, where.line)


def _record_value(node, file: str):
    """A record's mapping of plain values (or the plain value, which _rows_for refuses)."""
    if isinstance(node, yaml.MappingNode):
        return {key: scalar(value, file) for key, value in mapping_items(node, file, "a record")}
    return scalar(node, file)


def _check_known(specs: dict, key: str, where: Span) -> None:
    if key not in specs:
        message = f"unknown fact '{key}'" + did_you_mean(key, list(specs) + [NAME_KEY])
        raise FactsError([error_at("facts_error", message, where)])


def _set_fact(applicant: Applicant, spec: FactSpec, values: list, wheres: list, line: int) -> None:
    if values == [None]:
        applicant.declined.add(spec.name)
        return  # written but left empty: unknown
    rows = set()
    for value, where in zip(values, wheres):
        rows.update(_rows_for(spec, value, where))
    applicant.facts[spec.name] = rows
    applicant.lines[spec.name] = line


def applicant_from_mapping(mapping: dict, schema: list, file: str, line: int) -> Applicant:
    """An applicant from plain Python values (a JSON line, a CSV row), all at one line."""
    specs = {spec.name: spec for spec in schema}
    where = Span(file, line)
    applicant = Applicant(name=str(mapping.get(NAME_KEY) or f"line {line}"), file=file)
    problems = []
    for key, value in mapping.items():
        if key == NAME_KEY:
            continue
        try:
            _check_known(specs, key, where)
            values = value if isinstance(value, list) else [value]
            _set_fact(applicant, specs[key], values, [where] * len(values), line)
        except FactsError as problem:
            problems.extend(problem.diagnostics)
    if problems:
        raise FactsError(problems)
    applicant.unknown = [spec for spec in schema if spec.name not in applicant.facts]
    return applicant


class MappingReader:
    """`applicant_from_mapping` for many rows of one schema, as a batch reads them: each
    (fact, value) pair is checked and converted once, and the rows it gives are shared.

    A row with anything out of the ordinary (a list of values, an unknown fact, a
    bad value) goes the general way, which also words its problems.
    """

    CACHE_SIZE = 100_000  # (fact, value) pairs remembered at a time

    def __init__(self, schema, file: str):
        self.schema, self.file = schema, file
        self.specs = {spec.name: spec for spec in schema}
        self.rows = {}  # (fact, type of value, value) -> its frozen rows, or None (unknown)

    def facts(self, mapping: dict, line: int) -> dict:
        """{fact: rows} of the mapping's facts (but the name); FactsError when it is bad."""
        facts = {}
        try:
            for key, value in mapping.items():
                if key == NAME_KEY:
                    continue
                rows = self._rows(key, value)
                if rows is not None:
                    facts[key] = rows
        except (_Unusual, TypeError):  # TypeError: an unhashable value
            return applicant_from_mapping(mapping, self.schema, self.file, line).facts
        return facts

    def _rows(self, key: str, value):
        memo = (key, type(value), value)
        found = self.rows.get(memo, _UNSEEN)
        if found is _UNSEEN:
            spec = self.specs.get(key)
            if spec is None or isinstance(value, list):
                raise _Unusual
            try:
                found = None if value is None else frozenset(_rows_for(spec, value, None))
            except FactsError:
                raise _Unusual from None
            if len(self.rows) >= self.CACHE_SIZE:
                self.rows.clear()
            self.rows[memo] = found
        return found


class _Unusual(Exception):
    """A row the MappingReader leaves to applicant_from_mapping."""


_UNSEEN = object()


def _rows_for(spec: FactSpec, value, where: Span) -> set:
    if spec.is_record:
        return {_record_row(spec, value, where)}
    if spec.is_flag:
        if not isinstance(value, bool):
            message = f"'{spec.name}' is a yes/no fact: write true or false, not {value!r}"
            raise FactsError([error_at("facts_error", message, where)])
        return {()} if value else set()
    try:
        value = as_declared(value, spec.type.name)
        engine_value = to_engine(value)
    except ValueProblem as problem:
        raise FactsError([error_at("facts_error", f"'{spec.name}': {problem}", where)]) from None
    problem = value_fits(engine_value, spec.type)
    if problem:
        raise FactsError([error_at("facts_error", f"'{spec.name}': {problem}", where)])
    return {(value,)}


def _record_row(spec: FactSpec, value, where: Span) -> tuple:
    """One row of a record fact from a mapping keyed by the declaration's argument names."""
    params = spec.declaration.params
    names = [p.name for p in params]
    if not isinstance(value, dict):
        message = f"'{spec.name}' takes a list of records like {record_example(spec)}, not {value!r}"
        raise FactsError([error_at("facts_error", message, where)])
    extra, lacking = set(value) - set(names), [n for n in names if n not in value]
    if extra or lacking:
        parts = ([f"unknown field(s) {', '.join(sorted(map(str, extra)))}"] if extra else []) + \
                ([f"missing {', '.join(lacking)}"] if lacking else [])
        message = f"'{spec.name}' record: {'; '.join(parts)} (fields: {', '.join(names)})"
        raise FactsError([error_at("facts_error", message, where)])
    row = []
    for param in params:
        row.append(_checked(spec, f"{spec.name}.{param.name}", param.type, value[param.name], where))
    return tuple(row)


def _checked(spec: FactSpec, label: str, param_type, value, where: Span):
    try:
        value = as_declared(value, param_type.name)
        engine_value = to_engine(value)
    except ValueProblem as problem:
        raise FactsError([error_at("facts_error", f"'{label}': {problem}", where)]) from None
    problem = value_fits(engine_value, param_type)
    if problem:
        raise FactsError([error_at("facts_error", f"'{label}': {problem}", where)])
    return value
