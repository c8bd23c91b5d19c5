"""`policylog diff`: the changed outcomes and rules as text for people and JSON for programs."""
from __future__ import annotations

from policy.views.render import dumps


def diff_text(changes: list, total: int, rules: list) -> str:
    lines = [f"{len(changes)} of {total} scenario applicant(s) change outcome"]
    for change in changes:
        scenario = change.scenario
        lines.append(f"  {scenario.name} ({scenario.file}:{scenario.line})")
        lines.extend(f"    {pid}: {before} -> {after}" for pid, before, after in change.procedures)
    lines.append(f"{len(rules)} rule(s) changed")
    lines.extend(f"  {kind} {key.splitlines()[0]} ({file}:{line})" for kind, key, file, line in rules)
    return "\n".join(lines)


def diff_json(changes: list, total: int, rules: list) -> str:
    return dumps({
        "schema": "policylog/diff/1",
        "scenarios": total,
        "changed": [{"name": c.scenario.name, "file": c.scenario.file, "line": c.scenario.line,
                     "procedures": [{"id": pid, "old": before, "new": after}
                                    for pid, before, after in c.procedures]} for c in changes],
        "rules": [{"change": kind, "rule": key, "file": file, "line": line}
                  for kind, key, file, line in rules],
    })
