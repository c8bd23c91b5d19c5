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


def population_text(impact, rules: list) -> str:
    """Per procedure, how many applicants move from one status to another, with examples."""
    lines = [f"{impact.changed:,} of {impact.rows:,} applicant(s) change status"
             + (f" ({impact.errors:,} row(s) are errors under either policy)" if impact.errors else "")]
    for procedure in sorted(impact.moves):
        for (before, after), count in sorted(impact.moves[procedure].items()):
            examples = ", ".join(f"{name or 'line'} (line {line})"
                                 for line, name in impact.examples[(procedure, before, after)])
            lines.append(f"  {procedure}: {before} -> {after}: {count:,}  e.g. {examples}")
    lines.append(f"{len(rules)} rule(s) changed")
    lines.extend(f"  {kind} {key.splitlines()[0]} ({file}:{line})" for kind, key, file, line in rules)
    return "\n".join(lines)


def population_json(impact, rules: list) -> str:
    return dumps({
        "schema": "policylog/population-diff/1",
        "rows": impact.rows, "errors": impact.errors, "changed": impact.changed,
        "procedures": [{"id": procedure, "old": before, "new": after, "applicants": count,
                        "examples": [{"line": line, "applicant": name} for line, name
                                     in impact.examples[(procedure, before, after)]]}
                       for procedure in sorted(impact.moves)
                       for (before, after), count in sorted(impact.moves[procedure].items())],
        "rules": [{"change": kind, "rule": key, "file": file, "line": line}
                  for kind, key, file, line in rules],
    })
