"""The fuzzing driver that test_fuzz_bounded.py runs in a subprocess, one input kind at a time.

    python -m tests.cli.fuzz_driver KIND SEED CASES

makes CASES mutated inputs of KIND (rules, facts, applicant, jsonl, csv, scenarios) from
the project's own files with random.Random(SEED), adds hostile pieces (lone surrogate
escapes, deep nesting, duplicate keys, bytes that are not UTF-8, NUL, huge numbers), and
runs each through the command line in this process. It prints one JSON line: the number
of cases, the exit codes seen and its own peak memory; it exits 1 with the input that
failed when a command raised anything (a traceback) or broke its promise (a batch with
other than one record per row).
"""
from __future__ import annotations

import io
import json
import os
import random
import resource
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
PER_COMMAND = "20"  # --timeout of each command (seconds)

HOSTILE = [
    "\\ud800", "\\udfff", "\\ud83d\\ude00", "\x00", "\ufeff", "\r", "\r\n", "\u2028", "\x85",
    "[" * 200 + "]" * 200, "{a: " * 100 + "1" + "}" * 100, "1" + "0" * 500, "1e999999", "-",
    "NaN", ".nan", "&a ", "*a", "!!python/object/apply:os.system ['true'] ", "'", '"', "\\",
    "% ", ":- ", "not ", " = ", "count : { ", " }", "@id(\"x\") ", "2026-02-30", "-0", "=1+1",
]
RAW = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xef\xbb\xbf"]


def seeds(kind: str) -> list:
    if kind == "rules":
        files = sorted((ROOT / "policy" / "rules").glob("*.pl")) + sorted(FIXTURES.glob("*.pl"))
    elif kind == "facts":
        files = sorted(FIXTURES.glob("*.yaml"))
    elif kind == "scenarios":
        files = sorted((ROOT / "policy" / "scenarios").glob("*.yaml"))
    elif kind == "applicant":
        files = sorted((ROOT / "facts").glob("*.yaml"))
    else:  # batch rows: applicants of mini_policy.pl (a batch of the bundled policy is slower)
        return [json.dumps(person) for person in MINI_PEOPLE]
    return [path.read_text(encoding="utf-8") for path in files]


MINI_PEOPLE = [
    {"applicant": "Li", "returnee": True, "has_hukou": False, "card_by": "self"},
    {"applicant": "Wang", "returnee": True, "has_hukou": False, "other_station_reason": True},
    {"applicant": "Zhao", "has_id_card": False, "card_by": "agent"},
    {"applicant": "Qian", "returnee": False, "has_hukou": True, "has_id_card": True},
    {"applicant": "Sun"},
]


def mutate(rng: random.Random, text: str, pool: list) -> str:
    """One to three edits: delete, duplicate a line (a key twice, too), insert a hostile
    piece, splice in a piece of another seed, or truncate."""
    for _ in range(rng.randint(1, 3)):
        n = len(text)
        i = rng.randint(0, n)
        j = min(n, i + rng.choice([1, 3, 10, 40, 200]))
        edit = rng.choice(["delete", "drop_line", "duplicate", "hostile", "hostile", "splice",
                           "truncate"])
        if edit == "drop_line":  # mostly still valid: a fact left unknown, a rule gone
            start = text.rfind("\n", 0, i) + 1
            end = text.find("\n", i)
            text = text[:start] + ("" if end < 0 else text[end + 1:])
        elif edit == "delete":
            text = text[:i] + text[j:]
        elif edit == "duplicate":
            line_start = text.rfind("\n", 0, i) + 1
            line_end = text.find("\n", i)
            line_end = n if line_end < 0 else line_end + 1
            text = text[:line_end] + text[line_start:line_end] + text[line_end:]
        elif edit == "hostile":
            text = text[:i] + rng.choice(HOSTILE) + text[i:]
        elif edit == "splice":
            other = rng.choice(pool)
            k = rng.randint(0, len(other))
            text = text[:i] + other[k:k + rng.randint(0, 300)] + text[i:]
        else:
            text = text[:i]
    return text


def to_bytes(rng: random.Random, text: str) -> bytes:
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.2:
        at = rng.randint(0, len(data))
        data = data[:at] + rng.choice(RAW) + data[at:]
    return data


def jsonl_text(rng: random.Random, pool: list) -> str:
    """Rows from the example applicants, some mutated as text, some hostile JSON."""
    rows = []
    for _ in range(rng.randint(1, 12)):
        values = json.loads(rng.choice(pool))
        line = json.dumps(values, default=str, ensure_ascii=rng.random() < 0.5)
        roll = rng.random()
        if roll < 0.4:
            line = mutate(rng, line, [json.dumps(v, default=str) for v in (values,)]).replace("\n", " ")
        elif roll < 0.5:
            line = line[:-1] + ', "' + rng.choice(list(values)) + '": null}'  # a key twice
        elif roll < 0.55:
            line = '{"applicant": "x", "card_by": ' + "[" * 100_000 + "]" * 100_000 + "}"
        rows.append(line)
    return "\n".join(rows) + "\n"


def csv_text(rng: random.Random, pool: list) -> str:
    import csv

    people = [json.loads(rng.choice(pool)) for _ in range(rng.randint(1, 12))]
    names = sorted({key for person in people for key in person})
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(names)
    for person in people:
        writer.writerow(["" if person.get(n) is None else str(person[n]).lower()
                         if isinstance(person.get(n), bool) else str(person[n]) for n in names])
    return mutate(rng, stream.getvalue(), [stream.getvalue()])


def commands(kind: str, path: Path, out: Path) -> list:
    mini, graph = str(FIXTURES / "mini_policy.pl"), str(FIXTURES / "graph.pl")
    bounded = ["--timeout", PER_COMMAND]
    return {
        "rules": [["check", str(path), *bounded], ["eval", str(path), *bounded]],
        "facts": [["eval", graph, "--facts", str(path), *bounded]],
        "applicant": [["query", str(path), *bounded], ["query", str(path), "--policy", mini, *bounded]],
        "jsonl": [["batch", str(path), "--out", str(out), "--policy", mini, "--jobs", "1", *bounded]],
        "csv": [["batch", str(path), "--out", str(out), "--policy", mini, "--jobs", "1",
                 "--input-format", "csv", *bounded]],
        "scenarios": [["test", str(path), *bounded]],
    }[kind]


def input_rows(kind: str, data: bytes) -> int:
    """How many records a batch must write: one per JSONL line, one per CSV row after the
    header (a row the csv module refuses counts too: it gets an error record)."""
    import csv

    text = data.decode("utf-8-sig", "surrogateescape")
    if kind == "jsonl":
        return sum(1 for _ in io.StringIO(text, newline=""))
    reader, rows = csv.reader(io.StringIO(text, newline="")), -1
    while True:
        try:
            next(reader)
        except StopIteration:
            return max(rows, 0)
        except csv.Error:
            pass
        rows += 1


def check_case(kind: str, data: bytes, folder: Path, runner: CliRunner) -> list:
    """Run one input; the exit codes, or SystemExit(1) with the failing input shown."""
    path = folder / {"rules": "in.pl", "jsonl": "in.jsonl", "csv": "in.csv"}.get(kind, "in.yaml")
    out = folder / "out.jsonl"
    path.write_bytes(data)
    codes = []
    for args in commands(kind, path, out):
        out.unlink(missing_ok=True)
        import cli

        result = runner.invoke(cli.main, args, catch_exceptions=True)
        failed = result.exception is not None and not isinstance(result.exception, SystemExit)
        if failed or "Traceback" in result.output or result.exit_code not in (0, 1, 2):
            fail(kind, data, args, f"exit {result.exit_code}: {result.exception!r}\n{result.output}")
        if kind in ("jsonl", "csv") and result.exit_code in (0, 1):
            records = out.read_text(encoding="utf-8").splitlines()
            if len(records) != input_rows(kind, data):
                fail(kind, data, args, f"{len(records)} records for {input_rows(kind, data)} rows")
        codes.append(result.exit_code)
    return codes


def fail(kind: str, data: bytes, args: list, what: str) -> None:
    print(json.dumps({"kind": kind, "args": args, "input": data.decode("utf-8", "backslashreplace"),
                      "failure": what}), flush=True)
    raise SystemExit(1)


def main(kind: str, seed: int, cases: int) -> None:
    rng, pool = random.Random(seed), seeds(kind)
    runner = CliRunner()
    exit_codes = {}
    with tempfile.TemporaryDirectory(prefix="policylog-fuzz-") as folder:
        os.environ["XDG_CACHE_HOME"] = folder  # parsed-file cache of this run only
        for _ in range(cases):
            if kind == "jsonl":
                data = to_bytes(rng, jsonl_text(rng, pool))
            elif kind == "csv":
                data = to_bytes(rng, csv_text(rng, pool))
            else:
                data = to_bytes(rng, mutate(rng, rng.choice(pool), pool))
            for code in check_case(kind, data, Path(folder), runner):
                exit_codes[str(code)] = exit_codes.get(str(code), 0) + 1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"kind": kind, "cases": cases, "exit_codes": exit_codes, "peak_mb": peak_mb}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
