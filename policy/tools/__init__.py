"""Work over many evaluations: scenario tests and coverage, the impact of a policy change, batches
(with relevance keys to share answers) and the policy as documents.
"""
