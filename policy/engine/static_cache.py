"""The static predicates' facts of a policy read from files, kept in the per-user cache.

Why: the static predicates (those no input reaches: the catalogue of procedures,
documents, offices, titles) are the same for every applicant, and evaluating them
was most of a cold `policylog query`'s own work: importing pyDatalog, building the
policy's clauses and running them (about a tenth of a second). With their facts
cached, a command that decides applicants from the lineage diagrams never imports
pyDatalog at all.

An entry is kept in the same private folder as the parsed files, signed the same
way (private_folder.py), and is believed only when its signature verifies and its
whole shape is right: a JSON object of exactly the policy's static predicates, each
a list of rows of that predicate's arity, each value one of the value model's
kinds (a string, an integer, a decimal, a date, true/false; parse_cache.decode_value).
Anything else is ignored and the facts are evaluated again. Reading it runs no code.

The key is made of the policy's files (names and texts, in order), policylog's own
source files (names, sizes and modification times: a changed engine misses) and
the fact limit in force (an evaluation that stopped at a smaller limit is never
stored, and one that fits a larger limit is not taken for a smaller one). Only
policies read from files are cached (`Program.from_files`): a program text given
in memory, as tests and benchmarks give by the thousand, is evaluated each time.
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from policy.lang import parse_cache
from policy.lang import private_folder
from policy.lang.private_folder import cache_folder, read_signed_json, write_signed
from policy.values import Day, Truth

VERSION = "1"
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_KINDS = (str, int, Decimal, Day, Truth)


def _key(program, max_facts) -> str:
    digest = hashlib.sha256()
    for part in (VERSION, private_folder.code_fingerprint(), repr(max_facts), *(
            piece for file in program.files for piece in (file, program.sources.get(file, "")))):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _entry(program, max_facts):
    """(folder, entry name) for this program and limit, or None when nothing is cached."""
    if not getattr(program, "from_files", False):
        return None
    folder = cache_folder()
    return None if folder is None else (folder, f"static-{_key(program, max_facts)}.json")


def load(program, arities: dict, max_facts):
    """The cached static model ({predicate: set of rows in engine values}) of the program
    whose static predicates and their arities are `arities`, or None."""
    entry = _entry(program, max_facts)
    if entry is None:
        return None
    return read_signed_json(*entry, MAX_ENTRY_BYTES, lambda document: decode(document, arities))


def store(program, max_facts, model: dict) -> None:
    """Remember a static model (best effort; a value of another kind stores nothing)."""
    entry = _entry(program, max_facts)
    if entry is None or not all(_storable(v) for rows in model.values() for row in rows
                                for v in row):
        return
    data = {name: [[parse_cache.encode(v) for v in row] for row in rows]
            for name, rows in sorted(model.items())}
    write_signed(*entry, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _storable(value) -> bool:
    return isinstance(value, _KINDS) and not isinstance(value, bool)


def decode(data, arities: dict) -> dict:
    """The model an entry holds; BadEntry unless it is exactly `arities`' predicates, each a
    list of rows of its arity, each value a constant of the value model."""
    if not isinstance(data, dict) or set(data) != set(arities):
        raise parse_cache.BadEntry("an entry holds exactly the static predicates")
    model = {}
    for name, rows in data.items():
        if not isinstance(rows, list):
            raise parse_cache.BadEntry("a predicate's rows are a list")
        found = set()
        for row in rows:
            if not isinstance(row, list) or len(row) != arities[name]:
                raise parse_cache.BadEntry(f"a row of {name} has {arities[name]} values")
            found.add(tuple(parse_cache.decode_value(v) for v in row))
        model[name] = found
    return model
