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
from pyDatalog.pyParser import Body, Literal, Term

from policy.engine.budget import Budget, JoinBound, is_join
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
        # recursive predicates grow round by round: their sizes are not known beforehand
        growing = {name(p) for f in self.fixpoints for p in f.predicates for name in
                   (str, delta_name)}
        self.bound = JoinBound(self.rules, growing)

    def evaluate(self, facts: dict, predicates, max_facts=None) -> dict:
        """Assert `facts` ({name: set of tuples}), read `predicates`, retract the facts.

        FactLimit when the facts given, the rows of joins and the facts of recursive
        rounds pass `max_facts`, counted as they come (budget.py): a cross product
        stops at the limit. Joins are counted only when the sizes of the facts given
        do not prove that they fit: then a second logic, with counters, is used.
        """
        budget = Budget(max_facts)
        budget.spend(sum(len(rows) for rows in facts.values()))
        counted = not budget.unlimited and self.bound.exceeds(
            {name: len(rows) for name, rows in facts.items()}, budget.left())
        state = self._thread_state(counted)
        _activate(state.logic)
        asserted, _LOCAL.budget = [], budget
        try:
            for name, rows in facts.items():
                for row in rows:
                    if (name, row) not in self.stated:
                        asserted.append(_assert(name, row))
            for fixpoint in self.fixpoints:
                self._run_fixpoint(state, fixpoint, asserted, budget)
            return self._read_all(state, tuple(predicates))
        except BaseException:  # (a limit, a MemoryError): the logic and its tables are let go
            self._forget(counted)
            _activate(Logic.tl.logic)
            raise
        finally:
            _LOCAL.budget = None
            for clause in asserted:
                pyEngine.retract(clause)

    def _thread_state(self, counted: bool) -> "_ThreadState":
        """This thread's logic for this engine, plain or with its joins counted; it goes
        when the engine is garbage (weak key)."""
        cache = getattr(_LOCAL, "logics", None)
        if cache is None:
            cache = _LOCAL.logics = weakref.WeakKeyDictionary()
        states = cache.setdefault(self, {})
        state = states.get(counted)
        if state is None:
            state = states[counted] = _ThreadState(self._build(counted))
        return state

    def _forget(self, counted: bool) -> None:
        getattr(_LOCAL, "logics", {}).get(self, {}).pop(counted, None)

    def _build(self, counted: bool):
        Logic()  # a fresh, empty logic for this thread
        for name, arity in self.arities.items():
            _declare(name, arity)
        for aggregate in self.lowered.aggregates:
            _add_aggregate(aggregate)
        for number, rule in enumerate(self.rules, start=1):
            _add_rule(rule, number if counted else 0)
        return Logic(True)

    def _run_fixpoint(self, state: "_ThreadState", fixpoint: Fixpoint, asserted: list,
                      budget: Budget) -> None:
        """Semi-naive rounds: assert what the steps give until no fact is new (see Fixpoint).
        Each round's new facts are spent from the budget."""
        known = {p: set() for p in fixpoint.predicates}
        found = self._read_all(state, tuple(init_name(p) for p in fixpoint.predicates))
        new = {p: found[init_name(p)] for p in fixpoint.predicates}
        deltas = []
        while any(new.values()):
            for clause in deltas:
                pyEngine.retract(clause)
            deltas = []
            budget.spend(sum(len(rows) for rows in new.values()))
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
        `X_read(Tag, A1..An) :- p(A1..)` per predicate asked makes one question of many.        """
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


def _add_rule(rule, number: int = 0) -> None:
    """The rule as a pyDatalog clause; a join with a `number` gets its rows counted."""
    head = Literal.make(engine_name(rule.head.predicate), [_term(a) for a in rule.head.args])
    if not rule.body:
        pyEngine.assert_(pyEngine.Clause(head.lua, []))
        return
    body = [_literal(literal) for literal in rule.body]
    if number and is_join(rule):
        body = _with_counter(rule.body, body, number)
    # One Body of every literal: pyDatalog's `a & b & c ...` rebuilds the body at each `&`,
    # which made a rule of 750 literals take a minute to add.
    head <= (body[0] if len(body) == 1 else Body(*body))


_COUNTER = "Xcount"  # the seam's own: a policy's names start with a lowercase letter


def _with_counter(lowered: tuple, body: list, number: int) -> list:
    """The body with `Xcount(number, variables...)` after its last positive atom: pyDatalog
    tables it per row of the join so far and asks `_count_row` once for each."""
    positive = [i for i, lit in enumerate(lowered) if isinstance(lit, LAtom) and not lit.negated]
    names = sorted({value for i in positive for kind, value in lowered[i].args if kind == "var"})
    counter = Literal.make(_COUNTER, [Term(number, forced_type="constant")] +
                           [Term(name) for name in names])
    pyEngine.Python_resolvers.setdefault(counter.lua.pred.id, _count_row)
    last = positive[-1] + 1
    return [*body[:last], counter, *body[last:]]


def _count_row(*terms):
    """One more row of a join: past the budget, FactLimit stops pyDatalog's loop."""
    _LOCAL.budget.spend()
    yield True


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
