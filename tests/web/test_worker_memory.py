"""`serve --max-memory-mb`: a request that needs more memory than a worker may have is
answered 503 limit_exceeded, and the service goes on with a fresh worker."""
from __future__ import annotations

import asyncio
import json

from policy.web.pool import Pool

CROSS = """source_clause("rule 1").
@description(en: "Numbers", zh: "数")
input n(x: integer).
@id("big")
@source("rule 1")
big(X, Y, Z) :- n(X), n(Y), n(Z).
@id("p.rule")
@source("rule 1")
eligible(p) :- big(X, Y, Z).
procedure(p, may).
title(p, "Do P", "办P").
citation(p, "rule 1").
"""


def ask_twice(policy, max_memory_mb: int, first: dict, second: dict) -> list:
    async def run():
        pool = Pool(str(policy), workers=1, timeout=120, max_memory=max_memory_mb * 2 ** 20)
        await pool.start()
        try:
            return [await pool.run(first), await pool.run(second)]
        finally:
            await pool.stop()

    return asyncio.run(run())


def test_a_request_past_the_memory_limit_is_503_and_the_next_one_is_answered(tmp_path):
    policy = tmp_path / "cross.pl"
    policy.write_text(CROSS, encoding="utf-8")
    huge = {"kind": "plan", "facts": {"n": list(range(100))}}  # a million rows of big/3
    small = {"kind": "plan", "facts": {"n": [1, 2]}}
    (status, body), (after, answer) = ask_twice(policy, 120, huge, small)
    assert status == 503
    error = json.loads(body)
    assert error["code"] == "limit_exceeded" and "--max-memory-mb" in error["message"]
    assert "120 MiB" in error["message"]
    assert after == 200
    statuses = {p["id"]: p["status"] for p in json.loads(answer)["procedures"]}
    assert statuses == {"p": "applies"}
