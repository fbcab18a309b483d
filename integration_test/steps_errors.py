"""Steps that expect Notify to refuse: the errors users most often meet."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from integration_test.runner import Step, StepFailed, check
from integration_test.steps_send import RunState
from notifications_python_client.errors import HTTPError


def expect_error(
    call: Callable[[], Any], status_code: int, error: str, message_start: str
) -> HTTPError:
    """Run ``call`` and check it fails with this status, error name and message."""
    try:
        call()
    except HTTPError as raised:
        check(raised.status_code == status_code, f"status {raised.status_code}, not {status_code}")
        errors = raised.message if isinstance(raised.message, list) else []
        check(len(errors) == 1, f"expected one error, got {raised.message!r}")
        check(errors[0].get("error") == error, f"error is {errors[0].get('error')!r}")
        check(
            str(errors[0].get("message", "")).startswith(message_start),
            f"message is {errors[0].get('message')!r}",
        )
        return raised
    raise StepFailed(f"expected {status_code} {error}, but the call succeeded")


def wrong_template_id(state: RunState) -> None:
    expect_error(
        lambda: state.clients.test.send_sms_notification(
            phone_number=state.config.functional_test_number, template_id=str(uuid.uuid4())
        ),
        400,
        "BadRequestError",
        "Template not found",
    )


def missing_placeholder(state: RunState) -> None:
    template = state.template("sms")
    check(bool(template["personalisation"]), "the SMS template has no placeholder to leave out")
    expect_error(
        lambda: state.clients.test.send_sms_notification(
            phone_number=state.config.functional_test_number,
            template_id=state.config.sms_template_id,
            personalisation={},
        ),
        400,
        "BadRequestError",
        "Missing personalisation: ",
    )


def unknown_key(state: RunState) -> None:
    expect_error(
        lambda: state.clients.unknown_key.get_all_templates(),
        403,
        "AuthError",
        "Invalid token: API key not found",
    )


def legacy_template_versions(state: RunState) -> None:
    """The legacy method calls an admin-only route, which Notify refuses to service keys."""
    try:
        state.clients.test.get_all_template_versions(state.config.sms_template_id)
    except HTTPError as raised:
        check(raised.status_code == 401, f"status {raised.status_code}, not 401")
        return
    raise StepFailed("the admin-only template versions route answered a service key")


def error_steps(state: RunState) -> list[Step]:
    """The expected failures."""
    return [
        ("wrong template id is refused", lambda: wrong_template_id(state)),
        ("missing placeholder is refused", lambda: missing_placeholder(state)),
        ("unknown API key is refused", lambda: unknown_key(state)),
        ("legacy template versions route is refused", lambda: legacy_template_versions(state)),
    ]
