"""Failures without an answer: whether the request reached Notify, and the error that says so."""

from __future__ import annotations

import pickle
import socket
import ssl

import pytest
import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from notifications_python_client.errors import (
    REQUEST_ERROR_MESSAGE,
    HTTP503Error,
    HTTPError,
    MaybeSentError,
    NotSentError,
    request_failure,
)
from notifications_python_client.failures import FailureKind, failure_kind
from notifications_python_client.notifications import NotificationsAPIClient

API_KEY = "key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def wrapped(cause: BaseException, outer: type[requests.RequestException]) -> BaseException:
    """As requests raises it: its exception around urllib3's MaxRetryError around the cause."""
    return outer(MaxRetryError(None, "/v2/notifications/sms", reason=cause))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "error",
    [
        requests.exceptions.ConnectTimeout("connect timed out"),
        wrapped(NewConnectionError(None, "refused"), requests.ConnectionError),  # type: ignore[arg-type]
        wrapped(NameResolutionError("host", None, OSError("no DNS")), requests.ConnectionError),  # type: ignore[arg-type]
        wrapped(ConnectTimeoutError("connect"), requests.ConnectionError),
        wrapped(ssl.SSLCertVerificationError("bad certificate"), requests.exceptions.SSLError),
    ],
    ids=["connect timeout", "refused", "DNS", "urllib3 connect timeout", "certificate"],
)
def test_failures_before_the_request_was_written_are_not_sent(error: BaseException) -> None:
    assert failure_kind(error) is FailureKind.NOT_SENT


@pytest.mark.parametrize(
    "error",
    [
        requests.exceptions.ReadTimeout("read timed out"),
        wrapped(ReadTimeoutError(None, "/", "read"), requests.ConnectionError),  # type: ignore[arg-type]
        requests.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError())),
        requests.ConnectionError("closed"),
        requests.exceptions.ChunkedEncodingError("cut off"),
        requests.exceptions.ContentDecodingError("not gzip"),
        requests.exceptions.SSLError("EOF in violation of protocol"),
        requests.RequestException("anything else"),
    ],
    ids=[
        "read timeout",
        "urllib3 read",
        "reset",
        "bare",
        "cut off",
        "decoding",
        "tls eof",
        "other",
    ],
)
def test_failures_after_or_during_writing_may_have_been_sent(error: BaseException) -> None:
    assert failure_kind(error) is FailureKind.MAYBE_SENT


@pytest.mark.parametrize(
    "error",
    [
        requests.exceptions.InvalidURL("bad"),
        requests.exceptions.MissingSchema("no scheme"),
        requests.exceptions.InvalidHeader("bad header"),
    ],
)
def test_requests_that_cannot_be_made_are_invalid(error: BaseException) -> None:
    assert failure_kind(error) is FailureKind.INVALID


def test_a_cycle_in_the_causes_does_not_loop() -> None:
    first, second = requests.ConnectionError("a"), requests.ConnectionError("b")
    first.__cause__, second.__cause__ = second, first

    assert failure_kind(first) is FailureKind.MAYBE_SENT


def test_not_sent_is_a_retryable_503_that_did_not_go() -> None:
    error = request_failure(requests.exceptions.ConnectTimeout("slow"))

    assert type(error) is NotSentError and isinstance(error, HTTP503Error)
    assert (error.status_code, error.message, error.response) == (503, REQUEST_ERROR_MESSAGE, None)
    assert error.retryable and not error.may_have_been_sent
    assert error.__notes__ == ["Notify: the request never reached Notify, so nothing was sent."]


def test_an_invalid_request_is_not_sent_and_not_worth_retrying() -> None:
    error = request_failure(requests.exceptions.InvalidURL("bad"))

    assert type(error) is NotSentError
    assert not error.retryable and not error.may_have_been_sent


def test_maybe_sent_carries_the_reference_and_says_what_to_do() -> None:
    error = request_failure(requests.exceptions.ReadTimeout("slow"), reference="order-17")

    assert type(error) is MaybeSentError
    assert error.reference == "order-17"
    assert error.retryable and error.may_have_been_sent
    assert error.message == REQUEST_ERROR_MESSAGE
    assert "look it up by its reference 'order-17'" in error.__notes__[0]


def test_the_explanation_goes_in_the_message_when_asked() -> None:
    error = request_failure(requests.ConnectionError("reset"), reference=None, explain=True)

    assert error.message.startswith(f"{REQUEST_ERROR_MESSAGE}: the request was sent but no answer")
    assert str(error).startswith("503 - Request failed: ")
    assert error.message.endswith("check before sending it again")


def test_the_errors_survive_pickling() -> None:
    error = request_failure(requests.exceptions.ReadTimeout("slow"), reference="r-1")

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is MaybeSentError
    assert (copy.reference, copy.__notes__, str(copy)) == ("r-1", error.__notes__, str(error))


def test_create_classifies_failures_without_an_answer() -> None:
    assert type(HTTPError.create(requests.exceptions.ConnectTimeout())) is NotSentError
    assert type(HTTPError.create(requests.exceptions.ReadTimeout())) is MaybeSentError


def test_a_refused_connection_over_a_real_socket_is_not_sent() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    client = NotificationsAPIClient(API_KEY, base_url=f"http://127.0.0.1:{port}", timeout=2)

    with pytest.raises(NotSentError) as caught:
        client.send_sms_notification("07700900123", TEMPLATE_ID, reference="r-2")

    assert not caught.value.may_have_been_sent
    assert caught.value.message == REQUEST_ERROR_MESSAGE
