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

A document the applicant must hold is a milestone of the same name
(`needs(restore_hukou_with_passport, passport)`, `achieved(passport) :- has_passport`):
a procedure is blocked by a document the applicant lacks, `obtain(M, En, Zh)` says
where the documents say to get it, and the checklist marks each document held,
missing or unknown.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from policy.decide.completions import decide
from policy.inputs.applicant import Applicant
from policy.errors import PolicyError
from policy.analysis.cache import analysis
from policy.analysis.graph import dependency_graph, reachable
from policy.lang.program import all_atoms
from policy.decide.matching import ground

APPLIES, BLOCKED, UNDETERMINED, NOT_APPLICABLE = "applies", "blocked", "undetermined", "not_applicable"
STATUS_ORDER = (APPLIES, BLOCKED, UNDETERMINED, NOT_APPLICABLE)
CATALOGUE = ("procedure", "alternative", "title", "office", "document", "duration", "citation",
             "needs", "provides", "achieved", "eligible", "obtain", "label")
HELD, MISSING, UNKNOWN = "held", "missing", "unknown"


@dataclass
class ProcedurePlan:
    """One procedure in an applicant's plan: its status, place in the order, documents and why."""

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
    remedies: list = field(default_factory=list)  # (milestone, {lang: how to get it}, [providers])
    missing: list = field(default_factory=list)  # names of unknown facts that decide it
    reason: str = ""  # a one-line reason, when asked for (query --explain)


@dataclass
class Plan:
    """An applicant's plan: every procedure's entry, in order, with the milestones reached and
    the facts not given."""

    applicant: Applicant
    procedures: list
    achieved: list
    unknown: list  # FactSpecs the applicant did not give

    def shown(self, show_all: bool) -> list:
        return [p for p in self.procedures if show_all or p.status != NOT_APPLICABLE]

    marks: dict = field(default_factory=dict)  # document key -> held | missing | unknown
    labels: dict = field(default_factory=dict)  # milestone, group or value -> {lang: title}

    def label(self, key, lang: str) -> str:
        """What the policy calls a milestone, group or value in `lang` (else the key)."""
        return self.labels.get(key, {}).get(lang) or str(key)

    def checklist(self) -> list:
        """[(document key, {lang: text}, [procedure ids])] for the procedures that apply or
        are blocked (a blocked one is on the list: what it lacks is marked missing)."""
        found = {}
        for procedure in self.procedures:
            if procedure.status not in (APPLIES, BLOCKED):
                continue
            for key, names in procedure.documents:
                found.setdefault(key, (names, []))[1].append(procedure.id)
        return [(key, names, ids) for key, (names, ids) in found.items()]


def labels_of(model: dict) -> dict:
    """{key: {"en": ..., "zh": ...}} from the policy's `label(Key, En, Zh)` facts."""
    return {key: {"en": en, "zh": zh} for key, en, zh in model.get("label", ())}


REQUIRED_CATALOGUE = (("procedure", 2), ("eligible", 1))
# Read by the plan when the policy has them; a different arity would be unpacked wrongly.
OPTIONAL_CATALOGUE = (("alternative", 2), ("title", 3), ("office", 3), ("duration", 3),
                      ("document", 4), ("citation", 2), ("needs", 2), ("provides", 2),
                      ("achieved", 1), ("obtain", 3))


def require_catalogue(compiled) -> None:
    """PolicyError(query_error) unless the policy has the predicates a plan is made of,
    each (the optional ones too, when present) with the arity the plan reads."""
    missing = [name for name, arity in REQUIRED_CATALOGUE
               if compiled.predicates.get(name) != arity]
    if missing:
        wanted = " and ".join(f"{name}/{arity}" for name, arity in REQUIRED_CATALOGUE)
        raise PolicyError.single(
            "query_error", f"the policy has no procedure catalogue: it needs {wanted} "
            f"(missing: {', '.join(missing)}); see the README's 'Writing a policy of your own'")
    wrong = [f"{name}/{compiled.predicates[name]} (a plan reads {name}/{arity})"
             for name, arity in OPTIONAL_CATALOGUE
             if compiled.predicates.get(name, arity) != arity]
    if wrong:
        raise PolicyError.single(
            "query_error", f"catalogue predicates with the wrong number of arguments: "
            f"{', '.join(wrong)}; see the README's 'Writing a policy of your own'")


def procedure_statuses(compiled, applicant: Applicant) -> dict:
    """{procedure: status} alone: what a batch needs, without the texts of a full plan."""
    require_catalogue(compiled)
    return {pid: outcome.status for pid, outcome in decide(compiled, applicant).outcomes.items()}


def statuses_from_models(compiled, certain: dict, possible: dict) -> dict:
    """{procedure: status} from the certain and possible models of the CATALOGUE predicates
    (a batch assembles them from answers shared between applicants)."""
    builder = PlanBuilder(compiled, None, certain, possible)
    return {pid: builder.status(pid) for pid, _ in sorted(certain["procedure"])}


def evaluate_applicant(compiled, applicant: Applicant, predicates=None) -> tuple:
    """(certain, possible) models for an applicant whose unknown facts stay open."""
    possible_facts = {spec.name: spec.possible_rows() for spec in applicant.unknown}
    return compiled.evaluate_with_unknowns(applicant.facts, possible_facts, predicates)


def make_plan(compiled, applicant: Applicant, decision=None) -> Plan:
    """Build the plan for `applicant`: statuses and deciding facts exact over every
    completion of the unknown facts (completions.py; `decision` when already made)."""
    require_catalogue(compiled)
    if decision is None:
        decision = decide(compiled, applicant)
    certain, possible = decision.models([p for p in CATALOGUE if p in compiled.predicates])
    builder = PlanBuilder(compiled, applicant, certain, possible, decision)
    return Plan(applicant, builder.procedures(), sorted(m for (m,) in certain.get("achieved", ())),
                applicant.unknown, builder.marks(), labels_of(certain))


class PlanBuilder:
    """Combines the certain and possible models into procedure plans."""

    def __init__(self, compiled, applicant: Applicant, certain: dict, possible: dict,
                 decision=None):
        self.compiled, self.applicant, self.decision = compiled, applicant, decision
        self.certain, self.possible = certain, possible
        self.needs = _pairs(certain.get("needs", ()))
        self.providers = {}
        for procedure, milestone in certain.get("provides", ()):
            self.providers.setdefault(milestone, []).append(procedure)
        self.reached = self._reachable(certain, possible, strict=True)
        self.reachable = self._reachable(certain, possible, strict=False)
        self.obtain = {m: {"en": en, "zh": zh} for m, en, zh in certain.get("obtain", ())}
        self._could = None  # procedures that are not not_applicable (with a decision)

    def marks(self) -> dict:
        """{document key: held | missing | unknown} for the documents that are milestones
        (the others are not asked about, so they have no mark)."""
        milestones = {m for values in self.needs.values() for m in values}
        held = {m for (m,) in self.certain.get("achieved", ())}
        possible = {m for (m,) in self.possible.get("achieved", ())}
        keys = {row[1] for row in self.certain.get("document", ())} & milestones
        return {key: HELD if key in held else UNKNOWN if key in possible else MISSING
                for key in sorted(keys)}

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

    def _texts_of(self, pid: str) -> dict:
        """A procedure's group, titles, offices, durations, documents and citations (the
        same for every applicant when those predicates are static: then made once)."""
        static = all(p in self.compiled.static_predicates
                     for p in ("alternative", "title", "office", "duration", "document", "citation")
                     if p in self.certain)
        cache = _procedure_texts(self.compiled) if static else {}
        found = cache.get(pid)
        if found is None:
            found = cache[pid] = {
                "group": next((g for (g,) in self._rows_of("alternative", pid)), ""),
                "title": _texts(self._rows_of("title", pid)),
                "office": _texts(self._rows_of("office", pid)),
                "duration": _texts(self._rows_of("duration", pid)),
                "documents": sorted((key, {"en": en, "zh": zh})
                                    for key, en, zh in self._rows_of("document", pid)),
                "citations": sorted(c for (c,) in self._rows_of("citation", pid))}
        return found

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
        texts = self._texts_of(pid)
        plan.group, plan.citations = texts["group"], list(texts["citations"])
        plan.title, plan.office, plan.duration = (dict(texts[k]) for k in ("title", "office", "duration"))
        plan.documents = [(key, dict(names)) for key, names in texts["documents"]]
        plan.needs = sorted(self.needs.get(pid, ()))
        if self.decision is not None:
            outcome = self.decision.outcomes[pid]
            plan.blocked_by, plan.missing = list(outcome.blocked_by), list(outcome.missing)
            if self._could is None:
                self._could = {p for p, o in self.decision.outcomes.items()
                               if o.status != NOT_APPLICABLE}
            plan.remedies = self._remedies(plan.blocked_by, self._could)
            return plan
        plan.blocked_by = [m for m in plan.needs if m not in self.reachable]
        plan.remedies = self._remedies(plan.blocked_by, self._eligible(self.possible))
        if plan.status == UNDETERMINED:
            plan.missing = self._missing_facts(pid)
        return plan

    def _remedies(self, blocked_by: list, could) -> list:
        """How to get each missing milestone: where the documents say, and which of the
        procedures that provide it could apply to this applicant."""
        return [(m, self.obtain.get(m, {}), sorted(p for p in self.providers.get(m, ()) if p in could))
                for m in blocked_by]

    def status(self, pid: str) -> str:
        if self.decision is not None:
            return self.decision.outcomes[pid].status
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
        # for each active plan, per milestone it needs that is not achieved: its active providers
        waits = [(plan, [[active[p] for p in self.providers.get(m, ()) if p in active]
                         for m in plan.needs if m not in achieved])
                 for plan in active.values()]
        for _ in range(len(active) + 1):
            changed = False
            for plan, providers in waits:
                step = 1 + max((min((p.step for p in among), default=0) for among in providers),
                               default=0)
                changed |= step != plan.step
                plan.step = step
            if not changed:
                break


@analysis
def _procedure_texts(compiled) -> dict:
    """Procedure id -> its texts from static catalogue predicates (filled as they are read)."""
    return {}


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
