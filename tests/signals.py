"""Signal dispositions for the commands the tests start as real processes.

A signal ignored by a process stays ignored across exec, and policylog keeps it so (as
`nohup` and a shell's `command &` expect). The tests that press Ctrl-C must therefore not
depend on how pytest itself was launched: their commands start with the default actions.
"""
from __future__ import annotations

import signal

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def default_signals() -> None:
    """`preexec_fn` of a command the test will interrupt: Ctrl-C and the others as usual."""
    for number in HANDLED:
        signal.signal(number, signal.SIG_DFL)


def ignoring(*numbers):
    """`preexec_fn` of a command started as `nohup` starts one: `numbers` ignored."""

    def prepare() -> None:
        default_signals()
        for number in numbers:
            signal.signal(number, signal.SIG_IGN)

    return prepare
