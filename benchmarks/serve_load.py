"""The HTTP service under concurrent load, beside the command line's per-call cost.

    python benchmarks/serve_load.py [--clients 32] [--requests 10] [--workers 0]

Starts `policylog serve` on 127.0.0.1 (a free port; nothing else is contacted),
waits for /healthz, then lets CLIENTS threads (httpx) send REQUESTS requests each,
the example applicants of facts/ in turn: first POST /v1/plan, then POST
/v1/interview/next. Prints p50 and p99 latency and requests per second for each,
and, measured in the same run, the cost of one `policylog query` (a new process
per call, as a script would use it), of one in-process library call
(policy.api.query, which loads and compiles the policy), and of one plan of an
already compiled policy (what a worker does per request, without HTTP). Every answer is checked (status 200 and the right applicant);
the loop is bounded (CLIENTS x REQUESTS requests per endpoint).
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from policy import api  # noqa: E402
from policy.decide.interview import answers_of  # noqa: E402
from policy.inputs.applicant import fact_schema, load_applicant  # noqa: E402

EXAMPLES = sorted((ROOT / "facts").glob("*.yaml"))


def bodies() -> list:
    schema = fact_schema(api.load().program)
    found = []
    for path in EXAMPLES:
        applicant = load_applicant(path, schema)
        found.append({"applicant": applicant.name, "facts": answers_of(applicant, schema)})
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", str(workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def load(url: str, path: str, payloads: list, clients: int, requests: int) -> dict:
    latencies, failures = [], []

    def client(number: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as session:
            for index in range(requests):
                payload = payloads[(number + index) % len(payloads)]
                began = time.perf_counter()
                answer = session.post(path, json=payload)
                latencies.append(time.perf_counter() - began)
                body = answer.json() if answer.status_code == 200 else {}
                plan = body.get("plan", body)
                if answer.status_code != 200 or plan.get("applicant") != payload["applicant"]:
                    failures.append(answer.status_code)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {"requests": len(latencies), "failures": len(failures), "seconds": elapsed,
            "p50": ordered[len(ordered) // 2], "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
            "rps": len(latencies) / elapsed}


def cli_cost(calls: int = 5) -> float:
    began = time.perf_counter()
    for index in range(calls):
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "query", str(EXAMPLES[index % len(EXAMPLES)]),
                        "--format", "json"], check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - began) / calls


def library_cost(calls: int = 24) -> tuple:
    """(one api.query: load, compile and plan; one plan of a compiled policy, as a worker does)."""
    from policy.decide.plan import make_plan
    from policy.views.planview import plan_json

    began = time.perf_counter()
    for index in range(calls // 4):
        api.query(EXAMPLES[index % len(EXAMPLES)])
    whole = (time.perf_counter() - began) / (calls // 4)
    compiled = api.load()
    schema = fact_schema(compiled.program)
    applicants = [load_applicant(path, schema) for path in EXAMPLES]
    make_plan(compiled, applicants[0])
    began = time.perf_counter()
    for index in range(calls):
        plan_json(make_plan(compiled, applicants[index % len(applicants)]), False, "en")
    return whole, (time.perf_counter() - began) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=10, help="requests per client per endpoint")
    parser.add_argument("--workers", type=int, default=0, help="server workers (0: its default)")
    options = parser.parse_args()
    payloads = bodies()
    port = free_port()
    server = start_server(port, options.workers)
    try:
        url = f"http://127.0.0.1:{port}"
        workers = httpx.get(url + "/healthz").json()["workers"]
        results = {path: load(url, path, payloads, options.clients, options.requests)
                   for path in ("/v1/plan", "/v1/interview/next")}
    finally:
        server.terminate()
        server.wait(30)
    cli, (library, compiled) = cli_cost(), library_cost()
    print(f"{options.clients} clients, {workers} worker process(es), {os.cpu_count()} core(s), "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'':<26} {'requests':>8} {'failed':>6} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>7}")
    for path, result in results.items():
        print(f"POST {path:<21} {result['requests']:>8} {result['failures']:>6} "
              f"{result['p50'] * 1000:>8.0f} {result['p99'] * 1000:>8.0f} {result['rps']:>7.1f}")
    print(f"{'policylog query (process)':<26} {'':>8} {'':>6} {cli * 1000:>8.0f} {'':>8} {1 / cli:>7.1f}")
    print(f"{'api.query (in-process)':<26} {'':>8} {'':>6} {library * 1000:>8.0f} {'':>8} {1 / library:>7.1f}")
    print(f"{'plan, compiled policy':<26} {'':>8} {'':>6} {compiled * 1000:>8.0f} {'':>8} {1 / compiled:>7.1f}")


if __name__ == "__main__":
    main()
