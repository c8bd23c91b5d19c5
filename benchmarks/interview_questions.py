"""How many questions the interview asks: every example applicant in facts/ taken as the truth.

    python benchmarks/interview_questions.py [--policy DIR] [FACTS...]

For each applicant file, `policylog interview --answers FILE` is run in-process
(the same library call) and the number of questions asked is printed beside
the schema's size, then the mean and the maximum. It also checks that the plan
the interview ends with equals `query` on the full file, and says so.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy import api  # noqa: E402
from policy.views.interviewview import transcript_json  # noqa: E402
from policy.views.planview import plan_json  # noqa: E402

CORE = ("procedures", "checklist")  # not `achieved`: a milestone that changes no status is not asked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("facts", nargs="*", type=Path)
    parser.add_argument("--policy", default=None)
    options = parser.parse_args()
    files = options.facts or sorted((ROOT / "facts").glob("*.yaml"))
    counts, size = [], 0
    print(f"{'applicant file':<34} {'asked':>5} {'schema':>6}  same plan as query")
    for path in files:
        transcript = json.loads(transcript_json(api.interview(policy_path=options.policy,
                                                              answers_file=path), "en"))
        full = json.loads(plan_json(api.query(path, options.policy).plan, False, "en"))
        same = all(transcript["plan"][key] == full[key] for key in CORE)
        counts.append(transcript["count"])
        size = transcript["schema_size"]
        print(f"{path.name:<34} {transcript['count']:>5} {size:>6}  {'yes' if same else 'NO'}")
    print(f"mean {statistics.mean(counts):.1f}, max {max(counts)} questions "
          f"of {size} facts in the schema ({len(counts)} applicants)")


if __name__ == "__main__":
    main()
