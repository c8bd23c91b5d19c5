"""The view table: for every command, its output formats and the view that draws each.

This is the one way an output format is picked: cli.py (and the HTTP service)
look up VIEWS[command][format] and call it with the command's result from
policy.api and the language. The first format listed is the default. A view
returns the text to print, or None when there is nothing to print.

View modules are imported when a view is drawn, not here: a cold `query`
does not load the explanation or test views.

    >>> from policy.api import CheckResult
    >>> show("check", "text", CheckResult([]))
    '0 error(s), 0 warning(s)'
"""
from __future__ import annotations

from importlib import import_module


def _call(module: str, function: str, *args):
    return getattr(import_module(f"policy.views.{module}"), function)(*args)


def _eval_text(result, lang):
    if result.query is None:
        return _call("render", "model_text", result.model)
    return _call("render", "answers_text", result.query, result.answers)


def _eval_json(result, lang):
    if result.query is None:
        return _call("render", "model_json", result.model)
    return _call("render", "answers_json", result.query, result.answers)


def _test_text(result, lang):
    text = _call("testview", "outcomes_text", result.outcomes)
    if result.coverage is not None:
        text += "\n" + _call("testview", "coverage_text", result.coverage)
    if result.coverage_too_low:
        percent = _call("testview", "coverage_percent", result.coverage)
        text += f"\ncoverage {percent:.1f}% is under {result.fail_under:g}%"
    return text


def _template_as_json():
    from policy.errors import PolicyError

    raise PolicyError.single("usage_error", "--template writes a YAML applicant file: "
                             "leave out --format json")


def _fmt_text(result, lang):
    verb = "would reformat" if result.check_only else "reformatted"
    return "\n".join(f"{verb} {path}" for path in result.changed) or None


VIEWS = {
    "check": {
        "text": lambda r, lang: _call("render", "diagnostics_text", r.diagnostics),
        "json": lambda r, lang: _call("render", "diagnostics_json", r.diagnostics),
    },
    "eval": {"text": _eval_text, "json": _eval_json},
    "facts": {
        "text": lambda schema, lang: schema if isinstance(schema, str)  # --template
        else _call("planview", "schema_text", schema, lang),
        "json": lambda schema, lang: _template_as_json() if isinstance(schema, str)
        else _call("planview", "schema_json", schema),
    },
    "query": {
        "text": lambda r, lang: _call("planview", "plan_text", r.plan, r.show_all, lang),
        "json": lambda r, lang: _call("planview", "plan_json", r.plan, r.show_all, lang),
        "markdown": lambda r, lang: _call("planview", "plan_markdown", r.plan, r.show_all, lang),
    },
    "explain": {
        "text": lambda doc, lang: _call("explainview", "explanation_text", doc, lang),
        "json": lambda doc, lang: _call("explainview", "explanation_json", doc),
        "markdown": lambda doc, lang: _call("explainview", "explanation_markdown", doc, lang),
    },
    "batch": {
        "text": lambda r, lang: _call("render", "batch_summary", r.summary, r.procedures),
    },
    "test": {
        "text": _test_text,
        "json": lambda r, lang: _call("testview", "outcomes_json", r.outcomes, r.coverage),
    },
    "fmt": {"text": _fmt_text},
    "docs": {"text": lambda written, lang: "\n".join(f"wrote {path}" for path in written)},
    "graph": {"text": lambda dot, lang: dot.rstrip("\n")},
    "interview": {
        "text": lambda t, lang: _call("interviewview", "transcript_text", t, lang),
        "json": lambda t, lang: _call("interviewview", "transcript_json", t, lang),
    },
    "serve": {"text": lambda result, lang: None},
    "diff": {
        "text": lambda r, lang: _call("diffview", "diff_text", r.changes, r.scenarios, r.rules,
                                        r.population),
        "json": lambda r, lang: _call("diffview", "diff_json", r.changes, r.scenarios, r.rules,
                                        r.population),
    },
}


def formats(command: str) -> list:
    """The output formats of `command`, the default first."""
    return list(VIEWS[command])


def show(command: str, output_format: str, result, lang: str = "en"):
    """The text of `result` in `output_format` (None: nothing to print)."""
    return VIEWS[command][output_format](result, lang)
