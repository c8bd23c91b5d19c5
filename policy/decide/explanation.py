"""`policylog explain`: one procedure's why, why not and what would change it, as a document.

The document is what `--format json` prints (schema policylog/explanation/1);
explainview renders it as text or Markdown.
"""
from __future__ import annotations

from policy.inputs.applicant import Applicant, fact_schema
from policy.decide.counterfactual import MAX_CHANGES, WhatIf
from policy.errors import PolicyError, did_you_mean
from policy.decide.proofs import HOLDS, Explainer
from policy.views.explainview import EXPLANATION_SCHEMA, Sentences, attempt_json, proof_json
from policy.decide.plan import APPLIES, NOT_APPLICABLE, evaluate_applicant, make_plan, providers_of
from policy.views.labels import label
from policy.views.render import json_value


class ApplicantExplainer:
    """Evaluates an applicant once and explains any of its procedures."""

    def __init__(self, compiled, applicant: Applicant, lang: str = "en"):
        self.compiled, self.applicant, self.lang = compiled, applicant, lang
        models = evaluate_applicant(compiled, applicant)
        self.plan = make_plan(compiled, applicant, models)
        self.explainer = Explainer(compiled, *models, applicant=applicant)
        self.sentences = Sentences(compiled.program, lang)
        self.by_id = {p.id: p for p in self.plan.procedures}

    def procedure(self, pid: str):
        if pid not in self.by_id:
            message = f"the policy has no procedure '{pid}'" + did_you_mean(pid, self.by_id)
            raise PolicyError.single("query_error", message)
        return self.by_id[pid]

    def document(self, pid: str, why_not: bool = False, depth: int = 2, all_proofs: bool = False,
                 what_if: bool = True) -> dict:
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
        document["needs"] = [self._milestone_json(m) for m in procedure.needs]
        if what_if:
            self._add_what_if(document, pid, procedure.status)
        return document

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
        search = WhatIf(self.compiled, self.applicant, fact_schema(self.compiled.program))
        if status == APPLIES:
            document["hinges_on"] = [{"fact": name, "value": json_value(value),
                                      "text": self.sentences.fact_sentence(name, ())}
                                     for name, value in search.hinges_on(pid)]
        else:
            document["max_changes"] = MAX_CHANGES
            document["would_apply_if"] = [[self._change_json(c) for c in changes]
                                          for changes in search.would_apply_if(pid)]

    def _change_json(self, change) -> dict:
        return {"fact": change.name, "value": json_value(change.value),
                "was": json_value(change.was), "text": self.sentences.fact_sentence(change.name, ())}

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
                      f"[{rule.rule_id}; {source.text() if source else '-'}]")
            if procedure.blocked_by:
                blocked = label(self.lang, "reason.blocked", what=", ".join(procedure.blocked_by))
                reason += f"; {blocked}"
            return reason
        if procedure.status != NOT_APPLICABLE:
            return label(self.lang, "reason.depends", what=", ".join(procedure.missing))
        return self._closest_miss(pid)

    def _closest_miss(self, pid: str) -> str:
        attempts = self.explainer.why_not("eligible", (pid,), 1)
        if not attempts:
            return label(self.lang, "reason.no_rule")
        best = min(attempts, key=lambda a: sum(c.status != HOLDS for c in a.conditions))
        failing = next(c for c in best.conditions if c.status != HOLDS)
        text = self.sentences.literal_sentence(failing.literal, failing.bindings)
        status = label(self.lang, "explain.status:" + failing.status)
        return f"{status}: {text} [{best.rule.rule_id}]"
