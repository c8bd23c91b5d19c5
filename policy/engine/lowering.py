"""AST -> a lowered program of plain clauses, ready for the engine.

The lowered form knows nothing of pyDatalog: it is the seam every engine reads
(pydatalog_seam.py turns it into pyDatalog objects; three_valued.py rewrites it
for unknown facts; fixpoints.py plans its recursion). Lowering does three things
pyDatalog cannot:
- orders each body so that every comparison and negation finds its variables
  bound (see safety.py);
- turns `not p(X, _)` into `not aux(X)` with `aux(X) :- p(X, _)`, so that the
  anonymous variable means "for no value";
- turns `N = count : { body }` into auxiliary predicates and one pyDatalog
  aggregate clause, and, for count and sum, a second clause giving 0 when the
  body has no solution; a group variable the aggregate's body only compares
  (`S = sum X : { a(X), X > K }`, K bound outside) comes from a context
  predicate of the literals that bind it outside;
- turns arithmetic in arguments into the comparisons every engine has: a head
  `total(X, Y, X + Y)` concludes `total(X, Y, H)` with `H = X + Y` last in the
  body, a premise `p(X + 1)` reads `p(T)` then checks `T = X + 1`, and
  `not p(X + 1)` computes `T = X + 1` before it.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from policy.lang import ast
from policy.lang.program import Program
from policy.analysis.safety import (aggregate_groups, assignment_target, context_literals, order_body,
                                   outside_variables)

# Lowered terms are ("var", name) or ("const", value); expressions are terms or
# ("op", operator, left, right).


@dataclass(frozen=True)
class LAtom:
    """An atom of the lowered program (what every engine reads): terms as tuples, not AST nodes."""

    predicate: str
    args: tuple
    negated: bool = False


@dataclass(frozen=True)
class LCompare:
    """A comparison of the lowered program, both sides as term tuples."""

    op: str  # ==, !=, <, <=, >, >=
    left: tuple
    right: tuple


@dataclass(frozen=True)
class LFunction:
    """`function[0, keys...] == value`: reads the result of an aggregate."""

    function: str
    keys: tuple
    value: tuple


@dataclass(frozen=True)
class LAggregate:
    """`function[key, groups...] == Sum(value, for_each=locals)` <= source(groups, locals, value)."""

    function: str
    op: str  # sum, min, max (count is a sum of ones)
    source: str
    groups: tuple
    locals: tuple
    value: str


@dataclass(frozen=True)
class LRule:
    """A rule of the lowered program: its head, its body in evaluation order, the AST rule it
    comes from."""

    head: LAtom
    body: tuple
    origin: object = None  # the ast.Rule it comes from


@dataclass
class Lowered:
    """A program lowered for the engine: rules, aggregates, and every predicate's arity."""

    rules: list = field(default_factory=list)
    aggregates: list = field(default_factory=list)
    arities: dict = field(default_factory=dict)  # user and auxiliary predicates
    user_predicates: dict = field(default_factory=dict)  # name -> arity


def lower_program(program: Program) -> Lowered:
    """Lower every rule of an already checked program."""
    lowered = Lowered(arities=dict(program.arities), user_predicates=dict(program.arities))
    counter = itertools.count(1)
    for rule in program.rules:
        RuleLowerer(lowered, counter, rule).lower()
    return lowered


AUXILIARY = "X_"  # no policy predicate can start so (NAME is [a-z]...): no clash is possible


LONG_BODY = 32  # literals of one pyDatalog clause at most (RuleLowerer.add_rule)


def _variables(literals) -> list:
    """The variable names in lowered literals and expressions, in order, repeats kept."""
    found = []
    for literal in literals:
        if isinstance(literal, LAtom):
            parts = literal.args
        elif isinstance(literal, LFunction):
            parts = (*literal.keys, literal.value)
        else:
            parts = (literal.left, literal.right)
        for part in parts:
            _expression_variables(part, found)
    return found


def term_variables(term: tuple) -> set:
    """The variable names in one lowered term (an argument or an expression)."""
    found = []
    _expression_variables(term, found)
    return set(found)


def _expression_variables(expr: tuple, found: list) -> None:
    if expr[0] == "op":
        _expression_variables(expr[2], found)
        _expression_variables(expr[3], found)
    elif expr[0] == "var":
        found.append(expr[1])


def _var(name: str) -> tuple:
    return ("var", "V" + name)


def _const(value) -> tuple:
    return ("const", value)


class RuleLowerer:
    """Lowers one rule; fresh names come from a counter shared by the program."""

    def __init__(self, lowered: Lowered, counter, rule: ast.Rule):
        self.lowered, self.counter, self.rule = lowered, counter, rule

    def fresh(self, prefix: str) -> str:
        return f"{prefix}{next(self.counter)}"

    def lower(self) -> None:
        head_args, computed = self.arguments(self.rule.head)
        head = LAtom(self.rule.head.predicate, head_args)
        ordering = order_body(self.rule.head, self.rule.body)
        variants = [[]]
        bound = set()
        for literal in ordering.literals:
            choices = self.literal(literal, bound)
            variants = [done + choice for done in variants for choice in choices]
            self.bind(literal, bound)
        for body in variants:
            self.add_rule(head, list(body) + list(computed))

    def add_rule(self, head: LAtom, body: list) -> None:
        """The rule, its body cut into pieces of at most LONG_BODY literals when longer.

        pyDatalog copies the rest of a body at every step of resolving it, so a body
        of n literals costs n^2 (3,000 literals took most of a minute). Here the first
        LONG_BODY literals become `X_partN(live variables)`, which then stands first
        in the rest, and so on: linear in n, the same answers.
        """
        while len(body) > LONG_BODY:
            part, rest = body[:LONG_BODY], body[LONG_BODY:]
            later = set(_variables([head, *rest]))
            live = tuple(dict.fromkeys(v for v in _variables(part) if v in later))
            piece = LAtom(self.fresh(AUXILIARY + "part"), tuple(("var", v) for v in live))
            self.add_auxiliary(piece, tuple(part))
            body = [piece, *rest]
        self.lowered.rules.append(LRule(head, tuple(body), self.rule))

    def arguments(self, atom: ast.Atom) -> tuple:
        """(lowered arguments, comparisons `T == expr`) with a fresh T for each argument
        written as arithmetic."""
        args, computed = [], []
        for arg in atom.args:
            if ast.is_term(arg):
                args.append(self.term(arg))
            else:
                target = ("var", self.fresh("T"))
                args.append(target)
                computed.append(LCompare("==", target, self.expr(arg)))
        return tuple(args), tuple(computed)

    def bind(self, literal, bound: set) -> None:
        if isinstance(literal, ast.Atom):
            bound.update(a.name for a in literal.args if isinstance(a, ast.Variable))
        elif isinstance(literal, ast.Comparison):
            target = assignment_target(literal, bound)
            if target is not None:
                bound.add(target.name)

    def term(self, term) -> tuple:
        if isinstance(term, ast.Constant):
            return _const(term.value)
        if term.anonymous:
            return ("var", self.fresh("A"))
        return _var(term.name)

    def expr(self, expr) -> tuple:
        if isinstance(expr, (ast.Variable, ast.Constant)):
            return self.term(expr)
        if isinstance(expr, ast.Negative):
            return ("op", "-", _const(0), self.expr(expr.operand))
        return ("op", expr.op, self.expr(expr.left), self.expr(expr.right))

    def literal(self, literal, bound: set) -> list:
        """The alternatives (each a list of lowered literals) for one body literal."""
        if isinstance(literal, ast.Atom):
            args, checks = self.arguments(literal)
            return [[LAtom(literal.predicate, args), *checks]]
        if isinstance(literal, ast.Negation):
            return [self.negation(literal.atom)]
        if isinstance(literal.right, ast.Aggregate):
            return self.aggregate(literal, bound)
        return [[self.comparison(literal, bound)]]

    def comparison(self, literal: ast.Comparison, bound: set) -> LCompare:
        op = "==" if literal.op == "=" else literal.op
        left, right = literal.left, literal.right
        target = assignment_target(literal, bound)
        if target is not None and target is right:
            left, right = right, left
        return LCompare(op, self.expr(left), self.expr(right))

    def negation(self, atom: ast.Atom) -> list:
        """`not p(...)`, after the comparisons that compute its arithmetic arguments."""
        args, computed = self.arguments(atom)
        anonymous = [isinstance(a, ast.Variable) and a.anonymous for a in atom.args]
        if not any(anonymous):
            return [*computed, LAtom(atom.predicate, args, negated=True)]
        projection = tuple(dict.fromkeys(arg for arg, anon in zip(args, anonymous)
                                         if not anon and arg[0] == "var"))
        name = self.fresh(AUXILIARY + "not")
        self.add_auxiliary(LAtom(name, projection), (LAtom(atom.predicate, args),))
        return [*computed, LAtom(name, projection, negated=True)]

    def add_auxiliary(self, head: LAtom, body: tuple) -> None:
        self.lowered.arities[head.predicate] = len(head.args)
        self.lowered.rules.append(LRule(head, body, self.rule))

    def aggregate(self, literal: ast.Comparison, bound: set) -> list:
        aggregate: ast.Aggregate = literal.right
        outside = outside_variables(self.rule.head, self.rule.body, literal)
        names = aggregate_groups(literal, outside)
        groups = tuple(_var(n) for n in names)
        inner = order_body(ast.Atom("_", (), aggregate.span), aggregate.body).bound
        context = self.context([n for n in names if n not in inner])
        source_body, local_vars, value = self.aggregate_source(aggregate, groups, context)
        base = self.fresh(AUXILIARY + "agg")
        source = LAtom(base + "_src", groups + local_vars + (value,))
        self.add_auxiliary(source, source_body)
        any_atom = LAtom(base + "_any", groups)
        self.add_auxiliary(any_atom, (source,))
        result = LAtom(base + "_val", groups + (("var", "R" + base),))
        op = "sum" if aggregate.op == "count" else aggregate.op
        self.lowered.aggregates.append(
            LAggregate(base + "_fn", op, source.predicate, groups, local_vars, value[1])
        )
        self.lowered.arities[result.predicate] = len(result.args)
        reader = LFunction(base + "_fn", groups, result.args[-1])
        self.lowered.rules.append(LRule(result, (any_atom, reader), self.rule))
        target = _var(literal.left.name)
        found = [LAtom(result.predicate, groups + (target,))]
        if aggregate.op in ("count", "sum"):
            empty = [LAtom(any_atom.predicate, groups, negated=True), LCompare("==", target, _const(0))]
            return [found, empty]
        return [found]

    def context(self, missing: list) -> tuple:
        """For group variables the aggregate's body does not bind: `(X_ctxN(K...),)` with
        X_ctxN(K...) :- the rule's atoms and comparisons that bind them (its negations and
        other aggregates left out: the context may hold more groups, never other values).
        """
        if not missing:
            return ()
        ordering = order_body(ast.Atom("_", (), None), context_literals(self.rule.body))
        body, bound = [], set()
        for literal in ordering.literals:
            if not _ready(literal, bound):
                continue  # needs what only a left-out literal binds
            body.extend(self.literal(literal, bound)[0])
            self.bind(literal, bound)
        head = LAtom(self.fresh(AUXILIARY + "ctx"), tuple(_var(n) for n in missing))
        self.add_auxiliary(head, tuple(body))
        return (head,)

    def aggregate_source(self, aggregate: ast.Aggregate, groups: tuple, context: tuple = ()):
        """The auxiliary body of an aggregate, its local variables and its value variable."""
        given = frozenset(arg[1][1:] for atom in context for arg in atom.args)
        ordering = order_body(ast.Atom("_", (), aggregate.span), aggregate.body, given)
        body, bound = list(context), set(given)
        for inner in ordering.literals:
            body.extend(self.literal(inner, bound)[0])
            self.bind(inner, bound)
        names = _body_variable_names(body)
        group_names = {g[1] for g in groups}
        local_vars = tuple(("var", n) for n in names if n not in group_names)
        value = ("var", self.fresh("W"))
        if aggregate.value is None:
            body.append(LCompare("==", value, _const(1)))
        else:
            body.append(LCompare("==", value, self.expr(aggregate.value)))
        return tuple(body), local_vars, value


def _ready(literal, bound: set) -> bool:
    """Whether a context literal finds what it needs bound."""
    if isinstance(literal, ast.Atom):
        own = {a.name for a in literal.args if isinstance(a, ast.Variable)}
        return all(v.name in bound or v.name in own for v in ast.argument_variables(literal))
    if assignment_target(literal, bound) is not None:
        return True
    return all(v.name in bound for v in ast.expr_variables(literal.left) + ast.expr_variables(literal.right))


def _body_variable_names(body: list) -> list:
    names = []
    for literal in body:
        if isinstance(literal, LAtom) and not literal.negated:
            for arg in literal.args:
                if arg[0] == "var" and arg[1] not in names:
                    names.append(arg[1])
        elif isinstance(literal, LCompare) and literal.left[0] == "var":
            if literal.left[1] not in names:
                names.append(literal.left[1])
    return names


def lowered_graph(lowered: Lowered) -> dict:
    """predicate -> the predicates its rules read (an aggregate's function reads its source)."""
    graph = {}
    for rule in lowered.rules:
        targets = graph.setdefault(rule.head.predicate, set())
        targets.update(lit.predicate for lit in rule.body if isinstance(lit, LAtom))
    for aggregate in lowered.aggregates:
        graph.setdefault(aggregate.function, set()).add(aggregate.source)
    return graph
