"""What users give: YAML/JSON documents read safely with positions, facts files, applicant files
and the fact schema, batch rows (CSV, JSONL). Facts are checked against the policy here.
"""
from policy.inputs import printable

printable.prepare()  # before any module of this room imports PyYAML
