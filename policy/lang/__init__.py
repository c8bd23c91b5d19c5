"""The rule language: grammar.lark, the parser (text -> AST with spans), the loader of rule
files and its parse cache, Program (a parsed policy's indexes), the printer and the formatter.
Nothing here knows about engines or applicants.
"""
