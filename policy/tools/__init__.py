"""Work that joins decisions with their presentation, or spans many evaluations: the explain
document, scenario tests and coverage, the impact of a policy change, batches (with relevance
keys to share answers), the policy as documents, and the terminal interviewer.
"""
