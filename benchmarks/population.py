"""A seeded synthetic population of applicants for the bundled policy.

Every applicant starts from one of the example applicants in facts/*.yaml (the
templates) and is perturbed:

- with probability FLIP_WEIGHTS it gets 0, 1, 2 or 3 "flips": a fact is given a
  different value (a yes/no fact is negated, an enum takes another of its
  values, a fact the template leaves unknown is given a random value);
- with probability `unknown_rate` (default 10%) the applicant leaves 1 to 3 of
  its given facts unknown (a typical half-filled form).

So most applicants repeat a common situation (a template, or a template with
one flip) and a tail is unique, which is what a real intake looks like and
what `policylog batch`'s per-situation cache is for. `complete=True` instead
fills every unknown fact with a random value (for the correctness checks,
where the two-valued baselines and the three-valued plan must agree).

An applicant is a dict {fact name: value}: True/False for a yes/no fact, a
string for an enum; an unknown fact is absent. Use it in-process
(`population(n)`), or write it as JSONL or CSV (`policylog batch` reads both):

    python benchmarks/population.py 100000 --out /tmp/pop.jsonl [--seed 1]
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FACTS_DIR = ROOT / "facts"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FLIP_WEIGHTS = {0: 50, 1: 30, 2: 15, 3: 5}  # number of flipped facts -> weight
NAME_KEY = "applicant"


def schema() -> dict:
    """{fact name: None for a yes/no fact, else the tuple of enum values}, in declaration order."""
    import policy
    from policy.inputs.applicant import fact_schema

    specs = fact_schema(policy.load_policy().program)
    return {s.name: (None if s.is_flag else tuple(s.type.values)) for s in specs}


def templates() -> list:
    """The example applicants of facts/*.yaml as (name, {fact: value})."""
    found = []
    for path in sorted(FACTS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = data.pop(NAME_KEY)
        found.append((name, {k: v for k, v in data.items() if v is not None}))
    return found


def _random_value(values, rng):
    return rng.random() < 0.5 if values is None else rng.choice(values)


def _flip(facts: dict, name: str, values, rng) -> None:
    if name not in facts:
        facts[name] = _random_value(values, rng)
    elif values is None:
        facts[name] = not facts[name]
    else:
        facts[name] = rng.choice([v for v in values if v != facts[name]])


def population(n: int, seed: int = 1, unknown_rate: float = 0.10, complete: bool = False):
    """Yield n applicants as (name, {fact: value}); the same seed gives the same population."""
    rng = random.Random(seed)
    specs = schema()
    names = list(specs)
    bases = templates()
    counts, weights = zip(*FLIP_WEIGHTS.items())
    for i in range(n):
        template_name, base = bases[rng.randrange(len(bases))]
        facts = dict(base)
        for name in rng.sample(names, rng.choices(counts, weights)[0]):
            _flip(facts, name, specs[name], rng)
        if complete:
            for name in names:
                if name not in facts:
                    facts[name] = _random_value(specs[name], rng)
        elif facts and rng.random() < unknown_rate:
            for name in rng.sample(sorted(facts), min(len(facts), rng.randint(1, 3))):
                del facts[name]
        yield f"{template_name} #{i + 1}", facts


def situation(facts: dict) -> tuple:
    """A hashable key: two applicants with the same key are the same situation."""
    return tuple(sorted(facts.items()))


def to_engine_facts(facts: dict) -> dict:
    """Two-valued facts for `CompiledPolicy.evaluate`: a false or missing yes/no fact is absent."""
    engine = {}
    for name, value in facts.items():
        if value is True:
            engine[name] = [()]
        elif value is not False:
            engine[name] = [(value,)]
    return engine


def write_jsonl(applicants, path) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for name, facts in applicants:
            out.write(json.dumps({NAME_KEY: name, **facts}, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_csv(applicants, path) -> int:
    """CSV with a column per fact; an empty cell is unknown."""
    columns = list(schema())
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([NAME_KEY] + columns)
        for name, facts in applicants:
            row = [name]
            for column in columns:
                value = facts.get(column)
                row.append("" if value is None else ("true" if value is True else
                                                     "false" if value is False else value))
            writer.writerow(row)
            count += 1
    return count


def read_jsonl(path):
    """The applicants of a JSONL file written by write_jsonl, as (name, facts)."""
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            facts = json.loads(line)
            yield facts.pop(NAME_KEY), facts


def read_csv(path):
    """The applicants of a CSV file written by write_csv, as (name, facts); empty cell = unknown."""
    with open(path, encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        for row in reader:
            facts = {}
            for column, cell in zip(header[1:], row[1:]):
                if cell:
                    facts[column] = True if cell == "true" else False if cell == "false" else cell
            yield row[0], facts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of applicants")
    parser.add_argument("--out", required=True, type=Path, help="a .jsonl or .csv file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unknown-rate", type=float, default=0.10,
                        help="share of applicants who leave 1-3 facts unknown [0.10]")
    parser.add_argument("--complete", action="store_true", help="no unknown facts at all")
    args = parser.parse_args(argv)
    applicants = population(args.n, args.seed, args.unknown_rate, args.complete)
    write = write_csv if args.out.suffix.lower() == ".csv" else write_jsonl
    count = write(applicants, args.out)
    distinct = len({situation(f) for _, f in population(args.n, args.seed, args.unknown_rate,
                                                           args.complete)})
    print(f"{count} applicants ({distinct} distinct situations) -> {args.out}")


if __name__ == "__main__":
    main()
