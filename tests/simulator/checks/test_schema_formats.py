"""The format checks behind Notify's schemas: https URLs, ``scheduled_for`` and their wording."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications_python_client.simulator.checks.schema_formats import (
    SCHEDULED_FOR_IN_PAST,
    SCHEDULED_FOR_INVALID,
    SCHEDULED_FOR_TOO_LATE,
    FormatWording,
    check_scheduled_for,
    format_checker,
    is_https_url,
    parse_iso_8601,
)

UTC = dt.timezone.utc
NOW = dt.datetime(2024, 5, 17, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "https://example.com/unsubscribe?id=1&token=a%2Fb#top",
        "https://user:pa$$@example.com:8443/a/b/",
        "https://example.com:/empty-port",
        "https://[::1]/ipv6",
        "https://[2001:db8::ff00:42:8329]:443/",
        "https://[::ffff:192.0.2.1]/",
        "https://[v7.fe80:zone]/ipvfuture",
        "https://192.0.2.1/",
        "https:foo",
        "httpsx://a",
        "https+git://a",
        "https:",
        "https:/only-a-path",
        "https://",
        "https://a/b?c=/d?e#f/g?h",
        "https://a/!$&'()*+,;=:@~_.-",
    ],
)
def test_https_urls_accepted(url: str) -> None:
    assert is_https_url(url) is True


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://example.com",
        "HTTPS://example.com",
        "Https://example.com",
        "ftp://example.com",
        "example.com",
        "//example.com",
        "https://exa mple.com",
        "https://example.com/a b",
        " https://example.com",
        "https://example.com\n",
        "https://exämple.com",
        "https://example.com/caf\u00e9",
        "https://example.com/%2",
        "https://example.com/%zz",
        "https://example.com:80a/",
        "https://[::1%25eth0]/",
        "https://[not-an-address]/",
        "https://[::1/",
        "https://example.com/<script>",
        'https://example.com/"quoted"',
        "https://example.com/a#b#c",
        "https://example.com/{x}",
        "https://example.com/back\\slash",
        "https:foo|bar",
    ],
)
def test_https_urls_refused(url: str) -> None:
    assert is_https_url(url) is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-17T13:30:15.123456Z", dt.datetime(2024, 5, 17, 13, 30, 15, 123456, tzinfo=UTC)),
        ("2024-05-17T13:30:15.1234567", dt.datetime(2024, 5, 17, 13, 30, 15, 123456, tzinfo=UTC)),
        ("2024-05-17T13:30:15,5", dt.datetime(2024, 5, 17, 13, 30, 15, 500000, tzinfo=UTC)),
        ("2024-05-17 13:30", dt.datetime(2024, 5, 17, 13, 30, tzinfo=UTC)),
        ("2024-05-17T13", dt.datetime(2024, 5, 17, 13, tzinfo=UTC)),
        ("2024-05-17", dt.datetime(2024, 5, 17, tzinfo=UTC)),
        ("20240517T133015Z", dt.datetime(2024, 5, 17, 13, 30, 15, tzinfo=UTC)),
        ("2024-05-17T14:30:00+01:00", dt.datetime(2024, 5, 17, 13, 30, tzinfo=UTC)),
        ("2024-05-17T12:00:00-0130", dt.datetime(2024, 5, 17, 13, 30, tzinfo=UTC)),
        ("2024-05-17T15:30:00+02", dt.datetime(2024, 5, 17, 13, 30, tzinfo=UTC)),
    ],
)
def test_iso_8601_forms(text: str, expected: dt.datetime) -> None:
    assert parse_iso_8601(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorrow",
        "17/05/2024 13:00",
        "2024-05",
        "2024-0517",
        "2024-13-01T00:00:00",
        "2024-02-30T00:00:00",
        "2024-05-17T24:00:00",
        "2024-05-17T23:59:60",
        "2024-05-17T12:00:00+24:00",
        "2024-05-17T12:00:00 ",
        "2024-05-17Z",
        "2024-05-17t12:00:00z",
        "２０２４-05-17",
    ],
)
def test_iso_8601_refusals(text: str) -> None:
    with pytest.raises(ValueError):
        parse_iso_8601(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not a date", SCHEDULED_FOR_INVALID),
        ("2024-05-17T11:59:59Z", SCHEDULED_FOR_IN_PAST),
        ("2024-05-17", SCHEDULED_FOR_IN_PAST),
        ("2024-05-17T12:30:00+01:00", SCHEDULED_FOR_IN_PAST),
        ("2024-05-18T12:00:00.000001Z", SCHEDULED_FOR_TOO_LATE),
        ("2024-05-19", SCHEDULED_FOR_TOO_LATE),
    ],
)
def test_scheduled_for_refusals(text: str, message: str) -> None:
    with pytest.raises(FormatWording) as caught:
        check_scheduled_for(text, NOW)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text",
    ["2024-05-17T12:00:00Z", "2024-05-17T18:00", "2024-05-18", "2024-05-18T12:00:00Z"],
)
def test_scheduled_for_within_the_next_day(text: str) -> None:
    check_scheduled_for(text, NOW)


def test_scheduled_for_messages_are_notifys_text() -> None:
    assert SCHEDULED_FOR_INVALID == (
        "datetime format is invalid. It must be a valid ISO8601 date time format, "
        "https://en.wikipedia.org/wiki/ISO_8601"
    )
    assert SCHEDULED_FOR_IN_PAST == "datetime can not be in the past"
    assert SCHEDULED_FOR_TOO_LATE == "datetime can only be 24 hours in the future"


def test_checker_without_a_time_leaves_scheduled_for_alone() -> None:
    assert format_checker().conforms("yesterday", "datetime_within_next_day") is True
    assert format_checker(NOW).conforms("yesterday", "datetime_within_next_day") is False


@pytest.mark.parametrize(
    "name",
    ["uuid", "https_url", "phone_number", "email_address", "postage", "datetime_within_next_day"],
)
@pytest.mark.parametrize("value", [None, 5, 1.5, True, [], {}])
def test_every_check_passes_non_strings(name: str, value: object) -> None:
    assert format_checker(NOW).conforms(value, name) is True


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("uuid", "3d1ce039-5476-414c-99b2-fac1e6add62c", "3d1ce039"),
        ("https_url", "https://example.com", "http://example.com"),
        ("phone_number", "07700 900123", "07700 90012a"),
        ("email_address", "amala@example.com", "amala@example"),
        ("postage", "economy", "europe"),
        ("datetime_within_next_day", "2024-05-17T13:00:00Z", "2024-05-17T11:00:00Z"),
    ],
)
def test_each_check_on_strings(name: str, good: str, bad: str) -> None:
    checker = format_checker(NOW)
    assert checker.conforms(good, name) is True
    assert checker.conforms(bad, name) is False
