"""PyYAML's test for the characters YAML does not allow, compiled in a form 50 times faster.

Why: PyYAML's reader compiles, when it is imported, a negated character class reaching up
to U+10FFFF; Python's regular-expression compiler takes about 10 ms over it, a thirtieth
of a cold `policylog query`. The class of the characters it rejects, written directly,
is the same set of code points (tests/inputs/test_printable.py checks every one) and
compiles in a fraction of a millisecond. `prepare()`, called before PyYAML is imported,
puts that compiled pattern in the `re` module's cache under PyYAML's pattern text, so
PyYAML's `re.compile` finds it there instead of compiling. Where the cache is not what
this expects, or PyYAML's text differs, nothing changes: PyYAML compiles its own.
"""
from __future__ import annotations

import re
import sys

# yaml/reader.py, Reader.NON_PRINTABLE: what YAML 1.1 allows, negated
YAML_PATTERN = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
# every code point outside those ranges, listed
REJECTED = "[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]"


def prepare() -> None:
    """The rejected characters' pattern in re's cache under PyYAML's text (once, before
    PyYAML is imported; harmless after)."""
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict) and "yaml" not in sys.modules:
        cache.setdefault((str, YAML_PATTERN, 0), re.compile(REJECTED))
