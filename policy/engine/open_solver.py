"""The exact check of formulas with open conditions, by an SMT solver (z3).

Open conditions (open_conditions.py) are free decision variables: alone, each can be
true or false, which is right for one condition (its bounds did not settle it) but
not for several on the same values (`A + L > 100` and `A + L < 50` cannot both hold).
Here a formula of the decision diagrams is asked exactly: its diagram becomes a z3
formula over the same variables, each candidate variable of an unknown number, date or
string is tied to the fact's value (`lo < age < hi`), and each open condition to what
it means (`age + limit > 100`). z3 decides linear arithmetic over integers and reals and
strings with their order; where it cannot answer (non-linear arithmetic it gives up
on), the answer is None and callers keep the sound one. This module is the only
importer of z3, imported on the first formula that needs it.
"""
from __future__ import annotations

import atexit
import functools
from decimal import Decimal

from policy.engine.open_repair import tied_range
from policy.engine.open_kept import KeptWitnesses
from policy.engine.open_refute import known_bounds, refuted, spans
from policy.engine.open_witness import (KnownPaths, condition_value, paths, plain_value,
                                        regions_by_fact, witness, witnessed)
from policy.values import Day

TIMEOUT_MS = 2000  # one check; past it the answer is None (the sound answer stands)
MAX_TERMS = 200_000  # z3 terms remembered per manager before starting afresh
_TERMS = {}  # id(manager) -> {key: z3 term}
# emptied before the interpreter tears modules down: the keys hold diagram nodes, and a
# manager still holding referenced nodes at its end complains ("Still 1 nodes referenced")
atexit.register(_TERMS.clear)


@functools.lru_cache(maxsize=None)
def _z3():
    import z3

    return z3


@functools.lru_cache(maxsize=None)
def _tactic():
    """The solver's tactic, made once (making it costs more than most simple checks)."""
    return _z3().Then("simplify", "propagate-values", "solve-eqs", "smt")


class OpenSolver:
    """Checks formulas of one manager whose support has open conditions.

    `candidates`: {candidate variable: (fact, value, Stands or None)} of the unknown
    single-valued open facts; `meanings`: {condition variable: (op, left, right)}."""

    def __init__(self, bdd, candidates: dict, meanings: dict, rows=None):
        self.bdd, self.candidates, self.meanings = bdd, candidates, meanings
        # a list's symbolic rows (decide/list_rows.py): {row value name: (fact, its
        # representative, Stands, presence variable, its region's rows in presence order)}
        self.rows = rows or {}
        self._fixed = {name: row[1] for name, row in self.rows.items()}
        self._values = {}  # (fact, copy) -> z3 variable
        self._answers = {}  # diagram node -> satisfiable
        self._within = {}  # (node, fact, bounds, inside) -> satisfiable_within's answer
        self._kept = KeptWitnesses(self.meanings)  # satisfiable_within's witnesses, reused
        self._paths = KnownPaths(bdd)  # and the paths of the formulas it asks
        self._by_fact = None  # the witness search's view of the candidates (_regions)
        self._bounds = None  # and the refutation's (_spans)
        # strings as their places among the strings the checks name, when that is exact
        # (string_places): z3's theory of strings gave up on a few orderings of a list's
        # rows (2 s each, its time limit), where reals answer in a millisecond
        self._places = string_places(candidates, self.meanings, self.rows)
        # z3 terms are made once (making one costs more than most checks): per manager
        # (and way of writing strings) for diagram nodes, per region and per meaning for
        # the ties
        places_key = None if self._places is None else tuple(sorted(self._places.items()))
        self._memo = _TERMS.setdefault((id(bdd), places_key), {})
        if len(self._memo) > MAX_TERMS:
            self._memo.clear()

    def _spans(self) -> dict:
        """open_refute.spans of the candidates, made once."""
        if self._bounds is None:
            self._bounds = spans(self.candidates, plain_value)
        return self._bounds

    def _regions(self) -> dict:
        """open_witness.regions_by_fact of the candidates, made once."""
        if self._by_fact is None:
            self._by_fact = regions_by_fact(self.candidates)
        return self._by_fact

    @property
    def z3(self):
        """z3, imported by the first check the witness search leaves to it (most
        explanations need none: z3's import alone is about a tenth of a second)."""
        return _z3()

    def satisfiable(self, formula):
        """Whether some completion satisfies `formula` (None when z3 cannot tell)."""
        if formula in self._answers:
            return self._answers[formula]
        if witnessed(self.bdd, formula, self.candidates, self.meanings, self._fixed,
                     self._regions()):
            self._answers[formula] = True
            return True
        if refuted(paths(self.bdd, formula), self._spans(), self.meanings, condition_value):
            self._answers[formula] = False
            return False
        solver = self._holding(formula)
        found = self._answers[formula] = _answer(self.z3, solver.check())
        return found

    def satisfiable_within(self, formula, fact: str, bounds: tuple, inside=()):
        """Whether some completion satisfies `formula` with the value of the unknown `fact`
        within `bounds` ((operator, value) comparisons that all hold): a part of one of
        its regions, whose candidate the formula was already given (None when z3 cannot
        tell). A witness is looked for first with the fact at the values `inside` the
        part. Remembered per formula and part: "Decided by" asks the same formula of one
        part for each of a region's two candidates (about a third of its checks)."""
        key = (formula, fact, bounds, tuple(inside))
        if key not in self._within:
            self._within[key] = self._within_part(formula, fact, bounds, inside)
        return self._within[key]

    def _within_part(self, formula, fact: str, bounds: tuple, inside):
        whole = any(span[0] == fact and span[3] for span in self._spans().values())
        if self._kept.moved_into(formula, fact, bounds, inside, whole):
            return True
        others = {name: regions for name, regions in self._regions().items() if name != fact}
        for value in inside:
            at_value = {**others, fact: [("", plain_value(value), None)]}
            found = witness(self.bdd, formula, None, self.meanings, by_fact=at_value,
                            cubes=self._paths(formula))
            if found is not None:
                self._kept.keep(formula, fact, found)
                return True
        known = {fact: known_bounds(bounds, whole, plain_value)}
        if refuted(self._paths(formula), self._spans(), self.meanings, condition_value,
                   known):
            return False
        z3 = self.z3
        solver = self._holding(formula)
        value = self._value(fact, bounds[0][1] if bounds else None, "")  # z3: the same by name
        for op, bound in bounds:
            limit = self._constant(bound)
            solver.add({"<": value < limit, "<=": value <= limit, ">": value > limit,
                        ">=": value >= limit, "=": value == limit}[op])
        return _answer(z3, solver.check())

    def differs(self, fact_variables: set, formulas: list, constraint):
        """Whether two completions that differ only in the variables of one fact (its
        candidates and the open conditions it owns) disagree on a formula."""
        z3 = self.z3
        support = set(self.bdd.support(constraint))
        for formula in formulas:
            support |= self.bdd.support(formula)
        solver = self._solver()
        fact = {self.candidates[v][0] for v in fact_variables if v in self.candidates}
        owners = {row[0] for row in self.rows.values() if row[3] in fact_variables}
        fact |= {name for name, row in self.rows.items() if row[0] in owners}
        solver.add(self._formula(constraint, ""), self._formula(constraint, "'", fact_variables))
        solver.add(*self._ties(support, ""), *self._ties(support, "'", fact_variables, fact))
        solver.add(*self._row_ties(support, ""),
                   *self._row_ties(support, "'", fact_variables, fact))
        solver.add(z3.Or(*[self._formula(f, "") != self._formula(f, "'", fact_variables)
                           for f in formulas]))
        return _answer(z3, solver.check())

    def _holding(self, formula):
        """A solver holding `formula` and the ties of its variables to what they mean."""
        solver = self._solver()
        support = self.bdd.support(formula)
        solver.add(self._formula(formula, ""))
        solver.add(*self._ties(support, ""), *self._row_ties(support, ""))
        return solver

    def _row_ties(self, variables, copy: str, copied=frozenset(), facts=frozenset()):
        """For each list row whose value a condition of `variables` reads: every row of its
        region within the region, and each present row past the one before it in the
        order of their representatives (different strings for strings). A region's
        rows are present as a prefix (decide/domains.candidate_facts), so a set of at
        most k values of the region is one assignment (decide/list_rows.py)."""
        if not self.rows:
            return []
        read = set()
        for variable in variables:
            meaning = self.meanings.get(variable)
            if meaning is not None:
                _facts_in(meaning[1], read)
                _facts_in(meaning[2], read)
        chains = {self.rows[name][4] for name in read if name in self.rows}
        if copy:
            chains = {chain for chain in chains if chain[0] in facts}
        ties = []
        for chain in chains:
            key = ("rows", chain, copy, frozenset(copied), frozenset(facts))
            found = self._memo.get(key)
            if found is None:
                found = self._memo[key] = self._chain_ties(chain, copy, copied, facts)
            ties.extend(found)
        return ties

    def _chain_ties(self, chain: tuple, copy: str, copied, facts) -> list:
        z3, ties, before, prefix = self.z3, [], [], []
        for name in chain:
            _, rep, stands, presence, _ = self.rows[name]
            mine = copy if name in facts else ""
            value = self._value(name, rep, mine)
            ties.append(self._region(name, rep, stands, mine))
            prefix.append(self._bool(presence + copy if presence in copied else presence))
            present = z3.And(*prefix)  # copy i is there when the variables of 1..i hold
            if before and stands.ordered:
                last_name, last_rep = before[-1]
                last = self._value(last_name, last_rep, mine)
                ties.append(z3.Implies(present, last < value if _key(last_rep) < _key(rep)
                                       else last > value))
            elif before:
                ties.append(z3.Implies(present, z3.And(*[
                    self._value(n, r, mine) != value for n, r in before])))
            before.append((name, rep))
        return ties

    def _solver(self):
        """A solver that first simplifies: the diagrams' if-then-else chains over the
        candidates mostly fold away (measured 7 ms instead of 480 ms for z3's default
        solver on a two-copy check of a small policy)."""
        solver = _tactic().solver()
        solver.set("timeout", TIMEOUT_MS)
        return solver

    # -- the diagram as a z3 formula ---------------------------------------------
    def _formula(self, node, copy: str, copied=frozenset()):
        z3, true, false = self.z3, self.bdd.true, self.bdd.false
        memo = self._memo.setdefault((copy, frozenset(copied)), {})
        if len(memo) > MAX_TERMS:
            memo.clear()

        context = z3.main_ctx()
        yes, no = z3.BoolVal(True), z3.BoolVal(False)

        def walk(u):
            if u == true:
                return yes
            if u == false:
                return no
            found = memo.get(u)
            if found is None:
                # dd.cudd's low/high are the children of the *regular* node (CUDD's
                # Cudd_E/Cudd_T drop the complement), so a complemented edge's children
                # are the regular node's, negated
                if u.negated:
                    regular = ~u
                    low, high = ~regular.low, ~regular.high
                else:
                    low, high = u.low, u.high
                name = u.var + copy if u.var in copied else u.var
                # z3's C API directly: z3.If checks sorts on every call (5x the time)
                test, then, other = self._bool(name), walk(high), walk(low)  # kept alive
                made = z3.Z3_mk_ite(context.ref(), test.as_ast(), then.as_ast(), other.as_ast())
                found = memo[u] = z3.BoolRef(made, context)
            return found
        return walk(node)

    def _ties(self, variables, copy: str, copied=frozenset(), facts=frozenset()):
        """Each candidate variable iff the fact's value is in its region; each open
        condition iff what it means. In a copy, the copied fact's value is its own."""
        z3, ties = self.z3, []
        for variable in variables:
            name = variable + copy if variable in copied else variable
            if copy and variable not in copied:
                continue
            if variable in self.candidates:
                fact, value, stands = self.candidates[variable]
                mine = copy if fact in facts else ""
                key = ("region", name, fact, value, stands, mine)
            elif variable in self.meanings:
                key = ("tie", variable, name, copy, frozenset(copied), frozenset(facts),
                       self.meanings[variable])
            else:
                continue
            tie = self._memo.get(key)
            if tie is None:
                tie = self._memo[key] = \
                    self._bool(name) == self._region(fact, value, stands, mine) \
                    if key[0] == "region" else self._tie(variable, name, copy, copied, facts)
            ties.append(tie)
        return ties

    def _tie(self, variable: str, name: str, copy: str, copied, facts):
        """The condition's variable iff what it means; the second variable of a pair's
        relation (p = "less") says "greater" when p is false (and nothing when true)."""
        z3 = self.z3
        meaning = self.meanings[variable]
        a, b = self._expr(meaning[1], copy, facts), self._expr(meaning[2], copy, facts)
        if meaning[0] == "more":
            if len(meaning) < 4:  # its pair's "less" not yet recorded: leave it free
                return z3.BoolVal(True)
            less = self._bool(meaning[3] + copy if meaning[3] in copied else meaning[3])
            return z3.Implies(z3.Not(less), self._bool(name) == (a > b))
        return self._bool(name) == {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
                                 "==": a == b, "!=": a != b}[meaning[0]]

    def _bool(self, name: str):
        """The z3 variable of a diagram variable, made once per manager: z3.Bool checks
        its arguments and makes a sort on every call (a third of a two-copy check)."""
        key = ("bool", name)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self.z3.Bool(name)
        return found

    def _region(self, fact: str, value, stands, copy: str):
        z3 = self.z3
        x = self._value(fact, value, copy)
        if stands is None:
            return x == self._constant(value)
        if not stands.ordered:
            return z3.And(*[x != self._constant(c) for c in stands.cuts]) \
                if stands.cuts else z3.BoolVal(True)
        point, lo, hi = tied_range(value, stands)
        if point is not None:
            return x == self._constant(point)
        parts = []
        if lo is not None:
            parts.append(x > self._constant(lo))
        if hi is not None:
            parts.append(x < self._constant(hi))
        return z3.And(*parts) if parts else z3.BoolVal(True)

    def _expr(self, expr: tuple, copy: str, facts):
        z3 = self.z3
        if expr[0] == "const":
            return self._constant(expr[1])
        if expr[0] == "fact":
            return self._value(expr[1], None, copy if expr[1] in facts else "")
        _, op, left, right = expr
        a, b = self._expr(left, copy, facts), self._expr(right, copy, facts)
        if op == "/":
            return z3.ToReal(a) / z3.ToReal(b) if a.is_int() and b.is_int() else a / b
        return {"+": a + b, "-": a - b, "*": a * b}[op]

    def _value(self, fact: str, value, copy: str):
        key = (fact, copy)
        found = self._values.get(key)
        if found is None:
            sort = self._sort(fact) if value is None else self._sort_of(value)
            found = self._values[key] = self.z3.Const(f"value:{fact}{copy}", sort)
        return found

    def _sort(self, fact: str):
        if fact in self.rows:
            return self._sort_of(self.rows[fact][1])
        for name, value, _ in self.candidates.values():
            if name == fact:
                return self._sort_of(value)
        raise KeyError(fact)


    def _sort_of(self, value):
        if isinstance(value, str):
            return self.z3.StringSort() if self._places is None else self.z3.RealSort()
        return _sort_of(self.z3, value)

    def _constant(self, value):
        if isinstance(value, str) and self._places is not None:
            return self.z3.RealVal(self._places[str(value)])
        return _constant(self.z3, value)


def string_places(candidates: dict, meanings: dict, rows: dict):
    """{string: its place among the strings the checks name} when strings can be checked
    as reals (each string named, a constant of the policy or the applicant, becomes its
    place in their lexicographic order; an unknown string any real), else None.

    That is exact when the checks only compare strings (=, !=, <, ...: no arithmetic on
    them) and infinitely many strings lie below the first named string and between any
    two: then every order of the unknown strings among the named ones that reals allow
    is one some strings take, and the other way round. Only a named string made of
    NUL characters (or empty), or one that is another followed by NULs, leaves finitely
    many: then z3's own strings decide."""
    strings, named = set(), set()
    for fact, value, stands in [c for c in candidates.values()] + [r[:3] for r in rows.values()]:
        if not isinstance(value, str):
            continue
        strings.add(fact)
        if stands is None:
            named.add(str(value))
        else:
            named.update(str(v) for v in (stands.lo, stands.hi, *stands.cuts)
                         if isinstance(v, str))
    strings.update(name for name, row in rows.items() if isinstance(row[1], str))
    for meaning in meanings.values():
        for side in meaning[1:3]:
            if side[0] == "const" and isinstance(side[1], str):
                named.add(str(side[1]))
            elif side[0] == "op" and (_facts_in(side, set()) & strings or _named(side)):
                return None  # arithmetic that reads a string: not an order alone
    ordered = sorted(named)
    if any(set(s) <= {"\0"} for s in ordered):
        return None
    if any(t.startswith(s) and set(t[len(s):]) <= {"\0"} for s, t in zip(ordered, ordered[1:])):
        return None
    return {s: place for place, s in enumerate(ordered)}


def _named(expr: tuple) -> bool:
    """Whether an expression holds a string constant."""
    if expr[0] == "const":
        return isinstance(expr[1], str)
    return expr[0] == "op" and (_named(expr[2]) or _named(expr[3]))


def _facts_in(expr: tuple, found: set) -> set:
    """The fact values an expression of a condition's meaning reads."""
    if expr[0] == "fact":
        found.add(expr[1])
    elif expr[0] == "op":
        _facts_in(expr[2], found)
        _facts_in(expr[3], found)
    return found


def _key(value):
    return value.ordinal if isinstance(value, Day) else value


def _sort_of(z3, value):
    if isinstance(value, str):
        return z3.StringSort()
    if isinstance(value, (Decimal, float)):
        return z3.RealSort()
    return z3.IntSort()


def _constant(z3, value):
    if isinstance(value, Day):
        return z3.IntVal(value.ordinal)
    if isinstance(value, str):
        return z3.StringVal(str(value))
    if isinstance(value, (Decimal, float)):
        return z3.RealVal(str(Decimal(repr(value)) if isinstance(value, float) else value))
    return z3.IntVal(int(value))


def _answer(z3, result):
    if result == z3.sat:
        return True
    if result == z3.unsat:
        return False
    return None
