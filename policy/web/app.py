"""The HTTP service: a FastAPI application over the evaluation pool (pool.py).

`create_app(policy_path)` builds the application: the JSON API (routes.py), the
applicant page (pages.py), a body size limit, and JSON errors
`{code, message, diagnostics}` with the command line's codes. `serve` runs it
under uvicorn. The policy is loaded once in the server (its schema, and a bad
policy refused before the port opens) and once in every worker process.
"""
from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

import policy
from policy.web.pool import Pool

MAX_BODY = 256 * 1024  # bytes in one request body
TIMEOUT = 10.0  # seconds one request may take
MAX_MEMORY = 4096 * 1024 * 1024  # bytes of data memory of each worker process (as the CLI's default)


@dataclass(frozen=True)
class Settings:
    """How the HTTP service runs: its policy, worker processes, each request's limits."""

    policy_path: str
    workers: int = 0  # 0: min(4, cores)
    timeout: float = TIMEOUT
    max_body: int = MAX_BODY
    max_memory: int = MAX_MEMORY  # bytes of data memory per worker process


def create_app(policy_path=None, workers: int = 0, timeout: float = TIMEOUT,
               max_body: int = MAX_BODY, max_memory: int = None):
    """The application; its worker processes start with it (lifespan) and stop with it."""
    from fastapi import FastAPI
    from fastapi.exceptions import RequestValidationError
    from fastapi.staticfiles import StaticFiles
    from starlette.exceptions import HTTPException

    from policy.decide.plan import require_catalogue
    from policy.web import pages, routes

    max_memory = MAX_MEMORY if max_memory is None else max_memory
    settings = Settings(str(policy_path or policy.BUNDLED_POLICY), workers, timeout, max_body,
                        max_memory)
    compiled = policy.load_policy(settings.policy_path)
    require_catalogue(compiled)
    pool = Pool(settings.policy_path, workers, timeout, max_memory=max_memory)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        try:
            yield
        finally:
            await pool.stop()

    app = FastAPI(title="policylog", version=_version(), lifespan=lifespan,
                  description="Which procedures apply to an applicant, in what order, and why.")
    app.state.settings, app.state.pool, app.state.compiled = settings, pool, compiled
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(pages.STATIC)), name="static")
    app.add_middleware(BodyLimit, max_body=max_body)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policylog")
    except PackageNotFoundError:  # run from a checkout, not installed
        return "0"


def error_response(status: int, code: str, message: str, diagnostics=()):
    from fastapi.responses import JSONResponse

    return JSONResponse({"code": code, "message": message, "diagnostics": list(diagnostics)},
                        status_code=status)


async def _validation_error(request, problem):
    diagnostics = [{"code": "usage_error", "severity": "error", "file": "<request>", "line": 0,
                    "column": 0, "message": _validation_message(e)}
                   for e in problem.errors()]
    return error_response(422, "usage_error", diagnostics[0]["message"] if diagnostics
                          else "the request is not valid", diagnostics)


def _validation_message(error: dict) -> str:
    """`body.facts: Input should be a valid dictionary`; a field the request does not have
    says where an applicant's facts go (the usual reason for one)."""
    where = ".".join(str(p) for p in error["loc"])
    if error.get("type") == "extra_forbidden":
        return f"{where}: the request has no field '{error['loc'][-1]}' (an applicant's facts go inside \"facts\")"
    return f"{where}: {error['msg']}"


async def _http_error(request, problem):
    code = {404: "not_found", 405: "usage_error", 413: "limit_exceeded"}.get(problem.status_code,
                                                                            "http_error")
    return error_response(problem.status_code, code, str(problem.detail))


class BodyLimit:
    """Refuse request bodies over `max_body` bytes with 413 and a JSON error, whether the
    client announces the length or streams the body in chunks."""

    def __init__(self, app, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await self._refuse(send)
        state = {"received": 0, "started": False, "refused": False}

        async def limited_receive():
            message = await receive()
            if message["type"] == "http.request" and not state["refused"]:
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_body:
                    state["refused"] = True
                    if not state["started"]:
                        await self._refuse(send)
                    return {"type": "http.disconnect"}  # the app stops reading here
            return message

        async def guarded_send(message):
            if state["refused"]:
                return  # the 413 is the answer
            state["started"] |= message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not state["refused"]:
                raise  # a refused body's disconnect may surface as an error: the 413 was sent

    async def _refuse(self, send):
        body = json.dumps({"code": "limit_exceeded", "diagnostics": [],
                           "message": f"the request body is larger than {self.max_body:,} bytes"
                           }).encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode("ascii"))]})
        await send({"type": "http.response.body", "body": body})


def serve(policy_path=None, host: str = "127.0.0.1", port: int = 8000, workers: int = 0,
          timeout: float = TIMEOUT, max_body: int = MAX_BODY, max_memory: int = None) -> None:
    """Run the service under uvicorn until interrupted."""
    import uvicorn

    app = create_app(policy_path, workers, timeout, max_body, max_memory)
    uvicorn.run(app, host=host, port=port, log_level="info")
