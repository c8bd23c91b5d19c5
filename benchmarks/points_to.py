"""An Andersen-style points-to analysis for benchmarks/general.py: 24 rules, generated input.

Context-insensitive, field-sensitive, with on-the-fly call graph construction, as in
Doop's or Soufflé's textbook analyses of Java: `vpt(V, H)` (variable V may point to the
object allocated at site H), `hpt(B, F, H)` (field F of object B may point to H),
`spt(F, H)` for static fields, `reach(M)` and `callgraph(I, M)` built together with the
points-to sets (a virtual call dispatches on the classes its receiver may point to),
argument/return passing, casts filtered by the subclass relation, method lookup up the
class hierarchy (with negation: a class that defines the signature stops the lookup),
exceptions thrown out of callees unless the call site catches them, and class
initialisers made reachable by allocating an object of their class.

`facts(size, seed)` generates a program of about `size` input facts: classes in a random
hierarchy, methods with local variables, allocations, assignments, loads and stores over a
few fields, static and virtual calls with arguments and results. Every value is an integer
(an id), so the same facts read alike in policylog and in clingo.
"""
from __future__ import annotations

import random

INPUTS = ("alloc(v, h, m)", "assign(to, from)", "load(to, base, f)", "store(base, f, from)",
          "sload(to, f)", "sstore(f, from)", "cast(to, from, t)", "heaptype(h, t)",
          "entry(m)", "scall(i, m)", "vcall(i, base, s)", "inmethod(i, m)",
          "actual(i, n, v)", "formal(m, n, v)", "ret(m, v)", "callret(i, v)", "thisvar(m, v)",
          "declares(t, s, m)", "subclass(t, p)", "class(t)", "throw(m, v)", "catches(i)",
          "catchvar(i, v)", "clinit(t, m)")

RULES = """\
vpt(V, H) :- alloc(V, H, M), reach(M).
vpt(T, H) :- assign(T, F), vpt(F, H).
hpt(B, F, H) :- store(X, F, Y), vpt(X, B), vpt(Y, H).
vpt(T, H) :- load(T, X, F), vpt(X, B), hpt(B, F, H).
spt(F, H) :- sstore(F, Y), vpt(Y, H).
vpt(T, H) :- sload(T, F), spt(F, H).
vpt(T, H) :- cast(T, F, C), vpt(F, H), heaptype(H, D), subtype(D, C).
reach(M) :- entry(M).
reach(M) :- callgraph(I, M).
callgraph(I, M) :- scall(I, M), inmethod(I, C), reach(C).
callgraph(I, M) :- vcall(I, B, S), inmethod(I, C), reach(C), vpt(B, H), heaptype(H, T), lookup(T, S, M).
vpt(V, H) :- vcall(I, B, S), callgraph(I, M), thisvar(M, V), vpt(B, H), heaptype(H, T), lookup(T, S, M).
interassign(F, A) :- callgraph(I, M), actual(I, N, A), formal(M, N, F).
interassign(T, R) :- callgraph(I, M), ret(M, R), callret(I, T).
vpt(T, H) :- interassign(T, F), vpt(F, H).
lookup(T, S, M) :- declares(T, S, M).
lookup(T, S, M) :- subclass(T, P), lookup(P, S, M), not defines(T, S).
defines(T, S) :- declares(T, S, M).
subtype(T, T) :- class(T).
subtype(T, S) :- subclass(T, P), subtype(P, S).
thrown(M, H) :- throw(M, V), vpt(V, H).
thrown(C, H) :- callgraph(I, M), thrown(M, H), inmethod(I, C), not catches(I).
vpt(V, H) :- catchvar(I, V), callgraph(I, M), thrown(M, H).
reach(M) :- clinit(T, M), heaptype(H, T), alloc(V, H, C), reach(C).
"""


def policylog_text() -> str:
    return "".join(f"input {spec}.\n" for spec in INPUTS) + RULES


def asp_text() -> str:
    """The same rules for clingo (no spaces needed; `not` is the same default negation)."""
    return RULES


def facts(size: int, seed: int = 13) -> dict:
    """About `size` input facts of a generated program (see the module doc). Code is cut
    into modules of 10 methods and 3 classes: calls, allocations and dispatch stay mostly
    within a module, and a few reach any other (so points-to sets grow with the program
    but do not all merge into one)."""
    rng = random.Random(seed)
    out = {spec.split("(")[0]: [] for spec in INPUTS}
    ids = iter(range(1, 10 ** 9))
    modules = max(2, size // 300)
    sigs = [next(ids) for _ in range(max(5, modules * 3))]
    fields = [next(ids) for _ in range(12)]
    units = []
    for index in range(modules):  # (classes, instance methods, static methods) of a module
        classes = [next(ids) for _ in range(3)]
        for t in classes:
            out["class"].append((t,))
            if out["class"][1:]:
                parent = (rng.choice(units[-1][0] + classes[:classes.index(t)]) if units
                          else rng.choice(classes[:classes.index(t)] or [None]))
                if parent is not None:
                    out["subclass"].append((t, parent))
        instance = []
        for _ in range(5):
            key = (rng.choice(classes), rng.choice(sigs))
            if key not in {(t, s) for t, s, _ in out["declares"][-5:]}:
                m = next(ids)
                out["declares"].append((*key, m))
                instance.append(m)
        units.append((classes, instance, [next(ids) for _ in range(5)]))
    all_types = [t for unit in units for t in unit[0]]
    all_static = [m for unit in units for m in unit[2]]
    for classes, _, static in rng.sample(units, max(1, modules // 10)):
        out["clinit"].append((rng.choice(classes), rng.choice(static)))
    for classes, instance, static in units:
        for m in instance + static:
            near = rng.random() < 0.97
            _method(rng, out, ids, m, m in instance, classes if near else all_types, sigs,
                    static if near else all_static, fields)
    out["entry"].extend((rng.choice(static),) for _, _, static in units)  # each module's main
    return out


def _method(rng, out, ids, m, is_instance, types, sigs, static, field_ids) -> None:
    """One method's body: locals, formals, allocations, moves, field accesses and calls
    (static calls to `static`)."""
    local = [next(ids) for _ in range(8)]
    for n, v in enumerate(local[:2]):
        out["formal"].append((m, n, v))
    if is_instance:
        out["thisvar"].append((m, local[2]))
    out["ret"].append((m, local[3]))
    for _ in range(2):
        h = next(ids)
        out["alloc"].append((rng.choice(local), h, m))
        out["heaptype"].append((h, rng.choice(types)))
    for _ in range(4):
        out["assign"].append((rng.choice(local), rng.choice(local)))
    out["load"].append((rng.choice(local), rng.choice(local), rng.choice(field_ids)))
    out["store"].append((rng.choice(local), rng.choice(field_ids), rng.choice(local)))
    if rng.random() < 0.02:
        out["sstore"].append((rng.choice(field_ids), rng.choice(local)))
    if rng.random() < 0.02:
        out["sload"].append((rng.choice(local), rng.choice(field_ids)))
    if rng.random() < 0.2:
        out["cast"].append((rng.choice(local), rng.choice(local), rng.choice(types)))
    if rng.random() < 0.1:
        out["throw"].append((m, rng.choice(local)))
    for _ in range(3):
        i = next(ids)
        out["inmethod"].append((i, m))
        if rng.random() < 0.9:
            out["scall"].append((i, rng.choice(static)))
        else:
            out["vcall"].append((i, rng.choice(local), rng.choice(sigs)))
        for n in range(2):
            out["actual"].append((i, n, rng.choice(local)))
        out["callret"].append((i, rng.choice(local)))
        if rng.random() < 0.05:
            out["catches"].append((i,))
            out["catchvar"].append((i, rng.choice(local)))
