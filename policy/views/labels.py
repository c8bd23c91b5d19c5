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
        # the values of an open type that work (explain: decided by, would apply if)
        "condition.any": "any value",
        "condition.not": "not {values}",
        "condition.or": " or ",
        "condition.and": " and ",
        # the values a fact takes, and the applicant-file template (facts --template)
        "type.flag": "yes/no",
        "type.records": "a list of records: ",
        "type.one_of": "one of: ",
        "template.header": "An applicant file for {source} (policylog facts --template).",
        "template.hint": "Answer what you know; a fact left empty stays unknown, never false.",
        "template.name": "Your Name",
        "template.bundled": "the bundled policy",
        "template.flag": "true or false",
        "template.records": "{types}; write each as  - {example}  ([] for none)",
        "template.enum": "{types} (or a list of them)",
        "template.open": "a value of type {type}",
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
        "plan.achieved": "Already done or held",
        "plan.blocked_by": "Blocked by",
        "plan.held": "held",
        "plan.missing_doc": "missing",
        "plan.unknown_doc": "not known whether you hold it",
        "plan.get": "How to get {what}",
        "plan.provided_by": "provided by {ids}",
        "plan.no_source": "the documents do not say where to get it",
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
        "explain.or": "or: ",
        "explain.cases": "{what}: holds whichever way the unknown facts turn out, by one of these rules",
        "explain.decided": "Decided by (each value, the other unknown facts left unknown)",
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
        "docs.trace": "Traceability: every clause of the sources",
        "docs.clause": "Clause",
        "docs.encoded": "Encoded by",
        "docs.advice": "advice only, no rule",
        "docs.cited": "cited by",
        "docs.not_encoded": "NOT ENCODED (no rule, and not marked advice only)",
        # reason
        "reason.blocked": "blocked by: {what}",
        "reason.depends": "depends on: {what}",
        "reason.no_rule": "no rule concludes it",
        # interview (the terminal conversation and the page's questions)
        "interview.prompt": "> ",
        "interview.yes": "yes",
        "interview.no": "no",
        "interview.dont_know": "don't know",
        "interview.default": "Enter: don't know",
        "interview.commands": "? why · back · stop",
        "interview.help": "Answer with a number, a value or its name; Enter for don't know; ? or why: why this question; back: undo the last answer; stop: end here.",
        "interview.nothing_to_undo": "Nothing to undo.",
        "interview.undone": "Undone: {fact}.",
        "interview.not_understood": "Not an answer here ({problem}): {reply!r}. Type ? for why, help for help.",
        "interview.why_intro": "Your answer can settle {n} open procedure(s):",
        "interview.why_clauses": "Rules that read it:",
        "interview.yes_no": "yes/no",
        "interview.transcript": "Interview for {name}",
        "interview.answered": "-> {answer}",
        "interview.count": "{n} question(s) asked; the schema has {size} facts.",
        "interview.stopped": "Stopped after {n} answer(s).",
        "interview.saved": "Answers saved to {file}.",
        "interview.save_offer": "Save your answers to a file (Enter: do not save): ",
        "interview.not_saved": "Answers not saved; rerun with --save FILE to keep them.",
        "interview.saved_header": "Answers given to `policylog interview`; a fact left empty means \"don't know\".",
        "interview.done": "Nothing more can change the plan.",
        # page (GET / of policylog serve)
        "page.title": "Your plan: which procedures apply, in what order, what to bring",
        "page.language": "Language",
        "page.name": "Your name (optional)",
        "page.question": "Question {n}",
        "page.next": "Next",
        "page.back": "Back",
        "page.restart": "Start again",
        "page.why": "Why are you asking?",
        "page.why_procedures": "Your answer can settle these open procedures:",
        "page.why_clauses": "The rules that read it:",
        "page.answers": "Your answers",
        "page.no_answers": "No answers yet.",
        "page.plan": "Your plan so far",
        "page.final": "Your plan",
        "page.done": "Nothing more can change the plan.",
        "page.steps": "Steps, in order",
        "page.no_steps": "No procedure applies yet on your answers.",
        "page.step": "Step {n}",
        "page.status": "Status",
        "page.where": "Where",
        "page.bring": "Bring",
        "page.time": "Time",
        "page.after": "After",
        "page.depends": "Depends on",
        "page.source": "Source",
        "page.explanation": "Why",
        "page.checklist": "Documents to bring",
        "page.for": "for",
        "page.print": "Print",
        "page.download": "Download my answers (applicant file)",
        "page.error": "That answer could not be used",
        "page.answer_label": "Your answer",
        "page.open_value": "Type the value ({kind})",
        "page.skip": "Skip to content",
        "page.answered": "{n} answered",
        "page.api": "JSON API and its OpenAPI document",
    },
    "zh": {
        # the values of an open type that work (explain: decided by, would apply if)
        "condition.any": "任意值",
        "condition.not": "不是 {values}",
        "condition.or": " 或 ",
        "condition.and": " 且 ",
        # the values a fact takes, and the applicant-file template (facts --template)
        "type.flag": "是/否（true/false）",
        "type.records": "记录列表：",
        "type.one_of": "可选值：",
        "template.header": "{source}的申请人文件（policylog facts --template）。",
        "template.hint": "请填写您知道的事实；留空的事实视为未知，绝不视为“否”。",
        "template.name": "您的姓名",
        "template.bundled": "内置政策",
        "template.flag": "true（是）或 false（否）",
        "template.records": "{types}；每条写作  - {example}  （没有则写 []）",
        "template.enum": "{types}（也可写成列表）",
        "template.open": "{type} 类型的值",
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
        "plan.achieved": "已完成或已持有",
        "plan.blocked_by": "受阻于",
        "plan.held": "已持有",
        "plan.missing_doc": "缺少",
        "plan.unknown_doc": "未知是否持有",
        "plan.get": "如何取得{what}",
        "plan.provided_by": "由以下手续取得：{ids}",
        "plan.no_source": "所依据的文件未说明在何处取得",
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
        "explain.or": "或：",
        "explain.cases": "{what}：无论未知事实如何，以下规则之一都会成立",
        "explain.decided": "取决于以下未知事实（每个取值，其他未知事实仍未知）",
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
        "docs.trace": "可追溯性：来源文件的每一条款",
        "docs.clause": "条款",
        "docs.encoded": "对应规则",
        "docs.advice": "仅为建议，无规则",
        "docs.cited": "引用该条款的手续",
        "docs.not_encoded": "未编码（既无规则，也未标为仅建议）",
        # reason
        "reason.blocked": "受阻于：{what}",
        "reason.depends": "取决于：{what}",
        "reason.no_rule": "没有规则得出该结论",
        # interview (the terminal conversation and the page's questions)
        "interview.yes": "是",
        "interview.no": "否",
        "interview.prompt": "> ",
        "interview.dont_know": "不知道",
        "interview.default": "回车：不知道",
        "interview.commands": "? 为什么 · 返回 · 停止",
        "interview.help": "请输入编号、取值或其名称；直接回车表示不知道；? 或“为什么”：为什么问这个问题；“返回”：撤销上一个回答；“停止”：到此结束。",
        "interview.nothing_to_undo": "没有可撤销的回答。",
        "interview.undone": "已撤销：{fact}。",
        "interview.not_understood": "无法识别的回答（{problem}）：{reply!r}。输入 ? 查看原因，输入“帮助”查看说明。",
        "interview.why_intro": "您的回答可以确定 {n} 项待定手续：",
        "interview.why_clauses": "相关规则：",
        "interview.yes_no": "是/否",
        "interview.transcript": "{name} 的问答",
        "interview.answered": "-> {answer}",
        "interview.count": "共提问 {n} 个；事实清单共 {size} 项。",
        "interview.stopped": "已在回答 {n} 个问题后停止。",
        "interview.saved": "回答已保存到 {file}。",
        "interview.save_offer": "将回答保存到文件（回车：不保存）：",
        "interview.not_saved": "回答未保存；使用 --save FILE 重新运行可保存回答。",
        "interview.saved_header": "policylog interview 的回答；留空的事实表示“不知道”。",
        "interview.done": "再没有能改变计划的问题了。",
        # page (GET / of policylog serve)
        "page.title": "您的办理计划：适用哪些手续、先后顺序、需带哪些材料",
        "page.language": "语言",
        "page.name": "您的姓名（可不填）",
        "page.question": "第{n}题",
        "page.next": "下一题",
        "page.back": "上一题",
        "page.restart": "重新开始",
        "page.why": "为什么问这个问题？",
        "page.why_procedures": "您的回答可以确定这些待定手续：",
        "page.why_clauses": "相关规则：",
        "page.answers": "您的回答",
        "page.no_answers": "尚未回答。",
        "page.plan": "目前的办理计划",
        "page.final": "您的办理计划",
        "page.done": "再没有能改变计划的问题了。",
        "page.steps": "办理步骤（按顺序）",
        "page.no_steps": "根据您目前的回答，还没有适用的手续。",
        "page.step": "第{n}步",
        "page.status": "状态",
        "page.where": "地点",
        "page.bring": "携带",
        "page.time": "时限",
        "page.after": "前提",
        "page.depends": "取决于",
        "page.source": "依据",
        "page.explanation": "原因",
        "page.checklist": "材料清单",
        "page.for": "用于",
        "page.print": "打印",
        "page.download": "下载我的回答（申请人文件）",
        "page.error": "无法使用该回答",
        "page.answer_label": "您的回答",
        "page.open_value": "请输入取值（{kind}）",
        "page.skip": "跳到正文",
        "page.answered": "已回答 {n} 题",
        "page.api": "JSON 接口及其 OpenAPI 文档",
    },
}


def label(lang: str, key: str, **values) -> str:
    """The label `key` in `lang`, its `{placeholders}` filled from `values`."""
    return LABELS[lang][key].format(**values)


def section(lang: str, name: str) -> dict:
    """The labels of one section, by their short names (`docs.title` -> `title`)."""
    prefix = name + "."
    return {key[len(prefix):]: text for key, text in LABELS[lang].items() if key.startswith(prefix)}


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
    from policy.values import show

    title = titles.get(value, {}).get(lang)
    if not title or _plain(title) == _plain(str(value)):  # says nothing the value does not
        return show(value)
    return f"{show(value)} ({title})"


def _plain(text: str) -> str:
    return text.lower().replace("-", "_").replace(" ", "_")


def condition_text(condition: tuple, lang: str) -> str:
    """A condition on an open type's value (counterfactual.describe) in words: `>= 18`,
    `< 2.5 or >= 4`, `not "x"`, "any value"."""
    from policy.values import show

    if condition[0] == "any":
        return label(lang, "condition.any")
    if condition[0] == "not":
        return label(lang, "condition.not", values=", ".join(show(v) for v in condition[1]))
    return label(lang, "condition.or").join(
        label(lang, "condition.and").join(f"{op} {show(value)}" for op, value in alternative)
        or label(lang, "condition.any") for alternative in condition[1])
