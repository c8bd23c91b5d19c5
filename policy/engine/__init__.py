"""From a checked AST to models: lowering (the lowered program every engine reads), the
three-valued rewrite for unknown facts, fixpoint planning, the split of apparent recursion,
the pyDatalog seam (the only importer of pyDatalog) and CompiledPolicy (evaluation only).
"""
