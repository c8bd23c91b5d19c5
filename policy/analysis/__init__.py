"""What is known about a program before it runs: every static check (checks), binding and
body order (safety), the predicate dependency graph and its algorithms (graph: one copy), and
the one way to cache an analysis per program (cache).
"""
