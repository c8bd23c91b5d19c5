"""The interview: which question to ask next, why, and when to stop (no I/O here).

An interview's state is an ordered mapping of answers, fact -> value, where
`None` means the applicant said "don't know" (the fact stays unknown and is
not asked again). The plan of those answers (decide/plan.py) gives every
procedure a status and, for an undetermined one, its deciding facts
(`missing`): the unknown facts whose value can change that status.

- Candidates: the deciding facts of the undetermined procedures, except those
  already answered "don't know". Nothing else can change the plan, so nothing
  else is asked.
- Choice (greedy, one step): the candidate that is a deciding fact of the most
  undetermined procedures, as it is the question with the most chances to
  settle a status; ties go to the fact declared first in the schema, so the
  policy author's order (who you are, then your hukou, ...) breaks them.
- End: when no candidate is left, no unknown fact can change any status: the
  plan is final (undetermined procedures stay so only through "don't know").

"Why are you asking?" is the open procedures the fact decides and the rule
clauses, with their citations, through which it reaches them.

    >>> import policy
    >>> compiled = policy.load_policy(policy.BUNDLED_POLICY)
    >>> state = Interview(compiled, "Ma Jun")
    >>> state.next_question().fact
    'returned_overseas_student'
    >>> state.answer("returned_overseas_student", False)
    >>> [p.status for p in state.plan.procedures if p.id == "apply_for_id_card"]
    ['not_applicable']
"""
from __future__ import annotations

from dataclasses import dataclass, field

from policy.errors import FactsError
from policy.decide.plan import UNDETERMINED, Plan, make_plan
from policy.inputs.applicant import FactSpec, applicant_from_mapping, fact_schema
from policy.analysis.cache import analysis
from policy.analysis.graph import dependency_graph, reachable
from policy.lang.program import all_atoms

INTERVIEW_FILE = "<interview>"


@dataclass(frozen=True)
class Choice:
    """One allowed answer: its value as an applicant file writes it, and its title per language."""

    value: object
    title: dict  # lang -> text ({} when the policy gives none: show the value)



@dataclass
class Question:
    """The next question: a fact of the schema, its allowed answers, and why it is asked."""

    spec: FactSpec
    choices: list  # Choice; empty for open types (integer, decimal, date, string)
    procedures: list  # the undetermined ProcedurePlans it decides
    clauses: list = field(default_factory=list)  # ast.Rule through which it reaches them

    @property
    def fact(self) -> str:
        return self.spec.name

    @property
    def kind(self) -> str:
        """yes_no, enum, or the open type's name (integer, decimal, date, string)."""
        if self.spec.is_flag or self.spec.type.name == "boolean":
            return "yes_no"
        return self.spec.type.name

    def text(self, lang: str) -> str:
        return self.spec.text("question", lang) or self.spec.text("description", lang) or self.fact


def choices_of(spec: FactSpec) -> list:
    """The allowed answers of a fact, with their titles (enum value titles from the policy
    when it gives them, see `value_titles`)."""
    if spec.is_flag or spec.type.name == "boolean":  # titled "yes"/"no" by the views' labels
        return [Choice(True, {}), Choice(False, {})]
    if spec.type.name == "enum":
        titles = value_titles(spec)
        return [Choice(value, titles.get(value, {})) for value in spec.type.values]
    return []


def value_titles(spec: FactSpec) -> dict:
    """{value: {lang: title}} from the declaration's `@values(...)`-style annotations, if the
    policy language has them; {} otherwise (the value itself is shown)."""
    getter = getattr(spec, "value_titles", None)
    return dict(getter()) if callable(getter) else {}


class Interview:
    """The answers so far and what follows from them: the plan, the next question, `back`."""

    def __init__(self, compiled, name: str = "", answers: dict | None = None,
                 file: str = INTERVIEW_FILE):
        self.compiled, self.name, self.file = compiled, name, file
        self.schema = fact_schema(compiled.program)
        self.specs = {spec.name: spec for spec in self.schema}
        self.answers = dict(answers or {})  # fact -> value (None: don't know), in order given
        self.history = []  # facts answered in this interview, for `back`
        self._plan = None

    @property
    def declined(self) -> set:
        """The facts answered "don't know"."""
        return {fact for fact, value in self.answers.items() if value is None}

    @property
    def applicant(self):
        """The answers as an Applicant (FactsError when one does not fit its declaration)."""
        return applicant_from_mapping({"applicant": self.name or "-", **self.answers},
                                      self.schema, self.file, 1)

    @property
    def plan(self) -> Plan:
        if self._plan is None:
            self._plan = make_plan(self.compiled, self.applicant)
        return self._plan

    def answer(self, fact: str, value) -> None:
        """Record an answer (None: don't know); FactsError leaves the state as it was."""
        previous = self.answers.get(fact, _ABSENT)
        self.answers.pop(fact, None)
        self.answers[fact] = value
        try:
            self.applicant  # noqa: B018 - validates the value against the declaration
        except FactsError:
            self.answers.pop(fact)
            if previous is not _ABSENT:
                self.answers[fact] = previous
            raise
        self.history.append(fact)
        self._plan = None

    def back(self) -> str | None:
        """Undo the last answer given in this interview; the fact undone, or None."""
        if not self.history:
            return None
        fact = self.history.pop()
        self.answers.pop(fact, None)
        self._plan = None
        return fact

    def candidates(self) -> list:
        """[(fact, [undetermined ProcedurePlans it decides])], the best question first."""
        return candidates(self.plan, self.schema, self.declined)

    def open_declined(self) -> list:
        """The facts answered "don't know" that can still change the plan: when the
        questions run out because of them, the plan is not final (and is not said to be)."""
        declined = self.declined
        return [fact for fact, _ in candidates(self.plan, self.schema) if fact in declined]

    def next_question(self) -> Question | None:
        """The question to ask next, or None when no answer can change the plan any more."""
        found = self.candidates()
        if not found:
            return None
        fact, procedures = found[0]
        spec = self.specs[fact]
        return Question(spec, choices_of(spec), procedures,
                        clauses_between(self.compiled, fact, [p.id for p in procedures]))


_ABSENT = object()


def candidates(plan: Plan, schema, declined=frozenset()) -> list:
    """The deciding facts of the undetermined procedures, most procedures first, then schema order."""
    order = {spec.name: index for index, spec in enumerate(schema)}
    deciding = {}
    for procedure in plan.procedures:
        if procedure.status != UNDETERMINED:
            continue
        for fact in procedure.missing:
            if fact not in declined and fact in order:
                deciding.setdefault(fact, []).append(procedure)
    return sorted(deciding.items(), key=lambda item: (-len(item[1]), order[item[0]]))


def clauses_between(compiled, fact: str, procedure_ids: list) -> list:
    """The rule clauses through which `fact` reaches the procedures: those of each procedure's
    support (its `eligible` rules, what they read, and, through the milestones it needs,
    `achieved` and the providers' rules) whose body reads `fact`, directly or below.
    In program order, each clause once."""
    graph = dependency_graph(compiled.program)
    support = set()
    for pid in procedure_ids:
        support |= _support(compiled, pid)
    found = []
    for rule in compiled.program.rules:
        if rule.is_fact or id(rule) not in support:
            continue
        read = {atom.predicate for atom in all_atoms(rule)}
        if fact in reachable(graph, read):
            found.append(rule)
    return found


@analysis
def _support(compiled, pid: str) -> frozenset:
    """ids of the rules a procedure's status is worked out from (once per policy)."""
    return frozenset(id(rule) for rule in _support_rules(compiled, pid))


def _support_rules(compiled, pid: str) -> list:
    program = compiled.program
    graph = dependency_graph(program)
    needs, providers = _milestones(program)
    heads, todo, seen = set(), [pid], set()
    rules = []
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        rules.extend(r for r in program.rules_by_head.get("eligible", ())
                     if r.head.args and getattr(r.head.args[0], "value", None) == current)
        for milestone in needs.get(current, ()):
            rules.extend(r for r in program.rules_by_head.get("achieved", ())
                         if r.head.args and getattr(r.head.args[0], "value", None) == milestone)
            todo.extend(providers.get(milestone, ()))
    for rule in list(rules):
        heads |= reachable(graph, {a.predicate for a in all_atoms(rule)})
    rules.extend(r for name in sorted(heads - {"eligible", "achieved"})
                 for r in program.rules_by_head.get(name, ()))
    return rules


def _milestones(program) -> tuple:
    """({procedure: [milestones needed]}, {milestone: [providers]}) from the policy's facts."""
    needs, providers = {}, {}
    for name, target in (("needs", needs), ("provides", None)):
        for rule in program.rules_by_head.get(name, ()):
            if not rule.is_fact or len(rule.head.args) != 2:
                continue
            procedure, milestone = (arg.value for arg in rule.head.args)
            if target is needs:
                needs.setdefault(procedure, []).append(milestone)
            else:
                providers.setdefault(milestone, []).append(procedure)
    return needs, providers


def value_of_rows(spec: FactSpec, rows):
    """The answer an applicant file would give for a fact's rows: a yes/no, one value, or a list."""
    if spec.is_flag:
        return bool(rows)
    names = [param.name for param in spec.declaration.params]
    if len(names) >= 2:  # a fact of records: one mapping per row, keyed by argument names
        return [dict(zip(names, row)) for row in sorted(rows, key=repr)]
    values = sorted((row[0] for row in rows), key=repr)
    return values[0] if len(values) == 1 else values


def answers_of(applicant, schema) -> dict:
    """An Applicant's facts as interview answers, in the file's order; its empty facts as None."""
    specs = {spec.name: spec for spec in schema}
    answers = {name: value_of_rows(specs[name], rows) for name, rows in applicant.facts.items()}
    answers.update({name: None for name in getattr(applicant, "declined", ()) if name in specs})
    return answers


def truth_answer(truth, spec: FactSpec):
    """The answer the applicant `truth` gives to the question about `spec` (None: not given)."""
    if spec.name not in truth.facts:
        return None
    return value_of_rows(spec, truth.facts[spec.name])
