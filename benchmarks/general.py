"""General Datalog at scale: policylog on DuckDB, policylog on pyDatalog and clingo, one run.

    python benchmarks/general.py            # every workload; pyDatalog capped at --timeout s
    python benchmarks/general.py --quick    # smaller sizes, about a minute
    python benchmarks/general.py --only points-to --timeout 120   # one row

Each measurement runs in its own process (so that peak memory is that run's
own, and a run past --timeout is stopped), from the program text and facts in
memory to the answers as Python values: compile + evaluate for policylog
(`compile_text(...).evaluate(facts, [target], engine=...)`), ground + solve +
reading the shown atoms for clingo. Each cell: the cold run (imports included,
a fresh process), then the same evaluation again in that process ("warm"),
then the process's peak memory. The answer counts must agree, or the run
stops with an error. Ratios are against clingo measured in the same run.

A cold run reads policylog's modules compiled, as an installed package does (clingo's
are): the checkout's modules are compiled once before the first run (`__pycache__`, which
git ignores), and the runs read them even where PYTHONDONTWRITEBYTECODE is set, under
which each would compile the checkout's modules again (about 0.2 s of each cold run).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import points_to  # noqa: E402  (benchmarks/points_to.py: the points-to workload)

CLOSURE = """input edge(a, b).
path(X, Y) :- edge(X, Y).
path(X, Z) :- path(X, Y), edge(Y, Z).
"""
CLOSURE_ASP = "path(X,Y) :- edge(X,Y). path(X,Z) :- path(X,Y), edge(Y,Z)."

JOIN = """input a(x, y). input b(y, z). input c(z, w).
j(X, W) :- a(X, Y), b(Y, Z), c(Z, W).
"""
JOIN_ASP = "j(X,W) :- a(X,Y), b(Y,Z), c(Z,W)."

AGGREGATE = """input person(p). input pay(p, m, amount: integer).
total(P, S) :- person(P), S = sum A : { pay(P, _, A) }.
months(P, N) :- person(P), N = count : { pay(P, _, _) }.
"""
AGGREGATE_ASP = ("total(P,S) :- person(P), S = #sum { A,M : pay(P,M,A) }. "
                 "months(P,N) :- person(P), N = #count { M,A : pay(P,M,A) }.")

POLICY = """input applicant(a). input age(a, n: integer). input hukou(a, k). input employed(a, e).
input abroad(a). input insured(a).
adult(A) :- age(A, N), N >= 18.
hukou_ok(A) :- hukou(A, urban).
hukou_ok(A) :- hukou(A, rural).
needs_hukou(A) :- abroad(A), not hukou_ok(A).
eligible(A, employee) :- adult(A), employed(A, yes), hukou_ok(A).
eligible(A, flexible) :- adult(A), employed(A, no), hukou_ok(A), not insured(A).
eligible(A, resident) :- applicant(A), not employed(A, yes), hukou_ok(A).
blocked(A, P) :- eligible(A, P), needs_hukou(A).
open(A, P) :- eligible(A, P), not blocked(A, P).
"""
POLICY_ASP = """adult(A) :- age(A,N), N >= 18.
hukou_ok(A) :- hukou(A,urban).
hukou_ok(A) :- hukou(A,rural).
needs_hukou(A) :- abroad(A), not hukou_ok(A).
eligible(A,employee) :- adult(A), employed(A,yes), hukou_ok(A).
eligible(A,flexible) :- adult(A), employed(A,no), hukou_ok(A), not insured(A).
eligible(A,resident) :- applicant(A), not employed(A,yes), hukou_ok(A).
blocked(A,P) :- eligible(A,P), needs_hukou(A).
open(A,P) :- eligible(A,P), not blocked(A,P).
"""

POINTS_TO, POINTS_TO_ASP = points_to.policylog_text(), points_to.asp_text()


def chain(n: int) -> dict:
    return {"edge": [(i, i + 1) for i in range(n)]}


def random_graph(nodes: int, edges: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    found = set()
    while len(found) < edges:
        found.add((rng.randrange(nodes), rng.randrange(nodes)))
    return {"edge": sorted(found)}


def join_facts(total: int, seed: int = 3) -> dict:
    rng = random.Random(seed)
    third = total // 3
    return {"a": [(i, rng.randrange(third)) for i in range(third)],
            "b": [(i, rng.randrange(third)) for i in range(third)],
            "c": [(i, rng.randrange(third)) for i in range(total - 2 * third)]}


def aggregate_facts(total: int, seed: int = 5) -> dict:
    rng = random.Random(seed)
    people = max(1, total // 100)
    return {"person": [(f"p{i}",) for i in range(people)],
            "pay": [(f"p{rng.randrange(people)}", i, rng.randrange(1, 1000)) for i in range(total)]}


def policy_facts(applicants: int, seed: int = 11) -> dict:
    rng = random.Random(seed)
    facts = {name: [] for name in ("applicant", "age", "hukou", "employed", "abroad", "insured")}
    for i in range(applicants):
        a = f"a{i}"
        facts["applicant"].append((a,))
        facts["age"].append((a, rng.randrange(10, 80)))
        facts["hukou"].append((a, rng.choice(["urban", "rural", "none"])))
        facts["employed"].append((a, rng.choice(["yes", "no"])))
        if rng.random() < 0.3:
            facts["abroad"].append((a,))
        if rng.random() < 0.4:
            facts["insured"].append((a,))
    return facts


def workloads(quick: bool) -> list:
    """(label, policylog text, ASP text, facts maker, argument, target predicate)."""
    if quick:
        return [("transitive closure, chain of 200", CLOSURE, CLOSURE_ASP, "chain", 200, "path"),
                ("random graph 100 nodes / 300 edges", CLOSURE, CLOSURE_ASP, "random", 100, "path"),
                ("3-way join, 10k facts", JOIN, JOIN_ASP, "join", 10_000, "j"),
                ("count/sum, 10k facts", AGGREGATE, AGGREGATE_ASP, "aggregate", 10_000, "total"),
                ("policy-shaped, 1k applicants", POLICY, POLICY_ASP, "policy", 1_000, "open"),
                ("points-to analysis, 10k input facts, 24 rules", POINTS_TO, POINTS_TO_ASP,
                 "points_to", 10_000, "vpt")]
    return [("transitive closure, chain of 400", CLOSURE, CLOSURE_ASP, "chain", 400, "path"),
            ("transitive closure, chain of 800", CLOSURE, CLOSURE_ASP, "chain", 800, "path"),
            ("transitive closure, chain of 1,000", CLOSURE, CLOSURE_ASP, "chain", 1000, "path"),
            ("random graph 200 nodes / 600 edges", CLOSURE, CLOSURE_ASP, "random", 200, "path"),
            ("3-way join, 100k facts", JOIN, JOIN_ASP, "join", 100_000, "j"),
            ("count/sum, 100k facts", AGGREGATE, AGGREGATE_ASP, "aggregate", 100_000, "total"),
            ("policy-shaped, 10k applicants", POLICY, POLICY_ASP, "policy", 10_000, "open"),
            ("points-to analysis, 50k input facts, 24 rules", POINTS_TO, POINTS_TO_ASP,
             "points_to", 50_000, "vpt")]


def make_facts(kind: str, size: int) -> dict:
    if kind == "chain":
        return chain(size)
    if kind == "random":
        return random_graph(size, size * 3)
    return {"join": join_facts, "aggregate": aggregate_facts, "policy": policy_facts,
            "points_to": points_to.facts}[kind](size)


def asp_facts(facts: dict) -> str:
    def term(value):
        return str(value) if isinstance(value, int) else value
    return "".join(f"{name}({','.join(term(v) for v in row)})." for name, rows in facts.items()
                   for row in rows)


# --- one measurement, in its own process ---------------------------------------------------------

def measure(engine: str, text: str, asp: str, kind: str, size: int, target: str) -> dict:
    """Seconds from imports to answers (a cold run), then the same evaluation again (warm)."""
    facts = make_facts(kind, size)
    start = time.perf_counter()
    if engine == "clingo":
        program = asp + asp_facts(facts)

        def run():
            return _clingo(program, target)
    else:
        import policy

        compiled = policy.compile_text(text)

        def run():
            return len(compiled.evaluate(facts, [target], engine=engine)[target])
    answers = run()
    seconds = time.perf_counter() - start
    again = time.perf_counter()
    run()
    warm = time.perf_counter() - again
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"seconds": seconds, "warm": warm, "answers": answers, "peak_mb": peak}


def _clingo(program: str, target: str) -> int:
    import clingo

    control = clingo.Control(["--warn=none"])
    control.add("base", [], program + f"#show {target}/{_arity(target)}.")
    control.ground([("base", [])])
    found = []
    control.solve(on_model=lambda model: found.append(len(model.symbols(shown=True))))
    return found[-1]


def _arity(target: str) -> int:
    return {"path": 2, "j": 2, "total": 2, "open": 2, "vpt": 2}[target]


def compiled_modules() -> dict:
    """The runs' environment, once policylog's and the benchmarks' modules are compiled
    (see the module's doc)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "policy"), str(HERE)],
                   env=env, check=True, capture_output=True)
    return env


def run_one(engine: str, workload: tuple, timeout: float, env: dict) -> dict:
    label, text, asp, kind, size, target = workload
    spec = json.dumps([engine, text, asp, kind, size, target])
    try:
        done = subprocess.run([sys.executable, __file__, "--one", spec], capture_output=True,
                              text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "warm": None, "answers": None, "peak_mb": None}
    if done.returncode:
        raise SystemExit(f"{engine} failed on {label}:\n{done.stderr}")
    return json.loads(done.stdout)


def show(result: dict, baseline: dict, timeout: float) -> str:
    if result["seconds"] is None:
        return f"> {timeout:g} s"
    text = f"{result['seconds']:.2f} s"
    if baseline and baseline["seconds"]:
        text += f" ({result['seconds'] / baseline['seconds']:.2f}x)"
    text += f"; warm {result['warm']:.2f} s"
    if baseline and baseline["warm"]:
        text += f" ({result['warm'] / baseline['warm']:.2f}x)"
    return text + f"; {result['peak_mb']:.0f} MB"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds each run may take (pyDatalog is stopped past it)")
    parser.add_argument("--engines", default="duckdb,clingo,pydatalog")
    parser.add_argument("--only", default="",
                        help="run only the workloads whose label contains this text")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(*json.loads(args.one))))
        return
    engines = args.engines.split(",")
    table(engines, [w for w in workloads(args.quick) if args.only in w[0]], args.timeout,
          compiled_modules())


def table(engines: list, chosen: list, timeout: float, env: dict) -> None:
    print("| workload | answers | " + " | ".join(engines) + " |")
    print("| --- | --- |" + " --- |" * len(engines))
    for workload in chosen:
        results = {engine: run_one(engine, workload, timeout, env) for engine in engines}
        counts = {r["answers"] for r in results.values() if r["answers"] is not None}
        if len(counts) > 1:
            raise SystemExit(f"engines disagree on {workload[0]}: {results}")
        baseline = results.get("clingo")
        cells = [show(results[e], baseline, timeout) for e in engines]
        print(f"| {workload[0]} | {next(iter(counts), '?'):,} | " + " | ".join(cells) + " |",
              flush=True)


if __name__ == "__main__":
    main()
