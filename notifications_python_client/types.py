"""The shapes of Notify's JSON responses, so callers' type checkers know what they get back.

These describe the documented fields; Notify may add fields, and at run time every response is a
plain ``dict``. A field marked optional may be absent; ``| None`` means it may be ``null``.
"""

from __future__ import annotations

from typing import TypedDict


class TemplateRef(TypedDict):
    """The template (and version) a notification was made from."""

    id: str
    version: int
    uri: str


class SmsContent(TypedDict):
    """A text message as sent."""

    body: str
    from_number: str


class _EmailContentRequired(TypedDict):
    subject: str
    body: str
    from_email: str


class EmailContent(_EmailContentRequired, total=False):
    """An email as sent."""

    one_click_unsubscribe_url: str | None


class LetterContent(TypedDict):
    """A letter as sent: its heading and body."""

    subject: str
    body: str


class _SentRequired(TypedDict):
    id: str
    reference: str | None
    uri: str
    template: TemplateRef


class _Sent(_SentRequired, total=False):
    scheduled_for: str | None


class SmsNotificationResponse(_Sent):
    """What ``send_sms_notification`` returns."""

    content: SmsContent


class SanitisedValue(TypedDict):
    """A personalisation value as sent and as ``sanitise_content_for`` changed it."""

    sanitised: str
    unsanitised: str


class _EmailSent(_Sent, total=False):
    sanitised_content: dict[str, SanitisedValue]


class EmailNotificationResponse(_EmailSent):
    """What ``send_email_notification`` returns."""

    content: EmailContent


class LetterNotificationResponse(_Sent):
    """What ``send_letter_notification`` returns."""

    content: LetterContent


class PrecompiledLetterResponse(TypedDict):
    """What ``send_precompiled_letter_notification`` returns."""

    id: str
    reference: str
    postage: str


class CostDetails(TypedDict, total=False):
    """How a notification's cost was worked out (text-message or letter fields)."""

    billable_sms_fragments: int
    international_rate_multiplier: float
    sms_rate: float
    billable_sheets_of_paper: int
    postage: str


class _NotificationRequired(TypedDict):
    id: str
    type: str
    status: str
    template: TemplateRef
    body: str
    created_at: str


class Notification(_NotificationRequired, total=False):
    """One sent message and its status, from ``get_notification_by_id`` or a page of them."""

    reference: str | None
    email_address: str | None
    phone_number: str | None
    line_1: str | None
    line_2: str | None
    line_3: str | None
    line_4: str | None
    line_5: str | None
    line_6: str | None
    line_7: str | None  # in the documentation, not sent by the current API
    postcode: str | None
    postage: str | None
    subject: str | None
    created_by_name: str | None
    sent_at: str | None
    completed_at: str | None
    scheduled_for: str | None
    one_click_unsubscribe: str | None  # the documentation's name
    one_click_unsubscribe_url: str | None  # what the current API sends
    estimated_delivery: str  # letters only
    is_cost_data_ready: bool
    cost_in_pounds: float | None
    cost_details: CostDetails


class Links(TypedDict, total=False):
    """Paging links: ``next`` is absent on the last page."""

    current: str
    next: str


class NotificationsPage(TypedDict):
    """One page of up to 250 notifications, newest first."""

    notifications: list[Notification]
    links: Links


class ReceivedTextMessage(TypedDict):
    """A text message that someone sent to the service's number."""

    id: str
    user_number: str
    notify_number: str
    created_at: str
    service_id: str
    content: str


class ReceivedTextsPage(TypedDict):
    """One page of up to 250 received text messages, newest first."""

    received_text_messages: list[ReceivedTextMessage]
    links: Links


class TemplatePlaceholder(TypedDict):
    """How a template describes one of its placeholders."""

    required: bool


class _TemplateRequired(TypedDict):
    id: str
    name: str
    type: str
    created_at: str
    updated_at: str | None
    version: int
    created_by: str
    body: str


class Template(_TemplateRequired, total=False):
    """A template at one version, from ``get_template`` and friends."""

    subject: str | None
    letter_contact_block: str | None
    postage: str | None
    personalisation: dict[str, TemplatePlaceholder]


class TemplatesPage(TypedDict):
    """Every template of the service (latest versions), possibly none."""

    templates: list[Template]


class _TemplatePreviewRequired(TypedDict):
    id: str
    type: str
    version: int
    body: str


class TemplatePreview(_TemplatePreviewRequired, total=False):
    """A template rendered with personalisation, from ``post_template_preview``."""

    html: str | None
    subject: str | None
    postage: str | None


class FileUpload(TypedDict):
    """A file prepared by ``prepare_upload``, to be put in personalisation."""

    file: str
    filename: str | None
    confirm_email_before_download: bool | None
    retention_period: str | None


class ErrorEntry(TypedDict):
    """One entry of Notify's error list, as found in ``HTTPError.message``."""

    error: str
    message: str


class ErrorBody(TypedDict):
    """The JSON body of a Notify error response."""

    status_code: int
    errors: list[ErrorEntry]
