"""A parsed policy: its statements, indexed the ways the checks and the engine need.

`Program` knows nothing about pyDatalog; it answers questions such as "which
rules define this predicate" and "which predicates depend on which".
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


def is_recursive(component: set, graph: dict) -> bool:
    """A strongly connected component is recursive: several members, or one reading itself."""
    name = next(iter(component))
    return len(component) > 1 or name in graph.get(name, ())


def strongly_connected(graph: dict) -> list:
    """Tarjan's algorithm, iterative: the strongly connected components of `graph`."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for root in list(graph):
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(graph.get(child, ()))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return components


def reachable(graph: dict, starts) -> set:
    """Every node `starts` lead to in `graph`, the starts included."""
    seen, stack = set(), list(starts)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(graph.get(name, ()))
    return seen


def dependency_graph(program: Program) -> dict:
    """head predicate -> set of body predicates (positive and negative alike); cached on
    the program, which never changes once parsed."""
    cached = program.__dict__.get("_dependency_graph")
    if cached is None:
        cached = program.__dict__["_dependency_graph"] = _dependency_graph(program)
    return cached


def _dependency_graph(program: Program) -> dict:
    graph = {}
    for rule in program.rules:
        targets = graph.setdefault(rule.head.predicate, set())
        for predicate, _, _ in dependencies(rule):
            targets.add(predicate)
            graph.setdefault(predicate, set())
    return graph
