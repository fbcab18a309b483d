"""A loopback HTTP/1.1 server that answers every request with the same send response, fast.

It stands in for Notify in the client comparison, so that what is measured is the client: it
reads each request's head and body and writes a fixed 201 answer on a kept-alive connection.
Run as ``python canned_server.py``; it prints its port and serves until killed.
"""

from __future__ import annotations

import json
import socket
import sys
import threading

BODY = json.dumps(
    {
        "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
        "reference": None,
        "content": {"body": "Hi Amala", "from_number": "GOVUK"},
        "uri": "http://127.0.0.1/v2/notifications/740e5834-3a29-46b4-9a6f-16142fde533a",
        "template": {"id": "f33517ff-2a88-4f6e-b855-c550268ce08a", "version": 1, "uri": "x"},
        "scheduled_for": None,
    }
).encode()
ANSWER = (
    b"HTTP/1.1 201 CREATED\r\nContent-Type: application/json\r\n"
    + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
    + BODY
)


def serve_connection(connection: socket.socket) -> None:
    """Answer each request on one connection until the client closes it."""
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    stream = connection.makefile("rb")
    with connection, stream:
        while True:
            length = 0
            line = stream.readline()
            if not line:
                return
            while line not in (b"\r\n", b"\n", b""):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
                line = stream.readline()
            stream.read(length)
            connection.sendall(ANSWER)


def main() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=serve_connection, args=(connection,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
