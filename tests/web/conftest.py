"""One running service for the web tests: the app under a real uvicorn on 127.0.0.1."""
from __future__ import annotations

import threading
import time

import pytest


class LiveServer:
    """uvicorn serving `app` in a thread on a free port of 127.0.0.1."""

    def __init__(self, app):
        import uvicorn

        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0,
                                                    log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 300
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture(scope="session")
def live_server():
    from policy.web.app import create_app

    with LiveServer(create_app(workers=2)) as server:
        yield server


@pytest.fixture(scope="session")
def client(live_server):
    import httpx

    with httpx.Client(base_url=live_server.url, timeout=60) as session:
        yield session
