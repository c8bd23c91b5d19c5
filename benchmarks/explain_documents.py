"""Dump the `explain --format json` document of every procedure of every example applicant.

    python benchmarks/explain_documents.py --out before.json    # on the old code
    python benchmarks/explain_documents.py --out after.json     # on the new code
    diff before.json after.json                                  # answers unchanged?

A speed-up of `explain` must not change any answer: this writes, for the bundled policy
with every applicant in facts/ and for each example policy with its own applicants
(examples/*/applicants), the JSON document `policylog explain FILE PROCEDURE --format json`
prints (drawn by the same view), keyed by policy, applicant and procedure, with sorted keys
so that two dumps diff line by line. It also prints the slowest explanations in-process.
It runs with PYTHONHASHSEED=0 (restarting itself so): the order of the changes within a
suggestion follows the order of a set of them, which Python's string hashing varies from
one run to the next.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import policy  # noqa: E402
from policy import api  # noqa: E402
from policy.views.commands import show  # noqa: E402


def policies() -> list:
    """[(policy path or None for the bundled one, applicant folder)] of every example."""
    found = [(None, ROOT / "facts")]
    for rules in sorted((ROOT / "examples").glob("*/rules")):
        if (rules.parent / "applicants").is_dir():
            found.append((str(rules.relative_to(ROOT)), rules.parent / "applicants"))
    return found


def documents(policy_path, folder: Path, timings: list) -> dict:
    """{applicant: {procedure: the JSON document}} for one policy and its applicants."""
    compiled = policy.load_policy(policy_path or policy.BUNDLED_POLICY)
    procedures = sorted(p for p, _ in compiled.static_model["procedure"])
    dumped = {}
    for path in sorted(folder.glob("*.yaml")):
        name = str(path.relative_to(ROOT))
        dumped[name] = {}
        for pid in procedures:
            start = time.perf_counter()
            result = api.explain(name, pid, policy_path)
            timings.append((time.perf_counter() - start, name, pid))
            text = show("explain", "json", result, "en").replace(f"{ROOT}{os.sep}", "")
            dumped[name][pid] = json.loads(text)  # paths relative: two checkouts compare
    return dumped


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv],
                  {**os.environ, "PYTHONHASHSEED": "0"})
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where to write the documents (JSON)")
    args = parser.parse_args()
    timings: list = []
    dump = {policy_path or "bundled": documents(policy_path, folder, timings)
            for policy_path, folder in policies()}
    Path(args.out).write_text(json.dumps(dump, indent=1, sort_keys=True, ensure_ascii=False))
    timings.sort(reverse=True)
    print(f"{len(timings)} documents written to {args.out}; slowest in-process:")
    for seconds, name, pid in timings[:5]:
        print(f"  {seconds * 1000:6.0f} ms  {name}  {pid}")


if __name__ == "__main__":
    main()
