"""Plan and explain per applicant, for a full, a half-known and a nothing-known applicant.

    python benchmarks/unknowns.py            # this checkout
    python benchmarks/unknowns.py --json     # one JSON object (what the README table is made of)

The applicants are made from `facts/01_returnee_self_funded.yaml` (every fact given): *full*
as it is, *half-known* with every second fact of the schema left out, *nothing-known* with
only a name. For each it times `make_plan` (median of repeated runs, in-process, policy
compiled once; also the first call, which includes the work a policy does once for all
applicants), and `explain` of every procedure (`ApplicantExplainer` built once per
applicant, then one document per procedure, with the what-if search): the mean and the
slowest procedure. Also the sparse example `facts/10_missing_facts.yaml` explaining
`apply_card_at_district_center`, the case the issue measured at about 50 s. Absolute
times depend on the machine and its load; the ratio sparse/full is what the targets name.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from policy import load_policy  # noqa: E402
from policy.tools.explanation import ApplicantExplainer  # noqa: E402
from policy.decide.plan import make_plan  # noqa: E402
from policy.inputs.applicant import applicant_from_mapping, fact_schema, load_applicant  # noqa: E402


def applicants(compiled) -> dict:
    schema = fact_schema(compiled.program)
    full = load_applicant(os.path.join(ROOT, "facts/01_returnee_self_funded.yaml"), schema)
    values = {}
    for spec in schema:
        rows = full.facts.get(spec.name)
        if rows is not None:
            values[spec.name] = bool(rows) if spec.is_flag else next(iter(rows))[0]
    names = [spec.name for spec in schema]
    half = {name: value for name, value in values.items() if names.index(name) % 2 == 0}
    return {
        "full": applicant_from_mapping({"applicant": "full", **values}, schema, "full", 1),
        "half-known": applicant_from_mapping({"applicant": "half", **half}, schema, "half", 1),
        "nothing-known": applicant_from_mapping({"applicant": "nothing"}, schema, "nothing", 1),
    }


def plan_times(compiled, people: dict, repeat: int) -> tuple:
    """({label: seconds of the first `make_plan`}, {label: median seconds of the next
    `repeat`}). The first calls come right after the policy is loaded, in the order of
    `people`: they include the work the policy does once and keeps for every later
    applicant (its Symbolic compile, a procedure's dependence formulas). The repeats take
    the applicants in turn in each round, so a change of the machine's load falls on all
    of them alike."""
    first, times = {}, {label: [] for label in people}
    for round_ in range(repeat + 1):
        for label, applicant in people.items():
            start = time.perf_counter()
            make_plan(compiled, applicant)
            spent = time.perf_counter() - start
            if round_:
                times[label].append(spent)
            else:
                first[label] = spent
    return first, {label: statistics.median(found) for label, found in times.items()}


def explain_times(compiled, applicant, budget: float) -> dict:
    """Seconds to build the explainer, and per procedure document (stops after `budget` s)."""
    start = time.perf_counter()
    explainer = ApplicantExplainer(compiled, applicant)
    setup = time.perf_counter() - start
    per = {}
    spent = setup
    for procedure in explainer.plan.procedures:
        start = time.perf_counter()
        explainer.document(procedure.id)
        per[procedure.id] = time.perf_counter() - start
        spent += per[procedure.id]
        if spent > budget:
            break
    return {"setup": setup, "procedures": per}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--budget", type=float, default=120.0,
                        help="seconds of explain per applicant before stopping (old code is slow)")
    args = parser.parse_args()
    compiled = load_policy()
    result = {"load": os.getloadavg()[0], "plan": {}, "plan_first": {}, "explain": {}}
    people = applicants(compiled)
    result["plan_first"], result["plan"] = plan_times(compiled, people, args.repeat)
    for label, applicant in people.items():
        result["explain"][label] = explain_times(compiled, applicant, args.budget)
    sparse = load_applicant(os.path.join(ROOT, "facts/10_missing_facts.yaml"),
                            fact_schema(compiled.program))
    start = time.perf_counter()
    ApplicantExplainer(compiled, sparse).document("apply_card_at_district_center")
    result["explain_10_district_center"] = time.perf_counter() - start
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"load average at start: {result['load']:.2f}")
    print("applicant       plan (x full)         first plan   explain: setup   "
          "per procedure mean / max   setup + slowest")
    full = result["plan"]["full"]
    for label in result["plan"]:
        plan, first = result["plan"][label], result["plan_first"][label]
        explain = result["explain"][label]
        per = list(explain["procedures"].values())
        print(f"{label:14} {plan * 1000:8.2f} ms ({plan / full:4.2f}x)   {first * 1000:8.1f} ms   "
              f"{explain['setup'] * 1000:8.1f} ms   {statistics.mean(per) * 1000:8.1f} / "
              f"{max(per) * 1000:8.1f} ms   {(explain['setup'] + max(per)) * 1000:8.1f} ms "
              f"({len(per)} procedures)")
    print(f"explain facts/10_missing_facts.yaml apply_card_at_district_center: "
          f"{result['explain_10_district_center'] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
