"""No API key, secret or token in any log record, repr, error text or command-line output, on
every failure path, retries included."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import requests_mock as requests_mock_module
from cli_support import notify

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.retry import RetryPolicy

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"my_key-{SERVICE_ID}-{SECRET}"
BASE_URL = "https://notify.test"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
SMS_URL = f"{BASE_URL}/v2/notifications/sms"

FAILURES: dict[str, dict[str, Any]] = {
    "refused": {"exc": requests.exceptions.ConnectionError},
    "connect timeout": {"exc": requests.exceptions.ConnectTimeout},
    "read timeout": {"exc": requests.exceptions.ReadTimeout},
    "cut off": {"exc": requests.exceptions.ChunkedEncodingError},
    "ssl": {"exc": requests.exceptions.SSLError},
    "400": {"status_code": 400, "json": {"errors": [{"error": "BadRequestError", "message": "x"}]}},
    "403": {"status_code": 403, "json": {"errors": [{"error": "AuthError", "message": "x"}]}},
    "429": {"status_code": 429, "json": {"errors": [{"error": "RateLimitError", "message": "x"}]}},
    "daily": {
        "status_code": 429,
        "json": {"errors": [{"error": "TooManyRequestsError", "message": "x"}]},
    },
    "500 html": {"status_code": 500, "text": "<html>oops</html>"},
    "502": {"status_code": 502, "text": "<html>Bad gateway</html>"},
    "503": {"status_code": 503, "json": {"errors": []}},
    "200 not json": {"status_code": 200, "text": "<html>login</html>"},
    "200 nested": {"status_code": 200, "text": "[" * 50_000},
}


@pytest.fixture
def everything_logged() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    root = logging.getLogger()
    handler, level = Keep(level=logging.DEBUG), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield records
    root.removeHandler(handler)
    root.setLevel(level)


def secrets_in(texts: list[str], tokens: list[str]) -> list[str]:
    forbidden = [SECRET, API_KEY, *tokens]
    return [text for text in texts if any(value in text for value in forbidden)]


def record_texts(records: list[logging.LogRecord]) -> list[str]:
    texts = []
    for record in records:
        texts.append(record.getMessage())
        if record.exc_info:
            texts.append("".join(traceback.format_exception(*record.exc_info)))
    return texts


@pytest.mark.parametrize(
    "retry", [None, RetryPolicy(max_retries=3, sleep=lambda s: None)], ids=["no retry", "retry"]
)
@pytest.mark.parametrize("failure", list(FAILURES), ids=list(FAILURES))
def test_no_failure_path_shows_a_secret(
    failure: str,
    retry: RetryPolicy | None,
    everything_logged: list[logging.LogRecord],
) -> None:
    client = NotificationsAPIClient(API_KEY, base_url=BASE_URL, retry=retry)
    with requests_mock_module.Mocker() as mock:
        mock.post(SMS_URL, **FAILURES[failure])
        mock.get(f"{BASE_URL}/v2/notifications", json={"notifications": []})
        with pytest.raises(APIError) as caught:
            client.send_sms_notification("07700900123", TEMPLATE_ID, reference="r-1")
        tokens = [r.headers["Authorization"].removeprefix("Bearer ") for r in mock.request_history]

    error = caught.value
    shown = [
        str(error),
        repr(error),
        repr(client),
        str(client),
        *getattr(error, "__notes__", []),
        "".join(traceback.format_exception(error)),
        "".join(traceback.TracebackException.from_exception(error).format()),
        *record_texts(everything_logged),
    ]
    assert tokens and secrets_in(shown, tokens) == []


@pytest.mark.parametrize("failure", ["refused", "read timeout", "403", "500 html", "200 not json"])
def test_no_command_line_failure_shows_a_secret(
    failure: str, requests_mock: requests_mock_module.Mocker
) -> None:
    requests_mock.get(f"{BASE_URL}/v2/templates", **FAILURES[failure])

    result = notify("templates", "-v", "--base-url", BASE_URL, environ={"NOTIFY_API_KEY": API_KEY})

    tokens = [
        r.headers["Authorization"].removeprefix("Bearer ") for r in requests_mock.request_history
    ]
    assert result.code != 0
    assert secrets_in([result.out, result.err], tokens) == []


@pytest.mark.parametrize(
    "key_file",
    [API_KEY, SECRET, SERVICE_ID, API_KEY[5:41], f"./keys/{SECRET}.txt"],
    ids=["whole key", "secret", "service id", "a 36-character part", "inside a path"],
)
def test_a_key_given_as_the_key_files_name_is_never_shown(key_file: str) -> None:
    result = notify("templates", "--api-key-file", key_file, environ={})

    assert result.code == 2
    assert result.err.startswith("notify: cannot read --api-key-file (a name that looks like")
    shown = result.out + result.err
    assert not [part for part in (API_KEY, SECRET, SERVICE_ID, key_file) if part in shown]
    assert not [shown[n : n + 36] for n in range(len(shown)) if shown[n : n + 36] in API_KEY]


def test_an_ordinary_key_files_name_is_still_shown(tmp_path: Any) -> None:
    missing = tmp_path / "notify-key.txt"

    result = notify("templates", "--api-key-file", str(missing), environ={})

    assert (
        result.err == f"notify: cannot read --api-key-file {missing}: No such file or directory\n"
    )


@pytest.mark.parametrize(
    "key",
    [API_KEY[:-4] + "\udcff\udcfe12", "my_key-\udc80" + API_KEY[8:]],
    ids=["in the secret", "in the service id"],
)
def test_a_key_of_bytes_that_are_not_utf8_is_a_clear_error_naming_the_key(key: str) -> None:
    result = notify("templates", environ={"NOTIFY_API_KEY": key, "NOTIFY_API_URL": BASE_URL})

    assert result.code == 2
    assert result.err == (
        "notify: the API key holds bytes that are not UTF-8 text (was it read from a file or an "
        "environment variable in another encoding?): paste it again as Notify shows it\n"
    )
