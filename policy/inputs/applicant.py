"""The applicant fact schema and applicant files.

The schema is the policy's `input` declarations of zero or one argument: a
zero-argument input is a yes/no fact (`employee: true`), a one-argument input
takes a value (`went_abroad_as: self_funded`, or a list of values). An
applicant file names the applicant and gives some of these facts; a fact it
does not give is unknown, never false.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from policy.lang import ast
from policy.analysis.checks import value_fits
from policy.inputs.documents import line_of, load_document, mapping_items, scalar, sequence_items
from policy.analysis.cache import analysis
from policy.errors import FactsError, Span, did_you_mean, error_at
from policy.values import ValueProblem, show, to_engine

NAME_KEY = "applicant"


@dataclass(frozen=True)
class FactSpec:
    """One fact an applicant can give: a declared input of arity 0 or 1."""

    declaration: ast.Declaration

    @property
    def name(self) -> str:
        return self.declaration.predicate

    @property
    def type(self) -> ast.ParamType:
        if not self.declaration.params:
            return ast.ParamType("boolean")
        return self.declaration.params[0].type

    @property
    def is_flag(self) -> bool:
        return not self.declaration.params

    def text(self, annotation: str, lang: str) -> str:
        found = self.declaration.annotation(annotation)
        return found.text(lang) if found else ""

    def possible_rows(self) -> set:
        """Every row the fact could have when it is unknown (empty for open types)."""
        if self.is_flag:
            return {()}
        if self.type.name == "enum":
            return {(v,) for v in self.type.values}
        if self.type.name == "boolean":
            return {(True,), (False,)}
        return set()

    def type_text(self) -> str:
        if self.is_flag:
            return "yes/no"
        if self.type.name == "enum":
            return "one of: " + ", ".join(show(v) for v in self.type.values)
        return self.type.name


@analysis
def fact_schema(program) -> tuple:
    """The FactSpecs of a program, in declaration order (worked out once per program:
    a batch asks for it on every evaluation)."""
    return tuple(FactSpec(d) for d in program.declarations
                 if d.kind == "input" and len(d.params) <= 1 and program.declared[d.predicate] is d)


@dataclass
class Applicant:
    """An applicant's name, the facts given and the facts left unknown."""

    name: str
    file: str
    facts: dict = field(default_factory=dict)  # predicate -> set of rows
    lines: dict = field(default_factory=dict)  # predicate -> line in the file
    unknown: list = field(default_factory=list)  # FactSpecs not given
    declined: set = field(default_factory=set)  # facts written but left empty ("don't know")


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
    values = [scalar(v, file) for v in value_nodes]
    wheres = [Span(file, line_of(v)) for v in value_nodes]
    _set_fact(applicant, specs[key], values, wheres, where.line)


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
    if spec.is_flag:
        if not isinstance(value, bool):
            message = f"'{spec.name}' is a yes/no fact: write true or false, not {value!r}"
            raise FactsError([error_at("facts_error", message, where)])
        return {()} if value else set()
    try:
        engine_value = to_engine(value)
    except ValueProblem as problem:
        raise FactsError([error_at("facts_error", f"'{spec.name}': {problem}", where)]) from None
    problem = value_fits(engine_value, spec.type)
    if problem:
        raise FactsError([error_at("facts_error", f"'{spec.name}': {problem}", where)])
    return {(value,)}
