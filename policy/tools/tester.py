"""Scenario tests for policy authors, and the coverage of rules they reach.

A scenario file (YAML) holds a list of scenarios:

    policy: ../rules              # optional, relative to this file (default: bundled)
    scenarios:
      - name: self-funded returnee restores the hukou
        facts: ../../facts/01_returnee_self_funded.yaml   # a file, or a mapping inline
        expect:                                         # procedure: status
          restore_hukou_with_passport: applies
          settle_at_other_station: not_applicable
        reasons:                                        # rule ids that must appear
          restore_hukou_with_passport: [returnee-guide.II.1]
        documents: [passport]                           # on the checklist
        missing:                                        # exactly the facts that decide it
          apply_for_id_card: [has_local_hukou]

A rule is covered when it appears in a proof of a scenario's outcome: the
proofs of every procedure's eligibility and every milestone achieved.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from policy.inputs.applicant import applicant_from_mapping, fact_schema, load_applicant
from policy.inputs.documents import (line_of, load_document, mapping_items, plain_value, scalar,
                                     sequence_items)
from policy.errors import FactsError, PolicyError
from policy.decide.evaluation import evaluate
from policy.decide.plan import STATUS_ORDER
from policy.decide.proofs import Explainer, Proof

SCENARIO_SUFFIXES = (".yaml", ".yml")


@dataclass
class Scenario:
    """One test case of a scenario file: an applicant's facts, what the plan must show."""

    name: str
    file: str
    line: int
    policy_path: object
    facts: object  # a Path, or a mapping of fact values
    expect: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    documents: list = field(default_factory=list)
    missing: dict = field(default_factory=dict)  # procedure -> the facts that decide it

    def applicant(self, compiled):
        """The scenario's applicant, its facts checked against `compiled`'s fact schema."""
        schema = fact_schema(compiled.program)
        if isinstance(self.facts, Path):
            return load_applicant(self.facts, schema)
        return applicant_from_mapping(self.facts, schema, self.file, self.line)


@dataclass(frozen=True)
class Failure:
    """One expectation not met: what, expected, actual, and the rules behind the answer."""

    subject: str
    expected: str
    actual: str
    note: str = ""


@dataclass
class Outcome:
    """One scenario tested: what failed, and the rules its proofs used (for coverage)."""

    scenario: Scenario
    failures: list = field(default_factory=list)  # Failures
    rules: set = field(default_factory=set)  # (file, line) of rules in its proofs

    @property
    def passed(self) -> bool:
        return not self.failures


def scenario_files(paths) -> list:
    files = []
    for path in map(Path, paths):
        if not path.exists():
            raise PolicyError.single("file_error", "no such file or directory", str(path))
        found = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.suffix in SCENARIO_SUFFIXES and p.is_file())
        files.extend(f for f in found if f not in files)
    if not files:
        raise PolicyError.single("file_error", "no scenario files (*.yaml) found",
                                 ", ".join(map(str, paths)))
    return files


def load_scenarios(file: Path, default_policy) -> list:
    """The scenarios of one file; FactsError (with lines) when it is malformed."""
    root, name = load_document(file)
    items = dict(mapping_items(root, name, "a scenario file"))
    policy_path = default_policy
    if "policy" in items:
        policy_path = (file.parent / str(scalar(items["policy"], name))).resolve()
    if "scenarios" not in items:
        raise _problem("a scenario file needs a 'scenarios:' list", name, 1)
    return [_scenario(node, name, file.parent, policy_path)
            for node in sequence_items(items["scenarios"])]


def _problem(message: str, file: str, line: int) -> FactsError:
    from policy.inputs.documents import facts_error

    return facts_error(message, file, line)


def _scenario(node, file: str, folder: Path, policy_path) -> Scenario:
    fields = dict(mapping_items(node, file, "a scenario"))
    unknown = set(fields) - {"name", "facts", "expect", "reasons", "documents", "missing"}
    if unknown:
        raise _problem(f"unknown scenario field(s): {', '.join(sorted(unknown))}", file, line_of(node))
    if "name" not in fields or "facts" not in fields:
        raise _problem("a scenario needs a 'name' and 'facts'", file, line_of(node))
    facts_node = fields["facts"]
    if isinstance(facts_node, yaml.ScalarNode):
        facts = folder / str(scalar(facts_node, file))
    else:
        facts = {key: plain_value(value, file) for key, value in mapping_items(facts_node, file, "facts")}
    return Scenario(
        name=str(scalar(fields["name"], file)), file=file, line=line_of(node), policy_path=policy_path,
        facts=facts,
        expect=_expected_statuses(fields["expect"], file) if "expect" in fields else {},
        reasons={k: [str(scalar(i, file)) for i in sequence_items(v)]
                 for k, v in mapping_items(fields["reasons"], file, "reasons")}
        if "reasons" in fields else {},
        documents=[str(scalar(i, file)) for i in sequence_items(fields["documents"])]
        if "documents" in fields else [],
        missing={k: sorted(str(scalar(i, file)) for i in sequence_items(v))
                 for k, v in mapping_items(fields["missing"], file, "missing")}
        if "missing" in fields else {},
    )


def _expected_statuses(node, file: str) -> dict:
    """{procedure: status}; a status that is none of the four is a mistake in the file."""
    expected = {}
    for key, value in mapping_items(node, file, "expect"):
        status = str(scalar(value, file))
        if status not in STATUS_ORDER:
            raise _problem(f"expect {key}: {status!r} is not a status (one of "
                           f"{', '.join(STATUS_ORDER)})", file, line_of(value))
        expected[key] = status
    return expected


def run_scenario(compiled, scenario: Scenario, engine: str = "pydatalog") -> Outcome:
    """Evaluate one scenario and compare what it expects with what the policy says."""
    evaluation = evaluate(compiled, scenario.applicant(compiled), engine)
    explainer, plan = evaluation.explainer, evaluation.plan
    outcome = Outcome(scenario)
    outcome.rules = {rule_key(rule) for rule in proof_rules(explainer)}
    for procedure, expected in scenario.expect.items():
        actual = evaluation.status(procedure)
        if actual != expected:
            outcome.failures.append(Failure(f"status of {procedure}", expected, actual,
                                            _why(explainer, procedure)))
    for procedure, rule_ids in scenario.reasons.items():
        used = sorted(r.rule_id for r in _procedure_rules(explainer, procedure) if r.rule_id)
        missing = [rule_id for rule_id in rule_ids if rule_id not in used]
        if missing:
            outcome.failures.append(Failure(f"reasons of {procedure}", ", ".join(rule_ids),
                                            ", ".join(used) or "(none)",
                                            f"missing rule {', '.join(missing)}"))
    for procedure, facts in scenario.missing.items():
        actual = evaluation.missing(procedure)
        if actual != facts:
            outcome.failures.append(Failure(f"missing facts of {procedure}", ", ".join(facts)
                                            or "(none)", ", ".join(actual or ()) or "(none)"))
    on_list = sorted(key for key, _, _ in plan.checklist())
    missing = [d for d in scenario.documents if d not in on_list]
    if missing:
        outcome.failures.append(Failure("checklist", ", ".join(scenario.documents),
                                        ", ".join(on_list) or "(empty)",
                                        f"missing {', '.join(missing)}"))
    return outcome


def rule_key(rule) -> tuple:
    return (rule.span.file, rule.span.line)


def _why(explainer: Explainer, procedure: str) -> str:
    """The rules behind the actual answer, to name in a failure."""
    rules = sorted(r.rule_id for r in _procedure_rules(explainer, procedure) if r.rule_id)
    if rules:
        return f"concluded by rule {', '.join(rules)}"
    candidates = [r.rule_id for r in explainer.program.rules_by_head.get("eligible", ())
                  if r.head.args and getattr(r.head.args[0], "value", None) == procedure]
    return f"rule {', '.join(candidates)} did not conclude it" if candidates else ""


def _procedure_rules(explainer: Explainer, procedure: str) -> set:
    if not explainer.certain.holds("eligible", (procedure,)):
        return set()
    rules = set()
    for proof in explainer.why("eligible", (procedure,), all_proofs=True):
        rules |= _rules_in(proof)
    return rules


def proof_rules(explainer: Explainer) -> set:
    """Every rule in a proof of the outcome: eligibility and milestones."""
    rules = set()
    for predicate in ("eligible", "achieved"):
        for row in explainer.certain.rows.get(predicate, ()):
            for proof in explainer.why(predicate, row, all_proofs=True):
                rules |= _rules_in(proof)
    return rules


def _rules_in(proof: Proof) -> set:
    found = {proof.rule} if proof.kind == "derived" and proof.rule is not None else set()
    for child in proof.children:
        found |= _rules_in(child)
    return found


def run_scenarios(scenarios: list, load, pattern: str = None, engine: str = "pydatalog") -> list:
    """Outcomes of the scenarios whose name matches `pattern` (a substring or glob)."""
    outcomes = []
    for scenario in scenarios:
        if pattern and pattern not in scenario.name and not fnmatch.fnmatch(scenario.name, pattern):
            continue
        outcomes.append(run_scenario(load(scenario.policy_path), scenario, engine))
    return outcomes


def coverage(compiled, outcomes: list) -> dict:
    """{file: (covered rules, all rules)}; a rule here is a clause with a body."""
    covered = set()
    for outcome in outcomes:
        covered |= outcome.rules
    by_file = {}
    for rule in compiled.program.rules:
        if rule.is_fact:
            continue
        hit, total = by_file.setdefault(rule.span.file, ([], []))
        total.append(rule)
        if rule_key(rule) in covered:
            hit.append(rule)
    return by_file
