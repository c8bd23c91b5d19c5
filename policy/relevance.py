"""Which of an applicant's facts can matter, given the facts themselves.

`policylog batch` evaluates each distinct situation once. Two applicants often
differ only in facts that cannot change any answer: someone who did not study
abroad gets no returnee procedure, whatever they say about their passport.
`SituationKeys.key` names a situation by the facts that can matter, so that such
applicants share one evaluation.

How. From the goals (`eligible`, `achieved`), follow every rule that can
conclude them, down to the input facts. A rule with a premise that the given
facts make certainly false (a positive premise on an input that is given and
has no matching row, or `not p(c)` where `p(c)` is given) concludes nothing,
however its other premises turn out; only that premise's input is kept from it.
Every other rule keeps all its inputs, given or unknown. The key is those
inputs with their rows (None when unknown).

Why it is exact. If two situations have the same key, they agree on every input
of the live rules and on the premise that kills each dead rule; dead rules add
nothing to the certain or the possible model of either, so both models agree on
the goals, and so do the statuses built from them. The key is therefore only
used when nothing can fail during an evaluation (no arithmetic, ordering
comparison or aggregate in the policy): a skipped evaluation must not hide an
error, nor a failed one stand for one that works.
"""
from __future__ import annotations

from .compiler import LAtom, LCompare, LFunction
from .instances import static_solutions

_PLAIN = (str, int, bool)  # types whose equality here is pyDatalog's; others are never judged


class SituationKeys:
    """Keys for situations of one compiled policy; see the module docstring."""

    def __init__(self, compiled, goals: list):
        lowered = compiled.lowered
        self.static = compiled._static_engine_model
        self.inputs = set(compiled.program.inputs)
        self.pure = set(compiled.pure_inputs)
        self.arities = lowered.arities
        self.rules = {}
        for rule in lowered.rules:
            self.rules.setdefault(rule.head.predicate, []).append(rule)
        self.aggregates = {a.function: a for a in lowered.aggregates}
        self.goals = [(name, (None,) * self.arities[name]) for name in goals
                      if name in self.arities and name not in self.static]
        self.bodies = {}  # goal pattern -> the premises of each rule instance that can conclude it

    @staticmethod
    def usable(compiled) -> bool:
        """True when no evaluation of the policy can fail, whatever the facts: no arithmetic,
        no ordering comparison (`"abc" > 17` fails), no aggregate (a sum of mixed values).

        A failure can come from a rule that a later premise kills, so a skipped
        evaluation could hide it (and a failed one could stand for one that works).
        """
        return not compiled.lowered.aggregates and not any(
            isinstance(literal, LCompare) and _may_fail(literal)
            for rule in compiled.lowered.rules for literal in rule.body)

    def key(self, facts: dict) -> tuple:
        """The inputs that can matter for `facts` ({input: set of rows}), with their rows."""
        kept, seen, todo = set(), set(), list(self.goals)
        while todo:
            pattern = todo.pop()
            if pattern in seen:
                continue
            seen.add(pattern)
            for checks, inputs, derived in self._bodies(pattern):
                killer = _killer(checks, facts)
                if killer is not None:
                    kept.add(killer)
                else:
                    kept.update(inputs)
                    todo.extend(derived)
        return tuple(sorted((name, _frozen(facts.get(name))) for name in kept))

    def _bodies(self, pattern: tuple) -> list:
        """(killing checks, inputs, derived patterns) of each rule instance that can conclude
        `pattern`, worked out once per policy."""
        if pattern not in self.bodies:
            name, args = pattern
            self.bodies[pattern] = [self._compiled(premises) for rule in self.rules.get(name, ())
                                    for premises in self._instances(rule, args)]
        return self.bodies[pattern]

    def _compiled(self, premises: tuple) -> tuple:
        checks = tuple(check for check in map(self._check, premises) if check is not None)
        inputs = frozenset(name for name, _, _ in premises if name in self.inputs)
        derived = tuple((name, args) for name, args, _ in premises if name not in self.pure)
        return checks, inputs, derived

    def _check(self, premise: tuple):
        """(input, how its given rows make the premise certainly false, the arguments), or
        None when they cannot (a derived premise; positively, an input that rules add to)."""
        name, args, negated = premise
        if name not in self.inputs:
            return None
        if negated:
            return None if None in args else (name, _NEGATED_PRESENT, args)
        if name not in self.pure:
            return None
        return (name, _NO_ROW, args) if all(a is None for a in args) else (name, _NO_MATCH, args)

    def _instances(self, rule, args: tuple) -> list:
        """The rule's premises as (predicate, argument pattern, negated), once per solution of
        its static premises, when its head can match `args`."""
        binding = {}
        for (kind, value), wanted in zip(rule.head.args, args):
            if wanted is None:
                continue
            if kind == "const":
                if _different(value, wanted):
                    return []
            elif _different(binding.setdefault(value, wanted), wanted):
                return []
        static = [lit for lit in rule.body
                  if isinstance(lit, LAtom) and not lit.negated and lit.predicate in self.static]
        solutions = static_solutions(static, self.static) if static else [{}]
        found = []
        for solution in solutions:
            if any(name in binding and _different(binding[name], value)
                   for name, value in solution.items()):
                continue
            found.append(self._premises(rule, {**binding, **solution}))
        return found

    def _premises(self, rule, binding: dict) -> tuple:
        premises = []
        for literal in rule.body:
            if isinstance(literal, LAtom) and literal.predicate not in self.static:
                args = tuple(value if kind == "const" else binding.get(value)
                             for kind, value in literal.args)
                premises.append((literal.predicate, args, literal.negated))
            elif isinstance(literal, LFunction):
                source = self.aggregates[literal.function].source
                premises.append((source, (None,) * self.arities[source], False))
        return tuple(premises)


_NO_ROW, _NO_MATCH, _NEGATED_PRESENT = range(3)


def _killer(checks: tuple, facts: dict):
    """The first input whose given rows make a premise certainly false, or None."""
    for name, how, args in checks:
        rows = facts.get(name)
        if rows is None:
            continue  # unknown: could be anything
        if how == _NO_ROW:
            if not rows:
                return name
        elif how == _NO_MATCH:
            if not any(_may_match(args, row) for row in rows):
                return name
        elif any(_all_same(args, row) for row in rows):
            return name
    return None


def _may_fail(literal: LCompare) -> bool:
    """Arithmetic, or an ordering comparison: both can fail on values of the wrong type."""
    arithmetic = literal.left[0] == "op" or literal.right[0] == "op"
    return arithmetic or literal.op not in ("==", "!=")


def _frozen(rows):
    return None if rows is None else frozenset(rows)


def _same(a, b) -> bool:
    return type(a) is type(b) and type(a) in _PLAIN and a == b


def _different(a, b) -> bool:
    return type(a) is type(b) and type(a) in _PLAIN and a != b


def _all_same(args: tuple, row: tuple) -> bool:
    return all(_same(a, v) for a, v in zip(args, row))


def _may_match(args: tuple, row: tuple) -> bool:
    return not any(a is not None and _different(a, v) for a, v in zip(args, row))
