"""The library behind every command: one function per command.

cli.py and the HTTP service are thin over this module: they parse options,
call one function here, and hand the result to a view (policy/views/commands.py
picks it by command and format). Nothing here imports Click or prints; results
are plain objects. A result whose `problems` is true makes the CLI exit 1.

Modules only some commands need are imported inside those functions: a cold
`policylog query` should not pay for explanations, batches or the formatter.

    >>> import policy.api
    >>> result = policy.api.check([policy.BUNDLED_POLICY])
    >>> result.problems
    False
"""
from __future__ import annotations

from pathlib import Path

import policy
from policy.errors import Interrupted, PolicyError
from policy.results import (BatchResult, CheckResult, DiffResult, EvalResult, FmtResult,
                            QueryResult, TestResult, _no_progress)


def check(paths=()) -> CheckResult:
    """Every diagnostic of the rule files or directories (default: the bundled policy)."""
    return CheckResult(policy.check_policy(paths or (policy.BUNDLED_POLICY,)))


def evaluate(path, query: str | None = None, facts_path=None,
             engine: str = "auto") -> EvalResult:
    """The answers to `query` (one atom) under the policy at `path`, or every derived predicate.

    `engine`: pydatalog, duckdb (set at a time: large facts and recursion), or auto (by the
    number of facts and the program's shape: compiled.auto_engine).
    """
    from policy.decide.answers import answer, check_query, parse_query
    from policy.inputs.facts import load_facts_file

    compiled = policy.load_policy(path)
    atom = parse_query(query) if query else None
    if atom is not None:
        check_query(atom, compiled.predicates)
    facts = load_facts_file(compiled, facts_path) if facts_path else {}
    if engine == "auto":
        from policy.engine.compiled import auto_engine

        engine = auto_engine(compiled, facts)
    if atom is None:
        return EvalResult(None, model=compiled.evaluate(facts, sorted(compiled.output_predicates),
                                                        engine=engine))
    rows = compiled.evaluate(facts, [atom.predicate], engine=engine)[atom.predicate]
    return EvalResult(query, answers=answer(atom, rows))


def load(policy_path=None):
    """The compiled policy at `policy_path`, or the bundled one."""
    return policy.load_policy(policy_path or policy.BUNDLED_POLICY)


def facts(policy_path=None) -> list:
    """The facts an applicant file can give (the policy's applicant fact schema)."""
    from policy.inputs.applicant import fact_schema

    return fact_schema(load(policy_path).program)


def facts_template(policy_path=None, lang: str = "en") -> str:
    """An applicant file to fill in: every fact empty (unknown), commented with its
    question and allowed values, in `lang` (the text of `policylog facts --template`)."""
    from policy.decide.plan import labels_of
    from policy.inputs.applicant import fact_schema
    from policy.views.planview import schema_template

    compiled = load(policy_path)
    try:
        titles = labels_of(compiled.static_model)
    except PolicyError:  # the static facts cannot be evaluated: values without titles
        titles = {}
    source = None if policy_path is None else Path(policy_path).name
    return schema_template(fact_schema(compiled.program), lang, source, titles)


def query(facts_file, policy_path=None, show_all: bool = False, with_reasons: bool = False,
          lang: str = "en", engine: str = "pydatalog") -> QueryResult:
    """The applicant's plan; with `with_reasons`, each shown procedure carries a one-line reason.

    `engine` evaluates what the decision evaluates plainly (the static predicates; with
    duckdb, an applicant who gives every fact); the same plan either way."""
    from policy.engine.compiled import check_engine
    from policy.inputs.applicant import fact_schema, load_applicant

    check_engine(engine)
    compiled = load(policy_path)
    applicant = load_applicant(facts_file, fact_schema(compiled.program))
    if not with_reasons:
        from policy.decide.completions import decide
        from policy.decide.plan import make_plan

        return QueryResult(make_plan(compiled, applicant, decide(compiled, applicant, engine)),
                           show_all)
    from policy.tools.explanation import ApplicantExplainer

    explainer = ApplicantExplainer(compiled, applicant, lang, engine)
    for procedure in explainer.plan.shown(show_all):
        procedure.reason = explainer.reason(procedure.id)
    return QueryResult(explainer.plan, show_all)


def explain(facts_file, procedure: str, policy_path=None, why_not: bool = False, depth: int = 2,
            all_proofs: bool = False, lang: str = "en"):
    """The explanation document: why `procedure` applies or not, and what would change it."""
    from policy.tools.explanation import ApplicantExplainer
    from policy.inputs.applicant import fact_schema, load_applicant

    compiled = load(policy_path)
    applicant = load_applicant(facts_file, fact_schema(compiled.program))
    explainer = ApplicantExplainer(compiled, applicant, lang)
    return explainer.document(procedure, why_not, depth, all_proofs)


def batch(input_path: Path, output_path: Path, policy_path=None, jobs: int | None = None,
          output_format: str | None = None, input_format: str | None = None,
          progress=None, engine: str = "pydatalog", scheduler: str | None = None,
          partition_kb: int | None = None) -> BatchResult:
    """Stream the rows of INPUT to one record each in OUTPUT (`-`: standard output).

    OUTPUT is written beside itself and renamed into place (policy.outputs), so
    a failure leaves an existing OUTPUT as it was; OUTPUT naming the input file
    itself (or a link to it) is refused. `progress(total)` is a context manager
    giving a callable to call per row (or None). Ctrl-C keeps the records written
    so far and raises Interrupted saying how many. `scheduler` (`local`, `local:N` or
    a Dask scheduler's address) decides the rows on a Dask cluster, in partitions of
    about `partition_kb` KiB of the input (README: Scale past one machine).
    """
    from policy.decide.plan import require_catalogue
    from policy.inputs.applicant import fact_schema
    from policy.inputs.rows import count_rows, read_rows
    from policy.lang.loader import standard_input
    from policy.outputs import is_stdout, output_file
    from policy.tools.batch import run_batch, worker_count
    from policy.tools.batch_writers import WRITERS

    cluster = _scheduler(scheduler, jobs, partition_kb)
    policy_path = policy_path or policy.BUNDLED_POLICY
    compiled = policy.load_policy(policy_path)
    require_catalogue(compiled)
    input_path = standard_input(input_path)
    input_format = input_format or _format_of(input_path, "jsonl")
    output_format = output_format or _format_of(output_path, "jsonl")
    procedures = sorted(p for p, _ in compiled.static_model["procedure"])
    if not input_path.exists() or input_path.is_dir():  # a pipe or a device is read, bounded
        raise PolicyError.single("file_error", "no such file", str(input_path))
    _refuse_output_over_inputs("--out", output_path, policy_path, ("input file", input_path))
    _check_parquet(input_path, input_format, output_path, output_format)
    total = count_rows(input_path, input_format)
    rows = read_rows(input_path, input_format, fact_schema(compiled.program))
    with output_file(output_path, keep_on=(Interrupted,)) as stream:
        write = WRITERS[output_format](stream, procedures)
        with (progress or _no_progress)(total) as advance:
            try:
                summary = run_batch(compiled, policy_path, rows, write, worker_count(jobs, total),
                                    str(input_path), advance, engine, cluster,
                                    partition_kb and partition_kb * 1024)
            except Interrupted as interrupted:
                raise Interrupted(interrupted.summary, output_path) from None
            finally:  # a Parquet file gets its footer: the records written so far stay readable
                getattr(write, "close", lambda: None)()
    return BatchResult(summary, procedures, is_stdout(output_path))


def _refuse_output_over_inputs(option: str, output_path, policy_path, *inputs) -> None:
    """An output may name neither a file the command reads (`inputs`: (what, path)) nor a
    rule file of the policy, nor a link to one: writing it would replace what it reads."""
    from policy.lang.loader import rule_files
    from policy.outputs import same_file

    policy_paths = policy_path if isinstance(policy_path, (list, tuple)) else [policy_path]
    rules = [("rule file", path) for path in rule_files(map(Path, policy_paths))]
    for name, source in [*inputs, *rules]:
        if source is not None and same_file(source, output_path):
            raise PolicyError.single("file_error", f"{option} names the {name} {source} (or a "
                                     "link to it): writing it would destroy it", str(output_path))


def _scheduler(address: str | None, jobs: int | None, partition_kb: int | None):
    """The --scheduler option read (dask_seam.Scheduler), Dask's presence checked; None
    without it (then nothing of Dask is imported)."""
    if address is None:
        if partition_kb is not None:
            raise PolicyError.single("usage_error", "--partition-kb sizes the partitions of "
                                     "--scheduler, which is not given")
        return None
    from policy.tools.dask_seam import parse_scheduler, require_dask

    scheduler = parse_scheduler(address, jobs)
    require_dask()
    return scheduler


def _format_of(path: Path, default: str) -> str:
    suffix = path.suffix.lower()
    return {".csv": "csv", ".parquet": "parquet"}.get(suffix, default)


def _check_parquet(input_path: Path, input_format: str, output_path, output_format: str) -> None:
    """Parquet is read and written as a whole file (its footer says where the rows are): not
    from a pipe, nor to standard output."""
    from policy.outputs import is_stdout

    if input_format == "parquet" and not input_path.is_file():
        raise PolicyError.single("usage_error", "Parquet input must be a file", str(input_path))
    if output_format == "parquet" and is_stdout(output_path):
        raise PolicyError.single("usage_error", "Parquet output must be a file (--out FILE)")


def test(paths=(), policy_path=None, pattern: str | None = None, with_coverage: bool = False,
         fail_under: float | None = None, engine: str = "pydatalog") -> TestResult:
    """Run scenario files (default: the bundled scenarios, on the bundled policy only);
    each policy compiled once. Coverage is of the policies the scenarios ran against.

    With `policy_path` and no `paths`, nothing runs the bundled scenarios against
    another policy: that is a usage error (the scenarios would test the wrong policy).
    A `pattern` that selects no scenario is a usage error too (as in pytest).
    """
    from policy.engine.compiled import check_engine
    from policy.tools.tester import coverage, run_scenarios

    if policy_path is not None and not paths:
        raise PolicyError.single(
            "usage_error", "with --policy, name the scenario files to run: the bundled "
            "scenarios are written for the bundled policy", str(policy_path))
    default_policy = policy_path or policy.BUNDLED_POLICY
    scenarios = _scenarios(paths, default_policy)
    compiled_by_path = {}

    def compiled_at(path):
        key = str(path)
        if key not in compiled_by_path:
            compiled_by_path[key] = policy.load_policy(path)
        return compiled_by_path[key]

    outcomes = run_scenarios(scenarios, compiled_at, pattern, check_engine(engine))
    if pattern and not outcomes:
        raise PolicyError.single("usage_error", f"no scenario name matches -k {pattern!r} "
                                 f"(of {len(scenarios)} scenario(s))")
    report = None
    if with_coverage:
        report = {}
        for path in dict.fromkeys(str(o.scenario.policy_path) for o in outcomes):
            ran = [o for o in outcomes if str(o.scenario.policy_path) == path]
            report.update(coverage(compiled_at(path), ran))
    return TestResult(outcomes, report, fail_under)


test.__test__ = False


def _scenarios(paths, default_policy) -> list:
    from policy.tools.tester import load_scenarios, scenario_files

    files = scenario_files(paths or (policy.BUNDLED_SCENARIOS,))
    return [s for file in files for s in load_scenarios(file, default_policy)]


def fmt(paths, check_only: bool = False) -> FmtResult:
    """Rewrite rule files in the canonical layout (or, with `check_only`, list those that differ)."""
    from policy.lang.formatter import format_file
    from policy.lang.loader import rule_files

    return FmtResult([p for p in rule_files(paths) if format_file(p, check_only)], check_only)


def docs(path, out_dir: Path) -> list:
    """Write policy.en.md and policy.zh.md into `out_dir` (made if missing); returns the paths
    written. Each file is written beside itself and renamed into place (policy.outputs)."""
    from policy.decide.plan import require_catalogue
    from policy.tools.docs import catalogue_markdown

    compiled = load(path)
    require_catalogue(compiled)
    from policy.outputs import make_folder, write_text

    make_folder(out_dir)
    written = []
    for lang in ("en", "zh"):
        target = out_dir / f"policy.{lang}.md"
        write_text(target, catalogue_markdown(compiled, lang))  # a link there is replaced, not followed
        written.append(target)
    return written


def graph(path=None, level: str = "predicates", lang: str = "en") -> str:
    """The policy in DOT: the predicate dependency graph, or (level "procedures") the
    procedures and milestones in the order the steps come."""
    from policy.lang.loader import parse_files, require_no_syntax_errors
    from policy.tools.docs import dependency_dot, procedure_dot

    if level == "procedures":
        from policy.decide.plan import require_catalogue

        compiled = load(path)
        require_catalogue(compiled)
        return procedure_dot(compiled, lang)
    program, syntax = parse_files([path or policy.BUNDLED_POLICY])
    require_no_syntax_errors(syntax)
    return dependency_dot(program)


def diff(old_path, new_path, scenario_paths=(), applicant_paths=(), population=None,
         exit_code: bool = False, engine: str = "pydatalog", input_format: str | None = None
         ) -> DiffResult:
    """The applicants whose outcome changes between two policies, and the rules changed.

    The applicants: those of scenario files, applicant files, and the rows of a CSV or
    JSONL population; with none given, the bundled scenarios. A population is streamed
    through the batch's machinery (`engine` as for batch): its changed rows are listed
    and, per procedure, how many applicants move from one status to another.
    """
    from policy.inputs.applicant import fact_schema
    from policy.tools.impact import applicant_cases, outcome_changes, rule_changes

    old, new = policy.load_policy(old_path), policy.load_policy(new_path)
    scenarios = []
    if scenario_paths or not (applicant_paths or population):
        scenarios = _scenarios(scenario_paths, old_path)
        if not scenario_paths:
            _require_fitting(scenarios, old, new)
    scenarios += applicant_cases(applicant_paths, None, fact_schema(old.program))
    changes = outcome_changes(old, new, scenarios)
    impact = None
    if population is not None:
        impact = _population_impact(old, new, Path(population), engine, input_format)
        changes += impact.changes
    return DiffResult(changes, len(scenarios) + (impact.rows if impact else 0),
                      rule_changes(old.program, new.program), exit_code, impact)


def _require_fitting(scenarios: list, *compiled) -> None:
    """The bundled scenarios, taken by default, are applicants of the bundled policy: two
    policies of their own (not amended copies of it) need their own applicants, which is a
    clearer message than every unknown fact of every scenario."""
    from policy.inputs.applicant import NAME_KEY, fact_schema

    for one in compiled:
        known = {spec.name for spec in fact_schema(one.program)} | {NAME_KEY}
        for scenario in scenarios:  # inline facts (a file is checked when it is read)
            stray = sorted(set(scenario.facts) - known) if isinstance(scenario.facts, dict) else []
            if not stray:
                continue
            raise PolicyError.single(
                "usage_error", f"the bundled scenarios do not fit this policy (it has no fact "
                f"{', '.join(map(repr, stray[:3]))}): name the applicants to compare with "
                "--scenarios PATH, --applicants PATH or --population FILE")


def _population_impact(old, new, path: Path, engine: str, input_format):
    from policy.decide.plan import require_catalogue
    from policy.inputs.applicant import fact_schema
    from policy.inputs.rows import read_rows
    from policy.tools.population_impact import population_impact

    require_catalogue(old)
    require_catalogue(new)
    from policy.lang.loader import standard_input

    path = standard_input(path)
    if not path.exists() or path.is_dir():  # a pipe or a device is read, bounded (as batch)
        raise PolicyError.single("file_error", "no such file", str(path))
    kind = input_format or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    rows = read_rows(path, kind, fact_schema(old.program))
    return population_impact(old, new, rows, str(path), engine)


def interview_state(facts_file=None, policy_path=None, name: str | None = None):
    """An Interview starting from the answers of an applicant file (or from none).

    A fact the file writes but leaves empty counts as answered "don't know".
    """
    from policy.decide.interview import Interview, answers_of
    from policy.inputs.applicant import fact_schema, load_applicant

    compiled = load(policy_path)
    answers, start_name = {}, ""
    if facts_file is not None:
        applicant = load_applicant(facts_file, fact_schema(compiled.program))
        answers, start_name = answers_of(applicant, fact_schema(compiled.program)), applicant.name
    return Interview(compiled, name or start_name, answers)


def interview(facts_file=None, policy_path=None, lang: str = "en", save=None, answers_file=None,
              name: str | None = None, read=None, write=None):
    """Run an interview: from `answers_file` (the truth; a fact it lacks is "don't know"), or
    in a conversation through `read(prompt)` and `write(text)`. Saves the answers to `save`
    (and, when the applicant stops without --save, offers to). Returns the Transcript."""
    from policy.inputs.applicant import fact_schema, load_applicant
    from policy.tools.interviewer import answer_from, converse, offer_to_save, save_answers

    if save is not None:  # refused before the questions, whose answers it would lose
        _refuse_output_over_inputs("--save", save, policy_path or policy.BUNDLED_POLICY,
                                   ("answers file", answers_file))
    state = interview_state(facts_file, policy_path, name)
    if answers_file is not None:
        truth = load_applicant(answers_file, fact_schema(state.compiled.program))
        state.name = state.name or truth.name
        transcript = answer_from(state, truth)
    else:
        state.name = state.name or "applicant"
        transcript = converse(state, lang, read, write)
        if transcript.stopped and save is None:
            save = offer_to_save(transcript, lang, read, write)
    if save:
        save_answers(state, save, lang)
        transcript.saved = str(save)
    return transcript


def serve(policy_path=None, host: str = "127.0.0.1", port: int = 8000, workers: int = 0,
          timeout: float = 10.0, max_body: int = 256 * 1024, max_memory: int = None) -> None:
    """Run the HTTP service (policy/web/) under uvicorn until interrupted; a bad policy is
    refused (PolicyError) before the port opens. `max_memory` (bytes) caps each worker."""
    from policy.web.app import serve as run_server

    run_server(policy_path, host, port, workers, timeout, max_body, max_memory)


__all__ = ["batch", "check", "diff", "docs", "evaluate", "explain", "facts", "fmt", "graph",
           "interview", "query", "serve", "test"]
