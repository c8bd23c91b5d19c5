"""The applicant's plan: each procedure's status, modality, step, place and documents.

The policy supplies everything as predicates (see policy/rules/): `eligible(P)`
for an applicant's own conditions, `procedure(P, Modality)`,
`alternative(P, Group)`, `title/office/duration(P, En, Zh)`,
`document(P, Key, En, Zh)`, `citation(P, Text)`, and the order as milestones:
`needs(P, M)`, `provides(P, M)`, `achieved(M)`. The policy is evaluated with
unknown facts left open (CompiledPolicy.evaluate_with_unknowns); this module
only combines the certain and the possible answers:

- applies: eligible for certain, and every milestone it needs is certainly reached;
- blocked: eligible for certain, but a milestone it needs cannot be reached;
- undetermined: the answer depends on facts not given (named in `missing`);
- not_applicable: not eligible whatever the unknown facts are.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from policy.inputs.applicant import Applicant
from policy.errors import PolicyError
from policy.analysis.cache import analysis
from policy.analysis.graph import dependency_graph, reachable
from policy.lang.program import all_atoms
from policy.decide.matching import ground

APPLIES, BLOCKED, UNDETERMINED, NOT_APPLICABLE = "applies", "blocked", "undetermined", "not_applicable"
STATUS_ORDER = (APPLIES, BLOCKED, UNDETERMINED, NOT_APPLICABLE)
CATALOGUE = ("procedure", "alternative", "title", "office", "document", "duration", "citation",
             "needs", "provides", "achieved", "eligible")


@dataclass
class ProcedurePlan:
    id: str
    status: str
    modality: str
    group: str = ""
    step: int = 0
    title: dict = field(default_factory=dict)  # lang -> text
    office: dict = field(default_factory=dict)
    duration: dict = field(default_factory=dict)
    documents: list = field(default_factory=list)  # (key, {lang: text})
    citations: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    blocked_by: list = field(default_factory=list)  # milestones that cannot be reached
    missing: list = field(default_factory=list)  # names of unknown facts that decide it
    reason: str = ""  # a one-line reason, when asked for (query --explain)


@dataclass
class Plan:
    applicant: Applicant
    procedures: list
    achieved: list
    unknown: list  # FactSpecs the applicant did not give

    def shown(self, show_all: bool) -> list:
        return [p for p in self.procedures if show_all or p.status != NOT_APPLICABLE]

    def checklist(self) -> list:
        """[(document key, {lang: text}, [procedure ids])] for the procedures that apply."""
        found = {}
        for procedure in self.procedures:
            if procedure.status != APPLIES:
                continue
            for key, names in procedure.documents:
                found.setdefault(key, (names, []))[1].append(procedure.id)
        return [(key, names, ids) for key, (names, ids) in found.items()]


def require_catalogue(compiled) -> None:
    """PolicyError(query_error) unless the policy has the predicates a plan is made of."""
    missing = [name for name, arity in (("procedure", 2), ("eligible", 1))
               if compiled.predicates.get(name) != arity]
    if missing:
        wanted = " and ".join(f"{name}/{arity}" for name, arity in (("procedure", 2), ("eligible", 1)))
        raise PolicyError.single(
            "query_error", f"the policy has no procedure catalogue: it needs {wanted} "
            f"(missing: {', '.join(missing)}); see the README's 'The bundled policy'")


def procedure_statuses(compiled, applicant: Applicant) -> dict:
    """{procedure: status} alone: what a batch needs, without the texts of a full plan."""
    require_catalogue(compiled)
    certain, possible = evaluate_applicant(compiled, applicant,
                                           [p for p in CATALOGUE if p in compiled.predicates])
    return statuses_from_models(compiled, certain, possible)


def statuses_from_models(compiled, certain: dict, possible: dict) -> dict:
    """{procedure: status} from the certain and possible models of the CATALOGUE predicates
    (a batch assembles them from answers shared between applicants)."""
    builder = PlanBuilder(compiled, None, certain, possible)
    return {pid: builder.status(pid) for pid, _ in sorted(certain["procedure"])}


def evaluate_applicant(compiled, applicant: Applicant, predicates=None,
                       engine: str = "pydatalog") -> tuple:
    """(certain, possible) models for an applicant whose unknown facts stay open."""
    possible_facts = {spec.name: spec.possible_rows() for spec in applicant.unknown}
    return compiled.evaluate_with_unknowns(applicant.facts, possible_facts, predicates, engine)


def make_plan(compiled, applicant: Applicant, models=None, engine: str = "pydatalog") -> Plan:
    """Build the plan for `applicant` (from `models` when already evaluated)."""
    require_catalogue(compiled)
    if models is None:
        models = evaluate_applicant(compiled, applicant,
                                    [p for p in CATALOGUE if p in compiled.predicates], engine)
    certain, possible = models
    builder = PlanBuilder(compiled, applicant, certain, possible)
    return Plan(applicant, builder.procedures(), sorted(m for (m,) in certain.get("achieved", ())),
                applicant.unknown)


class PlanBuilder:
    """Combines the certain and possible models into procedure plans."""

    def __init__(self, compiled, applicant: Applicant, certain: dict, possible: dict):
        self.compiled, self.applicant = compiled, applicant
        self.certain, self.possible = certain, possible
        self.needs = _pairs(certain.get("needs", ()))
        self.providers = {}
        for procedure, milestone in certain.get("provides", ()):
            self.providers.setdefault(milestone, []).append(procedure)
        self.reached = self._reachable(certain, possible, strict=True)
        self.reachable = self._reachable(certain, possible, strict=False)

    def _eligible(self, model: dict) -> set:
        return {p for (p,) in model.get("eligible", ())}

    def _reachable(self, certain: dict, possible: dict, strict: bool) -> set:
        """Milestones reached already or through procedures that can be done, to a fixpoint."""
        model = certain if strict else possible
        reached = {m for (m,) in model.get("achieved", ())}
        eligible = self._eligible(model)
        changed = True
        while changed:
            changed = False
            for milestone, providers in self.providers.items():
                if milestone in reached:
                    continue
                if any(p in eligible and set(self.needs.get(p, ())) <= reached for p in providers):
                    reached.add(milestone)
                    changed = True
        return reached

    def procedures(self) -> list:
        plans = [self._procedure(pid, modality) for pid, modality in sorted(self.certain["procedure"])]
        self._number_steps(plans)
        return sorted(plans, key=lambda p: (STATUS_ORDER.index(p.status) == 3, p.step, p.id))

    def _rows_of(self, predicate: str, pid: str) -> list:
        """The rows of a catalogue predicate about one procedure (grouped once per policy
        when the predicate is static, as the bundled policy's are)."""
        rows = self.certain.get(predicate, ())
        if predicate in self.compiled.static_predicates:
            grouped = _catalogue_rows(self.compiled)
            if predicate not in grouped:
                grouped[predicate] = _group_by_first(rows)
            return grouped[predicate].get(pid, [])
        return [row[1:] for row in rows if row[0] == pid]

    def _procedure(self, pid: str, modality: str) -> ProcedurePlan:
        plan = ProcedurePlan(pid, self.status(pid), modality)
        plan.group = next((g for (g,) in self._rows_of("alternative", pid)), "")
        plan.title = _texts(self._rows_of("title", pid))
        plan.office = _texts(self._rows_of("office", pid))
        plan.duration = _texts(self._rows_of("duration", pid))
        plan.documents = sorted((key, {"en": en, "zh": zh})
                                for key, en, zh in self._rows_of("document", pid))
        plan.citations = sorted(c for (c,) in self._rows_of("citation", pid))
        plan.needs = sorted(self.needs.get(pid, ()))
        plan.blocked_by = [m for m in plan.needs if m not in self.reachable]
        if plan.status == UNDETERMINED:
            plan.missing = self._missing_facts(pid)
        return plan

    def status(self, pid: str) -> str:
        if pid not in self._eligible(self.possible):
            return NOT_APPLICABLE
        needs = set(self.needs.get(pid, ()))
        if pid in self._eligible(self.certain):
            if needs <= self.reached:
                return APPLIES
            if not needs <= self.reachable:
                return BLOCKED
        return UNDETERMINED

    def _missing_facts(self, pid: str) -> list:
        """The unknown facts that the procedure's own rules and its prerequisites depend on."""
        unknown = {spec.name for spec in self.applicant.unknown}
        return sorted(relevant_inputs(self.compiled, pid) & unknown)

    def _number_steps(self, plans: list) -> None:
        """Step = 1 + the latest step among the providers of what it needs (to a fixpoint;
        the milestones form no cycle in a sound policy, and the passes are bounded anyway)."""
        active = {p.id: p for p in plans if p.status != NOT_APPLICABLE}
        achieved = {m for (m,) in self.certain.get("achieved", ())}
        for _ in range(len(active) + 1):
            changed = False
            for plan in active.values():
                step = 1 + max((self._milestone_step(m, active, achieved) for m in plan.needs),
                               default=0)
                changed |= step != plan.step
                plan.step = step
            if not changed:
                break

    def _milestone_step(self, milestone: str, active: dict, achieved: set) -> int:
        if milestone in achieved:
            return 0
        steps = [active[p].step for p in self.providers.get(milestone, ()) if p in active]
        return min(steps, default=0)


@analysis
def _catalogue_rows(compiled) -> dict:
    """Static catalogue predicate -> its rows grouped by procedure (filled as they are read)."""
    return {}


@analysis
def relevant_inputs(compiled, pid: str, with_prerequisites: bool = True) -> frozenset:
    """The input predicates a procedure's status can depend on (computed once per policy).

    Those its own `eligible` rules reach, and, through the milestones it needs,
    those of `achieved` and of the procedures providing them, recursively.
    """
    return frozenset(_relevant_inputs(compiled, pid, with_prerequisites))


def _relevant_inputs(compiled, pid: str, with_prerequisites: bool) -> set:
    catalogue = _catalogue(compiled)
    graph = dependency_graph(compiled.program)
    starts, seen, todo = set(), set(), [pid]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        starts.update(_eligible_rule_inputs(compiled, current))
        if not with_prerequisites:
            break
        for milestone in catalogue["needs"].get(current, ()):
            starts.add("achieved")
            todo.extend(catalogue["providers"].get(milestone, ()))
    return reachable(graph, starts) & set(compiled.program.inputs)


def catalogue_order(compiled) -> list:
    """Procedure ids in the order the milestones chain them (prerequisites first), then by id."""
    catalogue = _catalogue(compiled)
    procedures = sorted({ground_row(r)[0] for r in compiled.program.rules_by_head.get("procedure", ())
                         if r.is_fact})
    depth = {pid: 0 for pid in procedures}
    for _ in range(len(procedures)):
        for pid in procedures:
            providers = [q for m in catalogue["needs"].get(pid, ()) for q in catalogue["providers"].get(m, ())]
            depth[pid] = 1 + max((depth.get(q, 0) for q in providers), default=-1)
    return sorted(procedures, key=lambda pid: (depth[pid], pid))


def providers_of(compiled, milestone: str) -> list:
    """The procedures whose `provides` facts name the milestone."""
    return _catalogue(compiled)["providers"].get(milestone, [])


def _catalogue(compiled) -> dict:
    """needs and providers from the policy's own facts (they do not depend on applicants)."""
    cached = getattr(compiled, "_catalogue", None)
    if cached is None:
        rows = {name: {ground_row(r) for r in compiled.program.rules_by_head.get(name, ()) if r.is_fact}
                for name in ("needs", "provides")}
        providers = {}
        for procedure, milestone in rows["provides"]:
            providers.setdefault(milestone, []).append(procedure)
        cached = compiled._catalogue = {"needs": _pairs(rows["needs"]), "providers": providers}
    return cached


def ground_row(rule) -> tuple:
    """A fact's row; an argument written as arithmetic (`r(1 - 2)`) is worked out."""
    return ground(rule.head, {})


def _pairs(rows) -> dict:
    found = {}
    for key, value in rows:
        found.setdefault(key, []).append(value)
    return found


def _texts(rows) -> dict:
    return next(({"en": en, "zh": zh} for en, zh in rows), {})


def _group_by_first(rows) -> dict:
    grouped = {}
    for row in sorted(rows, key=repr):
        grouped.setdefault(row[0], []).append(row[1:])
    return grouped


def _eligible_rule_inputs(compiled, pid: str) -> list:
    """The body predicates of the `eligible` rules that can conclude `pid`."""
    found = []
    for rule in compiled.program.rules_by_head.get("eligible", ()):
        head = rule.head.args[0] if rule.head.args else None
        if getattr(head, "value", pid) == pid:
            found.extend(atom.predicate for atom in all_atoms(rule))
    return found
