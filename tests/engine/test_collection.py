"""The cyclic garbage collector never runs inside a dd call (policy/engine/collection.py).

dd.cudd wraps a CUDD result in a Python object before it references the node; a
collection started by that allocation could free a diagram containing the node, and
CUDD aborted the process at its next garbage collection ("dead count != deleted").
"""
import gc
import subprocess
import sys
import textwrap
import weakref
from pathlib import Path

from policy.engine import collection

ROOT = Path(__file__).resolve().parents[2]

# A diagram held only by an object in a reference cycle contains the very node the next
# conjunction returns; the collector is asked to run at every allocation; CUDD's own
# garbage collection (forced by reordering) then checks its dead-node counts.
HAZARD = textwrap.dedent("""
    import gc
    from policy.engine.diagrams import new_manager
    import dd.cudd

    bdd = new_manager()
    names = [f"x{i}" for i in range(40)]
    bdd.declare(*names)
    var = {name: bdd.var(name) for name in names}

    class InACycle:
        def __init__(self, diagram):
            self.diagram, self.me = diagram, self

    for step in range(400):
        i = step % 30
        a, b, c, d = names[i], names[i + 1], names[i + 2], names[(i * 7) % 37 + 3]
        tail = var[b] & var[c] & var[d]
        InACycle(var[a] & tail)
        left = var[b] & var[c]
        del tail
        gc.set_threshold(1)
        result = left & var[d]
        gc.set_threshold(700)
        del result, left
        if step % 100 == 99:
            dd.cudd.reorder(bdd)
    print("survived")
""")


def test_no_collection_inside_a_dd_call_even_when_one_is_due_at_every_allocation():
    ran = subprocess.run([sys.executable, "-c", HAZARD], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert "dead count" not in ran.stderr
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.strip() == "survived"


class _Cycle:
    def __init__(self):
        self.me = self


def _cycles(count: int) -> list:
    refs = []
    for _ in range(count):
        refs.append(weakref.ref(_Cycle()))
    return refs


def test_collect_if_due_frees_cycles_once_the_threshold_is_passed():
    from policy.engine.diagrams import new_manager
    new_manager()  # dd.cudd in use: the collector is policylog's from now on
    assert collection.taken() and not gc.isenabled()
    gc.collect()
    refs = _cycles(gc.get_threshold()[0] + 50)
    assert any(ref() is not None for ref in refs)  # nothing collected them automatically
    collection.collect_if_due()
    assert all(ref() is None for ref in refs)


def test_held_suspends_collections_in_its_block():
    from policy.engine.diagrams import new_manager
    new_manager()
    gc.collect()
    with collection.held():
        refs = _cycles(gc.get_threshold()[0] + 50)
        collection.collect_if_due()
        assert all(ref() is not None for ref in refs)
    collection.collect_if_due()
    assert all(ref() is None for ref in refs)
    assert not gc.isenabled()  # held() leaves the collector with policylog
