"""A worker process of the HTTP service: `python -m policy.web.worker POLICY`.

Compiles the policy, says it is ready, then answers one job per line of
standard input with one line `STATUS JSON` on standard output (jobs.py), until
its input closes. Anything else the process prints goes to standard error, so
the protocol's stream carries nothing but answers.
"""
from __future__ import annotations

import os
import sys


def main(policy_path: str) -> None:
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    sys.stdout = sys.stderr  # a stray print cannot corrupt an answer
    from policy.web.jobs import Worker

    worker = Worker(policy_path)
    protocol.write(b'{"ready": true}\n')
    for line in sys.stdin.buffer:
        protocol.write(worker.run(line) + b"\n")


if __name__ == "__main__":
    main(sys.argv[1])
