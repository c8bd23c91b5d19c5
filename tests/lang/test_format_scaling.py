"""`fmt` is linear in statements and comments (it looked every comment up for every
statement: 100,000 commented rules never finished). A hang guard and a count of the
comments looked at; the times for n, 2n, 4n are in benchmarks/scaling.py."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from policy.lang import formatter

ROOT = Path(__file__).resolve().parents[2]


def commented_rules(count: int) -> str:
    return "input p(x).\n" + "".join(f"% rule {i}\nq{i}(X) :- p(X). % after {i}\n"
                                     for i in range(count))


def test_each_comment_is_looked_at_a_bounded_number_of_times(monkeypatch):
    looked = []
    original = formatter._CommentIndex.after_before, formatter._CommentIndex.from_before

    def counting(method):
        def wrapped(self, low, high):
            found = method(self, low, high)
            looked.extend(found)
            return found
        return wrapped

    monkeypatch.setattr(formatter._CommentIndex, "after_before", counting(original[0]))
    monkeypatch.setattr(formatter._CommentIndex, "from_before", counting(original[1]))
    text = formatter.format_text(commented_rules(500))
    assert text.count("% rule") == 500 and text.count("% after") == 500
    assert len(looked) <= 3 * 1000  # 1,000 comments, each found at most by three lookups


def test_fmt_of_30000_commented_rules_finishes(tmp_path):
    """A hang guard, not a timing: quadratic, this took hours."""
    rules = tmp_path / "many.pl"
    rules.write_text(commented_rules(30_000))
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "fmt", str(rules),
                             "--timeout", "600"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert rules.read_text().count("% after") == 30_000
