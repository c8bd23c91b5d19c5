"""The policylog command line: thin Click commands over the `policy` library.

Every command reads its arguments, calls one library function and hands the
result to policy.render. A PolicyError is caught in one place (PolicylogGroup)
and becomes its diagnostics on stderr and exit code 2.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

import policy
from policy import render
from policy.answers import answer, check_query, parse_query
from policy.facts import load_facts_file

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


class PolicylogGroup(click.Group):
    """Turns every PolicyError into its diagnostics on stderr and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except policy.PolicyError as problem:
            for diagnostic in problem.diagnostics:
                click.echo(diagnostic.render(), err=True)
            ctx.exit(EXIT_BAD_INPUT)


def format_option(*choices):
    """The shared --format option."""
    return click.option(
        "--format", "output_format", type=click.Choice(choices), default=choices[0],
        show_default=True, help="Output format: text for people, json for programs.",
    )


@click.group(cls=PolicylogGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policylog")
def main():
    """policylog: which procedures apply to an applicant, in what order, and why."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option("text", "json")
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
def eval_command(path, query, facts_path, output_format):
    """Evaluate the policy at PATH and print the answers to QUERY.

    QUERY is one atom such as 'path(a, X)'; without one, every derived
    predicate is printed.
    """
    compiled = policy.load_policy(path)
    atom = parse_query(query) if query else None
    if atom is not None:
        check_query(atom, compiled.predicates)
    facts = load_facts_file(compiled, facts_path) if facts_path else {}
    if atom is None:
        model = compiled.evaluate(facts, sorted(compiled.program.derived_predicates))
        text = render.model_json(model) if output_format == "json" else render.model_text(model)
    else:
        rows = compiled.evaluate(facts, [atom.predicate])[atom.predicate]
        answers = answer(atom, rows)
        shown = render.answers_json if output_format == "json" else render.answers_text
        text = shown(query, answers)
    click.echo(text)


if __name__ == "__main__":
    main()
