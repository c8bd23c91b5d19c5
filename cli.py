"""The policylog command line: thin Click commands over policy.api.

Every command reads its options, calls one function of policy.api and returns
its result; the shared `output` decorator draws it with the view that
policy.views.commands lists for the command and the chosen --format, and exits
1 when the result has problems. A PolicyError is caught in one place
(PolicylogGroup) and becomes its diagnostics on stderr and exit code 2. The shared
pieces are in cli_options.py.
"""
from __future__ import annotations

import os
import sys

from policy.engine.collection import held

# Python's cyclic collector has nothing to free while modules load (what they make lives as
# long as the process) but runs dozens of times over the growing heap: held off meanwhile.
with held():
    import click

    from cli_options import (EXIT_BAD_INPUT, MIB, PATH, QUERY_ENGINE_HELP, PolicylogGroup,
                             bounded, engine_option, output, policy_option)
    from policy import api
    from policy.limits import DEFAULT
    from policy.supervisor import child_finished, in_forked_child
    from policy.views import terminal


@click.group(cls=PolicylogGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policylog")
@click.option("--no-color", is_flag=True,
              help="Plain text even on a terminal (so does the NO_COLOR variable).")
def main(no_color):
    """policylog: which procedures apply to an applicant, in what order, and why."""
    terminal.use(terminal.detect(sys.stdout, no_color))


@main.command()
@click.argument("paths", nargs=-1, type=PATH)
@output("check")
@bounded
def check(paths):
    """Check rule files or directories (default: the bundled policy).

    Prints every diagnostic; exits 1 when any is an error, 0 otherwise
    (warnings allowed), 2 when a file cannot be read.
    """
    return api.check(paths)


@main.command(name="eval")
@click.argument("path", type=PATH)
@click.argument("query", required=False)
@click.option("--facts", "facts_path", type=PATH,
              help="A YAML or JSON file: predicate name -> list of rows.")
@engine_option("auto", "auto: duckdb from 1,000 facts given (100 when the program is "
               "recursive), else pydatalog; either gives the same answer.", auto=True)
@output("eval")
@bounded
def eval_command(path, query, facts_path, engine):
    """Evaluate the policy at PATH and print the answers to QUERY.

    QUERY is one atom such as 'path(a, X)'; without one, every derived
    predicate is printed.
    """
    return api.evaluate(path, query, facts_path, engine)


@main.command()
@policy_option
@click.option("--template", is_flag=True,
              help="Print an applicant file to fill in: every fact empty (unknown), commented "
              "with its question and allowed values.")
@output("facts", lang=True)
@bounded
def facts(policy_path, template, lang):
    """List the facts an applicant file can give: name, type, description, question."""
    if template:
        return api.facts_template(policy_path, lang)
    return api.facts(policy_path)


@main.command()
@click.argument("facts_file", metavar="FACTS", type=PATH)
@policy_option
@click.option("--all", "show_all", is_flag=True, help="Also list the procedures that do not apply.")
@click.option("--explain", "with_reasons", is_flag=True, help="Add a one-line reason to every procedure.")
@engine_option("pydatalog", QUERY_ENGINE_HELP)
@output("query", lang=True)
@bounded
def query(facts_file, policy_path, show_all, with_reasons, lang, engine):
    """The applicant's plan: which procedures apply, in what order, what to bring.

    FACTS is an applicant file (YAML or JSON): `applicant: NAME`, then
    `fact: value` lines (see `policylog facts`). A fact not given is unknown,
    and procedures that depend on it are reported as undetermined.
    """
    return api.query(facts_file, policy_path, show_all, with_reasons, lang, engine)


@main.command()
@click.argument("facts_file", metavar="FACTS", type=PATH)
@click.argument("procedure")
@policy_option
@click.option("--why-not", is_flag=True, help="Also show the failing conditions when it applies.")
@click.option("--depth", type=click.IntRange(1, 10), default=2, show_default=True,
              help="How deep to expand conditions that fail below.")
@click.option("--all-proofs", is_flag=True, help="Show every proof, not only the smallest.")
@output("explain", lang=True)
@bounded
def explain(facts_file, procedure, policy_path, why_not, depth, all_proofs, lang):
    """Why PROCEDURE applies to the applicant in FACTS, or why not, and what would change it.

    Shows the proof tree (each step with its rule id and citation, each input
    fact with its line in FACTS), the conditions that fail (false, unknown,
    or fails below), and the smallest changes of facts that would make it apply.
    """
    return api.explain(facts_file, procedure, policy_path, why_not, depth, all_proofs, lang)


@main.command()
@click.argument("input_path", metavar="INPUT", type=PATH)
@click.option("--out", "output_path", required=True, type=PATH,
              help="Where to write one record per input row ('-': standard output).")
@policy_option
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes  [default: every core]")
@click.option("--format", "file_format", type=click.Choice(["jsonl", "csv", "parquet"]),
              default=None,
              help="Format of OUTPUT  [default: from OUTPUT's extension, else jsonl]")
@click.option("--input-format", type=click.Choice(["csv", "jsonl", "parquet"]), default=None,
              help="Input format  [default: from INPUT's extension]")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Decide the rows on a Dask cluster: `local` starts one of --jobs workers "
              "(local:N: N) for the run; tcp://HOST:PORT connects to a running scheduler, "
              "which must be one you trust. Needs policylog[cluster]; CSV, JSONL or Parquet "
              "in, JSONL or CSV out (README: Scale past one machine).")
@click.option("--partition-kb", type=click.IntRange(min=1), default=None,
              help="With --scheduler: input bytes a partition, in KiB  [default: 2048]")
@engine_option("pydatalog")
@output("batch")
@bounded(timeout=24 * 3600, max_input_mb=16 * 1024)
def batch(input_path, output_path, policy_path, jobs, file_format, input_format, scheduler,
          partition_kb, engine):
    """Evaluate many applicants: INPUT is CSV (a column per fact, empty cell =
    unknown), JSONL (one applicant object a line) or Parquet (a column per fact,
    null = unknown); OUTPUT (JSONL, CSV or Parquet) gets one record per row, in
    input order, with every procedure's status, or the row's error.

    Prints a summary of statuses per procedure at the end (on stderr with
    --out -); exits 1 when some row is an error record. OUTPUT is replaced only
    once it is complete, and may not be INPUT. Ctrl-C leaves a valid OUTPUT of
    the rows finished and says how many.
    """
    from policy.views.render import progress_bar

    return api.batch(input_path, output_path, policy_path, jobs, file_format, input_format,
                     progress_bar, engine, scheduler, partition_kb)


@main.command(name="test")
@click.argument("paths", nargs=-1, type=PATH)
@policy_option
@click.option("-k", "pattern", default=None, help="Only scenarios whose name contains (or matches) PATTERN.")
@click.option("--coverage", "with_coverage", is_flag=True, help="Report which rules the scenarios reach.")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
              help="With --coverage: exit 1 when rule coverage is below PCT.")
@engine_option("pydatalog", QUERY_ENGINE_HELP)
@output("test")
@bounded(timeout=3600)
def test_command(paths, policy_path, pattern, with_coverage, fail_under, engine):
    """Run scenario files (default: the bundled policy's scenarios).

    Prints a line and a diff of expected and actual for every failing scenario,
    then 'N passed, N failed'; exits 1 when any fails (or coverage is under
    --fail-under).
    """
    return api.test(paths, policy_path, pattern, with_coverage, fail_under, engine)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=PATH)
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit 1 when a file is not in the canonical layout.")
@output("fmt")
@bounded
def fmt(paths, check_only):
    """Rewrite rule files (or the *.pl files of directories) in the canonical layout.

    Comments are kept. A file with syntax errors is left as it is (exit 2).
    """
    return api.fmt(paths, check_only)


@main.command()
@click.argument("path", required=False, type=PATH)
@click.option("--out", "out_dir", required=True, type=PATH,
              help="The directory to write policy.en.md and policy.zh.md into.")
@output("docs")
@bounded
def docs(path, out_dir):
    """Write a Markdown catalogue of the policy (default: the bundled one), in en and zh.

    Every procedure with its conditions, prerequisites, documents, office,
    citations and the facts it asks for; then the applicant fact schema.
    """
    return api.docs(path, out_dir)


@main.command()
@click.argument("path", required=False, type=PATH)
@click.option("--level", type=click.Choice(["predicates", "procedures"]), default="predicates",
              show_default=True, help="predicates: what each rule reads; procedures: the "
              "procedures and milestones, in the order of the steps.")
@output("graph", lang=True)
@bounded
def graph(path, level, lang):
    """Print the policy as a graph in DOT: the predicate dependency graph (negative edges
    dashed, red), or with --level procedures the procedures and the milestones they need
    and provide."""
    return api.graph(path, level, lang)


@main.command(name="diff")
@click.argument("old_path", metavar="OLD", type=PATH)
@click.argument("new_path", metavar="NEW", type=PATH)
@click.option("--scenarios", "scenario_paths", multiple=True, type=PATH,
              help="Scenario files or directories (default, when no applicants are given: "
              "the bundled scenarios).")
@click.option("--applicants", "applicant_paths", multiple=True, type=PATH,
              help="Applicant files, or directories of them.")
@click.option("--population", type=PATH, default=None,
              help="A CSV or JSONL file of applicants, one a row (as for batch).")
@click.option("--exit-code", is_flag=True,
              help="Exit 1 when any applicant's outcome changes (for a CI gate).")
@engine_option("pydatalog", "The engine for --population (as for batch).")
@output("diff")
@bounded(timeout=3600)
def diff_command(old_path, new_path, scenario_paths, applicant_paths, population, exit_code,
                 engine):
    """Evaluate every applicant under the OLD and the NEW policy; report the applicants
    whose outcome changes, procedure by procedure, and the rules that changed."""
    return api.diff(old_path, new_path, scenario_paths, applicant_paths, population, exit_code,
                    engine)


@main.command()
@click.argument("facts_file", metavar="[FACTS]", required=False, type=PATH)
@policy_option
@click.option("--save", type=PATH, default=None,
              help="Write the answers to this applicant file (query reads it back).")
@click.option("--answers", "answers_file", type=PATH, default=None,
              help="Answer every question from this applicant file (a fact it lacks: don't know) "
                   "and print the transcript.")
@click.option("--name", default=None, help="The applicant's name (default: from FACTS or --answers).")
@output("interview", lang=True)
@bounded(timeout=24 * 3600)
def interview(facts_file, policy_path, save, answers_file, name, lang):
    """Ask only the questions that can change the plan, one at a time, then print the plan.

    Starts from FACTS (an applicant file) or from nothing. Each question shows
    its answers; Enter means don't know; `?` says why it is asked, `back`
    undoes the last answer, `stop`, Ctrl-C or end of input stop (and offer
    to save). With --answers the questions are answered from a file and the
    transcript, the plan and the number of questions are printed.
    """
    return api.interview(facts_file, policy_path, lang, save, answers_file, name,
                         read=_read_line, write=click.echo)


def _read_line(prompt: str) -> str:
    """One line from standard input after `prompt`; EOFError at the end of input."""
    click.echo(prompt, nl=False)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


@main.command()
@policy_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on.")
@click.option("--workers", type=click.IntRange(min=0), default=0,
              help="Evaluation worker processes  [default: min(4, cores)]")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=10.0, show_default=True,
              help="Seconds one request may take (then 504).")
@click.option("--max-body-kb", type=click.IntRange(min=1), default=256, show_default=True,
              help="Largest request body, in KiB (then 413).")
@click.option("--max-memory-mb", type=click.FloatRange(min=16), default=DEFAULT.max_memory_bytes / MIB,
              show_default=True, help="Most data memory of each worker process, in MiB (then 503).")
@output("serve")
def serve(policy_path, host, port, workers, timeout, max_body_kb, max_memory_mb):
    """Serve the JSON API (/v1/plan, /v1/explain, /v1/interview/next, /v1/schema, /healthz,
    OpenAPI at /docs) and the applicant page (/) with uvicorn, until Ctrl-C."""
    return api.serve(policy_path, host, port, workers, timeout, max_body_kb * 1024,
                     int(max_memory_mb * MIB))


def entry_point():
    """The console script: main(), but a timed-out evaluation cannot delay the exit.

    pyDatalog's compiled loop holds the interpreter while it runs, so after a
    timeout the process ends at once rather than wait for the abandoned thread.
    The forked child that did a command's work (policy/supervisor.py) ends the same
    way once its output is flushed, and so does its parent once the child has ended:
    neither needs its interpreter torn down.
    """
    try:
        main()
    except SystemExit as done:
        if PolicylogGroup.abandoned_work or in_forked_child() or child_finished():
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(done.code if isinstance(done.code, int) else EXIT_BAD_INPUT)
        raise


if __name__ == "__main__":
    entry_point()
