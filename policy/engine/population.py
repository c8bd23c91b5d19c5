"""Many situations (applicants' facts, some unknown) in one set-at-a-time evaluation.

`evaluate_situations` gives what `CompiledPolicy.evaluate_with_unknowns` gives
for each situation, (certain model, possible model), but evaluates the
certain/possible program lifted by a situation key (lifted.py) once on DuckDB
for the whole list. A situation whose facts are wrong, or that meets a limit,
gets a `Failed` with the message its own evaluation would have given: when
the joint evaluation fails, each situation is evaluated on its own to find out.
"""
from __future__ import annotations

from dataclasses import replace

from policy.engine.lifted import SITUATION, lift, lifted_predicates, split_model
from policy.engine.three_valued import CERTAIN, POSSIBLE, three_valued
from policy.errors import Failed, PolicyError
from policy.inputs.facts import engine_facts
from policy.engine.budget import FactLimit
from policy.limits import check_fact_count, current, fact_limit_error, restore, using


class LiftedProgram:
    """The certain/possible program of a policy, lifted by the situation key, on DuckDB."""

    def __init__(self, compiled, given: frozenset):
        """`given`: the predicates the situations give facts for (the declared inputs)."""
        from policy.engine.duckdb_seam import DuckEngine  # only population work needs DuckDB

        self.compiled = compiled
        dual = three_valued(compiled.lowered)
        inputs = {prefix + name for prefix in (CERTAIN, POSSIBLE) for name in given}
        self.lifted = lifted_predicates(dual, inputs)
        program = lift(dual, inputs)
        static = frozenset(name for name in program.arities if name not in self.lifted) - {SITUATION}
        static |= {a.function for a in program.aggregates if a.function not in self.lifted}
        self.engine = DuckEngine(program, static)

    def facts(self, situations: list) -> dict:
        """The block's facts, each row keyed by its situation's number."""
        facts = {SITUATION: {(number,) for number in range(len(situations))}}
        for number, (known, extra) in enumerate(situations):
            for name in set(known) | set(extra):
                given = known.get(name, set())
                for prefix, rows in ((CERTAIN, given), (POSSIBLE, given | extra.get(name, set()))):
                    facts.setdefault(prefix + name, set()).update((number,) + row for row in rows)
        return facts

    def evaluate(self, situations: list, predicates: list, max_facts: int) -> list:
        """[(certain, possible) or Failed] for the situations ([(known, extra)] in engine
        values); a situation whose model holds more than `max_facts` facts fails alone."""
        names = [prefix + name for prefix in (CERTAIN, POSSIBLE) for name in predicates]
        try:
            model = self.engine.evaluate(self.facts(situations), names)
        except FactLimit as stopped:
            raise fact_limit_error(stopped.count) from None
        results = []
        for one in split_model(model, self.lifted, list(range(len(situations)))):
            try:
                check_fact_count(sum(len(rows) for rows in one.values()), max_facts)
            except PolicyError as problem:
                results.append(Failed(problem.message))
                continue
            results.append(tuple({name: one[prefix + name] for name in predicates}
                                 for prefix in (CERTAIN, POSSIBLE)))  # Python values already
        return results


def lifted_program(compiled, situations: list) -> LiftedProgram:
    """The compiled policy's lifted program for situations giving facts for the inputs (or,
    rarely, other predicates too), built on first use."""
    given = frozenset(compiled.program.inputs).union(
        *(set(known) | set(extra) for known, extra in situations))
    programs = compiled.analyses.setdefault("lifted_programs", {})
    if given not in programs:
        programs[given] = LiftedProgram(compiled, given)
    return programs[given]


def evaluate_situations(compiled, situations: list, predicates: list) -> list:
    """(certain, possible) or Failed for each situation ([(known facts, possible facts)])."""
    checked, results = [], [None] * len(situations)
    for index, (known, possible) in enumerate(situations):
        try:
            checked.append((index, (engine_facts(compiled, known), engine_facts(compiled, possible))))
        except PolicyError as problem:
            results[index] = Failed(problem.message)
    if not checked:
        return results
    program = lifted_program(compiled, [facts for _, facts in checked])
    limit = current().max_facts
    token = using(replace(current(), max_facts=limit * len(checked)))  # the whole block's
    try:
        models = program.evaluate([facts for _, facts in checked], predicates, limit)
    except PolicyError:
        models = None  # find the situation that fails: each on its own
    finally:
        restore(token)
    if models is None:
        models = [_alone(program, facts, predicates, limit) for _, facts in checked]
    for (index, _), model in zip(checked, models):
        results[index] = model
    return results


def _alone(program: LiftedProgram, facts: tuple, predicates: list, limit: int):
    try:
        return program.evaluate([facts], predicates, limit)[0]
    except PolicyError as problem:
        return Failed(problem.message)
