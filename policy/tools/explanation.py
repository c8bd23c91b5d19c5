"""`policylog explain`: one procedure's why, why not and what would change it, as a document.

The document is what `--format json` prints (schema policylog/explanation/1);
explainview renders it as text or Markdown. It lives among the tools, not in
decide/, because it joins the decision (decide/) with the policy's sentences and
the label table (views/): decide/ computes and never imports a view.
"""
from __future__ import annotations

import os

from policy.inputs.applicant import Applicant, fact_schema
from policy.decide.counterfactual import (MAX_CHANGES, Change, WhatIf, candidate_values, change_rows,
                                          describe)
from policy.decide.range_status import refined
from policy.decide.domains import FINITE
from policy.errors import PolicyError, did_you_mean
from policy.decide.matching import ground
from policy.decide.proofs import HOLDS, UNKNOWN
from policy.lang import ast
from policy.views.explainview import EXPLANATION_SCHEMA, Sentences, attempt_json, proof_json
from policy.decide.evaluation import evaluate
from policy.engine.diagrams import manager_for, reordering_held
from policy.decide.plan import APPLIES, NOT_APPLICABLE, providers_of
from policy.views.labels import label
from policy.views.wording import condition_text
from policy.views.render import json_value

class ApplicantExplainer:
    """Evaluates an applicant once and explains any of its procedures."""

    def __init__(self, compiled, applicant: Applicant, lang: str = "en", engine: str = "pydatalog"):
        self.compiled, self.applicant, self.lang = compiled, applicant, lang
        with reordering_held(manager_for(compiled)):
            evaluation = evaluate(compiled, applicant, engine)
        self.decision, self.plan, self.explainer = (evaluation.decision, evaluation.plan,
                                                    evaluation.explainer)
        self.sentences = Sentences(compiled.program, lang)
        self.by_id = {p.id: p for p in self.plan.procedures}
        self._searches = {}  # procedure -> its what-if search (_what_if)

    def procedure(self, pid: str):
        if pid not in self.by_id:
            message = f"the policy has no procedure '{pid}'" + did_you_mean(pid, self.by_id)
            raise PolicyError.single("query_error", message)
        return self.by_id[pid]

    def document(self, pid: str, why_not: bool = False, depth: int = 2, all_proofs: bool = False,
                 what_if: bool = True) -> dict:
        """The explanation of procedure `pid` (schema policylog/explanation/1). CUDD's
        reordering is held meanwhile, as while the applicant was evaluated: the what-if
        search and the "Decided by" ranges make many diagrams that live for one check,
        and sifting the variables each time they pass CUDD's threshold took a third of
        Dana's hardship review (examples/household)."""
        with reordering_held(manager_for(self.compiled)):
            return self._document(pid, why_not, depth, all_proofs, what_if)

    def _document(self, pid: str, why_not: bool, depth: int, all_proofs: bool,
                  what_if: bool) -> dict:
        procedure = self.procedure(pid)
        document = {"schema": EXPLANATION_SCHEMA, "applicant": self.applicant.name,
                    "lang": self.lang, "procedure": self._procedure_json(procedure)}
        eligible = self.explainer.certain.holds("eligible", (pid,))
        if eligible:
            document["why"] = [proof_json(p, self.sentences, self.applicant)
                               for p in self.explainer.why("eligible", (pid,), all_proofs)]
        if not eligible or why_not:
            attempts = self.explainer.why_not("eligible", (pid,), depth)
            document["why_not"] = [attempt_json(a, self.sentences) for a in attempts]
        if procedure.status != APPLIES:
            document["blocked_by"] = procedure.blocked_by
            document["missing_facts"] = procedure.missing
            if procedure.missing:
                document["decided_by"] = self._decided_by(pid, procedure.missing)
        document["needs"] = [self._milestone_json(m) for m in procedure.needs]
        if what_if:
            self._add_what_if(document, pid, procedure.status)
        document["labels"] = self._labels_used(document)
        return document

    def _labels_used(self, document: dict) -> dict:
        """The policy's titles (label/3) of the milestones and values the document names."""
        keys = {need["milestone"] for need in document.get("needs", ())}
        keys |= set(document.get("blocked_by", ()))
        keys |= {hinge["value"] for hinge in document.get("hinges_on", ()) if isinstance(hinge["value"], str)}
        for changes in document.get("would_apply_if", ()):
            keys |= {c[k] for c in changes for k in ("value", "was") if isinstance(c.get(k), str)}
        return {key: self.plan.labels[key] for key in sorted(keys) if key in self.plan.labels}

    def _what_if(self, pid: str) -> WhatIf:
        """The what-if search for one procedure. When one unknown number or date decides
        it, its regions are also cut where a condition on it alone changes
        (decide/cut_points.py), so that "Decided by" and the suggestions name exact values."""
        found = self._searches.get(pid)
        if found is None:
            found = self._searches[pid] = WhatIf(self.compiled, self.applicant,
                                                 fact_schema(self.compiled.program),
                                                 self.decision)
        return found

    def _decided_by(self, pid: str, missing: list) -> list:
        """For each deciding fact, the status each of its values gives (the other unknown
        facts left unknown): which values of it would decide the procedure."""
        search = self._what_if(pid)
        found = []
        for name in missing:
            spec = search.schema[name]
            if spec.is_record:
                found.append({"fact": name, "text": self.sentences.fact_sentence(name, ()),
                              "values": self._record_values(pid, spec)})
                continue
            regions = [(value, search.region_status(pid, name, value))
                       for value in candidate_values(spec, self.compiled, search.applicant)]
            values = [{"value": value,
                       "status": status or search.quick_status(pid, [Change(name, value, None)])}
                      for value, status in regions]
            if search._main_tells_apart(name) and self.decision is not None:
                pairs = refined(self.decision, pid, spec, [(v["value"], v["status"]) for v in values])
                values = [{"value": value, "status": status} for value, status in pairs]
            if search._is_open(name) or (self._open_type(spec) and all(s for _, s in regions)):
                values = _by_status(values, spec.type.name, self.lang)
            for value in values:  # described on the engine's values (a date is no string)
                value["value"] = _json(value["value"])
            found.append({"fact": name, "text": self.sentences.fact_sentence(name, ()),
                          "values": values})
        return found

    @staticmethod
    def _open_type(spec) -> bool:
        return not spec.is_flag and not spec.is_record and spec.type.name not in FINITE

    def _record_values(self, pid: str, spec) -> list:
        """A fact of records: the status with no rows, then, for each status some single
        row gives, the last such row (rows of the candidates the policy tells apart; the last
        has the strings the policy does not name, which stand for any other). Where the
        decision keeps one representative row per region, which stands for one or more
        rows, the diagrams' status of a row is not that of exactly that one row (a count
        of young children at least 2 said "undetermined" for one child): those rows are
        evaluated instead, and lists of 2 or 3 records are added for a status no single
        row shows."""
        domain = self.decision.domains[spec.name]
        empty = self.decision.status_with(pid, spec.name, ())
        if domain.chains or not domain.open_type:
            examples = {}
            for row, _ in domain.candidates:
                examples[self.decision.status_with(pid, spec.name, [row])] = (row,)
        else:
            examples = self._evaluated_records(pid, spec, domain, empty)
        return ([{"value": [], "status": empty}]
                + [{"value": _records(spec, rows), "status": status}
                   for status, rows in examples.items()])

    def _evaluated_records(self, pid: str, spec, domain, empty: str) -> dict:
        """{status: rows} of each single candidate row, by evaluating the policy with the
        fact given as that row (the last row of each status kept), then of copies of
        rows for the statuses not yet shown (the first such list kept)."""
        search, examples = self._what_if(pid), {}
        for row, _ in domain.candidates:
            examples[search.status(pid, [Change(spec.name, (row,), None)])] = (row,)
        for rows in search.copies(spec):
            status = search.status(pid, [Change(spec.name, rows, None)])
            if status not in examples and status != empty:
                examples[status] = rows
        return examples

    def _milestone_json(self, milestone: str) -> dict:
        providers = [{"id": p.id, "status": p.status, "step": p.step}
                     for p in self.plan.procedures
                     if p.id in providers_of(self.compiled, milestone)]
        return {"milestone": milestone, "achieved": milestone in self.plan.achieved,
                "providers": providers}

    def _procedure_json(self, procedure) -> dict:
        return {"id": procedure.id, "title": procedure.title.get(self.lang, procedure.id),
                "status": procedure.status, "step": procedure.step,
                "citations": procedure.citations}

    def _add_what_if(self, document: dict, pid: str, status: str) -> None:
        search = self._what_if(pid)
        if status == APPLIES:
            document["hinges_on"] = [{"fact": name, "value": self._value_json(name, value),
                                      "text": self.sentences.fact_sentence(name, ())}
                                     for name, value in search.hinges_on(pid)]
        else:
            document["max_changes"] = MAX_CHANGES
            document["would_apply_if"] = [[self._change_json(c) for c in changes]
                                          for changes in search.would_apply_if(pid)]

    def _change_json(self, change) -> dict:
        found = {"fact": change.name, "value": self._value_json(change.name, change.value),
                 "was": self._value_json(change.name, change.was),
                 "text": self.sentences.fact_sentence(change.name, ())}
        if change.condition:  # an open type: every value that works
            found["condition"] = condition_text(change.condition, self.lang)
        return found

    def _value_json(self, name: str, value):
        """A fact's value as the document shows it (records as mappings by argument name)."""
        spec = next(s for s in fact_schema(self.compiled.program) if s.name == name)
        return _record_json(spec, value) if spec.is_record else _json(value)

    def reason(self, pid: str) -> str:
        """One line: why the procedure has its status."""
        procedure = self.procedure(pid)
        if procedure.status == APPLIES or (procedure.status != NOT_APPLICABLE
                                            and self.explainer.certain.holds("eligible", (pid,))):
            instances = self.explainer.instances_of("eligible", (pid,))
            if not instances:
                return pid
            _, rule, bindings = instances[0]  # the rule of the smallest proof
            source = rule.annotation("source")
            reason = (f"{self.sentences.rule_sentence(rule, bindings)} "
                      f"[{_cited(rule)}; {source.text() if source else '-'}]")
            if procedure.blocked_by:
                blocked = label(self.lang, "reason.blocked", what=", ".join(procedure.blocked_by))
                reason += f"; {blocked}"
            return reason
        if procedure.status != NOT_APPLICABLE:
            # the plan lists the deciding facts already: say which condition is open
            return self._closest_miss(pid, open_only=True) or \
                label(self.lang, "reason.depends", what=", ".join(procedure.missing))
        return self._closest_miss(pid)

    def _condition_sentence(self, condition) -> str:
        """A condition in words; an applicant's fact not given, by its description ("Start
        date", not `started(D)`)."""
        literal = condition.literal
        if isinstance(literal, ast.Atom) and literal.predicate in self.compiled.program.inputs \
                and ground(literal, condition.bindings) is None:
            return self.sentences.fact_sentence(literal.predicate, ())
        return self.sentences.literal_sentence(literal, condition.bindings)

    def _closest_miss(self, pid: str, open_only: bool = False) -> str:
        """The first condition that does not hold of the rule that comes closest; with
        `open_only`, of a rule none of whose conditions is false ("" when there is none)."""
        attempts = self.explainer.why_not("eligible", (pid,), 1)
        if open_only:
            attempts = [a for a in attempts if all(c.status in (HOLDS, UNKNOWN)
                                                   for c in a.conditions)]
            if not attempts:
                return ""
        if not attempts:
            return label(self.lang, "reason.no_rule")
        best = min(attempts, key=lambda a: sum(c.status != HOLDS for c in a.conditions))
        failing = next(c for c in best.conditions if c.status != HOLDS)
        text = self._condition_sentence(failing)
        status = label(self.lang, "explain.status:" + failing.status)
        return f"{status}: {text} [{_cited(best.rule)}]"


def _cited(rule) -> str:
    """A rule as a reason cites it: its @id, else the name of its file and its line (a rule
    without an @id printed `[None]`; the whole path would fill the line)."""
    return rule.rule_id or f"{os.path.basename(rule.span.file)}:{rule.span.line}"


def _json(value):
    """A fact's value as JSON; several values (a list in the applicant file) as a list."""
    return [json_value(v) for v in value] if isinstance(value, tuple) else json_value(value)

def _record_json(spec, value):
    """A change's value of a fact of records (None, no records, one record or several)."""
    if value is None:
        return None
    rows = () if value == () else ((value,) if not isinstance(value[0], tuple) else value)
    return _records(spec, rows)

def _records(spec, rows) -> list:
    """Records as JSON: one mapping per row, by the declaration's argument names."""
    params = [p.name for p in spec.declaration.params]
    return [dict(zip(params, (json_value(v) for v in row))) for row in rows]

def _by_status(values: list, kind: str, lang: str) -> list:
    """An open type's values grouped by the status they give, each group as a condition."""
    plain = [v["value"] for v in values if v["value"] not in ([], ())]
    grouped = []
    for status in dict.fromkeys(v["status"] for v in values):
        working = [v["value"] for v in values
                   if v["status"] == status and v["value"] not in ([], ())]
        if working:
            grouped.append({"value": working[0],
                            "condition": condition_text(describe(working, plain, kind), lang),
                            "status": status})
    grouped += [v for v in values if v["value"] in ([], ())]
    return grouped
