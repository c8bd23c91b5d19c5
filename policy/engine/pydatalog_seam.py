"""The seam to pyDatalog: the only module that imports it.

Clauses are built from pyDatalog's term and literal objects, never from text,
so nothing a policy or a facts file says is ever parsed as Python.

Isolation. pyDatalog keeps its state in a per-thread `Logic`, and its
`Logic(snapshot)` copies share the predicate tables, so facts asserted into a
copy leak into the snapshot. So each thread builds its own logic for a compiled
policy once, and every evaluation asserts its facts, reads the model and
retracts exactly those facts again (the tests
test_two_policies_in_one_thread_stay_apart and
test_two_policies_and_both_evaluations_interleaved_in_sixteen_threads hold
it to that). A failed evaluation throws the thread's logic away rather than
trust it.
"""
from __future__ import annotations

import threading
import weakref
from decimal import Decimal

from pyDatalog import Logic, pyEngine
from pyDatalog.Aggregate import Max, Min, Sum
from pyDatalog.pyParser import Literal, Term

from policy.engine.fixpoints import Fixpoint, delta_name, init_name, next_name, plan_fixpoints
from policy.engine.lowering import AUXILIARY, LAtom, LFunction, Lowered, LRule

_AGGREGATES = {"sum": Sum, "min": Min, "max": Max}
_LOCAL = threading.local()


def engine_name(predicate: str) -> str:
    """User predicates get a prefix so that no name means anything to pyDatalog."""
    return "u_" + predicate


class Engine:
    """A lowered program, built into pyDatalog once per thread."""

    def __init__(self, lowered: Lowered):
        self.lowered = lowered
        self.rules, self.fixpoints, self.arities = plan_fixpoints(lowered)
        # Facts the policy itself states: asserting one of them again and retracting it after
        # the evaluation would delete the policy's own fact (pyDatalog keeps one copy).
        self.stated = {(rule.head.predicate, tuple(value for _, value in rule.head.args))
                       for rule in self.rules
                       if not rule.body and all(kind == "const" for kind, _ in rule.head.args)}

    def evaluate(self, facts: dict, predicates) -> dict:
        """Assert `facts` ({name: set of tuples}), read `predicates`, retract the facts."""
        state = self._thread_state()
        _activate(state.logic)
        asserted = []
        try:
            for name, rows in facts.items():
                for row in rows:
                    if (name, row) not in self.stated:
                        asserted.append(_assert(name, row))
            for fixpoint in self.fixpoints:
                self._run_fixpoint(state, fixpoint, asserted)
            return self._read_all(state, tuple(predicates))
        except BaseException:
            self._forget()
            raise
        finally:
            for clause in asserted:
                pyEngine.retract(clause)

    def _thread_state(self) -> "_ThreadState":
        """This thread's logic for this engine; it goes when the engine is garbage (weak key)."""
        cache = getattr(_LOCAL, "logics", None)
        if cache is None:
            cache = _LOCAL.logics = weakref.WeakKeyDictionary()
        state = cache.get(self)
        if state is None:
            state = cache[self] = _ThreadState(self._build())
        return state

    def _forget(self) -> None:
        getattr(_LOCAL, "logics", {}).pop(self, None)

    def _build(self):
        Logic()  # a fresh, empty logic for this thread
        for name, arity in self.arities.items():
            _declare(name, arity)
        for aggregate in self.lowered.aggregates:
            _add_aggregate(aggregate)
        for rule in self.rules:
            _add_rule(rule)
        return Logic(True)

    def _run_fixpoint(self, state: "_ThreadState", fixpoint: Fixpoint, asserted: list) -> None:
        """Semi-naive rounds: assert what the steps give until no fact is new (see Fixpoint)."""
        known = {p: set() for p in fixpoint.predicates}
        found = self._read_all(state, tuple(init_name(p) for p in fixpoint.predicates))
        new = {p: found[init_name(p)] for p in fixpoint.predicates}
        deltas = []
        while any(new.values()):
            for clause in deltas:
                pyEngine.retract(clause)
            deltas = []
            for predicate, rows in new.items():
                known[predicate] |= rows
                for row in rows:
                    if (predicate, row) not in self.stated:
                        asserted.append(_assert(predicate, row))
                    deltas.append(_assert(delta_name(predicate), row))
            found = self._read_all(state, tuple(next_name(p) for p in fixpoint.predicates))
            new = {p: found[next_name(p)] - known[p] for p in fixpoint.predicates}
        for clause in deltas:
            pyEngine.retract(clause)

    def _read_all(self, state: "_ThreadState", names: tuple) -> dict:
        """Every row of `names` from one query, so that pyDatalog tables each subgoal once.

        pyDatalog forgets its tables between two questions; a reader predicate
        `X_read(Tag, A1..An) :- p(A1..)` per predicate asked makes one question of many.
        """
        if not names:
            return {}
        question = state.readers.get(names)
        if question is None:
            reader = self._add_reader(names, len(state.readers))
            state.logic = Logic(True)  # the current logic now holds the reader's clauses too
            width = 1 + max((self.arities[n] for n in names), default=0)
            question = Literal.make(engine_name(reader), [Term(f"Q{i}") for i in range(width)]).lua
            state.readers[names] = question  # built once: making it costs as much as asking
        model = {name: set() for name in names}
        for row in question.ask() or ():
            name = row[0]
            model[name].add(tuple(row[1:1 + self.arities[name]]))
        return model

    def _add_reader(self, names: tuple, number: int) -> str:
        reader = f"{AUXILIARY}read{number}"
        width = max((self.arities[n] for n in names), default=0)
        for name in names:
            arity = self.arities[name]
            args = [("var", f"R{i}") for i in range(arity)]
            padding = [("const", 0)] * (width - arity)
            head = LAtom(reader, (("const", name), *args, *padding))
            _add_rule(LRule(head, (LAtom(name, tuple(args)),)))
        return reader


class _ThreadState:
    """One thread's pyDatalog logic for one compiled policy, and its reader predicates."""

    def __init__(self, logic):
        self.logic, self.readers = logic, {}


def _activate(logic) -> None:
    """Make `logic` this thread's pyDatalog logic, as `Logic(logic)` does but without its copy.

    The copy exists to hand a logic to another thread; ours never leaves its thread,
    and copying the predicate tables on every evaluation cost a sixth of a plan.
    """
    Logic.tl.logic = logic
    logic.Subgoals, logic.Tasks, logic.Recursive_Tasks = {}, None, None
    logic.Recursive, logic.Goal, logic.gc_uncollected = False, None, False
    pyEngine.Fresh_var.tl.counter = 0


def _declare(name: str, arity: int) -> None:
    """Make a predicate known even when no fact or clause will ever define it."""
    marker = tuple(f"__declared__{i}" for i in range(arity))
    pyEngine.retract(_assert(name, marker))


def _assert(name: str, row: tuple):
    literal = pyEngine.Literal(engine_name(name), [pyEngine.Const(v) for v in row])
    return pyEngine.assert_(pyEngine.Clause(literal, []))


def _term(term: tuple):
    kind, value = term
    return Term(value) if kind == "var" else Term(value, forced_type="constant")


def _expr(expr: tuple):
    if expr[0] == "op":
        _, op, left, right = expr
        return _OPERATORS[op](_expr(left), _expr(right))
    return _term(expr)


_OPERATORS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: (Term(Decimal(1), forced_type="constant") * a) / b,  # values.divide
}
_COMPARISONS = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _literal(literal):
    if isinstance(literal, LAtom):
        built = Literal.make(engine_name(literal.predicate), [_term(a) for a in literal.args])
        return ~built if literal.negated else built
    if isinstance(literal, LFunction):
        return _function(literal.function, literal.keys) == _term(literal.value)
    return _COMPARISONS[literal.op](_expr(literal.left), _expr(literal.right))


def _function(name: str, keys: tuple):
    keys = (Term(0, forced_type="constant"),) + tuple(_term(k) for k in keys)
    return Term(engine_name(name), forced_type="constant")[keys]


def _add_rule(rule) -> None:
    head = Literal.make(engine_name(rule.head.predicate), [_term(a) for a in rule.head.args])
    if not rule.body:
        pyEngine.assert_(pyEngine.Clause(head.lua, []))
        return
    body = None
    for literal in rule.body:
        built = _literal(literal)
        body = built if body is None else body & built
    head <= body


def _add_aggregate(aggregate) -> None:
    value = Term(aggregate.value)
    locals_ = tuple(_term(v) for v in aggregate.locals)
    if aggregate.op == "sum":
        function = _AGGREGATES["sum"](value, for_each=locals_ + (value,))
    else:
        function = _AGGREGATES[aggregate.op](value, order_by=value)
    source_args = list(aggregate.groups) + list(aggregate.locals) + [("var", aggregate.value)]
    source = Literal.make(engine_name(aggregate.source), [_term(a) for a in source_args])
    (_function(aggregate.function, aggregate.groups) == function) <= source
