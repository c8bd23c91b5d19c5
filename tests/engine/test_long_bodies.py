"""A rule body of thousands of literals costs time in proportion to its length.

pyDatalog copies the rest of a body at every resolution step, and its parser rebuilt the
body at every `&`: a body of 3,000 literals took 53 s. Lowering cuts long bodies into
auxiliary pieces of at most LONG_BODY literals (lowering.RuleLowerer.add_rule), and the
seam builds each clause's body at once. Tested here by what grows (literals per clause,
literals in all) and by the answers; the times for n, 2n, 4n are in benchmarks/scaling.py.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from policy import compile_text
from policy.engine.lowering import LONG_BODY

ROOT = Path(__file__).resolve().parents[2]


def chain_policy(length: int) -> str:
    body = ", ".join(f"e(X{i}, X{i + 1})" for i in range(length))
    return (f"input e(a, b).\ninput blocked(n).\nderived far(a, b).\n"
            f"far(X0, X{length}) :- {body}, not blocked(X{length // 2}), X{length // 3} >= 0.\n")


def test_a_long_body_is_cut_into_pieces_of_bounded_length_and_linear_total():
    length = 400
    lowered = compile_text(chain_policy(length)).lowered
    assert max(len(rule.body) for rule in lowered.rules) <= LONG_BODY
    literals = sum(len(rule.body) for rule in lowered.rules)
    assert literals <= (length + 2) * (1 + 1 / (LONG_BODY - 1)) + 1


def test_the_pieces_give_the_same_answers_as_the_whole_body():
    length = 100
    policy = compile_text(chain_policy(length))
    line = [(i, i + 1) for i in range(130)]
    assert policy.evaluate({"e": line})["far"] == {(i, i + length) for i in range(31)}
    # a blocked middle node removes exactly the chains through it, wherever the cut fell
    far = policy.evaluate({"e": line, "blocked": [(60,)]})["far"]
    assert far == {(i, i + length) for i in range(31) if i + length // 2 != 60}


def test_a_short_body_is_left_whole():
    lowered = compile_text("input p(x).\nq(X) :- p(X), p(Y), X < Y.\n").lowered
    assert [len(rule.body) for rule in lowered.rules] == [3]


def test_a_body_of_3000_literals_is_checked_and_evaluated(tmp_path):
    """A hang guard, not a timing: this took most of a minute before, seconds now."""
    policy = tmp_path / "long.pl"
    body = ", ".join(f"p(X{i})" for i in range(3000))
    policy.write_text(f"input p(x).\nderived h(x).\nh(X0) :- {body}.\n")
    facts = tmp_path / "p.yaml"
    facts.write_text("p:\n  - [1]\n")
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "eval", str(policy), "h(X)",
                             "--facts", str(facts), "--timeout", "300"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "X = 1" in result.stdout


def long_procedure_policy(length: int) -> str:
    """A procedure whose one rule reads `length` yes/no facts: its body is cut into pieces."""
    inputs = "".join(f'@description(en: "condition {i} holds", zh: "条件{i}成立")\ninput c{i}.\n'
                     for i in range(length))
    body = ", ".join(f"c{i}" for i in range(length))
    return (f'source_clause("rule 1").\n{inputs}'
            f'@id("p.rule")\n@source("rule 1")\n@explain(en: "all hold", zh: "都成立")\n'
            f"eligible(p) :- {body}.\n"
            f'procedure(p, may).\ntitle(p, "Do P", "办P").\ncitation(p, "rule 1").\n')


def test_explanations_of_a_cut_body_show_the_rule_as_written(run, tmp_path):
    length = 3 * LONG_BODY
    policy = tmp_path / "long.pl"
    policy.write_text(long_procedure_policy(length), encoding="utf-8")
    for name, missing in (("all", None), ("unknown", 35), ("false", 70)):
        facts = "".join(f"c{i}: true\n" for i in range(length) if i != missing)
        if name == "false":
            facts += f"c{missing}: false\n"
        applicant = tmp_path / f"{name}.yaml"
        applicant.write_text(f"applicant: {name}\n{facts}", encoding="utf-8")
        for args in (("explain", applicant, "p", "--why-not"), ("query", applicant, "--explain")):
            result = run(*args, "--policy", policy, "--format", "json")
            assert result.exit_code == 0, result.stderr
            assert "_part" not in result.stdout and "X_" not in result.stdout
        document = json.loads(run("explain", applicant, "p", "--policy", policy, "--why-not",
                                  "--format", "json").stdout)
        attempt = document["why_not"][0]
        assert attempt["rule"]["id"] == "p.rule"
        assert len(attempt["conditions"]) == length  # every literal, in the rule's order
