"""Searching what was sent by any word of it: the inbox's search box and the admin API's ``q``.

A phone number matches as Notify normalises it; anything else is looked for, without regard to
case, in the recipient, the reference, the template's id and name, the subject and the body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from notifications_python_client.simulator.api.recipient_filter import phone_number
from notifications_python_client.simulator.domain.models import Notification
from notifications_python_client.simulator.domain.sent_message import recipient_of

__all__ = ["text_test"]


def text_test(
    text: str, template_names: Mapping[str, str]
) -> Callable[[Notification], bool] | None:
    """The test of a notification against the search ``text``; None when ``text`` is blank.

    :param template_names: each template's name by its id, so a template can be found by name.
    """
    wanted = text.strip().casefold()
    if not wanted:
        return None
    number = phone_number(wanted)

    def matches(n: Notification) -> bool:
        if number is not None and n.normalised_to == number:
            return True
        fields = (
            recipient_of(n),
            n.reference or "",
            n.template_id,
            template_names.get(n.template_id, ""),
            n.subject or "",
            n.body,
        )
        return any(wanted in field.casefold() for field in fields)

    return matches
