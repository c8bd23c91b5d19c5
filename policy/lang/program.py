"""A parsed policy: its statements, indexed the ways the checks and the engine need.

`Program` knows nothing about pyDatalog; it answers questions such as "which
rules define this predicate" and "which predicates does a rule read"; the
dependency graph over predicates is policy.analysis.graph.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from policy.lang import ast


@dataclass
class Program:
    """The statements of a policy, in file order, with the files they came from."""

    statements: list
    files: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)  # file -> text, for carets
    # read from files (loader.parse_files): what is evaluated of it may be cached per user
    # (engine/static_cache.py); a text given in memory is not
    from_files: bool = field(default=False, compare=False)
    # analysis.cache: what is worked out once about the program (it never changes once parsed)
    analyses: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def rules(self) -> list:
        return [s for s in self.statements if isinstance(s, ast.Rule)]

    @cached_property
    def declarations(self) -> list:
        return [s for s in self.statements if isinstance(s, ast.Declaration)]

    @cached_property
    def declared(self) -> dict:
        """predicate name -> its first declaration."""
        found = {}
        for declaration in self.declarations:
            found.setdefault(declaration.predicate, declaration)
        return found

    @cached_property
    def inputs(self) -> dict:
        return {name: d for name, d in self.declared.items() if d.kind == "input"}

    @cached_property
    def rules_by_head(self) -> dict:
        """predicate name -> the rules (and facts) whose head it is."""
        found = {}
        for rule in self.rules:
            found.setdefault(rule.head.predicate, []).append(rule)
        return found

    @cached_property
    def arities(self) -> dict:
        """predicate name -> arity, from the first declaration or head that names it."""
        found = {}
        for declaration in self.declarations:
            found.setdefault(declaration.predicate, len(declaration.params))
        for rule in self.rules:
            found.setdefault(rule.head.predicate, rule.head.arity)
        return found

    @cached_property
    def derived_predicates(self) -> set:
        return {r.head.predicate for r in self.rules if not r.is_fact}

    def source_line(self, span: ast.Span) -> str:
        lines = self.sources.get(span.file, "").split("\n")
        return lines[span.line - 1].rstrip("\r") if 0 < span.line <= len(lines) else ""


def dependencies(rule: ast.Rule):
    """(predicate, negative, literal) for every predicate a rule's body depends on.

    An aggregate depends on its inner predicates negatively: like negation it
    needs them complete before it can be computed.
    """
    for literal in rule.body:
        yield from _literal_dependencies(literal, negative=False)


def _literal_dependencies(literal, negative: bool):
    if isinstance(literal, ast.Atom):
        yield literal.predicate, negative, literal
    elif isinstance(literal, ast.Negation):
        yield literal.atom.predicate, True, literal
    elif isinstance(literal, ast.Comparison) and isinstance(literal.right, ast.Aggregate):
        for inner in literal.right.body:
            for predicate, _, _ in _literal_dependencies(inner, negative):
                yield predicate, True, literal


def all_atoms(rule: ast.Rule):
    """Every atom in a rule's body, inside aggregates too."""
    for literal in rule.body:
        yield from _atoms_of(literal)


def _atoms_of(literal):
    if isinstance(literal, ast.Atom):
        yield literal
    elif isinstance(literal, ast.Negation):
        yield literal.atom
    elif isinstance(literal, ast.Comparison) and isinstance(literal.right, ast.Aggregate):
        for inner in literal.right.body:
            yield from _atoms_of(inner)
