"""From models to answers about procedures: the exact decision under unknown facts
(completions, domains), one applicant evaluated once (evaluation), the plan (statuses, steps,
checklist), proofs and why-not, rule matching, query answers, counterfactuals and the
interview's next question. Computes only: nothing here imports a view.
"""
