"""The Notify v2 API, one method per endpoint: send messages, read statuses, templates and texts."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from notifications_python_client.base import BaseAPIClient
from notifications_python_client.paging import iterate_pages
from notifications_python_client.sansio import endpoints
from notifications_python_client.types import (
    EmailNotificationResponse,
    LetterNotificationResponse,
    Notification,
    NotificationsPage,
    PrecompiledLetterResponse,
    ReceivedTextMessage,
    ReceivedTextsPage,
    SmsNotificationResponse,
    Template,
    TemplatePreview,
    TemplatesPage,
)
from notifications_python_client.utils import BinaryReadable

__all__ = ["BaseAPIClient", "NotificationsAPIClient"]

Personalisation = Mapping[str, Any]


class NotificationsAPIClient(BaseAPIClient):
    """A client for the GOV.UK Notify API (see ``BaseAPIClient`` for its constructor).

    Every method raises ``HTTPError`` (a connection error, a timeout or a 4xx/5xx status; the
    ``.status_code`` and ``.message`` say which) and ``InvalidResponse`` (a 2xx that is not JSON).
    """

    def send_sms_notification(
        self,
        phone_number: str,
        template_id: str,
        personalisation: Personalisation | None = None,
        reference: str | None = None,
        sms_sender_id: str | None = None,
    ) -> SmsNotificationResponse:
        """Send a text message.

        :param phone_number: the recipient, UK or international.
        :param template_id: the ID of a text message template.
        :param personalisation: values for the template's placeholders.
        :param reference: your identifier for this message or batch (no personal data).
        :param sms_sender_id: which of the service's senders to use, instead of the default.
        :raises HTTPError: 400 for a bad number, template or personalisation, 403 for a
            refused key, 429 over a rate or daily limit.
        """
        call = endpoints.send_sms(
            phone_number, template_id, personalisation, reference, sms_sender_id
        )
        return cast(SmsNotificationResponse, self._call(call))

    def send_email_notification(
        self,
        email_address: str,
        template_id: str,
        personalisation: Personalisation | None = None,
        reference: str | None = None,
        email_reply_to_id: str | None = None,
        one_click_unsubscribe_url: str | None = None,
        sanitise_content_for: Sequence[str] | None = None,
    ) -> EmailNotificationResponse:
        """Send an email.

        :param email_address: the recipient.
        :param template_id: the ID of an email template.
        :param personalisation: values for the template's placeholders; files from
            ``prepare_upload`` go here.
        :param reference: your identifier for this message or batch (no personal data).
        :param email_reply_to_id: which of the service's reply-to addresses to use.
        :param one_click_unsubscribe_url: a URL that unsubscribes the recipient when POSTed to.
        :param sanitise_content_for: personalisation keys whose values come from the public:
            Notify removes links from them and escapes Markdown (passed as given).
        :raises HTTPError: 400 for a bad address, template, personalisation or file, 403 for
            a refused key, 429 over a rate or daily limit.
        """
        call = endpoints.send_email(
            email_address,
            template_id,
            personalisation,
            reference,
            email_reply_to_id,
            one_click_unsubscribe_url,
            sanitise_content_for,
        )
        return cast(EmailNotificationResponse, self._call(call))

    def send_letter_notification(
        self,
        template_id: str,
        personalisation: Personalisation,
        reference: str | None = None,
    ) -> LetterNotificationResponse:
        """Send a letter made from a template.

        :param template_id: the ID of a letter template.
        :param personalisation: the address (``address_line_1`` to ``address_line_7``, at least
            three lines) and the template's other placeholders.
        :param reference: your identifier for this letter or batch (no personal data).
        :raises HTTPError: 400 for a bad address or personalisation, or in trial mode; 403
            for a team key; 429 over a rate or daily limit.
        """
        call = endpoints.send_letter(template_id, personalisation, reference)
        return cast(LetterNotificationResponse, self._call(call))

    def send_precompiled_letter_notification(
        self,
        reference: str,
        pdf_file: BinaryReadable,
        postage: str | None = None,
    ) -> PrecompiledLetterResponse:
        """Send a letter from a PDF you made.

        :param reference: your identifier for this letter (required here; no personal data).
        :param pdf_file: the PDF, opened in binary mode (``"rb"``).
        :param postage: ``"first"``, ``"second"`` (the default) or ``"economy"``.
        :raises TypeError: ``pdf_file`` is not a binary file-like object.
        :raises HTTPError: 400 for a file that is not a PDF or a bad postage; 403 for a team
            key; 429 over a rate or daily limit.
        """
        call = endpoints.send_precompiled_letter(reference, pdf_file, postage)
        return cast(PrecompiledLetterResponse, self._call(call))

    def get_notification_by_id(self, id: str) -> Notification:
        """One message and its status, while it is within the retention period (7 days).

        :param id: the notification ID returned when it was sent.
        :raises HTTPError: 400 for an ID that is not a UUID, 404 when there is no such message.
        """
        return cast(Notification, self._call(endpoints.get_notification_by_id(id)))

    def get_pdf_for_letter(self, id: str) -> io.BytesIO:
        """The PDF of a letter, as Notify will print it.

        :param id: the letter's notification ID.
        :returns: the raw PDF bytes.
        :raises HTTPError: among others 400 ``PDFNotReadyError`` while it is being made.
        """
        return io.BytesIO(self._call(endpoints.get_pdf_for_letter(id)))

    def get_all_notifications(
        self,
        status: str | None = None,
        template_type: str | None = None,
        reference: str | None = None,
        older_than: str | None = None,
        include_jobs: bool | None = None,
    ) -> NotificationsPage:
        """One page of up to 250 messages, newest first, filtered by the given values.

        :param status: e.g. ``"delivered"``; ``"failed"`` covers the three failure statuses.
        :param template_type: ``"email"``, ``"sms"`` or ``"letter"``.
        :param reference: the reference given when sending.
        :param older_than: a notification ID: the page starts after it.
        :param include_jobs: include messages sent by uploading a spreadsheet.
        :raises HTTPError: 400 for an unknown status or template type.
        """
        call = endpoints.get_all_notifications(
            status, template_type, reference, older_than, include_jobs
        )
        return cast(NotificationsPage, self._call(call))

    def get_all_notifications_iterator(
        self,
        status: str | None = None,
        template_type: str | None = None,
        reference: str | None = None,
        older_than: str | None = None,
    ) -> Iterator[Notification]:
        """Every message matching the filters, one at a time, fetching pages as needed.

        Takes the same filters as ``get_all_notifications``.

        :raises HTTPError: as ``get_all_notifications``, when the page that fails is reached.
        """

        def fetch_page(cursor: str | None) -> NotificationsPage:
            return self.get_all_notifications(
                status=status, template_type=template_type, reference=reference, older_than=cursor
            )

        yield from iterate_pages(fetch_page, endpoints.NOTIFICATIONS_KEY, older_than)

    def get_received_texts(self, older_than: str | None = None) -> ReceivedTextsPage:
        """One page of up to 250 text messages sent to the service, newest first.

        :param older_than: a received text message ID: the page starts after it.
        :raises HTTPError: 403 for a refused key.
        """
        return cast(ReceivedTextsPage, self._call(endpoints.get_received_texts(older_than)))

    def get_received_texts_iterator(
        self, older_than: str | None = None
    ) -> Iterator[ReceivedTextMessage]:
        """Every received text message, one at a time, fetching pages as needed.

        :param older_than: a received text message ID to start after.
        :raises HTTPError: as ``get_received_texts``, when the page that fails is reached.
        """
        yield from iterate_pages(self.get_received_texts, endpoints.RECEIVED_TEXTS_KEY, older_than)

    def get_template(self, template_id: str) -> Template:
        """The latest version of a template.

        :param template_id: the template's ID.
        :raises HTTPError: 400 for an ID that is not a UUID, 404 when there is no such template.
        """
        return cast(Template, self._call(endpoints.get_template(template_id)))

    def get_template_version(self, template_id: str, version: int) -> Template:
        """One version of a template.

        :param template_id: the template's ID.
        :param version: the version number, from 1.
        :raises HTTPError: 404 when there is no such template or version.
        """
        return cast(Template, self._call(endpoints.get_template_version(template_id, version)))

    def get_all_templates(self, template_type: str | None = None) -> TemplatesPage:
        """The latest version of every template, or of those of one type.

        :param template_type: ``"email"``, ``"sms"`` or ``"letter"``; all types when omitted.
        :raises HTTPError: 400 for an unknown template type.
        """
        return cast(TemplatesPage, self._call(endpoints.get_all_templates(template_type)))

    def post_template_preview(
        self, template_id: str, personalisation: Personalisation
    ) -> TemplatePreview:
        """A template rendered with the given placeholder values, without sending anything.

        :param template_id: the template's ID.
        :param personalisation: values for its placeholders (extra keys are ignored).
        :raises HTTPError: 400 for missing personalisation, 404 when there is no such template.
        """
        call = endpoints.post_template_preview(template_id, personalisation)
        return cast(TemplatePreview, self._call(call))

    def get_all_template_versions(self, template_id: str) -> dict[str, Any]:
        """Every version of a template, through an older, non-v2 route.

        Kept for compatibility: the URL is relative (no leading slash), so it is joined onto
        ``base_url``'s path, and Notify refuses it for service API keys.

        :param template_id: the template's ID.
        :raises HTTPError: 401 from Notify itself, as the route is for its admin app only.
        """
        call = endpoints.get_all_template_versions(self.service_id, template_id)
        return cast(dict[str, Any], self._call(call))
