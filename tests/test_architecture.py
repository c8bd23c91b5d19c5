"""The layout is the architecture: each room imports only the rooms before it.

README "Architecture" gives the order. A later room may use an earlier one
(decide reads the engine's models), never the reverse: decide computes and
never imports a view; the engine never reaches into decide. Imports inside
functions count too, since they are the same dependency taken later.
"""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["deferred", "errors", "limits", "values", "outputs", "supervisor", "lang", "analysis",
         "inputs", "engine", "decide", "views", "tools", "web", "results", "api"]


def _room(module: str):
    parts = module.split(".")
    return parts[1] if parts[0] == "policy" and len(parts) > 1 else None


def _imports(file: Path):
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_every_room_imports_only_rooms_before_it():
    backwards = []
    for file in sorted((ROOT / "policy").rglob("*.py")):
        source = _room("policy." + ".".join(file.relative_to(ROOT / "policy").with_suffix("").parts))
        if source not in ORDER:
            continue
        for line, module in _imports(file):
            target = _room(module)
            if target in ORDER and ORDER.index(target) > ORDER.index(source):
                backwards.append(f"{file.relative_to(ROOT)}:{line} imports {module}")
    assert backwards == []


def test_every_room_is_in_the_order():
    rooms = {p.stem if p.is_file() else p.name for p in (ROOT / "policy").iterdir()
             if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()}
    assert rooms <= set(ORDER)


def test_the_library_imports_no_click():
    code = "import sys, policy.api; print('click' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, check=True)
    assert found.stdout.strip() == "False"
