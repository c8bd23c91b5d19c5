"""What every policylog command shares on the command line (Click only): errors become
diagnostics and exit code 2 in one place (PolicylogGroup), results are drawn by the view of
the command and --format (`output`), and the limits options run the command within them
(`bounded`). cli.py declares the commands with these.
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from policy.errors import Interrupted, PolicyError, TimeLimitExceeded
from policy.limits import DEFAULT, Limits, restore, using
from policy.supervisor import run_bounded
from policy.views import terminal
from policy.views.commands import formats, show

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
MIB = 1024 * 1024
# The one path type of every path option: making a click.Path looks its name up in
# gettext's catalogues on disk (about a third of a millisecond each, 21 of them).
PATH = click.Path(path_type=Path)


class PolicylogGroup(click.Group):
    """Turns every PolicyError into its diagnostics on stderr and exit code 2."""

    abandoned_work = False  # a timed-out evaluation is still running in a thread

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PolicyError as problem:
            PolicylogGroup.abandoned_work |= isinstance(problem, TimeLimitExceeded)
            for diagnostic in problem.diagnostics:
                click.echo(diagnostic.render(), err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except Interrupted as interrupted:
            click.echo(f"interrupted: {interrupted.summary.rows} row(s) finished and written "
                       f"to {interrupted.output_path}", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        finally:
            terminal.use(terminal.PLAIN)  # the look was this command's (tests run many in-process)


def output(command: str, lang: bool = False):
    """The shared output options of `command`: --format (when it has several) and --lang.

    The decorated function returns the result of its policy.api call; this draws
    it with the view for the chosen format and exits 1 when it has problems.
    """
    choices = formats(command)

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, output_format=choices[0], **kwargs):
            result = function(*args, **kwargs)
            text = show(command, output_format, result, kwargs.get("lang", "en"))
            if text is not None:  # on stderr when stdout holds the command's output file
                echo(text, err=getattr(result, "to_stderr", False), color=terminal.current().colour)
            if getattr(result, "problems", False):
                sys.exit(EXIT_PROBLEMS)

        if lang:
            wrapper = click.option(
                "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                help="Language of titles, places, documents and questions.")(wrapper)
        if len(choices) > 1:
            wrapper = click.option(
                "--format", "output_format", type=click.Choice(choices), default=choices[0],
                show_default=True,
                help="Output format: text for people, json for programs.")(wrapper)
        return wrapper

    return decorate


QUERY_ENGINE_HELP = ("What evaluates the policy's static facts and, with duckdb, an applicant "
                     "who gives every fact; unknown facts are decided exactly either way, and "
                     "the answer is the same (README: Two engines).")


def engine_option(default: str, help: str = "pydatalog: one applicant, proofs; duckdb: set at "
                  "a time, for large facts, recursion and populations.", auto: bool = False):
    """The shared --engine option: which engine evaluates (the choice never changes an answer)."""
    choices = ["pydatalog", "duckdb"] + (["auto"] if auto else [])
    return click.option("--engine", type=click.Choice(choices), default=default,
                        show_default=True, help=help)


def echo(text: str, err: bool = False, color=None) -> None:
    """click.echo; a full disk or a closed pipe behind stdout is a file_error, not a traceback."""
    try:
        click.echo(text, err=err, color=color)
    except OSError as problem:
        stream = sys.stderr if err else sys.stdout
        try:  # what is still buffered could never be written: send it nowhere, quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        raise PolicyError.single("file_error", "cannot write the output: "
                                 f"{problem.strerror or problem}", "<stdout>") from None


def policy_option(function):
    """The shared --policy option (default: the bundled policy)."""
    return click.option(
        "--policy", "policy_path", type=PATH, default=None,
        help="A rule file or directory (default: the bundled Beijing policy).",
    )(function)


def bounded(function=None, *, timeout=DEFAULT.timeout, max_input_mb=DEFAULT.max_input_bytes / MIB):
    """--timeout, --max-input-mb, --max-facts and --max-memory-mb, and the command run
    within them (policy/supervisor.py; README "Limits")."""
    if function is None:
        return functools.partial(bounded, timeout=timeout, max_input_mb=max_input_mb)

    @functools.wraps(function)
    def wrapper(*args, timeout, max_input_mb, max_facts, max_memory_mb, **kwargs):
        limits = Limits(timeout, int(max_input_mb * MIB), max_facts, int(max_memory_mb * MIB))
        token = using(limits)
        try:
            return run_bounded(lambda: function(*args, **kwargs), timeout)
        finally:
            restore(token)

    options = [
        click.option("--timeout", type=click.FloatRange(min=0.01), default=timeout,
                     show_default=True, help="Seconds the command may take."),
        click.option("--max-input-mb", type=click.FloatRange(min=0.001),
                     default=max_input_mb, show_default=True,
                     help="Most bytes read from any one input, in MiB."),
        click.option("--max-facts", type=click.IntRange(min=1), default=DEFAULT.max_facts,
                     show_default=True, help="Most facts one evaluation may hold."),
        click.option("--max-memory-mb", type=click.FloatRange(min=16),
                     default=DEFAULT.max_memory_bytes / MIB, show_default=True,
                     help="Most data memory of each process of the command, in MiB."),
    ]
    for option in options:
        wrapper = option(wrapper)
    return wrapper
