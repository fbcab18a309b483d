"""Failures: what the client raises for each kind of bad answer, and the error classes."""

from __future__ import annotations

import email.utils
import logging
import pickle
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
import requests_mock

from notifications_python_client.authentication import create_jwt_token
from notifications_python_client.errors import (
    ERROR_CLASSES,
    REQUEST_ERROR_MESSAGE,
    REQUEST_ERROR_STATUS_CODE,
    TOKEN_ERROR_DEFAULT_ERROR_MESSAGE,
    TOKEN_ERROR_GUIDANCE,
    APIError,
    AuthError,
    BadRequestError,
    HTTP503Error,
    HTTPError,
    InvalidResponse,
    LimitExceededError,
    MissingArgumentError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TokenAlgorithmError,
    TokenDecodeError,
    TokenError,
    TokenExpiredError,
    TokenIssuedAtError,
    TokenIssuerError,
    TooManyRequestsError,
    error_class_for,
    parse_retry_after,
)
from notifications_python_client.notifications import NotificationsAPIClient

TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
PATH = f"/v2/template/{TEMPLATE_ID}"


def errors_of(payload: Callable[[str], Any], name: str) -> Any:
    """The ``errors`` list of a canned error body."""
    return payload(name)["errors"]


@pytest.fixture
def raised_for(
    client: NotificationsAPIClient, requests_mock: requests_mock.Mocker, base_url: str
) -> Callable[..., Any]:
    """Answer ``get_template`` with requests-mock's ``answer`` keywords; return what it raised.

    Call it as ``raised_for(ExpectedError, status_code=..., json=...)``.
    """

    def get_template_raising(expected: type[Exception], **answer: Any) -> Any:
        requests_mock.get(base_url + PATH, **answer)
        with pytest.raises(expected) as raised:
            client.get_template(TEMPLATE_ID)
        return raised.value

    return get_template_raising


JSON_ERRORS = [
    (400, "error_400_bad_request.json", BadRequestError),
    (403, "error_403_auth.json", AuthError),
    (404, "error_404_no_result.json", NotFoundError),
    (429, "error_429_rate_limit.json", RateLimitError),
    (503, "error_503_unavailable.json", HTTP503Error),
]


@pytest.mark.parametrize(("status", "body_file", "error_class"), JSON_ERRORS)
def test_notify_error_bodies_become_http_errors_with_their_error_list(
    status: int,
    body_file: str,
    error_class: type[HTTPError],
    raised_for: Callable[..., Any],
    payload: Callable[[str], Any],
) -> None:
    error = raised_for(HTTPError, json=payload(body_file), status_code=status)

    assert type(error) is error_class
    assert error.status_code == status
    assert error.message == errors_of(payload, body_file)
    assert str(error) == f"{status} - {errors_of(payload, body_file)}"
    assert isinstance(error.__cause__, requests.HTTPError)
    assert error.__cause__.response is error.response


def test_a_body_with_a_message_key_uses_it(
    raised_for: Callable[..., Any], payload: Callable[[str], Any]
) -> None:
    body = payload("error_401_legacy_message.json")

    error = raised_for(AuthError, json=body, status_code=401)

    assert error.message == body["message"]
    assert str(error) == f"401 - {body['message']}"


@pytest.mark.parametrize(
    ("status", "body_file", "error_class"),
    [(500, "server_500.txt", ServerError), (502, "proxy_502.html", ServerError)],
)
def test_non_json_error_bodies_give_the_default_message(
    status: int,
    body_file: str,
    error_class: type[HTTPError],
    raised_for: Callable[..., Any],
    raw_payload: Callable[[str], bytes],
) -> None:
    error = raised_for(HTTPError, content=raw_payload(body_file), status_code=status)

    assert type(error) is error_class
    assert error.status_code == status
    assert error.message == REQUEST_ERROR_MESSAGE
    assert str(error) == f"{status} - Request failed"
    assert isinstance(error.__cause__, requests.HTTPError)


@pytest.mark.parametrize(
    "failure",
    [requests.exceptions.ConnectionError, requests.exceptions.ConnectTimeout],
    ids=["connection error", "timeout"],
)
def test_no_response_at_all_is_a_503(
    failure: type[requests.RequestException], raised_for: Callable[..., Any]
) -> None:
    error = raised_for(HTTP503Error, exc=failure)

    assert error.response is None
    assert error.status_code == REQUEST_ERROR_STATUS_CODE == 503
    assert error.message == "Request failed"
    assert str(error) == "503 - Request failed"
    assert type(error.__cause__) is failure


def test_a_read_timeout_is_a_503(client: NotificationsAPIClient) -> None:
    class TimingOutSession(requests.Session):
        def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
            raise requests.exceptions.ReadTimeout("read timed out")

    client.request_session = TimingOutSession()

    with pytest.raises(HTTP503Error) as raised:
        client.get_template(TEMPLATE_ID)

    assert isinstance(raised.value.__cause__, requests.exceptions.ReadTimeout)


def test_a_2xx_body_that_is_not_json_is_an_invalid_response(
    raised_for: Callable[..., Any], raw_payload: Callable[[str], bytes]
) -> None:
    error = raised_for(InvalidResponse, content=raw_payload("proxy_502.html"), status_code=200)

    assert not isinstance(error, HTTPError)
    assert error.status_code == 200
    assert error.message == "No JSON response object could be decoded"
    assert str(error) == "200 - No JSON response object could be decoded"
    assert isinstance(error.__cause__, ValueError)


def test_a_204_returns_none(
    client: NotificationsAPIClient, requests_mock: requests_mock.Mocker, base_url: str
) -> None:
    requests_mock.get(base_url + PATH, status_code=204)

    assert client.get_template(TEMPLATE_ID) is None


def test_a_failure_is_logged_once_with_method_url_status_and_no_token(
    client: NotificationsAPIClient,
    requests_mock: requests_mock.Mocker,
    base_url: str,
    payload: Callable[[str], Any],
    frozen_now: int,
    secret: str,
    service_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    requests_mock.post(
        base_url + "/v2/notifications/sms",
        json=payload("error_400_bad_request.json"),
        status_code=400,
    )
    caplog.set_level(logging.DEBUG)
    token = create_jwt_token(secret, service_id)  # the same token: the clock is frozen

    with pytest.raises(BadRequestError):
        client.send_sms_notification("07700900123", TEMPLATE_ID)

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].name == "notifications_python_client.base"
    line = warnings[0].getMessage()
    assert "POST" in line
    assert f"{base_url}/v2/notifications/sms" in line
    assert "400" in line
    assert "Can't send to this recipient using a team-only API key" in line
    for record in caplog.records:
        text = record.getMessage()
        assert token not in text
        assert secret not in text
        assert "Bearer" not in text
        assert "Authorization" not in text


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthError),
        (403, AuthError),
        (404, NotFoundError),
        (429, LimitExceededError),
        (500, ServerError),
        (502, ServerError),
        (503, HTTP503Error),
        (504, ServerError),
        (409, HTTPError),
        (418, HTTPError),
        (501, HTTPError),
    ],
)
def test_create_picks_the_class_for_the_status(status: int, error_class: type[HTTPError]) -> None:
    response = requests.Response()
    response.status_code = status

    error = HTTPError.create(requests.HTTPError(response=response))

    assert type(error) is error_class
    assert isinstance(error, HTTPError)
    assert error.response is response
    assert error_class_for(status) is error_class


def test_create_without_a_response_is_a_503() -> None:
    error = HTTPError.create(requests.exceptions.ConnectionError("refused"))

    assert isinstance(error, HTTP503Error)
    assert error.response is None


def test_every_status_class_is_still_caught_by_the_published_excepts() -> None:
    for error_class in ERROR_CLASSES.values():
        assert issubclass(error_class, HTTPError)
        assert issubclass(error_class, APIError)
    assert issubclass(HTTP503Error, HTTPError)
    assert issubclass(InvalidResponse, APIError)


class FakeResponse:
    """Just enough of a Response for APIError: a status and a json() outcome."""

    def __init__(self, status_code: int, body: Any = None, error: Exception | None = None) -> None:
        self.status_code = status_code
        self.body = body
        self.error = error

    def json(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.body


@pytest.mark.parametrize(
    ("response", "message", "expected"),
    [
        (None, None, "Request failed"),
        (None, "given", "given"),
        (FakeResponse(400, {"message": "m", "errors": ["e"]}), "given", "m"),
        (FakeResponse(400, {"errors": ["e"]}), "given", ["e"]),
        (FakeResponse(400, {"other": 1}), "given", None),
        (FakeResponse(400, {"other": 1}), None, None),
        (FakeResponse(400, {"message": None, "errors": ["e"]}), None, None),
        (FakeResponse(400, ["a", "list"]), "given", "given"),
        (FakeResponse(400, "a string"), None, "Request failed"),
        (FakeResponse(400, error=ValueError("not json")), "given", "given"),
    ],
)
def test_api_error_message_sources(response: Any, message: Any, expected: Any) -> None:
    error = APIError(response, message)

    assert error.message == expected
    assert error.status_code == (response.status_code if response else 503)
    assert str(error) == f"{error.status_code} - {expected}"


def test_token_error_messages_carry_the_guidance() -> None:
    assert TOKEN_ERROR_GUIDANCE == (
        "See our requirements for JSON Web Tokens at "
        "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
    )
    assert TOKEN_ERROR_DEFAULT_ERROR_MESSAGE == "Invalid token: " + TOKEN_ERROR_GUIDANCE

    guided = f". {TOKEN_ERROR_GUIDANCE}"
    assert TokenError().message == TOKEN_ERROR_DEFAULT_ERROR_MESSAGE
    assert TokenError().token is None
    assert TokenError("Oops", {"iss": "x"}).message == "Oops" + guided
    assert TokenError("Oops", {"iss": "x"}).token == {"iss": "x"}
    assert TokenExpiredError("Token has expired", {"iat": 1}).message == (
        "Token has expired" + guided
    )
    assert TokenAlgorithmError().message == "Invalid token: algorithm used is not HS256" + guided
    assert TokenDecodeError().message == "Invalid token: signature" + guided
    assert TokenDecodeError("Bad").message == "Bad" + guided
    assert TokenIssuerError().message == "Invalid token: iss field not provided" + guided
    assert TokenIssuedAtError().message == "Invalid token: iat field not provided" + guided
    assert str(TokenIssuerError()) == TokenIssuerError().message


def test_token_error_tree() -> None:
    assert issubclass(TokenError, Exception)
    assert issubclass(TokenExpiredError, TokenError)
    assert issubclass(TokenAlgorithmError, TokenError)
    assert issubclass(TokenDecodeError, TokenError)
    assert issubclass(TokenIssuerError, TokenDecodeError)
    assert issubclass(TokenIssuedAtError, TokenDecodeError)


def test_missing_argument_error_is_both_assertion_and_value_error() -> None:
    with pytest.raises(AssertionError, match=r"^Missing thing$"):
        raise MissingArgumentError("Missing thing")
    with pytest.raises(ValueError, match=r"^Missing thing$"):
        raise MissingArgumentError("Missing thing")


def http_error_response(status: int) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = b'{"status_code": 400, "errors": [{"error": "E", "message": "m"}]}'
    return response


@pytest.mark.parametrize(
    "error",
    [
        HTTPError(http_error_response(400)),
        BadRequestError(http_error_response(400)),
        HTTP503Error(None),
        InvalidResponse(
            http_error_response(200), message="No JSON response object could be decoded"
        ),
        TokenError(),
        TokenError("Oops", {"iss": "x"}),
        TokenExpiredError("Token has expired", {"iat": 1}),
        TokenAlgorithmError(),
        TokenDecodeError(),
        TokenDecodeError("Bad"),
        TokenIssuerError(),
        TokenIssuedAtError(),
    ],
    ids=lambda error: type(error).__name__,
)
def test_errors_survive_pickling(error: Exception) -> None:
    # Task queues and multiprocessing carry exceptions across processes this way.
    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert getattr(copy, "message", None) == getattr(error, "message", None)
    assert getattr(copy, "token", None) == getattr(error, "token", None)
    assert getattr(copy, "status_code", None) == getattr(error, "status_code", None)


@pytest.mark.parametrize(
    ("status", "name", "error_class"),
    [
        (429, "RateLimitError", RateLimitError),
        (429, "TooManyRequestsError", TooManyRequestsError),
        (429, None, LimitExceededError),
        (429, "SomethingElse", LimitExceededError),
        (400, "ValidationError", BadRequestError),
        (403, "AuthError", AuthError),
        (503, "ServiceUnavailable", HTTP503Error),
        (418, "Teapot", HTTPError),
    ],
)
def test_the_class_comes_from_the_status_and_notifys_error_name(
    status: int, name: str | None, error_class: type[HTTPError], raised_for: Callable[..., Any]
) -> None:
    errors = [] if name is None else [{"error": name, "message": "m"}]
    error = raised_for(
        HTTPError, status_code=status, json={"status_code": status, "errors": errors}
    )

    assert type(error) is error_class
    assert error_class_for(status, name) is error_class


def test_the_two_429s_are_told_apart_and_both_caught_as_before(
    raised_for: Callable[..., Any], raw_payload: Callable[[str], bytes]
) -> None:
    daily = {"errors": [{"error": "TooManyRequestsError", "message": "Exceeded send limits"}]}
    rate_limited = raw_payload("error_429_rate_limit.json")
    per_minute = raised_for(RateLimitError, status_code=429, content=rate_limited)
    per_day = raised_for(TooManyRequestsError, status_code=429, json=daily)

    assert per_minute.retryable and not per_day.retryable
    assert isinstance(per_day, LimitExceededError) and isinstance(per_minute, LimitExceededError)
    assert not per_minute.may_have_been_sent and not per_day.may_have_been_sent


ENTRY = {"error": "E", "message": "m"}
NAME_ONLY = {"error": "E", "message": None}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"json": {"errors": [{"error": "E", "message": "m", "extra": 1}]}}, [ENTRY]),
        ({"json": {"errors": [{"error": "E"}, "not an entry", 5]}}, [NAME_ONLY]),
        ({"json": {"errors": "not a list"}}, []),
        ({"json": {"message": "no list"}}, []),
        ({"json": ["a", "list"]}, []),
        ({"text": "<html>proxy</html>"}, []),
        ({"text": ""}, []),
        ({"text": "[" * 100_000}, []),
    ],
    ids=["entry", "bad entries", "not a list", "none", "list body", "html", "empty", "nested"],
)
def test_errors_is_always_a_list_of_error_and_message(
    answer: dict[str, Any], expected: list[dict[str, Any]], raised_for: Callable[..., Any]
) -> None:
    error = raised_for(BadRequestError, status_code=400, **answer)

    assert error.errors == expected


@pytest.mark.parametrize("status", [200, 400, 500])
def test_absurdly_nested_json_is_an_error_of_this_package(
    status: int, raised_for: Callable[..., Any]
) -> None:
    error = raised_for(APIError, status_code=status, text="[" * 100_000)

    assert error.status_code == status
    assert error.message in (REQUEST_ERROR_MESSAGE, "No JSON response object could be decoded")


@pytest.mark.parametrize(
    ("error_class", "retryable", "may_have_been_sent"),
    [
        (BadRequestError, False, False),
        (AuthError, False, False),
        (NotFoundError, False, False),
        (RateLimitError, True, False),
        (TooManyRequestsError, False, False),
        (ServerError, True, True),
        (HTTP503Error, True, True),
        (InvalidResponse, False, False),
    ],
)
def test_each_class_says_whether_retrying_helps_and_whether_notify_may_have_acted(
    error_class: type[APIError], retryable: bool, may_have_been_sent: bool
) -> None:
    assert (error_class.retryable, error_class.may_have_been_sent) == (
        retryable,
        may_have_been_sent,
    )


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("5", 5.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("soon", None),
        ("nan", None),
        ("inf", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds(
    header: str | None,
    seconds: float | None,
    raised_for: Callable[..., Any],
    raw_payload: Callable[[str], bytes],
) -> None:
    headers = {} if header is None else {"Retry-After": header}
    body = raw_payload("error_429_rate_limit.json")
    error = raised_for(RateLimitError, status_code=429, headers=headers, content=body)

    assert error.retry_after_seconds == seconds
    assert parse_retry_after(header) == seconds


def test_retry_after_as_a_date_in_the_future() -> None:
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)

    seconds = parse_retry_after(in_a_minute)

    assert seconds is not None and 55 <= seconds <= 61
