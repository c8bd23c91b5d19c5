"""Which of an applicant's facts can matter to each answer, given the facts themselves.

`policylog batch` evaluates a situation only when some answer it needs is new.
The answers a batch needs are the goal atoms (`eligible(P)`, `achieved(M)`):
certainly true, possibly true, or neither. Each goal atom is a *unit*, keyed
by only the facts that can matter to it, so an applicant whose every unit has
been answered before (by other applicants, each sharing some of them) needs no
evaluation at all: their statuses are built from those answers.

Units. When every rule instance that concludes a goal predicate has a ground
head (its static premises unfolded with their facts), each such head is a
unit: `eligible(apply_for_id_card)` is decided by the ID-card rules alone. A
goal predicate with a head that stays open (or with values whose equality is
not Python's, or that facts may be given for) is one unit, all its rows.

A unit's key. From the unit, follow every rule that can conclude it, down to
the input facts. A rule with a premise that the given facts make certainly
false (a positive premise on an input that is given and has no matching row,
or `not p(c)` where `p(c)` is given) concludes nothing, however its other
premises turn out; only that premise's input is kept from it. Every other rule
keeps all its inputs, given or unknown. The key is those inputs with their rows
(None when unknown). Someone who did not study abroad gets no returnee
procedure, whatever they say about their passport.

Why it is exact. If two situations give a unit the same key, they agree on
every input of its live rules and on the premise that kills each dead rule;
dead rules add nothing to the certain or the possible model of either, so both
models agree on the unit. The keys are therefore only used when nothing can
fail during an evaluation (no arithmetic, ordering comparison or aggregate in
the policy): a skipped evaluation must not hide an error, nor a failed one
stand for one that works. Otherwise `AllFacts` keys a situation by all its
facts, as one unit. (The fact limit, --max-facts, is the one failure left: the
batch checks it on the answers it assembles, and never shares the answers of an
evaluation that met it.)

Speed. A unit's key only reads the inputs its rules can reach at all (its
cone), so `signature` first looks the cone's facts up and walks the rules only
for cone facts never seen; keys become small numbers, and a situation's
signature is the tuple of its units' numbers.
"""
from __future__ import annotations

import itertools
import operator

from policy.errors import Failed
from policy.engine.lowering import LAtom, LCompare, LFunction
from policy.engine.instances import static_solutions
from policy.values import Truth, model_row, same

_UNIT_VALUES = (str, int, Truth)  # ground unit heads: one value, one way to write it (and
# to_python keeps it: a Day would come back as a datetime.date)
CACHE_SIZE = 100_000  # facts seen per cone, and key numbers, remembered at a time


class SituationKeys:
    """Units, their keys and answers for one compiled policy; see the module docstring."""

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
        self.goal_predicates = [name for name in goals
                                if name in self.arities and name not in self.static]
        self.bodies = {}  # pattern -> the premises of each rule instance that can conclude it
        units = [unit for name in self.goal_predicates for unit in self._units_of(name)]
        cones = {unit: tuple(sorted(self._kept(unit, {}))) for unit in units}
        self.units = sorted(units, key=lambda unit: cones[unit])  # units of one cone side by side
        self.inputs_read = sorted(set().union(*cones.values()))
        # Rows of a typed input are all of one kind; only an untyped one could be given both
        # `true` and 1, which Python's sets take for one value: those rows are keyed as model
        # values (values.model_row), the others as they are (that costs nothing).
        declared = compiled.program.declared
        self.freeze = {name: _frozen_model if _untyped(declared.get(name)) else _frozen
                       for name in self.inputs}
        self.freezers = [self.freeze[name] for name in self.inputs_read]
        self.cones = [_Cone(cone, [index for index, unit in enumerate(self.units)
                                   if cones[unit] == cone], self.inputs_read)
                      for cone in sorted(set(cones.values()))]
        # signature() lists numbers cone by cone: position i must be unit i
        assert [i for cone in self.cones for i in cone.units] == list(range(len(self.units)))
        self.numbers = _Numbers()

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
        """Each unit's key for `facts` ({input: set of rows}): the inputs that can matter
        to it, with their rows. Equal keys mean equal statuses."""
        return tuple(self._unit_key(unit, facts) for unit in self.units)

    def signature(self, facts: dict) -> tuple:
        """`key` as a tuple of numbers, one per unit (the same key, the same number),
        walking the rules only for the facts of a cone not seen before."""
        given = [freeze(facts.get(name)) for freeze, name in zip(self.freezers, self.inputs_read)]
        numbers = []
        for cone in self.cones:
            facts_in_cone = cone.facts_of(given)
            found = cone.seen.get(facts_in_cone)
            if found is None:
                if len(cone.seen) >= CACHE_SIZE:
                    cone.seen.clear()
                found = cone.seen[facts_in_cone] = tuple(
                    self.numbers.of((index, self._unit_key(self.units[index], facts)))
                    for index in cone.units)
            numbers.extend(found)
        return tuple(numbers)

    def answer(self, index: int, result):
        """Unit `index`'s answer from an evaluation's (certain, possible) goal models (or
        Failed): (certainly, possibly) for a ground unit, else the rows."""
        if isinstance(result, Failed):
            return result
        name, args = self.units[index]
        if None in args:
            return tuple(frozenset(model.get(name, ())) for model in result)
        return tuple(args in model.get(name, ()) for model in result)

    def models(self, answers: tuple) -> tuple:
        """The (certain, possible) goal models that the units' answers make up."""
        certain = {name: set() for name in self.goal_predicates}
        possible = {name: set() for name in self.goal_predicates}
        for (name, args), (certainly, possibly) in zip(self.units, answers):
            if None in args:
                certain[name] |= certainly
                possible[name] |= possibly
            else:
                if certainly:
                    certain[name].add(args)
                if possibly:
                    possible[name].add(args)
        return certain, possible

    def _units_of(self, name: str) -> list:
        """A goal predicate's units: its ground rule heads, or the whole predicate."""
        whole = [(name, (None,) * self.arities[name])]
        if name in self.inputs:
            return whole  # facts may be given for it: its rows are not only rule heads
        heads = set()
        for rule in self.rules.get(name, ()):
            for binding in self._solutions(rule, whole[0][1]):
                head = tuple(value if kind == "const" else binding.get(value)
                             for kind, value in rule.head.args)
                if not all(type(value) in _UNIT_VALUES for value in head):
                    return whole
                heads.add(head)
        return [(name, head) for head in sorted(heads, key=repr)]

    def _unit_key(self, unit: tuple, facts: dict) -> tuple:
        """The kept inputs with their rows. Rows compare as model values (values.py: `true`
        is not 1, Decimal("1.0") == 1), as every engine compares them: such rows give the
        same answers."""
        return tuple(sorted((name, self.freeze[name](facts.get(name)))
                            for name in self._kept(unit, facts)))

    def _kept(self, unit: tuple, facts: dict) -> set:
        """The inputs that can matter to `unit` given `facts` (see the module docstring)."""
        kept, seen, todo = set(), set(), [unit]
        if unit[0] in self.inputs:
            kept.add(unit[0])
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
        return kept

    def _bodies(self, pattern: tuple) -> list:
        """(killing checks, inputs, derived patterns) of each rule instance that can conclude
        `pattern`, worked out once per policy."""
        if pattern not in self.bodies:
            name, args = pattern
            self.bodies[pattern] = [self._compiled(self._premises(rule, binding))
                                    for rule in self.rules.get(name, ())
                                    for binding in self._solutions(rule, args)]
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

    def _solutions(self, rule, args: tuple) -> list:
        """The bindings of the rule's variables, once per solution of its static premises,
        under which its head can match `args` (None matches anything)."""
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
        return [{**binding, **solution} for solution in solutions
                if not any(name in binding and _different(binding[name], value)
                           for name, value in solution.items())]

    def _premises(self, rule, binding: dict) -> tuple:
        """The rule's premises as (predicate, argument pattern, negated) under `binding`."""
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


class _Cone:
    """The inputs some units can read at all, and the numbers their facts were given."""

    def __init__(self, names: tuple, units: list, inputs_read: list):
        self.units = units  # indexes into SituationKeys.units, side by side
        self.seen = {}  # facts of these inputs -> the units' key numbers
        positions = [inputs_read.index(name) for name in names]
        self.facts_of = operator.itemgetter(*positions) if positions else lambda given: ()


class AllFacts:
    """Keys for a policy whose evaluation could fail: one unit, keyed by all the facts.

    Same interface as SituationKeys, so the batch has one way of working.
    """

    def __init__(self, goals: list, predicates):
        self.goal_predicates = [name for name in goals if name in predicates]
        self.numbers = _Numbers()

    def key(self, facts: dict) -> tuple:
        return tuple(sorted((name, tuple(sorted(map(repr, rows)))) for name, rows in facts.items()))

    def signature(self, facts: dict) -> tuple:
        return (self.numbers.of(self.key(facts)),)

    def answer(self, index: int, result):
        if isinstance(result, Failed):
            return result
        return tuple(tuple((name, frozenset(model.get(name, ()))) for name in self.goal_predicates)
                     for model in result)

    def models(self, answers: tuple) -> tuple:
        return tuple({name: set(rows) for name, rows in model} for model in answers[0])


class _Numbers:
    """A number per distinct key. Numbers are never reused: when the table is full it is
    cleared, and a key seen again gets a new number (sharing is lost, never confused)."""

    def __init__(self):
        self.table, self.counter = {}, itertools.count()

    def of(self, key) -> int:
        number = self.table.get(key)
        if number is None:
            if len(self.table) >= CACHE_SIZE:
                self.table.clear()
            number = self.table[key] = next(self.counter)
        return number


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


def _frozen_model(rows):
    return None if rows is None else frozenset(map(model_row, rows))


def _untyped(declaration) -> bool:
    return declaration is None or any(p.type.name == "any" for p in declaration.params)


def _same(a, b) -> bool:
    return same(a, b)


def _different(a, b) -> bool:
    return not same(a, b)


def _all_same(args: tuple, row: tuple) -> bool:
    return all(_same(a, v) for a, v in zip(args, row))


def _may_match(args: tuple, row: tuple) -> bool:
    return not any(a is not None and _different(a, v) for a, v in zip(args, row))
