"""Each procedure's status as a function of a row, compiled once per policy: a batch's table.

StatusTable (status_table.py) decides a procedure's status for a row by substituting the
row's facts into the procedure's diagrams and testing three conjunctions: BDD operations
for every row whose projection onto the procedure's facts is new, which on a population
drawn uniformly from the schema is nearly every row. Here the same decision is made once
per policy, for every row at once, by Shannon expansion over the facts the procedure can
depend on (its diagrams' support), in schema order. A fact's branches are its values
(false/true for a yes/no fact, each value of an enum) and "unknown". Three diagrams are
carried down the expansion:

  sure    holds in every completion of the unknowns so far iff the procedure applies
  barred  the same for blocked
  maybe   holds in some completion iff it applies or is blocked

Giving a fact a value substitutes it in all three; leaving it unknown quantifies its
variables under its constraint C: forall v. (C -> sure), forall v. (C -> barred), and
exists v. (C & maybe). The constraints of distinct facts are over disjoint variables and
each is satisfiable, so substituting and quantifying fact by fact is the same as
substituting every given fact first and quantifying the rest at once: exactly the test
StatusTable makes. Nodes are memoized on the triple, so a procedure's diagram has one
node per distinct triple. A row is then a walk through plain tables (no BDD work), which
`StatusDiagrams.codes` does for a whole block of rows at once with numpy.

Only rows whose every fact is unknown or one single value of its declaration are walked
here (a CSV cell, a JSONL scalar); any other row (a list of values for a many-valued
fact) is StatusTable's.
"""
from __future__ import annotations

import threading

import numpy

from policy.analysis.cache import analysis
from policy.decide.completions import APPLIES, BLOCKED, NOT_APPLICABLE, UNDETERMINED
from policy.decide.domains import constraint
from policy.decide.status_table import StatusTable
from policy.errors import PolicyError
from policy.limits import current

STATUSES = (APPLIES, BLOCKED, NOT_APPLICABLE, UNDETERMINED)  # leaf i is STATUSES[i]
MAX_NODES = 200_000  # per procedure: past it the policy keeps StatusTable's way


class TooLarge(Exception):
    """A procedure's diagram would pass MAX_NODES."""


class StatusDiagrams:
    """Every procedure's compiled status diagram, for rows given as branch codes.

    `branches[name]` maps a fact's given rows (frozenset, as MappingReader gives) to its
    branch code; the last code of each fact, `unknown[name]`, is "not given". A block of
    rows is an int array of shape (facts, rows), a row per column, facts in schema order.
    """

    def __init__(self, table):
        bdd, domains = table.bdd, table.symbolic.domains
        self.names = list(domains)
        self.branches, self.unknown = {}, {}
        for name, domain in domains.items():
            self.branches[name] = _branches(domain)
            self.unknown[name] = len(self.branches[name])
        self.procedures = [pid for pid, _, _, _ in table.procedures]
        self.levels = []  # per procedure: [(fact index, table (nodes, branches) -> next)]
        for _, names, applies, blocked in table.procedures:
            self.levels.append(_Compiler(bdd, domains, names, self.branches).levels(
                applies, blocked))

    @classmethod
    def of(cls, compiled):
        """The policy's diagrams, or None when it has no StatusTable (an open-typed fact) or
        a procedure's diagram would be too large (then StatusTable decides each row)."""
        return _diagrams(compiled, cls, StatusTable, threading.get_ident(),
                         current().max_facts)

    def codes(self, block) -> numpy.ndarray:
        """Status codes (index into STATUSES), shape (procedures, rows), of a block of rows
        given as branch codes, shape (facts, rows)."""
        found = numpy.empty((len(self.levels), block.shape[1]), dtype=numpy.int8)
        for number, levels in enumerate(self.levels):
            node = numpy.zeros(block.shape[1], dtype=numpy.intp)
            for fact, step in levels:
                node = step[node, block[fact]]
            found[number] = node
        return found

    def statuses(self, codes) -> dict:
        """{procedure: status} of one row given as a sequence of branch codes."""
        block = numpy.asarray(codes, dtype=numpy.intp).reshape(-1, 1)
        return {pid: STATUSES[code] for pid, code in zip(self.procedures, self.codes(block)[:, 0])}

    def row_codes(self, facts: dict):
        """The branch codes of a row given as {fact: rows}, or None when some fact is not
        one single value of its declaration."""
        found = []
        for name in self.names:
            rows = facts.get(name)
            code = self.unknown[name] if rows is None else self.branches[name].get(rows)
            if code is None:
                return None
            found.append(code)
        return found


def _branches(domain) -> dict:
    """{given rows: branch code} of one fact: a yes/no fact false (no row) or true; a valued
    fact each of its values (one row)."""
    if len(domain.candidates) == 1 and domain.candidates[0][0] == ():
        return {frozenset(): 0, frozenset({()}): 1}
    return {frozenset({row}): code for code, (row, _) in enumerate(domain.candidates)}


class _Compiler:
    """One procedure's diagram by Shannon expansion (module doc), memoized on the triple."""

    def __init__(self, bdd, domains: dict, names: tuple, branches: dict):
        self.bdd, self.names = bdd, names
        self.facts = list(domains)
        self.domains = {name: domains[name] for name in names}
        self.constraints = {name: constraint(domains[name], bdd) for name in names}
        self.substitutions = {name: [self._assignment(domains[name], rows)
                                     for rows in branches[name]] for name in names}
        self.widths = {name: len(found) + 1 for name, found in branches.items()}

    @staticmethod
    def _assignment(domain, rows) -> dict:
        return {variable: row in rows for row, variable in domain.candidates}

    def levels(self, applies, blocked) -> list:
        """[(fact index, table)] in schema order: table[node, branch] is the node at the next
        level (the last level's nodes are leaves, indexes into STATUSES)."""
        self.nodes = {}  # triple -> (level, children) or leaf code
        root = self._node((applies, blocked, applies | blocked))
        return self._tables(root)

    def _leaf(self, sure, barred, maybe):
        bdd = self.bdd
        if sure == bdd.true:
            return 0
        if sure == bdd.false:
            if barred == bdd.true:
                return 1
            if barred == bdd.false and maybe in (bdd.true, bdd.false):
                return 3 if maybe == bdd.true else 2
        return None

    def _node(self, triple):
        found = self.nodes.get(triple)
        if found is not None:
            return triple
        leaf = self._leaf(*triple)
        if leaf is not None:
            self.nodes[triple] = leaf
            return triple
        if len(self.nodes) >= MAX_NODES:
            raise TooLarge
        bdd = self.bdd
        support = set()
        for part in triple:
            support |= bdd.support(part)
        name = next(n for n in self.names if self.domains[n].variable_set & support)
        children = [self._node(tuple(bdd.let(values, part) for part in triple))
                    for values in self.substitutions[name]]
        variables, own = self.domains[name].variables, self.constraints[name]
        sure, barred, maybe = triple
        children.append(self._node((bdd.forall(variables, ~own | sure),
                                    bdd.forall(variables, ~own | barred),
                                    bdd.exist(variables, own & maybe))))
        self.nodes[triple] = (self.names.index(name), children)
        return triple

    def _tables(self, root) -> list:
        """The diagram as one table per fact of the support (pass-through where a node skips
        the fact), nodes renumbered per level."""
        frontier, levels = [root], []
        for level, name in enumerate(self.names):
            width = self.widths[name]
            after, after_index = [], {}
            table = numpy.empty((len(frontier), width), dtype=numpy.intp)
            for i, node in enumerate(frontier):
                found = self.nodes[node]
                if isinstance(found, tuple) and found[0] == level:
                    targets = found[1]
                else:  # a leaf, or a node deciding on a later fact: every branch the same
                    targets = [node] * width
                for branch, target in enumerate(targets):
                    if target not in after_index:
                        after_index[target] = len(after)
                        after.append(target)
                    table[i, branch] = after_index[target]
            levels.append((self.facts.index(name), table))
            frontier = after
        leaves = numpy.array([self.nodes[node] for node in frontier], dtype=numpy.intp)
        if levels:
            fact, table = levels[-1]
            levels[-1] = (fact, leaves[table])
        else:  # a status that reads no fact: any fact's code leads to the one leaf
            levels.append((0, numpy.full((1, self.widths[self.facts[0]]), leaves[0],
                                         dtype=numpy.intp)))
        return levels


@analysis
def _diagrams(compiled, cls, table_class, _thread, _max_facts):
    """StatusDiagrams.of, once per thread (the table's manager) and fact limit."""
    try:
        table = table_class.of(compiled)
    except PolicyError:
        return None
    if table is None:
        return None
    try:
        return cls(table)
    except TooLarge:
        return None
