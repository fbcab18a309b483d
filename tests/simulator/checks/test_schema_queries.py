"""Validation messages for query strings, in Notify's order.

Behaviour: Request bodies; List filters; Listing templates; Received text messages.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from notifications_python_client.simulator.checks.schema import (
    notifications_query_errors,
    received_texts_query_errors,
    templates_query_errors,
)

NOTIFICATION_ID = "3d1ce039-5476-414c-99b2-fac1e6add62c"
STATUSES = (
    "cancelled, created, sending, sent, delivered, pending, failed, technical-failure, "
    "temporary-failure, permanent-failure, pending-virus-check, validation-failed, "
    "virus-scan-failed, returned-letter, accepted, received"
)


def params(query: str) -> list[tuple[str, str]]:
    """A query string as the app hands it over."""
    return parse_qsl(query, keep_blank_values=True)


def bad_status(value: str) -> str:
    return f"status {value} is not one of [{STATUSES}]"


def bad_template_type(value: str) -> str:
    return f"template_type {value} is not one of [sms, email, letter]"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=" + "&status=".join(STATUSES.split(", ")),
        "template_type=sms&template_type=email&template_type=letter",
        "reference=anything at all&reference=",
        f"older_than={NOTIFICATION_ID}",
        f"older_than={{{NOTIFICATION_ID.upper()}}}",
        "include_jobs=true",
        "include_jobs=True",
        f"status=failed&template_type=letter&reference=r&older_than={NOTIFICATION_ID}"
        "&include_jobs=true",
    ],
)
def test_notifications_queries_accepted(query: str) -> None:
    assert notifications_query_errors(params(query)) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=nope", [bad_status("nope")]),
        ("status=", [bad_status("")]),
        ("status=Delivered", [bad_status("Delivered")]),
        ("status=it%27s", [bad_status('"its"')]),
        ("template_type=push", [bad_template_type("push")]),
        ("template_type=SMS", [bad_template_type("SMS")]),
        ("older_than=nope", ["older_than is not a valid UUID"]),
        ("older_than=", ["older_than is not a valid UUID"]),
        ("include_jobs=yes", ["include_jobs yes is not one of [true, True]"]),
        ("include_jobs=TRUE", ["include_jobs TRUE is not one of [true, True]"]),
        ("include_jobs=", ["include_jobs  is not one of [true, True]"]),
        ("page_size=10", ["Additional properties are not allowed (page_size was unexpected)"]),
        ("Status=sent", ["Additional properties are not allowed (Status was unexpected)"]),
    ],
)
def test_notifications_query_rows(query: str, expected: list[str]) -> None:
    assert notifications_query_errors(params(query)) == expected


def test_each_bad_status_once_in_order_of_first_appearance() -> None:
    query = "status=b&status=sent&status=a&status=b&status=a&status=delivered"
    assert notifications_query_errors(params(query)) == [bad_status("b"), bad_status("a")]


def test_each_bad_template_type_once() -> None:
    query = "template_type=push&template_type=sms&template_type=fax&template_type=push"
    assert notifications_query_errors(params(query)) == [
        bad_template_type("push"),
        bad_template_type("fax"),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"older_than={NOTIFICATION_ID}&older_than=nope", []),
        (f"older_than=nope&older_than={NOTIFICATION_ID}", ["older_than is not a valid UUID"]),
        ("include_jobs=true&include_jobs=no", []),
        ("include_jobs=no&include_jobs=true", ["include_jobs no is not one of [true, True]"]),
    ],
)
def test_only_the_first_occurrence_of_single_parameters_counts(
    query: str, expected: list[str]
) -> None:
    assert notifications_query_errors(params(query)) == expected


def test_notifications_query_order() -> None:
    query = (
        "zeta=1&include_jobs=no&older_than=x&alpha=2&template_type=fax&status=x&status=y"
        "&reference=r&zeta=3"
    )
    assert notifications_query_errors(params(query)) == [
        bad_status("x"),
        bad_status("y"),
        bad_template_type("fax"),
        "older_than is not a valid UUID",
        "include_jobs no is not one of [true, True]",
        "Additional properties are not allowed (alpha, zeta were unexpected)",
    ]


@pytest.mark.parametrize("query", ["", "type=sms", "type=email", "type=letter", "type=sms&type=x"])
def test_templates_queries_accepted(query: str) -> None:
    assert templates_query_errors(params(query)) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=push", ["type push is not one of [sms, email, letter]"]),
        ("type=", ["type  is not one of [sms, email, letter]"]),
        ("type=x&type=sms", ["type x is not one of [sms, email, letter]"]),
        (
            "template_type=sms",
            ["Additional properties are not allowed (template_type was unexpected)"],
        ),
        (
            "page=2&type=Letter&older_than=x",
            [
                "type Letter is not one of [sms, email, letter]",
                "Additional properties are not allowed (older_than, page were unexpected)",
            ],
        ),
    ],
)
def test_templates_query_rows(query: str, expected: list[str]) -> None:
    assert templates_query_errors(params(query)) == expected


@pytest.mark.parametrize(
    "query",
    ["", f"older_than={NOTIFICATION_ID}", f"older_than={NOTIFICATION_ID}&older_than=x"],
)
def test_received_texts_queries_accepted(query: str) -> None:
    assert received_texts_query_errors(params(query)) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("older_than=x", ["older_than is not a valid UUID"]),
        (f"older_than=x&older_than={NOTIFICATION_ID}", ["older_than is not a valid UUID"]),
        ("page_size=1", ["Additional properties are not allowed (page_size was unexpected)"]),
        (
            "status=x&older_than=&reference=r",
            [
                "older_than is not a valid UUID",
                "Additional properties are not allowed (reference, status were unexpected)",
            ],
        ),
    ],
)
def test_received_texts_query_rows(query: str, expected: list[str]) -> None:
    assert received_texts_query_errors(params(query)) == expected
