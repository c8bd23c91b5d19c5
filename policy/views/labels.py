"""The one en/zh table of the words the views add around the policy's own sentences.

Everything a user reads about the policy itself (titles, places, documents,
questions, explanation templates) comes from the policy files; what lives
here are only the labels of the layout (headings, statuses, connecting
phrases), in both languages, keyed `section.name`: `plan.` for the applicant's
plan, `explain.` for explanations, `reason.` for the one-line reasons of
`query --explain`, `docs.` for the catalogue. A test holds the two languages
to the same keys and the same placeholders.

    >>> label("zh", "plan.step", n=2)
    '第2步'
"""
from __future__ import annotations

LABELS = {
    "en": {
        # plan
        "plan.plan": "Plan for {name}",
        "plan.step": "Step {n}",
        "plan.where": "Where",
        "plan.bring": "Bring",
        "plan.time": "Time",
        "plan.source": "Source",
        "plan.needs": "After",
        "plan.blocked": "blocked",
        "plan.missing": "Depends on",
        "plan.checklist": "Checklist: documents to bring",
        "plan.for": "for",
        "plan.nothing": "No procedure applies on the facts given.",
        "plan.why": "Why",
        "plan.unknown": "Facts not given ({n}); answering them may change the plan:",
        "plan.achieved": "Already done",
        "plan.applies": "applies",
        "plan.undetermined": "undetermined",
        "plan.not_applicable": "not applicable",
        "plan.must": "must",
        "plan.may": "may",
        "plan.option": "one of several ({group})",
        # explain
        "explain.absent": "there is no evidence that {what}",
        "explain.given": "you said so",
        "explain.line": "{file}, line {line}",
        "explain.others": "{n} other proof(s) exist; --all-proofs shows them",
        "explain.why": "Why",
        "explain.why_not": "Why not",
        "explain.would": "Would apply if",
        "explain.hinges": "Hinges on",
        "explain.rule": "rule",
        "explain.none": "no rule can conclude it",
        "explain.reached": "already done",
        "explain.provided": "done at step {step} by {procedure}",
        "explain.milestone": "needs {milestone}",
        "explain.set": "{fact} = {value}",
        "explain.was": "(now {was})",
        "explain.unknown": "(not given)",
        "explain.no_change": "no change of at most {n} facts makes it apply",
        "explain.procedure": "{title} [{id}]: {status}",
        "explain.needs": "Needs first",
        "explain.status:holds": "holds",
        "explain.status:false": "false",
        "explain.status:unknown": "unknown",
        "explain.status:fails below": "fails below",
        # docs
        "docs.title": "Policy catalogue",
        "docs.procedures": "Procedures",
        "docs.modality": "Modality",
        "docs.group": "one of the alternatives",
        "docs.conditions": "Applies when",
        "docs.rule": "Rule",
        "docs.source": "Source",
        "docs.interpretation": "Interpretation",
        "docs.needs": "Needs first",
        "docs.provides": "Provides",
        "docs.documents": "Documents to bring",
        "docs.office": "Where",
        "docs.duration": "How long",
        "docs.citations": "Citations",
        "docs.asks": "Facts it asks for",
        "docs.facts": "Applicant facts",
        "docs.type": "type",
        "docs.question": "question",
        "docs.must": "must",
        "docs.may": "may",
        "docs.option": "one of several",
        # reason
        "reason.blocked": "blocked by: {what}",
        "reason.depends": "depends on: {what}",
        "reason.no_rule": "no rule concludes it",
    },
    "zh": {
        # plan
        "plan.plan": "{name} 的办理计划",
        "plan.step": "第{n}步",
        "plan.where": "地点",
        "plan.bring": "携带",
        "plan.time": "时限",
        "plan.source": "依据",
        "plan.needs": "前提",
        "plan.blocked": "受阻",
        "plan.missing": "取决于",
        "plan.checklist": "材料清单",
        "plan.for": "用于",
        "plan.nothing": "根据所给事实，没有适用的手续。",
        "plan.why": "原因",
        "plan.unknown": "未提供的事实（{n}项），回答后计划可能改变：",
        "plan.achieved": "已完成",
        "plan.applies": "适用",
        "plan.undetermined": "待定",
        "plan.not_applicable": "不适用",
        "plan.must": "必须",
        "plan.may": "可以",
        "plan.option": "多选一（{group}）",
        # explain
        "explain.absent": "没有证据表明{what}",
        "explain.given": "申请人提供",
        "explain.line": "{file} 第{line}行",
        "explain.others": "另有{n}种证明；用 --all-proofs 查看",
        "explain.why": "为什么",
        "explain.why_not": "为什么不",
        "explain.would": "如果……则适用",
        "explain.hinges": "取决于",
        "explain.rule": "规则",
        "explain.none": "没有规则能得出该结论",
        "explain.reached": "已完成",
        "explain.provided": "由第{step}步 {procedure} 完成",
        "explain.milestone": "需要 {milestone}",
        "explain.set": "{fact} = {value}",
        "explain.was": "（现为 {was}）",
        "explain.unknown": "（未提供）",
        "explain.no_change": "改变至多{n}项事实都不能使其适用",
        "explain.procedure": "{title} [{id}]：{status}",
        "explain.needs": "前提",
        "explain.status:holds": "成立",
        "explain.status:false": "不成立",
        "explain.status:unknown": "未知",
        "explain.status:fails below": "下层不成立",
        # docs
        "docs.title": "政策目录",
        "docs.procedures": "手续",
        "docs.modality": "性质",
        "docs.group": "多选一之一",
        "docs.conditions": "适用条件",
        "docs.rule": "规则",
        "docs.source": "依据",
        "docs.interpretation": "解释",
        "docs.needs": "前提",
        "docs.provides": "完成后达成",
        "docs.documents": "所需材料",
        "docs.office": "办理地点",
        "docs.duration": "办理时限",
        "docs.citations": "出处",
        "docs.asks": "需要提供的事实",
        "docs.facts": "申请人事实",
        "docs.type": "类型",
        "docs.question": "问题",
        "docs.must": "必须",
        "docs.may": "可以",
        "docs.option": "多选一",
        # reason
        "reason.blocked": "受阻于：{what}",
        "reason.depends": "取决于：{what}",
        "reason.no_rule": "没有规则得出该结论",
    },
}


def label(lang: str, key: str, **values) -> str:
    """The label `key` in `lang`, its `{placeholders}` filled from `values`."""
    return LABELS[lang][key].format(**values)


def section(lang: str, name: str) -> dict:
    """The labels of one section, by their short names (`docs.title` -> `title`)."""
    prefix = name + "."
    return {key[len(prefix):]: text for key, text in LABELS[lang].items() if key.startswith(prefix)}
