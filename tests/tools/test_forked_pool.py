"""A Ctrl-C that arrives while a batch forks its workers is not lost (tools/batch.py,
forked_pool). Python runs hooks at fork (logging registers some); a KeyboardInterrupt
raised inside one is swallowed ("Exception ignored in: _releaseLock"), and a batch so
interrupted once ran on 60 s after the Ctrl-C (tests/cli/test_limits_hold.py)."""
from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

from policy.tools.batch import forked_pool

_INTERRUPT_AT_FORK = []  # a hook cannot be unregistered: it acts only while this is set


def _interrupt_self() -> None:
    if _INTERRUPT_AT_FORK:
        _INTERRUPT_AT_FORK.clear()
        os.kill(os.getpid(), signal.SIGINT)  # handled at the hook's next bytecode


os.register_at_fork(after_in_parent=_interrupt_self)


def _nothing() -> None:
    pass


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_plain_pool_creation_loses_a_ctrl_c_raised_in_a_fork_hook():
    """The failure itself, so that the test below is known to test it."""
    _INTERRUPT_AT_FORK.append(True)
    pool = multiprocessing.get_context("fork").Pool(1, initializer=_nothing)
    pool.terminate()
    assert not _INTERRUPT_AT_FORK  # the hook ran, and its KeyboardInterrupt went nowhere


def test_a_ctrl_c_during_the_fork_is_raised_once_the_pool_exists_and_ends_it():
    _INTERRUPT_AT_FORK.append(True)
    before = set(multiprocessing.active_children())
    with pytest.raises(KeyboardInterrupt):
        forked_pool(2, _nothing)
    assert not _INTERRUPT_AT_FORK
    assert set(multiprocessing.active_children()) <= before  # its workers ended
