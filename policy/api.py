"""The library behind every command: one function per command.

cli.py and the HTTP service are thin over this module: they parse options,
call one function here, and hand the result to a view (policy/views/). Nothing
here imports Click or prints; results are plain objects or JSON-ready dicts.
"""
from __future__ import annotations
