"""Baseline: the bundled policy's decision rules on clingo (answer set programming).

The ASP text is generated from policylog's parsed AST (`load_policy().program.rules`):
every rule and fact that `eligible` and `achieved` depend on, printed with
policy/printer.py, whose literal syntax is ASP's for this policy (bare
constants, `not`, no aggregates). The translation is checked against
policylog and the hand-written pyDatalog baseline in benchmarks/run.py.
Two-valued: a fact not given is false.

Two ways to decide:

- `decide(facts)`: one applicant, one fresh `clingo.Control`: add the rules and
  the applicant's facts as ASP facts, ground, solve, read `eligible/1` and
  `achieved/1`. Nothing is shared between applicants but the program text,
  as with one process per applicant; the per-applicant and batch rows of
  run.py use this, one applicant after the other.
- `decide_many(list of facts)`: many applicants in ONE program, every
  applicant-dependent predicate given an applicant argument (`eligible(A, P)`),
  ground and solve once. This is what a set-at-a-time engine is good at;
  run.py reports it as a separate row, in chunks of CHUNK applicants.

    python benchmarks/baseline_clingo.py facts/01_returnee_self_funded.yaml
    python benchmarks/baseline_clingo.py --print > /tmp/policy.lp
    python benchmarks/baseline_clingo.py --program /tmp/policy.lp facts/01_returnee_self_funded.yaml
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

import clingo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHUNK = 1000
APP = "Applicant_"  # the applicant argument of decide_many (no rule of the policy uses it)
OUTPUTS = ("eligible", "achieved")


def _decision_rules(program) -> list:
    """The rules and facts that the outputs depend on (transitively)."""
    from policy.analysis.graph import dependency_graph

    graph = dependency_graph(program)
    wanted, stack = set(), list(OUTPUTS)
    while stack:
        name = stack.pop()
        if name not in wanted:
            wanted.add(name)
            stack.extend(graph.get(name, ()))
    return [r for r in program.rules if r.head.predicate in wanted], wanted


def _check_plain(rule) -> None:
    from policy.lang import ast

    for literal in rule.body:
        if not isinstance(literal, (ast.Atom, ast.Negation)):
            raise ValueError(f"not translated to ASP (a comparison or aggregate): {rule}")


@lru_cache(maxsize=None)
def asp_program() -> str:
    """The decision rules of the bundled policy as one ASP program (applicant facts not included)."""
    import policy
    from policy.lang.printer import atom_text, literal_text

    program = policy.load_policy().program
    rules, wanted = _decision_rules(program)
    lines = [f"#defined {name}/{program.arities[name]}."
             for name in sorted(program.inputs) if name in wanted]
    for rule in rules:
        _check_plain(rule)
        head = atom_text(rule.head)
        body = ", ".join(literal_text(literal) for literal in rule.body)
        lines.append(f"{head} :- {body}." if body else f"{head}.")
    lines += [f"#show {name}/1." for name in OUTPUTS]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=None)
def asp_program_many() -> str:
    """The same rules with an applicant argument on every applicant-dependent predicate.

    Predicates that no input reaches (here `provides`) stay as they are; every
    rule gets `applicant(Applicant_)` so that it stays safe.
    """
    import policy
    from policy.lang import ast
    from policy.lang.printer import atom_text

    compiled = policy.load_policy()
    program = compiled.program
    static = compiled.static_predicates
    rules, wanted = _decision_rules(program)
    if re.search(rf"\b{APP}\b", asp_program()):
        raise ValueError(f"the policy uses the variable {APP}: pick another APP")

    def atom(a) -> str:
        return _applicant_atom(a, static)

    lines = [f"#defined {name}/{program.arities[name] + 1}."
             for name in sorted(program.inputs) if name in wanted]
    for rule in rules:
        _check_plain(rule)
        if rule.head.predicate in static:
            body = [atom_text(l) for l in rule.body]
            head = atom_text(rule.head)
        else:
            body = [f"applicant({APP})"] + [atom(l) if isinstance(l, ast.Atom) else f"not {atom(l.atom)}"
                                       for l in rule.body]
            head = atom(rule.head)
        lines.append(f"{head} :- {', '.join(body)}." if body else f"{head}.")
    lines += [f"#show {name}/2." for name in OUTPUTS]
    return "\n".join(lines) + "\n"


CERTAIN, POSSIBLE = "c_", "p_"
THREE_VALUED_OUTPUTS = ("eligible", "achieved")


@lru_cache(maxsize=None)
def asp_program_three_valued() -> str:
    """The three-valued job of `policylog batch`, on clingo: policylog's certain/possible program.

    Every applicant-dependent predicate has a certain copy (c_) and a possible
    copy (p_), with an applicant argument: a certain conclusion needs certain
    positive premises and negated premises that are not even possible; a
    possible one needs possible premises and negated premises that are not
    certain (compiler.three_valued, written as ASP). Static predicates stay
    single. A given fact goes into both copies; an unknown one into p_ with
    every value it could take.
    """
    import policy
    from policy.lang import ast
    from policy.lang.printer import atom_text

    compiled = policy.load_policy()
    program = compiled.program
    static = compiled.static_predicates
    rules, wanted = _decision_rules(program)

    def atom(a, prefix: str) -> str:
        return _applicant_atom(a, static, prefix)

    lines = [f"#defined {prefix}{name}/{program.arities[name] + 1}."
             for name in sorted(program.inputs) if name in wanted for prefix in (CERTAIN, POSSIBLE)]
    for rule in rules:
        _check_plain(rule)
        if rule.head.predicate in static:
            body = ", ".join(atom_text(l) for l in rule.body)
            lines.append(f"{atom_text(rule.head)} :- {body}." if body else f"{atom_text(rule.head)}.")
            continue
        for prefix, other in ((CERTAIN, POSSIBLE), (POSSIBLE, CERTAIN)):
            body = [f"applicant({APP})"] + [atom(l, prefix) if isinstance(l, ast.Atom)
                                           else f"not {atom(l.atom, other)}" for l in rule.body]
            lines.append(f"{atom(rule.head, prefix)} :- {', '.join(body)}.")
    lines += [f"#show {prefix}{name}/2." for name in THREE_VALUED_OUTPUTS
              for prefix in (CERTAIN, POSSIBLE)]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=None)
def possible_values() -> dict:
    """{input: the rows an unknown value could have}: policylog's FactSpec.possible_rows."""
    import policy
    from policy.inputs.applicant import fact_schema

    return {spec.name: spec.possible_rows() for spec in fact_schema(policy.load_policy().program)}


def three_valued_facts_text(facts: dict, applicant: int) -> str:
    """Given facts into c_ and p_; every value of an unknown fact into p_ only."""
    out = [f"applicant({applicant})."]
    for name, rows in possible_values().items():
        if any(len(row) > 1 or (row and isinstance(row[0], bool)) for row in rows):
            raise ValueError(f"'{name}': only yes/no facts and enums are translated")
        value = facts.get(name)
        if value is None:
            prefixes, values = (POSSIBLE,), [row[0] if row else True for row in rows]
        else:
            prefixes, values = (CERTAIN, POSSIBLE), [value]
        for prefix in prefixes:
            for v in values:
                if v is True:
                    out.append(f"{prefix}{name}({applicant}).")
                elif v is not False:
                    out.append(f"{prefix}{name}({applicant}, {v}).")
    return "\n".join(out) + "\n"


def decide_many_three_valued(applicants: list) -> list:
    """[(certain eligible, possible eligible, certain achieved, possible achieved)] per
    applicant, in one ground-and-solve (the job policylog batch does, before statuses)."""
    control = clingo.Control(["--warn=none"])
    text = "".join(three_valued_facts_text(facts, i) for i, facts in enumerate(applicants))
    control.add("base", [], asp_program_three_valued() + text)
    control.ground([("base", [])])
    slots = {f"{prefix}{name}": n for n, (prefix, name) in enumerate(
        (p, o) for o in THREE_VALUED_OUTPUTS for p in (CERTAIN, POSSIBLE))}
    found = [tuple(set() for _ in slots) for _ in applicants]

    def on_model(model):
        for symbol in model.symbols(shown=True):
            found[symbol.arguments[0].number][slots[symbol.name]].add(symbol.arguments[1].name)

    control.solve(on_model=on_model)
    return found


def models_many_three_valued(applicants: list) -> list:
    """[(certain, possible)] per applicant: the models of `eligible` and `achieved` that
    decide_many_three_valued finds, as policylog's evaluations give them."""
    models = []
    for found in decide_many_three_valued(applicants):
        certain_eligible, possible_eligible, certain_achieved, possible_achieved = found
        models.append(({"eligible": {(p,) for p in certain_eligible},
                        "achieved": {(m,) for m in certain_achieved}},
                       {"eligible": {(p,) for p in possible_eligible},
                        "achieved": {(m,) for m in possible_achieved}}))
    return models


def statuses_many_three_valued(applicants: list) -> list:
    """[{procedure: status}] per applicant: decide_many_three_valued, then the statuses from
    the certain and possible models, as `policylog batch` builds them (plan.statuses_from_models)."""
    from policy.decide.plan import statuses_from_models

    compiled = _compiled()
    static = compiled.static_model
    return [statuses_from_models(compiled, {**static, **certain}, {**static, **possible})
            for certain, possible in models_many_three_valued(applicants)]


@lru_cache(maxsize=None)
def _compiled():
    import policy

    return policy.load_policy()


def _applicant_atom(a, static, prefix: str = "") -> str:
    """`a` with the applicant argument first (and `prefix` on its name) unless it is static."""
    from policy.lang.printer import atom_text

    text = atom_text(a)
    if a.predicate in static:
        return text
    if not a.args:
        return f"{prefix}{a.predicate}({APP})"
    return f"{prefix}{a.predicate}({APP}, {text[len(a.predicate) + 1:]}"


def facts_text(facts: dict, applicant=None) -> str:
    """An applicant's facts as ASP facts: `flag.` for a true yes/no fact, `enum(value).`"""
    prefix = "" if applicant is None else f"{applicant}, "
    out = [] if applicant is None else [f"applicant({applicant})."]
    for name, value in facts.items():
        if value is True:
            out.append(f"{name}." if applicant is None else f"{name}({applicant}).")
        elif value is not False and value is not None:
            out.append(f"{name}({prefix}{value}).")
    return "\n".join(out) + "\n"


def decide(facts: dict, program: str = None) -> tuple:
    """(eligible procedures, achieved milestones) for one applicant, with a fresh Control.

    `program` is the ASP text of the rules (default: asp_program()).
    """
    control = clingo.Control(["--warn=none"])
    control.add("base", [], (program or asp_program()) + facts_text(facts))
    control.ground([("base", [])])
    found = {name: set() for name in OUTPUTS}

    def on_model(model):
        for symbol in model.symbols(shown=True):
            found[symbol.name].add(symbol.arguments[0].name)

    control.solve(on_model=on_model)
    return frozenset(found["eligible"]), frozenset(found["achieved"])


def decide_many(applicants: list) -> list:
    """[(eligible, achieved)] for a list of fact dicts, in one ground-and-solve."""
    control = clingo.Control(["--warn=none"])
    text = "".join(facts_text(facts, i) for i, facts in enumerate(applicants))
    control.add("base", [], asp_program_many() + text)
    control.ground([("base", [])])
    found = [(set(), set()) for _ in applicants]

    def on_model(model):
        for symbol in model.symbols(shown=True):
            index = symbol.arguments[0].number
            found[index][OUTPUTS.index(symbol.name)].add(symbol.arguments[1].name)

    control.solve(on_model=on_model)
    return [(frozenset(e), frozenset(a)) for e, a in found]


def decide_chunked(applicants, chunk: int = CHUNK):
    """decide_many over an iterable, CHUNK applicants at a time; yields one answer per applicant."""
    block = []
    for facts in applicants:
        block.append(facts)
        if len(block) == chunk:
            yield from decide_many(block)
            block = []
    if block:
        yield from decide_many(block)


def main(argv) -> None:
    """`--print` prints the ASP program; `[--program FILE.lp] FACTS.yaml` decides one applicant.

    With --program the rules are read from FILE.lp (as written by --print) and
    policylog is not imported at all: that is the cold single-applicant script.
    """
    import yaml

    if argv == ["--print"]:
        print(asp_program(), end="")
        return
    program = None
    if argv[:1] == ["--program"]:
        program = Path(argv[1]).read_text(encoding="utf-8")
        argv = argv[2:]
    applicant = yaml.safe_load(open(argv[0], encoding="utf-8"))
    applicant.pop("applicant", None)
    eligible, achieved = decide(applicant, program)
    print("eligible:", " ".join(sorted(eligible)))
    print("achieved:", " ".join(sorted(achieved)))


if __name__ == "__main__":
    main(sys.argv[1:])
