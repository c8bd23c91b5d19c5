"""PyYAML's test for the characters YAML does not allow, in its faster form (printable.py)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from policy.inputs import printable
from policy.inputs.documents import load_document
from policy.errors import FactsError

ROOT = Path(__file__).resolve().parents[2]


def test_both_forms_reject_exactly_the_same_code_points():
    theirs, ours = re.compile(printable.YAML_PATTERN), re.compile(printable.REJECTED)
    text = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in theirs.finditer(text)] == [m.start() for m in ours.finditer(text)]


def test_the_form_pyyaml_writes_is_the_one_replaced():
    code = "import yaml; print(ascii(yaml.reader.Reader.NON_PRINTABLE.pattern))"  # no policy
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert found.stdout.strip() == ascii(printable.YAML_PATTERN)


def test_pyyaml_here_uses_the_faster_form_and_still_refuses_a_control_character(tmp_path):
    assert yaml.reader.Reader.NON_PRINTABLE.pattern == printable.REJECTED
    path = tmp_path / "a.yaml"
    path.write_text("applicant: a\nname: b\x07c\n", encoding="utf-8")
    try:
        load_document(path)
    except FactsError as problem:
        assert "the character '\\x07' is not allowed" in str(problem)
        assert problem.diagnostics[0].line == 2
    else:
        raise AssertionError("a bell character was accepted")
