"""Shared facts and helpers for the end-to-end tests: the real client, real sockets, the simulator.

The ids below are those of the simulator's built-in data (``simulator/data/default_data.json``);
``service()`` builds extra services for data dicts of tests that need a special set-up (trial
mode, missing permissions, revoked keys, small limits, callbacks). ``expect_error`` is how every
test states one of Notify's errors (docs/simulator-behaviour.md): the client's exception class,
the HTTP status and the exact list of ``{"error", "message"}`` entries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import re
import time
import uuid
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

import jwt
import pypdf
import requests

from notifications_python_client.errors import BadRequestError, HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.data import DEFAULT_DATA_FILE

# ``clients(key_type="test", service_id=None)``, the conftest fixture handing out real clients.
ClientFactory = Callable[..., NotificationsAPIClient]

# The built-in live service (first in the data) and its trial-mode sibling.
SERVICE_ID = "9024e73a-6d91-4afb-9b68-7b3dba010425"
TRIAL_SERVICE_ID = "1d4624bc-5678-42a8-9c8a-04b97118b12c"
SERVICE_NAME = "Pigeon Affairs Bureau"
REVOKED_SECRET = "101ec130-ddc7-4dab-a107-7f976b5c505d"
LIVE_SECRET = "8ba5d3d0-fdb3-4af8-8246-3a03b91b7cf3"

SMS_TEMPLATE_ID = "8193b560-c917-4676-ba08-36354dbe5832"
EMAIL_TEMPLATE_ID = "fcf0e1f4-edd4-44d1-a4ac-36f119b8fb5a"
SHOW_EMAIL_TEMPLATE_ID = "6d8bb666-50ac-4a40-afb1-639e7b264f37"
FILE_EMAIL_TEMPLATE_ID = "3a1f6c0e-8b5d-4c2e-9f47-5d0b6e2a9c81"
LETTER_TEMPLATE_ID = "e6dbe9b4-039f-4e32-bb1c-13b1bd657596"
ARCHIVED_SMS_TEMPLATE_ID = "a13ea3f5-6002-4479-8126-7e275628fcc4"
TRIAL_SMS_TEMPLATE_ID = "0e9ccfaf-10fa-49a5-bb2e-09ecdb14b35d"
TRIAL_EMAIL_TEMPLATE_ID = "872681ce-7b25-49ef-8061-e41d87485e5f"
TRIAL_LETTER_TEMPLATE_ID = "2f660f85-870f-4f58-9a80-69eea22a3118"

# The bodies of the built-in text message and email templates above.
SMS_TEMPLATE_BODY = (
    "Hello ((name)), your pigeon registration is due. Reply to this message if your loft has moved."
)
EMAIL_TEMPLATE_BODY = (
    "Dear ((name)),\n\nThank you for registering your pigeons with us.\n\nPigeon Affairs Bureau"
)

REPLY_TO_ID = "6b6d0851-2b8e-4059-a182-c00cbfe11890"
OTHER_REPLY_TO_ID = "9fe0eb66-7797-406c-8dc8-0b7b41b6ecc3"
TRIAL_REPLY_TO_ID = "d0c8dca2-dc40-4e70-a220-e1dccc195610"
SMS_SENDER_ID = "49ecff72-1d61-4e1a-865a-23a872ee5b8b"
NUMBER_SMS_SENDER_ID = "3188525c-ec72-483d-9d1f-21f61ed11354"
TRIAL_SMS_SENDER_ID = "553e7598-6650-4b8d-bdbf-70c807f0f819"

TEAM_PHONE = "07700900321"
GUEST_PHONE = "07700900654"
TEAM_EMAIL = "pigeon.keeper@example.gov.uk"
GUEST_EMAIL = "guest.fancier@example.gov.uk"
TRIAL_TEAM_PHONE = "07700900987"
TRIAL_TEAM_EMAIL = "trial.keeper@example.gov.uk"
OUTSIDER_PHONE = "07700900123"
OUTSIDER_EMAIL = "someone.else@example.com"
INBOUND_NUMBER = "07700900456"

DAY_SECONDS = 24 * 60 * 60
# Notify's timestamp form (behaviour: Responses).
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
# The anti-virus test file, split so that scanners leave these tests alone.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
UK_ADDRESS = {"address_line_1": "A Pigeon", "address_line_2": "1 Loft Lane", "postcode": "SW1A 1AA"}
UNKNOWN_ID = "11111111-2222-4333-8444-555555555555"

# Notify's strings used in several files, character for character.
NOT_FOUND_BODY = {
    "message": "The requested URL was not found on the server. If you entered the URL manually "
    "please check your spelling and try again.",
    "result": "error",
}
METHOD_NOT_ALLOWED_BODY = {
    "message": "The method is not allowed for the requested URL.",
    "result": "error",
}
TEAM_KEY_RECIPIENT = "Can’t send to this recipient using a team-only API key"
TRIAL_RECIPIENT = (
    "Can’t send to this recipient when service is in trial mode – see "
    "https://www.notifications.service.gov.uk/trial-mode"
)
NO_RESULT = ("NoResultFound", "No result found")

# Ids of services built by ``service()`` are derived from this, so the data is deterministic.
E2E_NAMESPACE = uuid.UUID("0d6b5a52-7e1f-4f4e-9a43-2f1c8e5d7b90")


def derived_id(*parts: str) -> str:
    """A stable UUID for a made-up service, key secret or template."""
    return str(uuid.uuid5(E2E_NAMESPACE, "/".join(parts)))


def service(name: str, **fields: Any) -> dict[str, Any]:
    """A data-file service with keys of every type and one template per type; ``fields`` win.

    The templates' ids are ``derived_id(name, "sms" | "email" | "letter")``; the keys' secrets
    ``derived_id(name, "normal" | "team" | "test")``.
    """
    service_id = derived_id(name)
    data: dict[str, Any] = {
        "id": service_id,
        "name": name,
        "team": {"email_addresses": [TEAM_EMAIL], "phone_numbers": [TEAM_PHONE]},
        "api_keys": [
            {"name": f"{name} {key_type}", "type": key_type, "secret": derived_id(name, key_type)}
            for key_type in ("normal", "team", "test")
        ],
        "templates": [
            {"id": derived_id(name, "sms"), "name": "Text", "type": "sms", "body": "Hi ((name))"},
            {
                "id": derived_id(name, "email"),
                "name": "Email",
                "type": "email",
                "subject": "Hello",
                "body": "Hi ((name))",
            },
            {
                "id": derived_id(name, "letter"),
                "name": "Letter",
                "type": "letter",
                "subject": "Hello",
                "body": "Dear ((address_line_1))",
            },
        ],
    }
    data.update(fields)
    return data


def default_services() -> list[dict[str, Any]]:
    """The built-in data's services, as a fresh list to extend with ``service()`` entries."""
    package = resources.files("notifications_python_client.simulator.data")
    data = json.loads(package.joinpath(DEFAULT_DATA_FILE).read_text(encoding="utf-8"))
    return list(data["services"])


def with_default_services(*extra: dict[str, Any]) -> dict[str, Any]:
    """A data dict: the built-in services followed by ``extra`` ones."""
    return {"services": [*default_services(), *extra]}


def key_string(service_id: str, secret: str, name: str = "e2e") -> str:
    """A combined API key as users paste it (behaviour: API keys)."""
    return f"{name}-{service_id}-{secret}"


def expect_error(
    call: Callable[[], object],
    error_class: type[HTTPError],
    status_code: int,
    *entries: tuple[str, str],
) -> HTTPError:
    """Run ``call``; it must raise exactly ``error_class`` carrying these v2 error entries."""
    try:
        call()
    except HTTPError as raised:
        error = raised
    else:
        raise AssertionError(f"expected {error_class.__name__} {status_code}, nothing raised")
    assert (type(error), error.status_code) == (error_class, status_code), error.message
    assert error.message == [{"error": name, "message": text} for name, text in entries], (
        error.message
    )
    # The envelope's status_code always equals the HTTP status (behaviour: Error bodies).
    assert error.response is not None
    assert error.response.json()["status_code"] == status_code
    return error


def schema_errors(*messages: str) -> tuple[tuple[str, str], ...]:
    """``ValidationError`` entries with these messages, for ``expect_error``."""
    return tuple(("ValidationError", message) for message in messages)


def expect_bad_request(call: Callable[[], object], *messages: str) -> HTTPError:
    """``expect_error`` for a 400 whose entries are ``BadRequestError`` with these messages."""
    entries = (("BadRequestError", message) for message in messages)
    return expect_error(call, BadRequestError, 400, *entries)


def expect_schema_errors(call: Callable[[], object], *messages: str) -> HTTPError:
    """``expect_error`` for a 400 whose entries are ``ValidationError`` with these messages."""
    return expect_error(call, BadRequestError, 400, *schema_errors(*messages))


def token(secret: str, claims: Mapping[str, Any], **options: Any) -> str:
    """A JWT signed with ``secret`` carrying exactly ``claims`` (``algorithm``/``headers`` too)."""
    algorithm = options.pop("algorithm", "HS256")
    return jwt.encode(dict(claims), secret, algorithm=algorithm, **options)


def hand_made_token(secret: str, claims: Mapping[str, Any]) -> str:
    """An HS256 JWT built by hand, for claim values PyJWT refuses to encode (a numeric ``iss``)."""

    def encode(part: bytes) -> str:
        return base64.urlsafe_b64encode(part).rstrip(b"=").decode("ascii")

    header = encode(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    signing_input = f"{header}.{encode(json.dumps(dict(claims)).encode())}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{encode(signature)}"


def fresh_claims(service_id: str, **extra: Any) -> dict[str, Any]:
    """``iss`` and a current ``iat``, plus ``extra``."""
    return {"iss": service_id, "iat": int(time.time()), **extra}


def raw(
    sim: Any,
    method: str,
    path: str,
    *,
    authorization: str | None = None,
    **kwargs: Any,
) -> requests.Response:
    """A plain ``requests`` call to the simulator, for what the client cannot send."""
    headers = dict(kwargs.pop("headers", {}))
    if authorization is not None:
        headers["Authorization"] = authorization
    return requests.request(method, sim.url + path, headers=headers, timeout=10, **kwargs)


def bearer(sim: Any, key_type: str = "test", service_id: str | None = None) -> str:
    """A valid ``Authorization`` header value for one of a service's keys."""
    key = sim.api_key(key_type, service_id)
    return "Bearer " + token(key[-36:], fresh_claims(key[-73:-37]))


def v2_entries(response: requests.Response) -> list[tuple[str, str]]:
    """The ``(error, message)`` pairs of a v2 error body, after checking its envelope."""
    body = response.json()
    assert set(body) == {"status_code", "errors"}
    assert body["status_code"] == response.status_code
    return [(entry["error"], entry["message"]) for entry in body["errors"]]


def sms_id(
    notify: NotificationsAPIClient, phone: str = OUTSIDER_PHONE, name: str = "A", **kwargs: Any
) -> str:
    """Send the built-in text message template to ``phone``; the new notification's id."""
    return notify.send_sms_notification(phone, SMS_TEMPLATE_ID, {"name": name}, **kwargs)["id"]


def email_id(notify: NotificationsAPIClient, address: str = OUTSIDER_EMAIL, **kwargs: Any) -> str:
    """Send the built-in email template to ``address``; the new notification's id."""
    return notify.send_email_notification(address, EMAIL_TEMPLATE_ID, {"name": "A"}, **kwargs)["id"]


def listed_ids(page: Mapping[str, Any]) -> list[str]:
    """The ids of a page of ``get_all_notifications``, in the order listed."""
    return [notification["id"] for notification in page["notifications"]]


def blank_pdf(pages: int = 1) -> bytes:
    """A valid PDF of blank A4 pages."""
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def wait_until(condition: Callable[[], bool], timeout_seconds: float = 3.0) -> bool:
    """Poll ``condition`` every few milliseconds until it holds or the time is up."""
    deadline = time.monotonic() + timeout_seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def form_token(url: str) -> str:
    """The token the simulator's forms carry, read from one of its pages (``url``), as a
    browser showing that page would have it."""
    found = FORM_TOKEN.search(requests.get(url, timeout=5).text)
    assert found, f"no form token on {url}"
    return found.group(1)
