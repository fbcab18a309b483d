"""The Flask, Django and FastAPI recipes of docs/receiving-callbacks.md, each served over real
HTTP and driven by the local Notify: a receipt and a received text reach it, typed, and a wrong
token is refused."""

from __future__ import annotations

import re
import socket
import sys
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from notifications_python_client.callbacks import DeliveryReceipt, ReceivedText
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.simulator.web.serving import HttpServer

PAGE = Path(__file__).resolve().parent.parent / "docs" / "receiving-callbacks.md"
TITLED_BLOCK = re.compile(r'^```python title="([^"]+)"\n(.*?)^```$', re.MULTILINE | re.DOTALL)
TOKEN = "recipe-callback-token-12345"
PATH = "/notify/callbacks"


def recipe(title: str) -> types.ModuleType:
    """The page's block called ``title``, run as a module of its own."""
    blocks = dict(TITLED_BLOCK.findall(PAGE.read_text(encoding="utf-8")))
    module = types.ModuleType(title.removesuffix(".py") + "_recipe")
    sys.modules[module.__name__] = module
    exec(compile(blocks[title], f"{PAGE.name}: {title}", "exec"), module.__dict__)
    return module


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_CALLBACK_TOKEN", TOKEN)


@pytest.fixture
def sim(sim: NotifySimulator) -> Iterator[NotifySimulator]:
    yield sim
    for kind in ("delivery_status", "received_text"):
        sim.set_callback(kind, None)


def serve_wsgi(app: Any) -> tuple[str, Callable[[], None]]:
    server = HttpServer(app, "127.0.0.1", 0, threads=2)
    server.start()
    return f"http://127.0.0.1:{server.port}", server.stop


def serve_asgi(app: Any) -> tuple[str, Callable[[], None]]:
    import uvicorn

    listener = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        threading.Event().wait(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)
        listener.close()

    return f"http://127.0.0.1:{listener.getsockname()[1]}", stop


def flask_app() -> tuple[Any, list[Any]]:
    module = recipe("flask_app.py")
    return module.app, module.received


def django_app() -> tuple[Any, list[Any]]:
    import django
    from django.conf import settings

    module_name = "django_views_recipe"
    if not settings.configured:
        settings.configure(
            ROOT_URLCONF=module_name,
            ALLOWED_HOSTS=["127.0.0.1"],
            SECRET_KEY="only-for-the-recipe-test",
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
            DEBUG=False,
        )
        django.setup()
    module = recipe("django_views.py")
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application(), module.received


def fastapi_app() -> tuple[Any, list[Any]]:
    module = recipe("fastapi_app.py")
    return module.app, module.received


def starlette_app() -> tuple[Any, list[Any]]:
    module = recipe("starlette_app.py")
    return module.app, module.received


# Each recipe, how it is served, and its callback URL's path.
RECIPES = {
    "flask": (flask_app, serve_wsgi, PATH),
    "django": (django_app, serve_wsgi, PATH),
    "fastapi": (fastapi_app, serve_asgi, PATH),
    "starlette": (starlette_app, serve_asgi, PATH + "/"),
}


@pytest.mark.parametrize("framework", list(RECIPES))
def test_a_recipe_receives_typed_callbacks_and_refuses_a_wrong_token(
    sim: NotifySimulator, framework: str
) -> None:
    make_app, serve, path = RECIPES[framework]
    app, received = make_app()
    root, stop = serve(app)
    try:
        sim.set_callback("delivery_status", root + path, TOKEN)
        sim.set_callback("received_text", root + path, TOKEN)
        client = NotificationsAPIClient(sim.api_key("test"), base_url=sim.url)
        sent = client.send_sms_notification("07700900002", sim.env()["SMS_TEMPLATE_ID"],
                                            {"name": "A"})  # fmt: skip
        sim.add_received_text("Stop sending me reminders")
        assert sim.wait_for_callbacks()
        sim.set_callback("delivery_status", root + path, "a-wrong-token-1234")
        sim.set_status(sent["id"], "delivered")
        assert sim.wait_for_callbacks()
        client.request_session.close()
    finally:
        stop()

    receipts = [c for c in received if isinstance(c, DeliveryReceipt)]
    texts = [c for c in received if isinstance(c, ReceivedText)]
    assert [(r.id, r.status) for r in receipts] == [(sent["id"], "permanent-failure")]
    assert [t.message for t in texts] == ["Stop sending me reminders"]
    assert sorted(a.status_code or 0 for a in sim.callbacks) == [204, 204, 401]
