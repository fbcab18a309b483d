"""The FastAPI service of docs/async.md, served by uvicorn with its lifespan, signs a user in
through the local Notify: the code texted is the one the service made."""

from __future__ import annotations

import re
import socket
import sys
import threading
import time
import types
from pathlib import Path

import pytest
import requests

from notifications_python_client.simulator.server import NotifySimulator

PAGE = Path(__file__).resolve().parent.parent / "docs" / "async.md"
TITLED_BLOCK = re.compile(r'^```python title="([^"]+)"\n(.*?)^```$', re.MULTILINE | re.DOTALL)


def test_the_fastapi_service_texts_a_sign_in_code(
    sim: NotifySimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    monkeypatch.setenv("SIGN_IN_CODE_TEMPLATE_ID", sim.env()["SIGN_IN_CODE_TEMPLATE_ID"])
    source = dict(TITLED_BLOCK.findall(PAGE.read_text(encoding="utf-8")))["fastapi_service.py"]
    module = types.ModuleType("fastapi_service_doc")
    sys.modules[module.__name__] = module
    listener = socket.create_server(("127.0.0.1", 0))
    with sim.as_default():
        exec(compile(source, "async.md: fastapi_service.py", "exec"), module.__dict__)
        server = uvicorn.Server(uvicorn.Config(module.app, log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 10
            while not server.started and time.monotonic() < deadline:
                time.sleep(0.01)
            url = f"http://127.0.0.1:{listener.getsockname()[1]}/sign-in/07700%20900123"
            answer = requests.post(url, timeout=10)
        finally:
            server.should_exit = True
            thread.join(10)
            listener.close()

    assert answer.status_code == 200
    message = sim.wait_for(to="+447700900123", timeout=5)
    assert message.id == answer.json()["notification_id"]
    assert len(message.code) == 6 and message.reference
