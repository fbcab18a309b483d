"""The server never holds an oversized body in memory, and the client still reads the 413."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator
from typing import BinaryIO

import pytest

from notifications_python_client.authentication import create_jwt_token
from notifications_python_client.simulator import NotifySimulator
from notifications_python_client.simulator.api.context import MAX_REQUEST_BODY_BYTES


@pytest.fixture(scope="module")
def simulator() -> Iterator[NotifySimulator]:
    with NotifySimulator() as running:
        yield running


def sms_post_head(simulator: NotifySimulator, *headers: str) -> bytes:
    """The head of an authorised POST to the text message route with these extra headers."""
    key = simulator.api_key("test")
    lines = [
        "POST /v2/notifications/sms HTTP/1.1",
        "Host: 127.0.0.1",
        *headers,
        f"Authorization: Bearer {create_jwt_token(key[-36:], key[-73:-37])}",
    ]
    return "".join(f"{line}\r\n" for line in [*lines, ""]).encode()


@contextlib.contextmanager
def connected_stream(simulator: NotifySimulator) -> Iterator[BinaryIO]:
    """A buffered read-write stream over one keep-alive connection to the simulator."""
    with socket.create_connection((simulator.host, simulator.port), timeout=10) as connection:
        yield connection.makefile("rwb")


def read_response(stream: BinaryIO) -> tuple[int, dict[str, str], bytes]:
    status_line = b""
    while not status_line.endswith(b"\r\n"):
        status_line += stream.read(1)
    headers: dict[str, str] = {}
    line = b""
    while True:
        line = b""
        while not line.endswith(b"\r\n"):
            line += stream.read(1)
        if line == b"\r\n":
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        body += stream.read(length - len(body))
    return int(status_line.split()[1]), headers, body


def assert_413_then_the_connection_still_works(stream: BinaryIO) -> None:
    """Notify's 413 body for the request just written, then an answer to one more request."""
    stream.write(b"GET /v2/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    stream.flush()
    status, _, body = read_response(stream)
    assert status == 413
    assert json.loads(body)["status_code"] == 413
    status, _, _ = read_response(stream)
    assert status == 404


def test_oversized_body_gets_413_and_the_connection_is_kept(simulator: NotifySimulator) -> None:
    size = MAX_REQUEST_BODY_BYTES + 1
    with connected_stream(simulator) as stream:
        stream.write(
            sms_post_head(simulator, "Content-Type: application/json", f"Content-Length: {size}")
        )
        chunk = b" " * (1024 * 1024)
        sent = 0
        while sent < size:
            piece = chunk[: size - sent]
            stream.write(piece)
            sent += len(piece)
        assert_413_then_the_connection_still_works(stream)


def test_oversized_chunked_body_gets_413_and_the_connection_is_kept(
    simulator: NotifySimulator,
) -> None:
    chunk = b" " * (1024 * 1024)
    chunks = MAX_REQUEST_BODY_BYTES // len(chunk) + 1
    with connected_stream(simulator) as stream:
        stream.write(sms_post_head(simulator, "Transfer-Encoding: chunked"))
        for _ in range(chunks):
            stream.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        stream.write(b"0\r\n\r\n")
        assert_413_then_the_connection_still_works(stream)
