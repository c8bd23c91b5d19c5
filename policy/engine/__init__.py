"""From a checked AST to models: lowering (the lowered program every engine reads), the
three-valued rewrite for unknown facts, fixpoint planning, the split of apparent recursion,
the fact budget, lineage (formulas over unknown facts, as decision diagrams), the engine
seams (each the only importer of its engine) and CompiledPolicy (evaluation only).
"""
