"""Results as text for people (plain when piped, rich colour on a terminal), JSON for programs and
Markdown; the view table per command (commands) and the one en/zh label table (labels).
"""
