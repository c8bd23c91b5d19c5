"""`policylog test` output: pytest-like text, or JSON, and the coverage report."""
from __future__ import annotations

from policy.views.render import dumps
from policy.views.terminal import paint


def outcomes_text(outcomes: list) -> str:
    lines = []
    for outcome in outcomes:
        if outcome.passed:
            continue
        scenario = outcome.scenario
        lines.append(f"{paint('FAILED', 'bold red')} {scenario.file}:{scenario.line} {scenario.name}")
        for failure in outcome.failures:
            lines.append(f"    {failure.subject}")
            lines.append(f"      - expected: {failure.expected}")
            lines.append(f"      + actual:   {failure.actual}")
            if failure.note:
                lines.append(f"        ({failure.note})")
    passed = sum(o.passed for o in outcomes)
    failed = len(outcomes) - passed
    lines.append(f"{paint(f'{passed} passed', 'bold green' if passed else '')}, "
                 f"{paint(f'{failed} failed', 'bold red' if failed else '')}")
    return "\n".join(lines)


def outcomes_json(outcomes: list, report=None) -> str:
    document = {"schema": "policylog/test/1",
                "passed": sum(o.passed for o in outcomes),
                "failed": sum(not o.passed for o in outcomes),
                "scenarios": [{
                    "name": o.scenario.name, "file": o.scenario.file, "line": o.scenario.line,
                    "passed": o.passed,
                    "failures": [{"subject": f.subject, "expected": f.expected,
                                  "actual": f.actual, "note": f.note} for f in o.failures],
                } for o in outcomes]}
    if report is not None:
        document["coverage"] = coverage_json(report)
    return dumps(document)


def coverage_percent(report: dict) -> float:
    covered = sum(len(hit) for hit, _ in report.values())
    total = sum(len(all_rules) for _, all_rules in report.values())
    return 100.0 * covered / total if total else 100.0


def coverage_text(report: dict) -> str:
    lines = ["", "rule coverage (a rule counts when it appears in a proof of an outcome)"]
    for file, (hit, all_rules) in sorted(report.items()):
        lines.append(f"  {file}: {len(hit)}/{len(all_rules)}")
    for file, (hit, all_rules) in sorted(report.items()):
        for rule in all_rules:
            if rule not in hit:
                lines.append(f"  not reached: {file}:{rule.span.line} {rule.rule_id or ''}".rstrip())
    lines.append(f"  total: {coverage_percent(report):.1f}%")
    return "\n".join(lines)


def coverage_json(report: dict) -> dict:
    return {
        "percent": round(coverage_percent(report), 2),
        "files": {file: {"covered": len(hit), "rules": len(all_rules),
                         "not_reached": [{"line": r.span.line, "id": r.rule_id}
                                         for r in all_rules if r not in hit]}
                  for file, (hit, all_rules) in sorted(report.items())},
    }
