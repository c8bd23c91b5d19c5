"""A checked, compiled policy and its `evaluate`.

`compile_program` runs every static check and refuses the program when one
finds an error, so what reaches pyDatalog is safe and stratified.
"""
from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from functools import cached_property

from policy.analysis.checks import check_program
from policy.engine.lowering import Lowered, lower_program
from policy.engine.three_valued import CERTAIN, POSSIBLE, three_valued
from policy.engine.instances import split_instances
from policy.engine.budget import FactLimit
from policy.engine.collection import held
from policy.engine import static_cache
from policy.inputs.facts import engine_facts
from policy.limits import check_fact_count, current, fact_limit_error
from policy.errors import (EvaluationError, PolicyCheckError, PolicyError, PolicySyntaxError,
                           error_at)
from policy.analysis.graph import dependency_graph, reachable
from policy.lang.program import Program
from policy.values import kind_names, to_engine, to_python


@dataclass
class CompiledPolicy:
    """A policy ready to evaluate; `warnings` are the check's non-fatal findings."""

    program: Program
    lowered: Lowered
    warnings: list = field(default_factory=list)
    # analysis.cache: what is worked out once about the policy (it never changes once compiled)
    analyses: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        self._engines = {}  # (three-valued?, facts only for inputs?) -> Engine

    @cached_property
    def _engine(self):
        """The pyDatalog engine of the plain program, built (and pyDatalog imported) on first
        use: a policy evaluated only on DuckDB, or decided from its lineage with its static
        facts cached (static_cache.py), never needs it."""
        from policy.engine.pydatalog_seam import Engine

        return Engine(self.lowered)

    @cached_property
    def static_predicates(self) -> frozenset:
        """Predicates that no input predicate reaches: the same for every applicant."""
        graph = dependency_graph(self.program)
        inputs = set(self.program.inputs)
        return frozenset(name for name in self.predicates if not reachable(graph, [name]) & inputs)

    @property
    def output_predicates(self) -> set:
        """What `eval` prints: predicates derived by rules, and those declared `derived`."""
        declared = {d.predicate for d in self.program.declarations if d.kind == "derived"}
        return (self.program.derived_predicates | declared) & set(self.predicates)

    @cached_property
    def pure_inputs(self) -> frozenset:
        """Inputs that only facts given at evaluation define: their answer is those facts."""
        return frozenset(name for name in self.program.inputs if name not in self.program.rules_by_head)

    @cached_property
    def static_model(self) -> dict:
        """The static predicates' facts, evaluated once."""
        return {name: _python_rows(rows) for name, rows in self._static_engine_model.items()}

    @cached_property
    def _static_engine_model(self) -> dict:
        """The static predicates' facts as the engine holds them (for unfolding); for a policy
        read from files, from the per-user cache when they were evaluated before."""
        limit = current().max_facts
        arities = {name: self.predicates[name] for name in self.static_predicates}
        model = static_cache.load(self.program, arities, limit)
        if model is None:
            model = _run(self._engine, {}, sorted(self.static_predicates))
            static_cache.store(self.program, limit, model)
        return model

    def static_model_on(self, engine: str) -> dict:
        """static_model evaluated by `engine` (pydatalog: static_model itself)."""
        if check_engine(engine) == "pydatalog":
            return self.static_model
        if "_static_duck_model" not in self.__dict__:
            self._static_duck_model = _run(self.duck_engine(False), {}, sorted(self.static_predicates))
        return self._static_duck_model

    def static_engine_model_on(self, engine: str) -> dict:
        """_static_engine_model evaluated by `engine`: DuckDB's Python values taken back into
        the value model (to_engine), so both engines hand the decision the same rows."""
        if check_engine(engine) == "pydatalog":
            return self._static_engine_model
        return {name: {tuple(to_engine(v) for v in row) for row in rows}
                for name, rows in self.static_model_on(engine).items()}

    def evaluate_with_unknowns(self, known=None, possible=None, predicates=None,
                               engine: str = "pydatalog") -> tuple:
        """(certain model, possible model) when some facts are unknown.

        `known` holds the facts given; `possible` every further fact that an
        unknown could turn out to be. A conclusion in the certain model holds
        however the unknowns turn out; one only in the possible model depends
        on them; one in neither cannot hold.
        """
        known = engine_facts(self, known or {})
        extra = engine_facts(self, possible or {})
        facts = {CERTAIN + name: rows for name, rows in known.items()}
        for name in set(known) | set(extra):
            facts[POSSIBLE + name] = known.get(name, set()) | extra.get(name, set())
        wanted = list(predicates) if predicates is not None else list(self.predicates)
        # "Static" means no input reaches it: true only while facts go to declared inputs.
        inputs_only = set(known) | set(extra) <= set(self.program.inputs)
        static = [name for name in wanted if inputs_only and name in self.static_predicates]
        given = [name for name in wanted if name in self.pure_inputs]
        wanted = [name for name in wanted if name not in static and name not in given]
        chosen = (self.duck_engine(True) if check_engine(engine) == "duckdb"
                  else self._engine_for(True, inputs_only))
        answer = _as_is if getattr(chosen, "python_values", False) else _python_rows
        model = _run(chosen, facts, [prefix + name for prefix in (CERTAIN, POSSIBLE) for name in wanted])
        constant = {name: self.static_model[name] for name in static}
        return tuple({**constant,
                      **{name: _python_rows(facts.get(prefix + name, ())) for name in given},
                      **{name: answer(model[prefix + name]) for name in wanted}}
                     for prefix in (CERTAIN, POSSIBLE))

    def duck_engine(self, three_valued_program: bool):
        """The DuckDB engine for the plain or the certain/possible program, built on first use."""
        key = ("duckdb", three_valued_program)
        if key not in self._engines:
            from policy.engine.duckdb_seam import DuckEngine  # imported only by those who use it

            lowered = three_valued(self.lowered) if three_valued_program else self.lowered
            self._engines[key] = DuckEngine(lowered)
        return self._engines[key]

    def _engine_for(self, three_valued_program: bool, inputs_only: bool):
        """The engine for the plain or the certain/possible program, built on first use.

        When facts go only to declared inputs, recursion that is only apparent is
        split into ground instances first (see instances.py), which unfolds the
        static predicates' facts; facts given for other predicates could change
        those, so they get the program as it is (and the static facts themselves
        come from the plain engine, self._engine).
        """
        key = (three_valued_program, inputs_only)
        if key not in self._engines:
            lowered = self.lowered
            if inputs_only:
                lowered = self._split()
            if three_valued_program:
                lowered = three_valued(lowered)
            if lowered is self.lowered:
                self._engines[key] = self._engine
            else:
                from policy.engine.pydatalog_seam import Engine

                self._engines[key] = Engine(lowered)
        return self._engines[key]

    def _split(self) -> Lowered:
        """The program with apparent recursion split (instances.py); as it is when the static
        facts it would unfold cannot be evaluated (asking for them fails anyway)."""
        try:
            return split_instances(self.lowered, self.static_predicates,
                                   lambda: self._static_engine_model, self.program.inputs)
        except PolicyError:
            return self.lowered

    @property
    def predicates(self) -> dict:
        """Every user predicate, base and derived, with its arity."""
        return dict(self.lowered.user_predicates)

    def evaluate(self, facts=None, predicates=None, engine: str = "pydatalog") -> dict:
        """Evaluate with `facts` ({name: iterable of tuples}); {name: set of tuples}.

        Every predicate of the policy is in the answer, base and derived, with
        Python values (dates as datetime.date, decimals as Decimal). `engine` is
        "pydatalog" (one applicant, proofs) or "duckdb" (large facts, recursion,
        populations); both get the same lowered program and give the same answer.
        """
        wanted = list(predicates) if predicates is not None else list(self.predicates)
        if check_engine(engine) == "duckdb":
            # No collection while the facts are checked (DuckEngine._load holds it too while
            # they are encoded): rows by the hundred thousand, which the collector walked
            # again and again (a 100,000-fact join 0.82 s, 0.31 s held). Not while the
            # answers are read: holding it there made a 500,500-answer closure slower.
            with held():
                given = engine_facts(self, facts or {})
            return _run(self.duck_engine(False), given, wanted)  # Python values already
        else:
            given = engine_facts(self, facts or {})
            model = _run(self._engine_for(False, set(given) <= set(self.program.inputs)),
                         given, wanted)
        return {name: _python_rows(rows) for name, rows in model.items()}


ENGINES = ("pydatalog", "duckdb")
DUCKDB_FROM_FACTS = 1000  # facts given from which `auto` picks DuckDB
DUCKDB_FROM_FACTS_RECURSIVE = 100  # the same for a program with recursion


def auto_engine(compiled: CompiledPolicy, facts: dict) -> str:
    """The engine `eval --engine auto` uses: DuckDB for 1,000 facts or more (100 with a
    recursive program), else pyDatalog. Why: DuckDB costs a fixed ~0.3 s to import and about
    a millisecond per statement, which small inputs do not earn back; pyDatalog's time grows
    fast with the facts, most of all in recursion (a chain of 200 edges: 5.9 s against 2.2 s,
    of 100: 1.6 s against 1.8 s, measured in README "Two engines"). Either gives the same
    answer."""
    count = sum(len(rows) for rows in facts.values())
    threshold = DUCKDB_FROM_FACTS_RECURSIVE if _recursive(compiled) else DUCKDB_FROM_FACTS
    return "duckdb" if count >= threshold else "pydatalog"


def _recursive(compiled: CompiledPolicy) -> bool:
    from policy.analysis.graph import is_recursive, strongly_connected
    from policy.engine.lowering import lowered_graph

    graph = lowered_graph(compiled.lowered)
    return any(is_recursive(component, graph) for component in strongly_connected(graph))


def check_engine(engine: str) -> str:
    """`engine` if it is one of ENGINES (the command line offers only those), else ValueError."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    return engine


def _run(engine, facts: dict, predicates: list) -> dict:
    """The engine's model, within the fact limit; arithmetic failures become EvaluationError.

    The engine counts facts while it works (engine/budget.py; DuckDB after every
    recursive round) and stops at the limit; the model read is counted too.
    """
    limit = current().max_facts
    try:
        model = engine.evaluate(facts, predicates, limit)
    except FactLimit as stopped:
        raise fact_limit_error(stopped.count) from None
    except (ArithmeticError, TypeError) as problem:
        raise _evaluation_error(problem) from None
    check_fact_count(sum(len(rows) for rows in model.values()))
    return model


def _as_is(rows) -> set:
    return rows


def _python_rows(rows) -> set:
    """Engine rows as Python values; pyDatalog returns a failed operation's exception as a value."""
    converted = set()
    for row in rows:
        for value in row:
            if isinstance(value, BaseException):
                raise _evaluation_error(value)
        try:
            converted.add(tuple(to_python(v) for v in row))
        except (ValueError, OverflowError):
            raise _evaluation_error(ValueError("a date computed by the policy is outside the "
                                               "calendar (years 1 to 9999)")) from None
    return converted


def _evaluation_error(problem: BaseException) -> EvaluationError:
    if isinstance(problem, ZeroDivisionError):  # Python's or the decimal module's
        problem = ZeroDivisionError("division by zero")
    elif isinstance(problem, decimal.InvalidOperation):
        problem = ArithmeticError("an undefined operation, such as 0 / 0")
    message = f"evaluation failed: {type(problem).__name__}: {kind_names(str(problem))}"
    return EvaluationError([error_at("evaluation_error", message)])


def compile_program(program: Program, syntax_diagnostics=()) -> CompiledPolicy:
    """Check and lower a parsed program; PolicyCheckError when any check finds an error."""
    diagnostics = list(syntax_diagnostics) + check_program(program, syntax_diagnostics)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        syntax = any(d.code == "syntax_error" for d in errors)
        raise (PolicySyntaxError if syntax else PolicyCheckError)(errors)
    return compile_checked(program, [d for d in diagnostics if not d.is_error])


def compile_checked(program: Program, warnings: list) -> CompiledPolicy:
    """Lower a program whose check found no error, only `warnings`."""
    return CompiledPolicy(program, lower_program(program), warnings)

