"""From models to answers about procedures: the plan (statuses, steps, checklist), proofs and
why-not, rule matching, query answers, counterfactuals and the explanation document.
"""
