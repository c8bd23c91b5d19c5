"""`policylog diff`: the changed outcomes and rules as text for people and JSON for programs."""
from __future__ import annotations

from policy.views.render import dumps


def diff_text(changes: list, total: int, rules: list, population=None) -> str:
    lines = [f"{len(changes)} of {total} applicant(s) change outcome"]
    for change in changes:
        scenario = change.scenario
        lines.append(f"  {scenario.name} ({scenario.file}:{scenario.line})")
        lines.extend(f"    {pid}: {before} -> {after}" for pid, before, after in change.procedures)
    if population is not None and population.moves:
        lines.append(f"Per procedure, of the population's {population.rows:,} row(s):")
        lines.extend(_moves_text(population))
    if population is not None and population.errors:
        lines.append(f"{population.errors:,} row(s) not compared (a value or a limit is wrong), "
                     "the first:")
        lines.extend(f"  {file}:{line}: {message}"
                     for file, line, message in population.error_examples)
    lines.append(f"{len(rules)} rule(s) changed")
    lines.extend(f"  {kind} {key.splitlines()[0]} ({file}:{line})" for kind, key, file, line in rules)
    return "\n".join(lines)


def _moves_text(population) -> list:
    """One line per procedure and status change: how many applicants, and examples."""
    lines = []
    for procedure in sorted(population.moves):
        for (before, after), count in sorted(population.moves[procedure].items()):
            examples = ", ".join(f"{case.name} (line {case.line})"
                                 for case in population.examples[(procedure, before, after)])
            lines.append(f"  {procedure}: {before} -> {after}: {count:,}  e.g. {examples}")
    return lines


def _moves_json(population):
    if population is None:
        return None
    return {"rows": population.rows, "changed": len(population.changes),
            "errors": population.errors,
            "error_examples": [{"file": file, "line": line, "error": message}
                               for file, line, message in population.error_examples],
            "procedures": [{"id": procedure, "old": before, "new": after, "applicants": count,
                            "examples": [{"name": c.name, "line": c.line} for c in
                                         population.examples[(procedure, before, after)]]}
                           for procedure in sorted(population.moves)
                           for (before, after), count in sorted(population.moves[procedure].items())]}


def diff_json(changes: list, total: int, rules: list, population=None) -> str:
    return dumps({
        "schema": "policylog/diff/1",
        "applicants": total,  # bundled scenarios, applicant files or population rows compared
        "scenarios": total,  # the same count, under the name it had first (kept for readers of it)
        "population": _moves_json(population),
        "changed": [{"name": c.scenario.name, "file": c.scenario.file, "line": c.scenario.line,
                     "procedures": [{"id": pid, "old": before, "new": after}
                                    for pid, before, after in c.procedures]} for c in changes],
        "rules": [{"change": kind, "rule": key, "file": file, "line": line}
                  for kind, key, file, line in rules],
    })
