"""Values in words: an interview answer, the values a fact takes, a condition on an open
type's value, each in the applicant's language from the one label table (labels.py).
"""
from __future__ import annotations

from policy.values import show
from policy.views.labels import label


def choice_text(choice, lang: str) -> str:
    """An interview answer as the applicant reads it: the policy's title for it, "yes"/"no"
    for a boolean (this table's words), else the value itself."""
    if choice.title.get(lang):
        return choice.title[lang]
    if isinstance(choice.value, bool):
        return label(lang, "interview.yes" if choice.value else "interview.no")
    return str(choice.value)


def type_text(spec, lang: str, titles: dict = None) -> str:
    """The values a fact takes, as an applicant file writes them, described in `lang`; an
    enum value's title (the policy's `label/3`, in `titles`) follows it when it says more."""
    if spec.is_flag:
        return label(lang, "type.flag")
    if spec.is_record:
        return label(lang, "type.records") + ", ".join(
            f"{p.name} ({_param_text(p.type, lang, titles)})" for p in spec.declaration.params)
    return _param_text(spec.type, lang, titles)


def _param_text(param_type, lang: str, titles: dict = None) -> str:
    if param_type.name != "enum":
        return param_type.name
    return label(lang, "type.one_of") + ", ".join(
        _titled_value(value, lang, titles or {}) for value in param_type.values)


def _titled_value(value, lang: str, titles: dict) -> str:
    title = titles.get(value, {}).get(lang)
    if not title or says_nothing_more(title, str(value)):
        return show(value)
    return f"{show(value)} ({title})"


def says_nothing_more(title: str, key: str) -> bool:
    """Whether a title only spells its key out ("self-funded" for self_funded): then the
    key alone is shown, or the title alone."""
    return title.lower().replace("-", "_").replace(" ", "_") == key.lower()


def condition_text(condition: tuple, lang: str) -> str:
    """A condition on an open type's value (counterfactual.describe) in words: `>= 18`,
    `< 2.5 or >= 4`, `not "x"`, "any value"."""
    if condition[0] == "any":
        return label(lang, "condition.any")
    if condition[0] == "not":
        return label(lang, "condition.not", values=", ".join(show(v) for v in condition[1]))
    return label(lang, "condition.or").join(
        label(lang, "condition.and").join(f"{op} {show(value)}" for op, value in alternative)
        or label(lang, "condition.any") for alternative in condition[1])
