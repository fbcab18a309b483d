"""The simulator's data model: services and what they own, and the notifications they send.

Plain dataclasses with no behaviour beyond small derived values, shared by the store, the data
loader, the request handlers and the lifecycle. Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

KeyType = Literal["normal", "team", "test"]
TemplateType = Literal["sms", "email", "letter"]
NotificationType = Literal["sms", "email", "letter"]

KEY_TYPES: tuple[KeyType, ...] = ("normal", "team", "test")
TEMPLATE_TYPES: tuple[TemplateType, ...] = ("sms", "email", "letter")
# Notify pages lists of notifications and of received texts alike, with no way to ask for more.
PAGE_SIZE_ITEMS = 250
# Statuses after which a notification has its completed_at: virus-scan-failed is not one.
# (behaviour: The notification object)
FINAL_STATUSES = frozenset(
    {
        "sent",
        "delivered",
        "failed",
        "technical-failure",
        "temporary-failure",
        "permanent-failure",
        "returned-letter",
        "cancelled",
        "validation-failed",
    }
)


@dataclass
class ApiKey:
    """One API key of a service; the secret is the HMAC key for its JWTs."""

    name: str
    type: KeyType
    secret: str
    revoked_at: dt.datetime | None = None

    def combined(self, service_id: str) -> str:
        """The key as users paste it: ``{key_name}-{service_id}-{secret}``."""
        return f"{self.name}-{service_id}-{self.secret}"


@dataclass
class TemplateVersion:
    """The content of one version of a template."""

    version: int
    subject: str | None
    body: str
    created_at: dt.datetime
    created_by: str
    letter_contact_block: str | None = None
    # The template's name when this version was current; None for the template's own name.
    name: str | None = None


@dataclass
class Template:
    """A template with all its versions; ``versions[-1]`` is the latest."""

    id: str
    name: str
    type: TemplateType
    versions: list[TemplateVersion]
    postage: str | None = None
    archived: bool = False
    hidden: bool = False

    @property
    def latest(self) -> TemplateVersion:
        return self.versions[-1]

    def version(self, number: int) -> TemplateVersion | None:
        """The given version, or ``None`` when it does not exist."""
        for candidate in self.versions:
            if candidate.version == number:
                return candidate
        return None


@dataclass
class EmailReplyTo:
    id: str
    email_address: str
    default: bool = False
    archived: bool = False


@dataclass
class SmsSender:
    id: str
    sms_sender: str
    default: bool = False
    archived: bool = False


@dataclass
class CallbackConfig:
    """Where Notify POSTs delivery receipts or received texts, and the bearer token it sends."""

    url: str
    bearer_token: str


@dataclass
class ReceivedText:
    id: str
    service_id: str
    user_number: str
    notify_number: str
    content: str
    created_at: dt.datetime


@dataclass
class Limits:
    """Per-service limits and prices; defaults are the real service's for a live service."""

    rate_limit_per_minute: int = 3000
    daily: dict[str, int] = field(
        default_factory=lambda: {
            "email": 250_000,
            "sms": 250_000,
            "letter": 20_000,
            "international_sms": 100,
        }
    )
    sms_rate: float = 0.024
    retention_days: int = 7


@dataclass
class Timings:
    """How fast simulated things happen, in seconds of the simulator's clock."""

    sending_after_seconds: float = 0.0
    delivered_after_seconds: float = 0.0
    letter_pdf_ready_after_seconds: float = 0.0
    callback_retry_seconds: float = 300.0
    callback_max_retries: int = 5


@dataclass
class Service:
    id: str
    name: str
    restricted: bool = False
    active: bool = True
    permissions: set[str] = field(
        default_factory=lambda: {"email", "sms", "letter", "international_sms"}
    )
    team_email_addresses: list[str] = field(default_factory=list)
    team_phone_numbers: list[str] = field(default_factory=list)
    guest_list_email_addresses: list[str] = field(default_factory=list)
    guest_list_phone_numbers: list[str] = field(default_factory=list)
    api_keys: list[ApiKey] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    email_reply_to: list[EmailReplyTo] = field(default_factory=list)
    sms_senders: list[SmsSender] = field(default_factory=list)
    inbound_number: str | None = None
    delivery_status_callback: CallbackConfig | None = None
    received_text_callback: CallbackConfig | None = None
    file_download_contact_details: bool = True
    limits: Limits = field(default_factory=Limits)
    timings: Timings = field(default_factory=Timings)
    # Received texts seeded from the data file; the store copies them into its own list.
    received_texts: list[ReceivedText] = field(default_factory=list)

    def template(self, template_id: str) -> Template | None:
        """The template with this id (compared case-insensitively), or ``None``."""
        wanted = template_id.lower()
        for template in self.templates:
            if template.id == wanted:
                return template
        return None


@dataclass(slots=True)
class Notification:
    """A stored notification, with everything GET /v2/notifications/{id} reports.

    ``status`` is the stored status (letters are mapped to ``accepted``/``received`` only when
    serialised). ``key_type`` decides who sees it in lists and how it moves (see lifecycle).
    """

    id: str
    service_id: str
    key_type: KeyType
    type: NotificationType
    template_id: str
    template_version: int
    created_at: dt.datetime
    status: str
    reference: str | None = None
    email_address: str | None = None
    phone_number: str | None = None
    normalised_to: str | None = None
    address_lines: dict[str, str | None] = field(default_factory=dict)
    body: str = ""
    subject: str | None = None
    personalisation: dict[str, Any] = field(default_factory=dict)
    sent_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    postage: str | None = None
    one_click_unsubscribe_url: str | None = None
    billable_sms_fragments: int | None = None
    international_rate_multiplier: float = 1.0
    # Non-UK (country code other than 44) SMS count towards the international_sms daily limit.
    is_international: bool = False
    sms_rate: float | None = None
    billable_sheets_of_paper: int | None = None
    is_precompiled_letter: bool = False
    pdf: bytes | None = None
    pdf_ready_at: dt.datetime | None = None
    final_status: str | None = None
    # Who it came from (a text message sender, an email's from address) and, for an email,
    # where replies go.
    sender: str | None = None
    reply_to: str | None = None
    # Every status it has had, with when, oldest first (the inbox shows it).
    status_history: list[tuple[str, dt.datetime]] = field(default_factory=list)
    # Files sent with an email: the ids of their documents in the store.
    document_ids: list[str] = field(default_factory=list)
