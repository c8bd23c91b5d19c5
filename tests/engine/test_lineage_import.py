"""Loading the decision-diagram library does not load networkx (0.4 s of every start)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent


def test_dd_loads_without_networkx_and_leaves_it_importable():
    code = ("import sys; import policy.engine.diagrams as lineage; "
            "print('networkx' in sys.modules); "
            "bdd = lineage.new_manager(); bdd.declare('x'); print(bdd.var('x') != bdd.false); "
            "import networkx; print(networkx.__name__)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["False", "True", "networkx"]


DEFERRED_CHECK = r"""
import sys
import policy.engine.diagrams as diagrams
bdd = diagrams.new_manager()
bdd.declare('a', 'b')
both = bdd.var('a') & bdd.var('b')
print(sorted(name for name in ('ply', 'astutils', 'shelve') if name in sys.modules))
print(bdd.add_expr(r'a /\ b') == both)  # dd._parser, loaded now
print(len(list(bdd.pick_iter(both))))  # dd.bdd's enumeration
import dd.bdd
from dd import autoref
print(dd.bdd.BDD.__name__, autoref.BDD().__class__.__module__)
print(sorted(name for name in ('ply', 'astutils') if name in sys.modules))
"""


def test_the_parts_of_dd_policylog_never_calls_load_on_first_use():
    result = subprocess.run([sys.executable, "-c", DEFERRED_CHECK], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["[]", "True", "1", "BDD dd.autoref",
                                          "['astutils', 'ply']"]


STANDARD_CHECK = r"""
import sys
import policy.engine.diagrams as diagrams
bdd = diagrams.new_manager()
bdd.declare('a')
def ran(name):  # a deferred module's code has run (its stand-in holds only its spec)
    return name in sys.modules and "__getattr__" not in vars(sys.modules[name])
print(sorted(name for name in diagrams.DEFERRED_STANDARD if ran(name)))
import pickle, subprocess
print(pickle.loads(pickle.dumps({"a": (1, 2)})) == {"a": (1, 2)})
print(subprocess.run([sys.executable, "-c", "print(7)"], capture_output=True, text=True).stdout.strip())
from shlex import quote
print(quote("a b"), sorted(name for name in ("pickle", "subprocess", "shlex") if ran(name)))
"""


def test_the_standard_modules_only_dd_needs_load_on_first_use_by_anyone():
    result = subprocess.run([sys.executable, "-c", STANDARD_CHECK], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["[]", "True", "7", "'a b' ['pickle', 'shlex', "
                                          "'subprocess']"]
