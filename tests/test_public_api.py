"""The published surface, pinned: names, where they can be imported from, values, signatures.

A failure here means code written against notifications-python-client 13.0.0 could break.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

import notifications_python_client
from notifications_python_client import authentication, base, errors, notifications, utils

ROOT_NAMES = {
    "NotificationsAPIClient",
    "prepare_upload",
    "REQUEST_ERROR_STATUS_CODE",
    "REQUEST_ERROR_MESSAGE",
    "__version__",
}

TOKEN_ERRORS = [
    "TokenError",
    "TokenExpiredError",
    "TokenAlgorithmError",
    "TokenDecodeError",
    "TokenIssuerError",
    "TokenIssuedAtError",
]

# (module, name, home module): names users import, and the module that defines them.
IMPORTABLE = [
    ("base", "HTTPError", "errors"),
    ("base", "InvalidResponse", "errors"),
    ("base", "create_jwt_token", "authentication"),
    ("base", "BaseAPIClient", "base"),
    ("notifications", "BaseAPIClient", "base"),
    ("notifications", "NotificationsAPIClient", "notifications"),
    ("utils", "prepare_upload", "utils"),
    *[("authentication", name, "errors") for name in TOKEN_ERRORS],
    *[("errors", name, "errors") for name in TOKEN_ERRORS],
    *[
        ("errors", name, "errors")
        for name in ["APIError", "HTTPError", "HTTP503Error", "InvalidResponse"]
    ],
    *[
        ("authentication", name, "authentication")
        for name in [
            "create_jwt_token",
            "get_token_issuer",
            "decode_jwt_token",
            "validate_jwt_token",
            "decode_token",
            "epoch_seconds",
        ]
    ],
]

CONSTANTS = [
    (errors, "REQUEST_ERROR_STATUS_CODE", 503),
    (errors, "REQUEST_ERROR_MESSAGE", "Request failed"),
    (
        errors,
        "TOKEN_ERROR_GUIDANCE",
        "See our requirements for JSON Web Tokens at "
        "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header",
    ),
    (
        errors,
        "TOKEN_ERROR_DEFAULT_ERROR_MESSAGE",
        "Invalid token: See our requirements for JSON Web Tokens at "
        "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header",
    ),
    (authentication, "__algorithm__", "HS256"),
    (authentication, "__type__", "JWT"),
    (authentication, "__bound__", 30),
    (authentication, "INVALID_FUTURE_TOKEN_ERROR_MESSAGE", "Token can not be in the future"),
    (utils, "DOCUMENT_UPLOAD_SIZE_LIMIT", 2097152),
    (notifications_python_client, "REQUEST_ERROR_STATUS_CODE", 503),
    (notifications_python_client, "REQUEST_ERROR_MESSAGE", "Request failed"),
]

N = None
SIGNATURES: list[tuple[Any, list[tuple[str, Any]]]] = [
    (
        base.BaseAPIClient.__init__,
        [
            ("self", inspect.Parameter.empty),
            ("api_key", inspect.Parameter.empty),
            ("base_url", "https://api.notifications.service.gov.uk"),
            ("timeout", 30),
            ("request_session", N),
            ("retry", N),
        ],
    ),
    (
        base.BaseAPIClient.request,
        [("self", ...), ("method", ...), ("url", ...), ("data", N), ("params", N)],
    ),
    (base.BaseAPIClient.get, [("self", ...), ("url", ...), ("params", N)]),
    (base.BaseAPIClient.post, [("self", ...), ("url", ...), ("data", ...)]),
    (base.BaseAPIClient.put, [("self", ...), ("url", ...), ("data", ...)]),
    (base.BaseAPIClient.delete, [("self", ...), ("url", ...), ("data", N)]),
    (base.BaseAPIClient.generate_headers, [("self", ...), ("api_token", ...)]),
    (
        notifications.NotificationsAPIClient.send_sms_notification,
        [
            ("self", ...),
            ("phone_number", ...),
            ("template_id", ...),
            ("personalisation", N),
            ("reference", N),
            ("sms_sender_id", N),
        ],
    ),
    (
        notifications.NotificationsAPIClient.send_email_notification,
        [
            ("self", ...),
            ("email_address", ...),
            ("template_id", ...),
            ("personalisation", N),
            ("reference", N),
            ("email_reply_to_id", N),
            ("one_click_unsubscribe_url", N),
            ("sanitise_content_for", N),
        ],
    ),
    (
        notifications.NotificationsAPIClient.send_letter_notification,
        [("self", ...), ("template_id", ...), ("personalisation", ...), ("reference", N)],
    ),
    (
        notifications.NotificationsAPIClient.send_precompiled_letter_notification,
        [("self", ...), ("reference", ...), ("pdf_file", ...), ("postage", N)],
    ),
    (notifications.NotificationsAPIClient.get_notification_by_id, [("self", ...), ("id", ...)]),
    (notifications.NotificationsAPIClient.get_pdf_for_letter, [("self", ...), ("id", ...)]),
    (
        notifications.NotificationsAPIClient.get_all_notifications,
        [
            ("self", ...),
            ("status", N),
            ("template_type", N),
            ("reference", N),
            ("older_than", N),
            ("include_jobs", N),
        ],
    ),
    (
        notifications.NotificationsAPIClient.get_all_notifications_iterator,
        [("self", ...), ("status", N), ("template_type", N), ("reference", N), ("older_than", N)],
    ),
    (notifications.NotificationsAPIClient.get_received_texts, [("self", ...), ("older_than", N)]),
    (
        notifications.NotificationsAPIClient.get_received_texts_iterator,
        [("self", ...), ("older_than", N)],
    ),
    (notifications.NotificationsAPIClient.get_template, [("self", ...), ("template_id", ...)]),
    (
        notifications.NotificationsAPIClient.get_template_version,
        [("self", ...), ("template_id", ...), ("version", ...)],
    ),
    (notifications.NotificationsAPIClient.get_all_templates, [("self", ...), ("template_type", N)]),
    (
        notifications.NotificationsAPIClient.post_template_preview,
        [("self", ...), ("template_id", ...), ("personalisation", ...)],
    ),
    (
        notifications.NotificationsAPIClient.get_all_template_versions,
        [("self", ...), ("template_id", ...)],
    ),
    (
        utils.prepare_upload,
        [
            ("f", ...),
            ("filename", N),
            ("confirm_email_before_download", N),
            ("retention_period", N),
        ],
    ),
    (authentication.create_jwt_token, [("secret", ...), ("client_id", ...)]),
    (authentication.get_token_issuer, [("token", ...)]),
    (authentication.decode_jwt_token, [("token", ...), ("secret", ...)]),
    (authentication.validate_jwt_token, [("decoded_token", ...)]),
    (authentication.decode_token, [("token", ...)]),
    (authentication.epoch_seconds, []),
    (errors.TokenError.__init__, [("self", ...), ("message", N), ("token", N)]),
    (errors.TokenExpiredError.__init__, [("self", ...), ("message", N), ("token", N)]),
    (errors.TokenAlgorithmError.__init__, [("self", ...)]),
    (errors.TokenDecodeError.__init__, [("self", ...), ("message", N)]),
    (errors.TokenIssuerError.__init__, [("self", ...)]),
    (errors.TokenIssuedAtError.__init__, [("self", ...)]),
    (errors.APIError.__init__, [("self", ...), ("response", N), ("message", N)]),
]


def test_package_root_exports_exactly_the_published_names() -> None:
    for name in ROOT_NAMES:
        assert hasattr(notifications_python_client, name), name
    assert set(notifications_python_client.__all__) == ROOT_NAMES
    assert notifications_python_client.NotificationsAPIClient is (
        notifications.NotificationsAPIClient
    )
    assert notifications_python_client.prepare_upload is utils.prepare_upload


def test_star_import_gives_the_root_names() -> None:
    namespace: dict[str, Any] = {}
    exec("from notifications_python_client import *", namespace)

    assert set(namespace) >= ROOT_NAMES


@pytest.mark.parametrize(("module", "name", "home"), IMPORTABLE)
def test_name_is_importable_from_where_users_import_it(module: str, name: str, home: str) -> None:
    where = importlib.import_module(f"notifications_python_client.{module}")
    defined = importlib.import_module(f"notifications_python_client.{home}")

    assert getattr(where, name) is getattr(defined, name)


@pytest.mark.parametrize(("module", "name", "value"), CONSTANTS)
def test_constant_value(module: Any, name: str, value: Any) -> None:
    assert getattr(module, name) == value


def test_version_is_plain_major_minor_patch_from_13_1() -> None:
    version = notifications_python_client.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert tuple(int(part) for part in version.split(".")) >= (13, 1, 0)


def test_base_exposes_the_version_as_the_published_module_does() -> None:
    from notifications_python_client import base

    assert base.__version__ == notifications_python_client.__version__


def test_monkeypatch_points_are_module_attributes() -> None:
    import jwt
    import requests

    assert authentication.jwt is jwt
    assert base.requests is requests
    assert base.create_jwt_token is authentication.create_jwt_token


def test_py_typed_ships() -> None:
    assert (Path(notifications_python_client.__file__).parent / "py.typed").is_file()


@pytest.mark.parametrize(
    ("function", "expected"), SIGNATURES, ids=[f.__qualname__ for f, _ in SIGNATURES]
)
def test_signature(function: Any, expected: list[tuple[str, Any]]) -> None:
    parameters = list(inspect.signature(function).parameters.values())

    assert [p.name for p in parameters] == [name for name, _ in expected]
    for parameter, (_, default) in zip(parameters, expected, strict=True):
        if default is ...:
            default = inspect.Parameter.empty
        assert parameter.default == default, parameter.name
        assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


def test_http_error_create_is_a_static_method() -> None:
    assert isinstance(inspect.getattr_static(errors.HTTPError, "create"), staticmethod)


def test_message_and_status_code_are_properties() -> None:
    assert isinstance(inspect.getattr_static(errors.APIError, "message"), property)
    assert isinstance(inspect.getattr_static(errors.APIError, "status_code"), property)


def test_iterators_are_generator_functions() -> None:
    client_class = notifications.NotificationsAPIClient
    assert inspect.isgeneratorfunction(client_class.get_all_notifications_iterator)
    assert inspect.isgeneratorfunction(client_class.get_received_texts_iterator)


def test_error_classes_keep_their_published_bases() -> None:
    assert errors.HTTPError.__mro__[1:3] == (errors.APIError, Exception)
    assert issubclass(errors.HTTP503Error, errors.HTTPError)
    assert errors.InvalidResponse.__mro__[1:3] == (errors.APIError, Exception)
    assert errors.TokenError.__mro__[1] is Exception
