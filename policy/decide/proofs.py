"""Why, why not: proof trees and failed conditions, rebuilt from the evaluated model.

A proof is found by matching rule bodies against the model pyDatalog computed
(matching.py), never by deriving anything anew. To keep proofs finite and
small, every derived fact gets a rank: 0 for facts given or written in the
policy, else one more than the highest-ranked premise of its best rule
instance. A proof of a fact only uses premises of lower rank, so recursion
cannot make it endless, and the proof shown is one of least depth.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from policy.lang import ast
from policy.decide.matching import (Model, ground, literal_solutions, solutions, unify,
                                    unsettled)
from policy.analysis.cache import analysis
from policy.analysis.graph import dependency_graph, is_recursive, strongly_connected
from policy.analysis.safety import order_body

HOLDS, FALSE, UNKNOWN, FAILS_BELOW = "holds", "false", "unknown", "fails below"
BRANCHING = 20  # solutions tried per condition when looking for the closest miss
SEARCH_BUDGET = 2000  # conditions tried per rule, so that why-not stays fast


@dataclass
class Proof:
    """A node of a proof tree."""

    kind: str  # derived, input, policy_fact, absent, comparison, aggregate
    literal: object  # the ast literal or atom it proves
    row: tuple = ()
    rule: ast.Rule = None
    bindings: dict = field(default_factory=dict)
    children: list = field(default_factory=list)
    other_proofs: int = 0
    alternatives: list = field(default_factory=list)  # other proofs of the same fact (--all-proofs)
    line: int = 0  # for input facts: the line of the applicant file
    value: object = None  # for aggregates: the value computed


@dataclass
class Condition:
    """One condition of a rule that could conclude the fact, and whether it holds."""

    literal: object
    status: str  # holds, false, unknown, fails below
    bindings: dict
    below: list = field(default_factory=list)  # RuleAttempts, for "fails below"
    proof: Proof = None  # for holding conditions, when asked


@dataclass
class RuleAttempt:
    """One rule tried for an atom that fails: the rule and how each of its conditions fared."""

    rule: ast.Rule
    conditions: list


class Explainer:
    """Proofs and failed conditions over a certain and a possible model."""

    def __init__(self, compiled, certain: dict, possible: dict, applicant=None):
        self.program = compiled.program
        converted = _converted_rows(compiled)
        self.certain = Model.from_python(certain, converted)
        self.possible = Model.from_python(possible, converted)
        # With unknown facts, `not p` holds for certain only when p is not even possible,
        # and possibly when p is not certain.
        self.certain.opposite, self.possible.opposite = self.possible, self.certain
        self.applicant = applicant
        self.derived = self.program.derived_predicates
        self.ranks = self._rank_facts()

    # -- ranks ----------------------------------------------------------
    def _rank_facts(self) -> dict:
        """Each fact's rank; on the way, every rule instance of the model, by the fact it concludes."""
        ranks = {}
        for name, rows in self.certain.rows.items():
            if name not in self.derived:
                ranks.update({(name, row): 0 for row in rows})
        ranks.update(_policy_facts(self.program))
        self.instances = {}  # (predicate, row) -> [(rule, bindings)]
        for rules, recursive in _rule_strata(self.program):
            found = [(rule, bindings, row) for rule in rules
                     for bindings, row in self._rule_solutions(rule)]
            changed = True
            while changed:
                changed = False
                for rule, bindings, row in found:
                    premises = self._premise_ranks(rule, bindings, ranks)
                    if None in premises:
                        continue
                    rank = 1 + max(premises, default=0)
                    if rank < ranks.get((rule.head.predicate, row), float("inf")):
                        ranks[(rule.head.predicate, row)] = rank
                        changed = True
                changed &= recursive  # one pass settles a stratum without recursion
        return ranks

    def _rule_solutions(self, rule: ast.Rule):
        """(bindings, head row) for every way the rule's body holds in the certain model."""
        seen = set()
        for bindings in solutions(rule.body, {}, self.certain, rule.head):
            row = ground(rule.head, bindings)
            key = (row, tuple(sorted(bindings.items())))
            if row is None or key in seen or not self.certain.holds(rule.head.predicate, row):
                continue
            seen.add(key)
            self.instances.setdefault((rule.head.predicate, row), []).append((rule, bindings))
            yield bindings, row

    def _premise_ranks(self, rule: ast.Rule, bindings: dict, ranks: dict) -> list:
        """The rank of each positive premise (the least over rows an anonymous one matches)."""
        found = []
        for atom in _positive(rule):
            row = ground(atom, bindings)
            if row is not None:
                found.append(ranks.get((atom.predicate, row)))
                continue
            known = [ranks.get((atom.predicate, ground(atom, m))) for m in self.certain.matches(atom, bindings)]
            known = [rank for rank in known if rank is not None]
            found.append(min(known) if known else None)
        return found

    # -- why --------------------------------------------------------------
    def why(self, predicate: str, row: tuple, all_proofs: bool = False) -> list:
        """The proofs of a fact of the certain model: the smallest first (all with all_proofs)."""
        instances = self.instances_of(predicate, row)
        if not instances and predicate in self.derived:
            return [self._cases(predicate, row)]
        if not instances:
            return [self._leaf(ast.Atom(predicate, tuple(ast.Constant(v, None) for v in row), None), row)]
        shown = instances if all_proofs else instances[:1]
        self.all_proofs = all_proofs
        proofs = [self._derived_proof(predicate, row, rule, bindings) for _, rule, bindings in shown]
        if not all_proofs:
            proofs[0].other_proofs = len(instances) - 1
        return proofs

    def _cases(self, predicate: str, row: tuple) -> Proof:
        """A fact that holds in every completion although no one rule instance does: one
        rule or another concludes it, whichever way the unknown facts turn out. Each rule
        instance possible is shown with its conditions (kind `condition`)."""
        atom = ast.Atom(predicate, tuple(ast.Constant(v, None) for v in row), None)
        proof = Proof("cases", atom, row)
        for rule in self.program.rules_by_head.get(predicate, ()):
            start = unify(rule.head, row, {})
            if start is None or rule.is_fact:
                continue
            for bindings in solutions(rule.body, start, self.possible, rule.head):
                case = Proof("derived", rule.head, row, rule, bindings)
                case.children = [Proof("condition", literal, bindings=bindings)
                                 for literal in order_body(rule.head, rule.body).literals]
                proof.children.append(case)
                break
        return proof

    def _nested(self, predicate: str, row: tuple) -> Proof:
        """A premise's proof: its smallest, with the count of the others, or with --all-proofs
        the others too (`alternatives`): those whose premises all rank below the fact, so
        that every nested level falls in rank and no proof is endless."""
        instances = self.instances_of(predicate, row)
        first = self._derived_proof(predicate, row, instances[0][1], instances[0][2])
        if not getattr(self, "all_proofs", False):
            first.other_proofs = len(instances) - 1
            return first
        own = self.ranks.get((predicate, row))
        for _, rule, bindings in instances[1:]:
            premises = self._premise_ranks(rule, bindings, self.ranks)
            if all(rank < own for rank in premises):
                first.alternatives.append(self._derived_proof(predicate, row, rule, bindings))
            else:
                first.other_proofs += 1
        return first

    def instances_of(self, predicate: str, row: tuple) -> list:
        """(rank, rule, bindings) of every rule instance concluding the fact, smallest first.

        The first has the fact's own rank, so its premises have lower ranks; the
        premises of the others are proved by their own smallest proofs, whose
        ranks fall at every level, so no proof is endless.
        """
        own = self.ranks.get((predicate, row))
        if own is None or own == 0 and predicate not in self.derived:
            return []
        found = []
        for rule, bindings in self.instances.get((predicate, row), ()):
            premises = self._premise_ranks(rule, bindings, self.ranks)
            if None not in premises:
                found.append((1 + max(premises, default=0), rule, bindings))
        return sorted(found, key=lambda item: (item[0], item[1].span.file, item[1].span.line,
                                               repr(sorted(item[2].items()))))

    def _derived_proof(self, predicate: str, row: tuple, rule: ast.Rule, bindings: dict) -> Proof:
        proof = Proof("derived", rule.head, row, rule, bindings)
        for literal in order_body(rule.head, rule.body).literals:
            proof.children.append(self._literal_proof(literal, bindings))
        return proof

    def _literal_proof(self, literal, bindings: dict) -> Proof:
        if isinstance(literal, ast.Atom):
            row = ground(literal, bindings)
            if row is None:  # anonymous arguments: take a matching row
                row = ground(literal, next(self.certain.matches(literal, bindings)))
            if literal.predicate in self.derived and self.instances_of(literal.predicate, row):
                return self._nested(literal.predicate, row)
            if literal.predicate in self.derived and row not in self.certain.rows.get(
                    literal.predicate, ()):
                return Proof("condition", literal, bindings=bindings)
            if literal.predicate in self.derived:
                return self._cases(literal.predicate, row)
            return self._leaf(literal, row)
        if isinstance(literal, ast.Negation):
            line = self.applicant.lines.get(literal.atom.predicate, 0) if self.applicant else 0
            return Proof("absent", literal.atom, ground(literal.atom, bindings) or (),
                         bindings=bindings, line=line)
        if isinstance(literal.right, ast.Aggregate):
            return self._aggregate_proof(literal, bindings)
        return Proof("comparison", literal, bindings=bindings)

    def _leaf(self, atom: ast.Atom, row: tuple) -> Proof:
        line = 0
        if self.applicant is not None and atom.predicate in self.applicant.lines:
            line = self.applicant.lines[atom.predicate]
        kind = "input" if atom.predicate in self.program.inputs else "policy_fact"
        rule = next((r for r in self.program.rules_by_head.get(atom.predicate, ())
                     if r.is_fact and ground(r.head, {}) == row), None)
        return Proof(kind, atom, row, rule, line=line)

    def _aggregate_proof(self, literal: ast.Comparison, bindings: dict) -> Proof:
        proof = Proof("aggregate", literal, bindings=bindings, value=bindings.get(literal.left.name))
        for inner in literal.right.body:
            if isinstance(inner, ast.Atom):
                for match in self.certain.matches(inner, bindings):
                    proof.children.append(self._leaf(inner, ground(inner, match)))
        return proof

    # -- why not ------------------------------------------------------------
    def why_not(self, predicate: str, row: tuple, depth: int = 2) -> list:
        """For each rule that could conclude the fact, its conditions and which fail."""
        attempts = []
        for rule in self.program.rules_by_head.get(predicate, ()):
            start = unify(rule.head, row, {}, partial=True)
            if start is None:
                continue
            attempts.append(RuleAttempt(rule, self._conditions(rule, start, depth)))
        return attempts

    def _conditions(self, rule: ast.Rule, bindings: dict, depth: int) -> list:
        """The rule's conditions under the bindings that leave the fewest of them failing."""
        literals = order_body(rule.head, rule.body, frozenset(bindings)).literals
        self._budget = SEARCH_BUDGET
        return self._best(literals, 0, bindings, depth)

    def _best(self, literals: list, index: int, bindings: dict, depth: int,
              uncertain: frozenset = frozenset()) -> list:
        """`uncertain`: the variables bound by a condition that does not hold for certain
        (an unknown fact's value, one of several it can take): a comparison of one holds
        or fails only for that value, so it is unknown."""
        if index == len(literals):
            return []
        literal = literals[index]
        self._budget -= 1
        if _reads(literal, uncertain):
            possible = next(literal_solutions(literal, bindings, self.possible), bindings)
            # its variables' values are one completion's, not the applicant's: not shown
            known = {name: value for name, value in bindings.items() if name not in uncertain}
            return [Condition(literal, UNKNOWN, known)] + self._best(
                literals, index + 1, possible, depth, uncertain | (set(possible) - set(bindings)))
        choices = [found for found in islice(literal_solutions(literal, bindings, self.certain),
                                             BRANCHING) if not unsettled(literal, found)]
        if choices:
            best = None
            for found in choices if self._budget > 0 else choices[:1]:
                rest = self._best(literals, index + 1, found, depth, uncertain)
                if best is None or _failures(rest) < _failures(best[1]):
                    best = (found, rest)
                if _failures(rest) == 0:
                    break
            return [Condition(literal, HOLDS, best[0])] + best[1]
        status, below = self._failure(literal, bindings, depth)
        possible = next(literal_solutions(literal, bindings, self.possible), bindings)
        return [Condition(literal, status, bindings, below)] + self._best(
            literals, index + 1, possible, depth, uncertain | (set(possible) - set(bindings)))

    def _failure(self, literal, bindings: dict, depth: int) -> tuple:
        """Why a literal does not hold for certain: false, unknown or fails below."""
        if next(literal_solutions(literal, bindings, self.possible), None) is not None \
                or unsettled(literal, bindings):
            return UNKNOWN, []
        atom = literal if isinstance(literal, ast.Atom) else None
        if atom is not None and atom.predicate in self.derived and depth > 1:
            row = ground(atom, bindings)
            if row is not None:
                return FAILS_BELOW, self.why_not(atom.predicate, row, depth - 1)
        if atom is not None and atom.predicate in self.derived:
            return FAILS_BELOW, []
        return FALSE, []


def _reads(literal, variables: frozenset) -> bool:
    """Whether a comparison reads one of `variables`."""
    if not variables or not isinstance(literal, ast.Comparison):
        return False
    names = {v.name for v in ast.expr_variables(literal.left) + ast.expr_variables(literal.right)}
    return not names.isdisjoint(variables)


@analysis
def _converted_rows(compiled) -> dict:
    """Rows already converted to engine values (Model.from_python), shared by every explanation."""
    return {}


@analysis
def _policy_facts(program) -> dict:
    """{(predicate, row): 0} for the facts the policy itself states."""
    return {(rule.head.predicate, ground(rule.head, {})): 0 for rule in program.rules if rule.is_fact}


@analysis
def _rule_strata(program) -> list:
    """[(rules, recursive)] per strongly connected group of predicates, dependencies first."""
    graph = dependency_graph(program)
    strata = []
    for component in strongly_connected(graph):  # Tarjan: dependencies come first
        rules = [r for name in sorted(component) for r in program.rules_by_head.get(name, ())
                 if not r.is_fact]
        if rules:
            strata.append((rules, is_recursive(component, graph)))
    return strata


def _failures(conditions: list) -> int:
    return sum(condition.status != HOLDS for condition in conditions)


def _positive(rule: ast.Rule) -> list:
    return [literal for literal in rule.body if isinstance(literal, ast.Atom)]
