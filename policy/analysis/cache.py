"""Analyses worked out once per program: the one way results about a program are cached.

A parsed Program and a CompiledPolicy never change once built, so anything
derived from them (the dependency graph, the applicant fact schema, the
inputs a procedure can depend on, ...) is computed once. Each such owner
holds one `analyses` dict, and an analysis is a function of the owner
(and hashable arguments) decorated with `@analysis`, as Souffle's
`getAnalysis` hands out one analysis object per program:

    >>> class Owner:
    ...     def __init__(self):
    ...         self.analyses = {}
    >>> @analysis
    ... def double(owner, n):
    ...     print("working")
    ...     return 2 * n
    >>> owner = Owner()
    >>> double(owner, 2)
    working
    4
    >>> double(owner, 2)
    4
"""
from __future__ import annotations

import functools


def analysis(function):
    """`function(owner, ...)`, computed once per owner and arguments (kept in owner.analyses)."""

    @functools.wraps(function)
    def cached(owner, *args, **kwargs):
        key = (function, args, tuple(sorted(kwargs.items())))
        store = owner.analyses
        if key not in store:
            store[key] = function(owner, *args, **kwargs)
        return store[key]

    return cached
