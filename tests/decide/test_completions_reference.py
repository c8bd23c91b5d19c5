"""The exact answer against brute force: every completion enumerated and evaluated on pyDatalog.

Hypothesis writes small policies (yes/no facts, an enum, an integer fact compared with
constants, a derived helper with negation, milestones between procedures) and
applicants that leave some facts unknown. The reference enumerates every completion
(the integer over a range wider than every constant the policy uses: every value
outside it behaves as the nearest end), evaluates each with `compiled.evaluate`
(pyDatalog, two-valued), and takes the statuses and the deciding facts from the
definitions in the README. `make_plan` must give exactly those.
"""
from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from policy.decide.plan import make_plan
from policy.inputs.applicant import applicant_from_mapping, fact_schema

FLAGS = ("x0", "x1", "x2")
ENUM = ("a", "b", "c")
INTEGERS = range(-1, 6)  # the policy's constants are 0..4
PROCEDURES = ("p0", "p1", "p2")
UNKNOWN = None

LITERALS = st.sampled_from([
    "x0", "x1", "x2", "not x0", "not x1", "not x2",
    "e(a)", "e(b)", "not e(a)", "not e(c)",
    "n(V0), V0 >= 2", "n(V1), V1 < 1", "n(3)", "not n(1)", "n(V2), V2 != 4",
    "h", "not h", "k(a)", "not k(b)",
])
HELPERS = st.sampled_from([
    "h :- x0.", "h :- e(b).", "h :- n(V), V > 2.", "h :- not x1.",
    "k(X) :- e(X).", "k(a) :- x2.", "k(b) :- not x0.",
])


@st.composite
def programs(draw) -> str:
    lines = ["input x0.", "input x1.", "input x2.", "input e(v: enum(a, b, c)).",
             "input n(v: integer).", "derived h.", "derived k(x)."]
    for index, pid in enumerate(PROCEDURES):
        lines.append(f"procedure({pid}, must).")
        lines.append(f"provides({pid}, m{index}).")
        for _ in range(draw(st.integers(1, 2))):
            body = draw(st.lists(LITERALS, min_size=1, max_size=3, unique=True))
            lines.append(f"eligible({pid}) :- {', '.join(body)}.")
    for index in range(1, len(PROCEDURES)):
        if draw(st.booleans()):
            needed = draw(st.integers(0, index - 1))
            lines.append(f"needs({PROCEDURES[index]}, m{needed}).")
    lines.append(f"achieved(m0) :- {draw(st.sampled_from(['x1', 'e(c)', 'n(0)', 'not h']))}.")
    lines.extend(draw(st.lists(HELPERS, max_size=3, unique=True)))
    lines.append("h :- x0, not x0.")  # h and k always have a rule
    lines.append("k(c) :- x0, not x0.")
    return "\n".join(lines) + "\n"


applicants = st.fixed_dictionaries({
    **{flag: st.sampled_from([True, False, UNKNOWN]) for flag in FLAGS},
    "e": st.sampled_from(list(ENUM) + [UNKNOWN]),
    "n": st.sampled_from([0, 1, 2, 3, 4, UNKNOWN]),
})


def domain(name: str) -> list:
    if name in FLAGS:
        return [True, False]
    return list(ENUM) if name == "e" else list(INTEGERS)


def facts_of(values: dict) -> dict:
    facts = {}
    for name, value in values.items():
        if name in FLAGS:
            facts[name] = [()] if value else []
        else:
            facts[name] = [(value,)]
    return facts


def status_in(compiled, values: dict) -> dict:
    """Each procedure's status in one completion (every fact known), from pyDatalog."""
    model = compiled.evaluate(facts_of(values))
    eligible = {p for (p,) in model["eligible"]}
    reached = {m for (m,) in model.get("achieved", ())}
    needs = {}
    for p, m in model.get("needs", ()):
        needs.setdefault(p, set()).add(m)
    changed = True
    while changed:
        changed = False
        for p, m in model.get("provides", ()):
            if m not in reached and p in eligible and needs.get(p, set()) <= reached:
                reached.add(m)
                changed = True
    return {p: ("not_applicable" if p not in eligible else
                "applies" if needs.get(p, set()) <= reached else "blocked")
            for p in PROCEDURES}


def reference(compiled, given: dict, domain=domain, status_in=status_in,
              procedures=PROCEDURES) -> dict:
    """{procedure: (status, deciding facts)} by enumerating every completion (each unknown
    fact over `domain(name)`, each completion's statuses from `status_in`)."""
    unknown = [name for name, value in given.items() if value is UNKNOWN]
    table = {}
    for choice in itertools.product(*(domain(name) for name in unknown)):
        table[choice] = status_in(compiled, {**given, **dict(zip(unknown, choice))})
    answer = {}
    for pid in procedures:
        seen = {statuses[pid] for statuses in table.values()}
        status = seen.pop() if len(seen) == 1 else "undetermined"
        deciding = [name for i, name in enumerate(unknown)
                    if any(table[c][pid] != table[c[:i] + (v,) + c[i + 1:]][pid]
                           for c in table for v in domain(name))]
        answer[pid] = (status, sorted(deciding))
    return answer


def plan_answer(compiled, given: dict) -> dict:
    mapping = {name: value for name, value in given.items() if value is not UNKNOWN}
    applicant = applicant_from_mapping({"applicant": "t", **mapping},
                                       fact_schema(compiled.program), "t", 1)
    plan = make_plan(compiled, applicant)
    return {p.id: (p.status, sorted(p.missing)) for p in plan.procedures}


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs(), applicants)
def test_statuses_and_deciding_facts_equal_the_enumeration(text, given):
    compiled = policy.compile_text(text)
    assert plan_answer(compiled, given) == reference(compiled, given), text


def test_the_reference_sees_a_case_analysis():
    """Not vacuous: a procedure that needs a milestone two alternatives provide, one of which
    must apply whatever x0 is, applies."""
    text = ("input x0.\ninput x1.\ninput x2.\ninput e(v: enum(a, b, c)).\ninput n(v: integer).\n"
            "procedure(p0, must).\nprocedure(p1, must).\nprocedure(p2, must).\n"
            "provides(p0, m0).\nprovides(p1, m0).\nneeds(p2, m0).\nprovides(p2, m2).\n"
            "eligible(p0) :- x0.\neligible(p1) :- not x0.\neligible(p2) :- x1.\n")
    compiled = policy.compile_text(text)
    given = {"x0": UNKNOWN, "x1": True, "x2": False, "e": "a", "n": 1}
    assert reference(compiled, given)["p2"] == ("applies", [])
    assert plan_answer(compiled, given) == reference(compiled, given)


def test_an_unknown_integer_is_undetermined_against_a_threshold():
    text = ("input x0.\ninput x1.\ninput x2.\ninput e(v: enum(a, b, c)).\ninput n(v: integer).\n"
            "procedure(p0, must).\nprocedure(p1, must).\nprocedure(p2, must).\n"
            "eligible(p0) :- n(A), A >= 2.\neligible(p1) :- n(A), A + 1 > 3.\n"
            "eligible(p2) :- n(A), A >= 2, A < 2.\n")
    compiled = policy.compile_text(text)
    given = {"x0": True, "x1": True, "x2": True, "e": "a", "n": UNKNOWN}
    expected = {"p0": ("undetermined", ["n"]), "p1": ("undetermined", ["n"]),
                "p2": ("not_applicable", [])}
    assert reference(compiled, given) == expected
    assert plan_answer(compiled, given) == expected
