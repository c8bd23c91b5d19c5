"""Colour on a terminal, plain text everywhere else; NO_COLOR and --no-color are obeyed."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import cli
from policy.views import terminal

ROOT = Path(__file__).resolve().parents[2]
APPLICANT = str(ROOT / "facts" / "01_returnee_self_funded.yaml")
ESC = "\x1b["


def invoke(*args, **env):
    result = CliRunner().invoke(cli.main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_piped_output_is_plain():
    assert ESC not in invoke("query", APPLICANT)


def test_a_terminal_gets_bold_headings_and_coloured_statuses():
    coloured = invoke("query", APPLICANT, FORCE_COLOR="1", COLUMNS="100")
    assert "\x1b[1mPlan for Li Wei\x1b[0m" in coloured
    assert "\x1b[1;32mapplies\x1b[0m" in coloured


def test_no_color_and_the_option_make_it_plain_again():
    plain = invoke("query", APPLICANT)
    assert invoke("query", APPLICANT, FORCE_COLOR="1", NO_COLOR="1") == plain
    assert invoke("--no-color", "query", APPLICANT, FORCE_COLOR="1") == plain


def test_coloured_text_reads_the_same_once_the_codes_are_gone():
    import re

    coloured = invoke("explain", APPLICANT, "restore_hukou_with_passport", FORCE_COLOR="1",
                      COLUMNS="80")
    plain = invoke("explain", APPLICANT, "restore_hukou_with_passport")
    assert ESC in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_detect_follows_the_stream_and_the_environment(monkeypatch):
    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert terminal.detect(Tty()).colour
    assert not terminal.detect(Tty(), no_color=True).colour
    assert not terminal.detect(object()).colour
    monkeypatch.setenv("NO_COLOR", "1")
    assert not terminal.detect(Tty()).colour
