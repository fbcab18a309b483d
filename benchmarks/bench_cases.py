"""The benchmarks: what is timed, how often, and against which simulator state.

Each benchmark is registered under a dotted name with ``@benchmark``; ``run.py`` picks them by
name. Those that talk to the simulator reset it first, so none depends on what ran before.
Clients use the simulator's test key, reuse their Session (keep-alive) and are closed at the end.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from bench_simulator import WsgiSender, fill_notifications, sms_payload, split_key
from bench_timing import Measurement, Operation, time_batches, time_each, time_threads

from notifications_python_client import NotificationsAPIClient, prepare_upload
from notifications_python_client.authentication import create_jwt_token, decode_jwt_token
from notifications_python_client.simulator import NotifySimulator
from notifications_python_client.utils import DOCUMENT_UPLOAD_SIZE_LIMIT

LOOKUP_STORE_SIZES = (1_000, 20_000)
# Largest first, so the 20,000 filled for the last lookup serve the first walk too.
WALK_STORE_SIZES = (20_000, 5_000)
UPLOAD_SIZE_BYTES = DOCUMENT_UPLOAD_SIZE_LIMIT  # the largest file Notify accepts: 2 MiB
THREAD_COUNTS = (2, 4)


@dataclass
class Context:
    """What every benchmark may use: the running simulator, its settings and a size scale."""

    simulator: NotifySimulator
    scale: float = 1.0
    clients: list[NotificationsAPIClient] = field(default_factory=list)

    def count(self, full: int, minimum: int = 5) -> int:
        """``full`` repetitions, scaled down for a quick run."""
        return max(int(full * self.scale), minimum)

    def env(self) -> dict[str, str]:
        """The simulator's template IDs, recipients and keys."""
        return self.simulator.env()

    def client(self) -> NotificationsAPIClient:
        """A new client with the simulator's test key; closed by ``close``."""
        client = NotificationsAPIClient(self.simulator.api_key("test"), base_url=self.simulator.url)
        self.clients.append(client)
        return client

    def close(self) -> None:
        """Close every client's Session (and so its connections)."""
        for client in self.clients:
            client.request_session.close()
        self.clients.clear()


BenchmarkFunction = Callable[[Context, str, str], Measurement]


@dataclass(frozen=True)
class Benchmark:
    """A named measurement."""

    name: str
    description: str
    function: BenchmarkFunction

    def run(self, context: Context) -> Measurement:
        """Take the measurement."""
        return self.function(context, self.name, self.description)


BENCHMARKS: list[Benchmark] = []


def benchmark(name: str, description: str) -> Callable[[BenchmarkFunction], BenchmarkFunction]:
    """Register a benchmark function under ``name``, in definition order."""

    def register(function: BenchmarkFunction) -> BenchmarkFunction:
        BENCHMARKS.append(Benchmark(name, description, function))
        return function

    return register


@benchmark("jwt.create_jwt_token", "sign one request token (client side, every request)")
def _create_token(context: Context, name: str, description: str) -> Measurement:
    service_id, secret = split_key(context.simulator.api_key("test"))
    return time_batches(
        name,
        description,
        lambda: create_jwt_token(secret, service_id),
        batches=context.count(30),
        batch_size=500,
    )


@benchmark("jwt.decode_jwt_token", "verify one token (simulator side, every request)")
def _decode_token(context: Context, name: str, description: str) -> Measurement:
    service_id, secret = split_key(context.simulator.api_key("test"))
    token = create_jwt_token(secret, service_id)
    return time_batches(
        name,
        description,
        lambda: decode_jwt_token(token, secret),
        batches=context.count(30),
        batch_size=200,
    )


@benchmark("roundtrip.get_template", "get_template over loopback, keep-alive")
def _get_template(context: Context, name: str, description: str) -> Measurement:
    context.simulator.reset()
    client, template_id = context.client(), context.env()["SMS_TEMPLATE_ID"]
    return time_each(
        name, description, lambda: client.get_template(template_id), context.count(500)
    )


@benchmark("roundtrip.get_template.new_connection", "get_template, new TCP connection each call")
def _get_template_new_connection(context: Context, name: str, description: str) -> Measurement:
    context.simulator.reset()
    client, template_id = context.client(), context.env()["SMS_TEMPLATE_ID"]

    def get_then_disconnect() -> None:
        client.get_template(template_id)
        client.request_session.close()  # drops the pooled connection; the next call reconnects

    return time_each(name, description, get_then_disconnect, context.count(200))


@benchmark("roundtrip.send_sms", "send_sms_notification with a test key, keep-alive")
def _send_sms(context: Context, name: str, description: str) -> Measurement:
    context.simulator.reset()
    send = _sms_sender(context)()
    return time_each(name, description, send, context.count(500))


def _sms_sender(context: Context) -> Callable[[], Operation]:
    """A factory of send operations, each with its own client (so its own connection)."""
    env = context.env()

    def make() -> Operation:
        client = context.client()
        return lambda: client.send_sms_notification(
            env["FUNCTIONAL_TEST_NUMBER"], env["SMS_TEMPLATE_ID"], {"name": "Amala"}
        )

    return make


def _template_getter(context: Context) -> Callable[[], Operation]:
    """A factory of get_template operations, each with its own client."""
    template_id = context.env()["SMS_TEMPLATE_ID"]

    def make() -> Operation:
        client = context.client()
        return lambda: client.get_template(template_id)

    return make


def _threaded(
    base_name: str, description: str, make_factory: Callable[[Context], Callable[[], Operation]]
) -> None:
    """Register ``base_name`` at each of ``THREAD_COUNTS`` threads, a client per thread."""
    for threads in THREAD_COUNTS:

        def run(context: Context, name: str, text: str, threads: int = threads) -> Measurement:
            context.simulator.reset()
            calls_per_thread = context.count(500) // threads
            return time_threads(name, text, make_factory(context), threads, calls_per_thread)

        benchmark(f"{base_name}.{threads}_threads", f"{description}, {threads} threads")(run)


_threaded("roundtrip.get_template", "get_template", _template_getter)
_threaded("roundtrip.send_sms", "send_sms_notification (test key)", _sms_sender)


@benchmark("simulator.send_sms.wsgi", "the simulator's app alone: one SMS send, no sockets")
def _simulator_send(context: Context, name: str, description: str) -> Measurement:
    context.simulator.reset()
    sender = WsgiSender(context.simulator, context.simulator.api_key("test"))
    payload = sms_payload(context.env())
    return time_each(
        name,
        description,
        lambda: sender.post("/v2/notifications/sms", payload),
        context.count(1000),
    )


def _stored(context: Context, full_count: int) -> int:
    """Have ``full_count`` notifications stored (a quarter in a quick run); filled only when the
    store holds another number, since filling 20,000 takes a while."""
    count = context.count(full_count, minimum=10)
    if len(context.simulator.notifications) != count:
        fill_notifications(context.simulator, count)
    return count


def _get_notification_by_id(stored: int) -> BenchmarkFunction:
    """get_notification_by_id with ``stored`` notifications in the simulator."""

    def run(context: Context, name: str, description: str) -> Measurement:
        _stored(context, stored)
        notification_id = context.simulator.notifications[-1].id
        client = context.client()
        return time_each(
            name,
            description,
            lambda: client.get_notification_by_id(notification_id),
            context.count(300),
        )

    return run


def _iterate_notifications(stored: int) -> BenchmarkFunction:
    """The whole walk of get_all_notifications_iterator over ``stored`` notifications."""

    def run(context: Context, name: str, description: str) -> Measurement:
        count = _stored(context, stored)
        client = context.client()

        def walk() -> None:
            walked = sum(1 for _ in client.get_all_notifications_iterator())
            if walked != count:
                raise RuntimeError(f"walked {walked} notifications, not {count}")

        return time_each(name, description, walk, context.count(6, minimum=3), warmup_calls=1)

    return run


# The simulator's goals: a walk of 20,000 within 5x the walk of 5,000, and a lookup by id at
# 20,000 stored within 2x of one at 1,000 (run.py prints both ratios).
for _count in LOOKUP_STORE_SIZES:
    benchmark(
        f"roundtrip.get_notification_by_id.{_count}_stored",
        f"get_notification_by_id with {_count} notifications stored",
    )(_get_notification_by_id(_count))
for _count in WALK_STORE_SIZES:
    benchmark(
        f"iterator.all_notifications.{_count}",
        f"get_all_notifications_iterator over {_count} notifications (whole walk)",
    )(_iterate_notifications(_count))


@benchmark("utils.prepare_upload.2MiB", "prepare_upload of a 2 MiB file (read and base64)")
def _prepare_upload(context: Context, name: str, description: str) -> Measurement:
    contents = os.urandom(UPLOAD_SIZE_BYTES)
    return time_each(
        name, description, lambda: prepare_upload(io.BytesIO(contents)), context.count(40)
    )
