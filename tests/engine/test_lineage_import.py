"""Loading the decision-diagram library does not load networkx (0.4 s of every start)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent


def test_dd_loads_without_networkx_and_leaves_it_importable():
    code = ("import sys; import policy.engine.lineage as lineage; "
            "print('networkx' in sys.modules); "
            "bdd = lineage.new_manager(); bdd.declare('x'); print(bdd.var('x') != bdd.false); "
            "import networkx; print(networkx.__name__)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["False", "True", "networkx"]
