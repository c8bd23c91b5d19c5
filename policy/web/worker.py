"""A worker process of the HTTP service: `python -m policy.web.worker POLICY [MAX_MEMORY]`.

Compiles the policy, says it is ready, then answers one job per line of
standard input with one line `STATUS JSON` on standard output (jobs.py), until
its input closes. Anything else the process prints goes to standard error, so
the protocol's stream carries nothing but answers.

With MAX_MEMORY (bytes) the process's data memory is capped (supervisor.limit_memory).
A job that runs out of it is answered 503 `limit_exceeded`, with the answer made
before the job ran (nothing can be relied on to allocate by then), and the worker
ends: the pool starts a fresh one in its place.
"""
from __future__ import annotations

import os
import sys


def main(policy_path: str, max_memory: int = 0) -> None:
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    sys.stdout = sys.stderr  # a stray print cannot corrupt an answer
    from policy.web.jobs import Worker, out_of_memory_answer

    if max_memory:
        from policy.supervisor import limit_memory

        limit_memory(max_memory)
    worker = Worker(policy_path)
    out_of_memory = out_of_memory_answer(max_memory)
    protocol.write(b'{"ready": true}\n')
    for line in sys.stdin.buffer:
        try:
            protocol.write(worker.run(line) + b"\n")
        except MemoryError:
            protocol.write(out_of_memory)
            os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
