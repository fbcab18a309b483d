"""In-process requests to the simulator's WSGI app, and a small fixture world to send them to.

Every request goes through ``wsgiref.validate.validator``, so a WSGI protocol slip in the app
fails the test that caused it. Tokens are signed with PyJWT directly, as the client would.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import jwt

from notifications_python_client.simulator.domain.models import (
    ApiKey,
    EmailReplyTo,
    KeyType,
    ReceivedText,
    Service,
    SmsSender,
    Template,
    TemplateVersion,
)
from notifications_python_client.simulator.state.store import Store
from notifications_python_client.simulator.web.app import create_app

HOST = "notify.test:6011"
ROOT = f"http://{HOST}"

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
TRIAL_SERVICE_ID = "6c6d32b1-6e0d-4a8e-9a51-0c1b5d0a2f11"
OTHER_SERVICE_ID = "f1a5b0de-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
SECRETS: dict[KeyType, str] = {
    "normal": "3d844edf-8d35-48ac-975b-e847b4f122b0",
    "team": "9b2e4c61-7f1a-4d3e-8c5b-6a0f1e2d3c4b",
    "test": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
}

SMS_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
PLAIN_SMS_TEMPLATE_ID = "5c4f2b1a-9d8e-4f7a-b6c5-d4e3f2a1b0c9"
EMAIL_TEMPLATE_ID = "201b576e-c09b-467b-9dfa-9c3b689ee730"
ONE_PLACEHOLDER_EMAIL_TEMPLATE_ID = "7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098"
LETTER_TEMPLATE_ID = "3d1ce039-5476-414c-99b2-fac1e6add62c"
ARCHIVED_TEMPLATE_ID = "0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b"
HIDDEN_TEMPLATE_ID = "a1b2c3d4-e5f6-4789-8abc-def012345678"
VERSIONED_TEMPLATE_ID = "b7c8d9e0-f1a2-4b3c-9d4e-5f6a7b8c9d0e"
OTHER_SERVICE_TEMPLATE_ID = "c9d0e1f2-a3b4-4c5d-8e6f-7a8b9c0d1e2f"
SMS_SENDER_ID = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f"
ARCHIVED_SMS_SENDER_ID = "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a"
REPLY_TO_ID = "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b"

CREATED_AT = dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.timezone.utc)
EDITED_AT = dt.datetime(2024, 5, 2, 10, 0, tzinfo=dt.timezone.utc)
AUTHOR = "amala@example.gov.uk"

TEAM_PHONE = "07700 900123"
GUEST_PHONE = "+44 7700 900124"
TEAM_EMAIL = "Member@Example.gov.uk"
GUEST_EMAIL = "guest@example.com"
INBOUND_NUMBER = "07700900456"


def _version(body: str, subject: str | None = None, **kwargs: Any) -> TemplateVersion:
    return TemplateVersion(1, subject, body, CREATED_AT, AUTHOR, **kwargs)


def make_templates() -> list[Template]:
    """One template of each type with placeholders, plus the awkward cases."""
    return [
        Template(SMS_TEMPLATE_ID, "Appointment", "sms", [_version("Hi ((name)), see you ((day))")]),
        Template(PLAIN_SMS_TEMPLATE_ID, "Plain", "sms", [_version("Hello")]),
        Template(
            EMAIL_TEMPLATE_ID,
            "Pigeon registration",
            "email",
            [
                _version(
                    "Dear ((first_name))\r\n\r\nPlease bring:((documents))", "Hi ((first_name))"
                )
            ],
        ),
        Template(
            ONE_PLACEHOLDER_EMAIL_TEMPLATE_ID,
            "Anything",
            "email",
            [_version("((content))", "Subject")],
        ),
        Template(
            LETTER_TEMPLATE_ID,
            "Letter",
            "letter",
            [
                _version(
                    "Dear ((name))",
                    "About ((thing)) & more",
                    letter_contact_block="Pigeon Affairs\n((office))",
                )
            ],
            postage="first",
        ),
        Template(ARCHIVED_TEMPLATE_ID, "Archived", "sms", [_version("Gone")], archived=True),
        Template(HIDDEN_TEMPLATE_ID, "Pre-compiled PDF", "letter", [_version("")], hidden=True),
        Template(
            VERSIONED_TEMPLATE_ID,
            "Appointment",
            "email",
            [
                _version("Version one", "One"),
                TemplateVersion(2, "Two", "Version ((two))", EDITED_AT, "bob@example.gov.uk"),
            ],
        ),
    ]


def make_service(service_id: str = SERVICE_ID, **overrides: Any) -> Service:
    """A live service with keys of every type, senders, a team and a guest list."""
    values: dict[str, Any] = {
        "id": service_id,
        "name": "Pigeon Affairs Bureau",
        "team_email_addresses": [TEAM_EMAIL],
        "team_phone_numbers": [TEAM_PHONE],
        "guest_list_email_addresses": [GUEST_EMAIL],
        "guest_list_phone_numbers": [GUEST_PHONE],
        "api_keys": [ApiKey(f"{kind}_key", kind, secret) for kind, secret in SECRETS.items()],
        "templates": make_templates(),
        "email_reply_to": [EmailReplyTo(REPLY_TO_ID, "reply@example.gov.uk", default=True)],
        "sms_senders": [
            SmsSender("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "Pigeons", default=True),
            SmsSender(SMS_SENDER_ID, "07700900456"),
            SmsSender(ARCHIVED_SMS_SENDER_ID, "Old", archived=True),
        ],
        "inbound_number": INBOUND_NUMBER,
    }
    values.update(overrides)
    return Service(**values)


def received_text(number: int, service_id: str = SERVICE_ID) -> ReceivedText:
    """The ``number``-th text received by the service, a second apart, within the last hour."""
    created_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1, seconds=-number)
    return ReceivedText(
        id=f"00000000-0000-4000-8000-{number:012d}",
        service_id=service_id,
        user_number="447700900111",
        notify_number=INBOUND_NUMBER,
        content=f"Message {number}",
        created_at=created_at,
    )


def raw_token(header: dict[str, Any], claims: dict[str, Any], secret: str) -> str:
    """A correctly signed HS256 token with any header at all (PyJWT refuses to write odd ones)."""

    def encoded(part: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()

    signing_input = f"{encoded(header)}.{encoded(claims)}"
    digest = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(digest).rstrip(b'=').decode()}"


def bearer(service_id: str, secret: str, iat: int | None = None) -> str:
    claims = {"iss": service_id, "iat": int(time.time()) if iat is None else iat}
    return "Bearer " + jwt.encode(claims, secret, algorithm="HS256")


@dataclass
class WsgiResponse:
    status: int
    reason: str
    headers: dict[str, str]
    header_list: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def errors(self) -> list[dict[str, Any]]:
        """The v2 error entries, after checking the envelope's own status code."""
        payload = self.json()
        assert payload["status_code"] == self.status
        return list(payload["errors"])

    @property
    def error(self) -> tuple[str, str]:
        """The single v2 error as (name, message)."""
        (entry,) = self.errors
        return entry["error"], entry["message"]


@dataclass
class WsgiClient:
    """Calls the app in-process as one service, signing a fresh token for each request."""

    store: Store
    service_id: str = SERVICE_ID
    key_type: KeyType = "normal"
    extra_environ: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.app = validator(create_app(self.store))

    def as_key(self, key_type: KeyType, service_id: str | None = None) -> WsgiClient:
        """The same app and store, calling with another key."""
        other = WsgiClient(self.store, service_id or self.service_id, key_type, self.extra_environ)
        other.app = self.app
        return other

    def authorization(self) -> str:
        return bearer(self.service_id, SECRETS[self.key_type])

    def request(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        json_body: object = None,
        data: bytes | None = None,
        authorization: str | bool | None = True,
        headers: Mapping[str, str] | None = None,
    ) -> WsgiResponse:
        """One request; ``authorization=True`` signs a token, ``None``/``False`` sends none."""
        if json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
        body = data or b""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path.encode("utf-8").decode("latin-1"),
            "QUERY_STRING": query,
            "HTTP_HOST": HOST,
            "SERVER_NAME": "notify.test",
            "SERVER_PORT": "6011",
            "wsgi.input": io.BytesIO(body),
        }
        if body:
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["CONTENT_TYPE"] = "application/json"
        if authorization is True:
            environ["HTTP_AUTHORIZATION"] = self.authorization()
        elif isinstance(authorization, str):
            environ["HTTP_AUTHORIZATION"] = authorization
        for name, value in (headers or {}).items():
            key = name.upper().replace("-", "_")
            # The two headers CGI names without the HTTP_ prefix (PEP 3333).
            environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
        environ.update(self.extra_environ)
        setup_testing_defaults(environ)
        return self._call(environ)

    def get(self, path: str, query: str = "", **kwargs: Any) -> WsgiResponse:
        return self.request("GET", path, query=query, **kwargs)

    def post(self, path: str, json_body: object = None, **kwargs: Any) -> WsgiResponse:
        return self.request("POST", path, json_body=json_body, **kwargs)

    def _call(self, environ: dict[str, Any]) -> WsgiResponse:
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            started.append((status, headers))
            return lambda _data: None

        result: Iterable[bytes] = self.app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status_line, header_list = started[-1]
        code, _, reason = status_line.partition(" ")
        headers = {name.lower(): value for name, value in header_list}
        return WsgiResponse(int(code), reason, headers, header_list, body)


def make_store(*services: Service) -> Store:
    """A store of the given services (default: the live one, a trial one and another)."""
    chosen = list(services) or [
        make_service(),
        make_service(TRIAL_SERVICE_ID, restricted=True),
        make_service(
            OTHER_SERVICE_ID,
            name="Other Service",
            templates=[
                Template(OTHER_SERVICE_TEMPLATE_ID, "Theirs", "sms", [_version("Not yours")])
            ],
        ),
    ]
    return Store(chosen)
