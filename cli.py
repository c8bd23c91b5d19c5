"""The policylog command line: thin Click commands over the `policy` library.

Every command reads its arguments, calls one library function and hands the
result to policy.views.render. A PolicyError is caught in one place (PolicylogGroup)
and becomes its diagnostics on stderr and exit code 2.
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

import policy
from policy.views import planview
from policy.views import render
from policy.inputs.applicant import fact_schema, load_applicant
from policy.limits import DEFAULT, Limits, TimeLimitExceeded, restore, run_bounded, using
from policy.decide.plan import make_plan, require_catalogue

# Modules only some commands need are imported inside those commands: a cold
# `policylog query` should not pay for explanations, batches or the formatter.

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class PolicylogGroup(click.Group):
    """Turns every PolicyError into its diagnostics on stderr and exit code 2."""

    abandoned_work = False  # a timed-out evaluation is still running in a thread

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except policy.PolicyError as problem:
            PolicylogGroup.abandoned_work |= isinstance(problem, TimeLimitExceeded)
            for diagnostic in problem.diagnostics:
                click.echo(diagnostic.render(), err=True)
            ctx.exit(EXIT_BAD_INPUT)


def engine_option(default: str):
    """The shared --engine option: which engine evaluates (never changes an answer)."""
    return click.option(
        "--engine", type=click.Choice(["pydatalog", "duckdb"]), default=default, show_default=True,
        help="pydatalog for one applicant; duckdb (set at a time) for large facts and recursion.")


def format_option(*choices):
    """The shared --format option."""
    return click.option(
        "--format", "output_format", type=click.Choice(choices), default=choices[0],
        show_default=True, help="Output format: text for people, json for programs.",
    )


def bounded(function=None, *, timeout=DEFAULT.timeout):
    """--timeout, --max-input-mb and --max-facts, and the command run within them."""
    if function is None:
        return functools.partial(bounded, timeout=timeout)

    @functools.wraps(function)
    def wrapper(*args, timeout, max_input_mb, max_facts, **kwargs):
        limits = Limits(timeout, int(max_input_mb * 1024 * 1024), max_facts)
        token = using(limits)
        try:
            return run_bounded(lambda: function(*args, **kwargs), timeout)
        finally:
            restore(token)

    options = [
        click.option("--timeout", type=click.FloatRange(min=0.01), default=timeout,
                     show_default=True, help="Seconds the command may take."),
        click.option("--max-input-mb", type=click.FloatRange(min=0.001),
                     default=DEFAULT.max_input_bytes / 1024 / 1024, show_default=True,
                     help="Largest file the command reads, in MiB."),
        click.option("--max-facts", type=click.IntRange(min=1), default=DEFAULT.max_facts,
                     show_default=True, help="Most facts one evaluation may hold."),
    ]
    for option in options:
        wrapper = option(wrapper)
    return wrapper


@click.group(cls=PolicylogGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policylog")
def main():
    """policylog: which procedures apply to an applicant, in what order, and why."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option("text", "json")
@bounded
def check(paths, output_format):
    """Check rule files or directories (default: the bundled policy).

    Prints every diagnostic; exits 1 when any is an error, 0 otherwise
    (warnings allowed), 2 when a file cannot be read.
    """
    diagnostics = policy.check_policy(paths or (policy.BUNDLED_POLICY,))
    if output_format == "json":
        click.echo(render.diagnostics_json(diagnostics))
    else:
        click.echo(render.diagnostics_text(diagnostics))
    sys.exit(EXIT_PROBLEMS if any(d.is_error for d in diagnostics) else EXIT_OK)


@main.command(name="eval")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("query", required=False)
@click.option("--facts", "facts_path", type=click.Path(path_type=Path),
              help="A YAML or JSON file: predicate name -> list of rows.")
@format_option("text", "json")
@engine_option("duckdb")
@bounded
def eval_command(path, query, facts_path, output_format, engine):
    """Evaluate the policy at PATH and print the answers to QUERY.

    QUERY is one atom such as 'path(a, X)'; without one, every derived
    predicate is printed.
    """
    from policy.decide.answers import answer, check_query, parse_query
    from policy.inputs.facts import load_facts_file

    compiled = policy.load_policy(path)
    atom = parse_query(query) if query else None
    if atom is not None:
        check_query(atom, compiled.predicates)
    facts = load_facts_file(compiled, facts_path) if facts_path else {}
    if atom is None:
        model = compiled.evaluate(facts, sorted(compiled.output_predicates), engine=engine)
        text = render.model_json(model) if output_format == "json" else render.model_text(model)
    else:
        rows = compiled.evaluate(facts, [atom.predicate], engine=engine)[atom.predicate]
        answers = answer(atom, rows)
        shown = render.answers_json if output_format == "json" else render.answers_text
        text = shown(query, answers)
    click.echo(text)


def policy_option(function):
    """The shared --policy option (default: the bundled policy)."""
    return click.option(
        "--policy", "policy_path", type=click.Path(path_type=Path), default=None,
        help="A rule file or directory (default: the bundled Beijing policy).",
    )(function)


def lang_option(function):
    return click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                        help="Language of titles, places, documents and questions.")(function)


@main.command()
@policy_option
@lang_option
@format_option("text", "json")
@bounded
def facts(policy_path, lang, output_format):
    """List the facts an applicant file can give: name, type, description, question."""
    compiled = policy.load_policy(policy_path or policy.BUNDLED_POLICY)
    schema = fact_schema(compiled.program)
    text = planview.schema_json(schema) if output_format == "json" else planview.schema_text(schema, lang)
    click.echo(text)


@main.command()
@click.argument("facts_file", metavar="FACTS", type=click.Path(path_type=Path))
@policy_option
@click.option("--all", "show_all", is_flag=True, help="Also list the procedures that do not apply.")
@click.option("--explain", "with_reasons", is_flag=True, help="Add a one-line reason to every procedure.")
@format_option("text", "json", "markdown")
@lang_option
@engine_option("pydatalog")
@bounded
def query(facts_file, policy_path, show_all, with_reasons, output_format, lang, engine):
    """The applicant's plan: which procedures apply, in what order, what to bring.

    FACTS is an applicant file (YAML or JSON): `applicant: NAME`, then
    `fact: value` lines (see `policylog facts`). A fact not given is unknown,
    and procedures that depend on it are reported as undetermined.
    """
    compiled = policy.load_policy(policy_path or policy.BUNDLED_POLICY)
    applicant = load_applicant(facts_file, fact_schema(compiled.program))
    if with_reasons:  # explanations read pyDatalog's model (proofs)
        from policy.decide.explanation import ApplicantExplainer

        explainer = ApplicantExplainer(compiled, applicant, lang)
        plan = explainer.plan
        for procedure in plan.shown(show_all):
            procedure.reason = explainer.reason(procedure.id)
    else:
        plan = make_plan(compiled, applicant, engine=engine)
    shown = {"json": planview.plan_json, "markdown": planview.plan_markdown}.get(
        output_format, planview.plan_text)
    click.echo(shown(plan, show_all, lang))


@main.command()
@click.argument("facts_file", metavar="FACTS", type=click.Path(path_type=Path))
@click.argument("procedure")
@policy_option
@click.option("--why-not", is_flag=True, help="Also show the failing conditions when it applies.")
@click.option("--depth", type=click.IntRange(1, 10), default=2, show_default=True,
              help="How deep to expand conditions that fail below.")
@click.option("--all-proofs", is_flag=True, help="Show every proof, not only the smallest.")
@format_option("text", "json", "markdown")
@lang_option
@bounded
def explain(facts_file, procedure, policy_path, why_not, depth, all_proofs, output_format, lang):
    """Why PROCEDURE applies to the applicant in FACTS, or why not, and what would change it.

    Shows the proof tree (each step with its rule id and citation, each input
    fact with its line in FACTS), the conditions that fail (false, unknown,
    or fails below), and the smallest changes of facts that would make it apply.
    """
    from policy.views import explainview
    from policy.decide.explanation import ApplicantExplainer

    compiled = policy.load_policy(policy_path or policy.BUNDLED_POLICY)
    applicant = load_applicant(facts_file, fact_schema(compiled.program))
    explainer = ApplicantExplainer(compiled, applicant, lang)
    document = explainer.document(procedure, why_not, depth, all_proofs)
    if output_format == "json":
        click.echo(explainview.explanation_json(document))
    elif output_format == "markdown":
        click.echo(explainview.explanation_markdown(document, lang))
    else:
        click.echo(explainview.explanation_text(document, lang))


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--out", "output_path", required=True, type=click.Path(path_type=Path),
              help="Where to write one record per input row.")
@policy_option
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes  [default: every core]")
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv"]), default=None,
              help="Output format  [default: from OUTPUT's extension, else jsonl]")
@click.option("--input-format", type=click.Choice(["csv", "jsonl"]), default=None,
              help="Input format  [default: from INPUT's extension]")
@bounded(timeout=24 * 3600)
def batch(input_path, output_path, policy_path, jobs, output_format, input_format):
    """Evaluate many applicants: INPUT is CSV (a column per fact, empty cell =
    unknown) or JSONL (one applicant object a line); OUTPUT gets one record per
    row, in input order, with every procedure's status, or the row's error.

    Prints a summary of statuses per procedure at the end. Ctrl-C leaves a
    valid OUTPUT of the rows finished and says how many.
    """
    policy_path = policy_path or policy.BUNDLED_POLICY
    compiled = policy.load_policy(policy_path)
    require_catalogue(compiled)
    input_format = input_format or ("csv" if input_path.suffix.lower() == ".csv" else "jsonl")
    output_format = output_format or ("csv" if output_path.suffix.lower() == ".csv" else "jsonl")
    summary = run_batch_command(compiled, policy_path, input_path, output_path, input_format,
                                output_format, jobs or os.cpu_count() or 1)
    click.echo(render.batch_summary(summary, sorted(p for p, _ in compiled.static_model["procedure"])))


def run_batch_command(compiled, policy_path, input_path, output_path, input_format,
                      output_format, jobs):
    """Stream INPUT to OUTPUT with a progress bar on a terminal; Ctrl-C keeps what is done."""
    from policy.tools.batch import WRITERS, run_batch
    from policy.inputs.rows import count_rows, read_rows

    schema = fact_schema(compiled.program)
    procedures = sorted(p for p, _ in compiled.static_model["procedure"])
    if not input_path.is_file():
        raise policy.PolicyError.single("file_error", "no such file", str(input_path))
    rows = read_rows(input_path, input_format, schema)
    with open(output_path, "w", encoding="utf-8", newline="") as stream:
        write = WRITERS[output_format](stream, procedures)
        with render.progress_bar(count_rows(input_path, input_format)) as advance:
            try:
                return run_batch(compiled, policy_path, rows, write, jobs, str(input_path), advance)
            except KeyboardInterrupt as interrupted:
                stream.flush()
                done = interrupted.summary.rows
                click.echo(f"interrupted: {done} row(s) finished and written to {output_path}",
                           err=True)
                sys.exit(EXIT_INTERRUPTED)


@main.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@policy_option
@click.option("-k", "pattern", default=None, help="Only scenarios whose name contains (or matches) PATTERN.")
@click.option("--coverage", "with_coverage", is_flag=True, help="Report which rules the scenarios reach.")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
              help="With --coverage: exit 1 when rule coverage is below PCT.")
@format_option("text", "json")
@engine_option("pydatalog")
@bounded(timeout=3600)
def test_command(paths, policy_path, pattern, with_coverage, fail_under, output_format, engine):
    """Run scenario files (default: the bundled policy's scenarios).

    Prints a line and a diff of expected and actual for every failing scenario,
    then 'N passed, N failed'; exits 1 when any fails (or coverage is under
    --fail-under).
    """
    from policy.views import testview
    from policy.tools.tester import coverage, load_scenarios, run_scenarios, scenario_files

    default_policy = policy_path or policy.BUNDLED_POLICY
    files = scenario_files(paths or (policy.BUNDLED_SCENARIOS,))
    scenarios = [s for file in files for s in load_scenarios(file, default_policy)]
    compiled_by_path = {}

    def load(path):
        key = str(path)
        if key not in compiled_by_path:
            compiled_by_path[key] = policy.load_policy(path)
        return compiled_by_path[key]

    outcomes = run_scenarios(scenarios, load, pattern, engine)
    report = coverage(load(default_policy), outcomes) if with_coverage else None
    if output_format == "json":
        click.echo(testview.outcomes_json(outcomes, report))
    else:
        click.echo(testview.outcomes_text(outcomes))
        if report is not None:
            click.echo(testview.coverage_text(report))
    failed = any(not o.passed for o in outcomes)
    too_low = report is not None and fail_under is not None and \
        testview.coverage_percent(report) < fail_under
    if too_low and output_format == "text":
        click.echo(f"coverage {testview.coverage_percent(report):.1f}% is under {fail_under:g}%")
    sys.exit(EXIT_PROBLEMS if failed or too_low else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit 1 when a file is not in the canonical layout.")
@bounded
def fmt(paths, check_only):
    """Rewrite rule files (or the *.pl files of directories) in the canonical layout.

    Comments are kept. A file with syntax errors is left as it is (exit 2).
    """
    from policy.lang.formatter import format_file

    changed = [path for path in policy.lang.loader.rule_files(paths) if format_file(path, check_only)]
    for path in changed:
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {path}")
    if check_only and changed:
        sys.exit(EXIT_PROBLEMS)


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="The directory to write policy.en.md and policy.zh.md into.")
@bounded
def docs(path, out_dir):
    """Write a Markdown catalogue of the policy (default: the bundled one), in en and zh.

    Every procedure with its conditions, prerequisites, documents, office,
    citations and the facts it asks for; then the applicant fact schema.
    """
    from policy.tools.docs import catalogue_markdown
    from policy.decide.plan import require_catalogue

    compiled = policy.load_policy(path or policy.BUNDLED_POLICY)
    require_catalogue(compiled)
    out_dir.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "zh"):
        target = out_dir / f"policy.{lang}.md"
        target.write_text(catalogue_markdown(compiled, lang), encoding="utf-8")
        click.echo(f"wrote {target}")


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@bounded
def graph(path):
    """Print the predicate dependency graph of the policy in DOT (negative edges dashed, red)."""
    from policy.tools.docs import dependency_dot

    program, syntax = policy.lang.loader.parse_files([path or policy.BUNDLED_POLICY])
    policy.lang.loader.require_no_syntax_errors(syntax)
    click.echo(dependency_dot(program), nl=False)


@main.command(name="diff")
@click.argument("old_path", metavar="OLD", type=click.Path(path_type=Path))
@click.argument("new_path", metavar="NEW", type=click.Path(path_type=Path))
@click.option("--scenarios", "scenario_paths", multiple=True, type=click.Path(path_type=Path),
              help="Scenario files or directories (default: the bundled scenarios).")
@format_option("text", "json")
@bounded(timeout=3600)
def diff_command(old_path, new_path, scenario_paths, output_format):
    """Evaluate every scenario applicant under the OLD and the NEW policy; report the
    applicants whose outcome changes, procedure by procedure, and the rules that changed."""
    from policy.tools.impact import impact_json, impact_text, outcome_changes, rule_changes
    from policy.tools.tester import load_scenarios, scenario_files

    old, new = policy.load_policy(old_path), policy.load_policy(new_path)
    files = scenario_files(scenario_paths or (policy.BUNDLED_SCENARIOS,))
    scenarios = [s for file in files for s in load_scenarios(file, old_path)]
    changes = outcome_changes(old, new, scenarios)
    rules = rule_changes(old.program, new.program)
    shown = impact_json if output_format == "json" else impact_text
    click.echo(shown(changes, len(scenarios), rules))


def entry_point():
    """The console script: main(), but a timed-out evaluation cannot delay the exit.

    pyDatalog's compiled loop holds the interpreter while it runs, so after a
    timeout the process ends at once rather than wait for the abandoned thread.
    """
    try:
        main()
    except SystemExit as done:
        if PolicylogGroup.abandoned_work:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(done.code if isinstance(done.code, int) else EXIT_BAD_INPUT)
        raise


if __name__ == "__main__":
    entry_point()
