"""Each `notify` command against a mocked Notify: the request it sends and what it prints.

The simulator tests (``test_cli_simulator.py``) run the same commands over a real socket; these
pin the exact requests.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import requests_mock
from cli_support import (
    API,
    CLEAR,
    KEY,
    NOTIFICATION_ID,
    TEMPLATE_ID,
    FakeClock,
    assert_signed,
    notify,
)


def sent_response(kind: str) -> dict[str, Any]:
    return {"id": NOTIFICATION_ID, "reference": None, "content": {"body": "Hi"}, "type": kind}


def test_send_sms_with_every_option(requests_mock: requests_mock.Mocker) -> None:
    requests_mock.post(f"{API}/v2/notifications/sms", json=sent_response("sms"), status_code=201)

    result = notify(
        "send", "sms", "07700900123", TEMPLATE_ID,
        "--personalisation", '{"name": "Amala", "items": ["a"]}',
        "--set", "day=Monday",
        "--reference", "ref-1",
        "--sms-sender-id", "8e222534-7f05-4972-86e3-17c5d9f894e2",
    )  # fmt: skip

    assert (result.code, result.err) == (0, "")
    assert result.json == sent_response("sms")
    assert requests_mock.last_request.json() == {
        "phone_number": "07700900123",
        "template_id": TEMPLATE_ID,
        "personalisation": {"name": "Amala", "items": ["a"], "day": "Monday"},
        "reference": "ref-1",
        "sms_sender_id": "8e222534-7f05-4972-86e3-17c5d9f894e2",
    }
    assert_signed(requests_mock.last_request)


def test_send_sms_without_options_sends_only_what_is_required(
    requests_mock: requests_mock.Mocker,
) -> None:
    requests_mock.post(f"{API}/v2/notifications/sms", json=sent_response("sms"), status_code=201)

    assert notify("send", "sms", "07700900123", TEMPLATE_ID).code == 0
    assert requests_mock.last_request.json() == {
        "phone_number": "07700900123",
        "template_id": TEMPLATE_ID,
    }


def test_send_email_with_an_attachment_and_every_option(
    requests_mock: requests_mock.Mocker, tmp_path: Path
) -> None:
    report = tmp_path / "report.csv"
    report.write_bytes(b"a,b\n")
    requests_mock.post(
        f"{API}/v2/notifications/email", json=sent_response("email"), status_code=201
    )

    result = notify(
        "send", "email", "amala@example.com", TEMPLATE_ID,
        "--set", "name=Amala",
        "--attach", f"link={report};filename=Report.csv;confirm=no;retention=4 weeks",
        "--reference", "ref-2",
        "--email-reply-to-id", "ca4fdde7-2a67-4a6c-8393-62aa7245751f",
        "--unsubscribe-url", "https://example.com/unsubscribe?u=1",
        "--sanitise", "name", "--sanitise", "other",
        "--output", "table",
    )  # fmt: skip

    assert (result.code, result.err) == (0, "")
    assert requests_mock.last_request.json() == {
        "email_address": "amala@example.com",
        "template_id": TEMPLATE_ID,
        "personalisation": {
            "name": "Amala",
            "link": {
                "file": base64.b64encode(b"a,b\n").decode("ascii"),
                "filename": "Report.csv",
                "confirm_email_before_download": False,
                "retention_period": "4 weeks",
            },
        },
        "reference": "ref-2",
        "email_reply_to_id": "ca4fdde7-2a67-4a6c-8393-62aa7245751f",
        "one_click_unsubscribe_url": "https://example.com/unsubscribe?u=1",
        "sanitise_content_for": ["name", "other"],
    }
    assert f"id            {NOTIFICATION_ID}" in result.out.splitlines()


def test_send_letter_with_personalisation_from_a_file(
    requests_mock: requests_mock.Mocker, tmp_path: Path
) -> None:
    address = tmp_path / "address.json"
    address.write_text('{"address_line_1": "A", "address_line_2": "B"}', encoding="utf-8")
    requests_mock.post(
        f"{API}/v2/notifications/letter", json=sent_response("letter"), status_code=201
    )

    result = notify(
        "send", "letter", TEMPLATE_ID, "--personalisation", f"@{address}",
        "--set", "address_line_3=SW1A 1AA", "--reference", "ref-3",
    )  # fmt: skip

    assert result.code == 0
    assert requests_mock.last_request.json() == {
        "template_id": TEMPLATE_ID,
        "personalisation": {
            "address_line_1": "A",
            "address_line_2": "B",
            "address_line_3": "SW1A 1AA",
        },
        "reference": "ref-3",
    }


def test_send_precompiled_letter(requests_mock: requests_mock.Mocker, tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(b"%PDF-1.7 letter")
    body = {"id": NOTIFICATION_ID, "reference": "ref-4", "postage": "first"}
    requests_mock.post(f"{API}/v2/notifications/letter", json=body, status_code=201)

    result = notify("send", "precompiled-letter", "ref-4", str(pdf), "--postage", "first")

    assert (result.code, result.json) == (0, body)
    assert requests_mock.last_request.json() == {
        "reference": "ref-4",
        "content": base64.b64encode(b"%PDF-1.7 letter").decode("ascii"),
        "postage": "first",
    }


def test_every_file_or_json_can_come_from_standard_input(
    requests_mock: requests_mock.Mocker,
) -> None:
    body = {"id": NOTIFICATION_ID, "reference": "ref-4", "postage": "second"}
    requests_mock.post(f"{API}/v2/notifications/letter", json=body, status_code=201)
    requests_mock.post(
        f"{API}/v2/notifications/email", json={"id": NOTIFICATION_ID}, status_code=201
    )
    requests_mock.post(f"{API}/v2/notifications/sms", json={"id": NOTIFICATION_ID}, status_code=201)

    pdf = notify("send", "precompiled-letter", "ref-4", "-", stdin=b"%PDF-1.7 letter")
    personalised = notify("send", "sms", "07700900123", TEMPLATE_ID, "--personalisation", "@-",
                          stdin=b'{"name": "Amala"}')  # fmt: skip
    attached = notify("send", "email", "a@example.com", TEMPLATE_ID, "--attach", "doc=-",
                      stdin=b"%PDF-1.7 file")  # fmt: skip

    assert [pdf.code, personalised.code, attached.code] == [0, 0, 0]
    letter, sms, email = [r.json() for r in requests_mock.request_history]
    assert letter["content"] == base64.b64encode(b"%PDF-1.7 letter").decode("ascii")
    assert sms["personalisation"] == {"name": "Amala"}
    assert email["personalisation"]["doc"]["file"] == base64.b64encode(b"%PDF-1.7 file").decode()


def test_the_api_key_can_come_from_standard_input(requests_mock: requests_mock.Mocker) -> None:
    requests_mock.get(f"{API}/v2/notifications/{NOTIFICATION_ID}", json={"id": NOTIFICATION_ID})

    result = notify("status", NOTIFICATION_ID, "--api-key-file", "-",
                    environ={"NOTIFY_API_URL": API}, stdin=f"{KEY}\n".encode())  # fmt: skip

    assert result.code == 0
    assert_signed(requests_mock.last_request)


def test_standard_input_can_be_read_by_one_option_only(
    requests_mock: requests_mock.Mocker,
) -> None:
    result = notify("send", "sms", "07700900123", TEMPLATE_ID, "--personalisation", "@-",
                    "--api-key-file", "-", stdin=b"{}")  # fmt: skip

    assert result.code == 2
    assert "both name - (standard input), which can be read only once" in result.err
    assert requests_mock.call_count == 0


def test_status(requests_mock: requests_mock.Mocker) -> None:
    body = {"id": NOTIFICATION_ID, "status": "sending"}
    requests_mock.get(f"{API}/v2/notifications/{NOTIFICATION_ID}", json=body)

    result = notify("status", NOTIFICATION_ID)

    assert (result.code, result.json, result.err) == (0, body, "")
    assert requests_mock.last_request.body is None


def statuses(requests_mock: requests_mock.Mocker, *names: str) -> None:
    requests_mock.get(
        f"{API}/v2/notifications/{NOTIFICATION_ID}",
        [{"json": {"id": NOTIFICATION_ID, "status": name}} for name in names],
    )


def test_status_wait_polls_until_final_and_shows_progress(
    requests_mock: requests_mock.Mocker,
) -> None:
    statuses(requests_mock, "created", "sending", "delivered")
    clock = FakeClock()

    result = notify("status", NOTIFICATION_ID, "--wait", terminal=True, clock=clock)

    assert (result.code, result.json["status"]) == (0, "delivered")
    assert clock.sleeps == [5, 5]
    assert requests_mock.call_count == 3
    assert result.err == (
        f"{CLEAR}notify: status created after 0s; checking again in 5s"
        f"{CLEAR}notify: status sending after 5s; checking again in 5s"
        f"{CLEAR}notify: status delivered after 10s\n"
    )


def test_status_wait_is_quiet_when_stderr_is_not_a_terminal(
    requests_mock: requests_mock.Mocker,
) -> None:
    statuses(requests_mock, "sending", "permanent-failure")

    result = notify("status", NOTIFICATION_ID, "--wait", "--poll-every", "0.5")

    # A failure is still a final status: the command did its job, the JSON says how it went.
    assert (result.code, result.json["status"], result.err) == (0, "permanent-failure", "")


def test_status_wait_gives_up_at_the_limit(requests_mock: requests_mock.Mocker) -> None:
    statuses(requests_mock, *["sending"] * 5)
    clock = FakeClock()

    result = notify(
        "status", NOTIFICATION_ID, "--wait", "--wait-limit", "12", "--poll-every", "5", clock=clock
    )

    assert result.code == 4
    assert clock.sleeps == [5, 5, 2]
    assert result.json["status"] == "sending"
    assert result.err == "notify: gave up waiting after 12s: status is still sending\n"


def test_status_wait_that_is_interrupted(requests_mock: requests_mock.Mocker) -> None:
    statuses(requests_mock, "sending")

    class Impatient(FakeClock):
        def sleep(self, seconds: float) -> None:
            raise KeyboardInterrupt

    result = notify("status", NOTIFICATION_ID, "--wait", clock=Impatient())

    assert (result.code, result.out, result.err) == (130, "", "notify: interrupted\n")


@pytest.mark.parametrize("option", ["--wait-limit", "--poll-every"])
def test_status_wait_rejects_bad_durations(
    requests_mock: requests_mock.Mocker, option: str
) -> None:
    result = notify("status", NOTIFICATION_ID, "--wait", option, "0")

    assert result.code == 2
    assert result.err == f"notify: {option} must be more than 0 seconds, not '0'\n"
    assert requests_mock.call_count == 0


def test_list_sends_every_filter(requests_mock: requests_mock.Mocker) -> None:
    page = {"notifications": [{"id": NOTIFICATION_ID}], "links": {"current": "x"}}
    requests_mock.get(f"{API}/v2/notifications", json=page)

    result = notify(
        "list", "--status", "failed", "--type", "sms", "--reference", "ref",
        "--older-than", TEMPLATE_ID, "--include-jobs",
    )  # fmt: skip

    assert (result.code, result.json) == (0, page)
    assert requests_mock.last_request.qs == {
        "status": ["failed"],
        "template_type": ["sms"],
        "reference": ["ref"],
        "older_than": [TEMPLATE_ID],
        "include_jobs": ["true"],
    }


def notification(number: int) -> dict[str, Any]:
    return {"id": f"00000000-0000-4000-8000-{number:012d}", "type": "sms", "status": "delivered"}


def two_pages(requests_mock: requests_mock.Mocker, url: str, key: str) -> None:
    next_page = f"{url}?older_than={notification(2)['id']}"
    requests_mock.get(
        url,
        [
            {"json": {key: [notification(1), notification(2)], "links": {"next": next_page}}},
            {"json": {key: [notification(3)], "links": {}}},
        ],
    )


def test_list_all_streams_json_lines_across_pages(requests_mock: requests_mock.Mocker) -> None:
    two_pages(requests_mock, f"{API}/v2/notifications", "notifications")

    result = notify("list", "--all", "--type", "sms", terminal=True)

    assert result.code == 0
    assert [json.loads(line) for line in result.out.splitlines()] == [
        notification(1),
        notification(2),
        notification(3),
    ]
    assert [r.qs for r in requests_mock.request_history] == [
        {"template_type": ["sms"]},
        {"template_type": ["sms"], "older_than": [notification(2)["id"]]},
    ]
    assert result.err.endswith(f"{CLEAR}notify: 3 notifications\n")


def test_list_all_with_jobs_pages_through_links_next(requests_mock: requests_mock.Mocker) -> None:
    two_pages(requests_mock, f"{API}/v2/notifications", "notifications")

    result = notify("list", "--all", "--include-jobs", "--output", "table")

    lines = result.out.splitlines()
    assert (result.code, len(lines)) == (0, 4)
    assert lines[0].split()[:3] == ["ID", "TYPE", "STATUS"]
    assert [r.qs for r in requests_mock.request_history] == [
        {"include_jobs": ["true"]},
        {"include_jobs": ["true"], "older_than": [notification(2)["id"]]},
    ]


def test_list_all_with_jobs_stops_when_the_server_repeats_a_page(
    requests_mock: requests_mock.Mocker,
) -> None:
    url = f"{API}/v2/notifications"
    same_page = f"{url}?older_than={notification(2)['id']}"
    page = {"notifications": [notification(1), notification(2)], "links": {"next": same_page}}
    requests_mock.get(url, json=page)

    result = notify("list", "--all", "--include-jobs")

    assert (result.code, len(result.out.splitlines())) == (0, 4)
    assert len(requests_mock.request_history) == 2


def test_pdf_to_a_file(requests_mock: requests_mock.Mocker, tmp_path: Path) -> None:
    requests_mock.get(f"{API}/v2/notifications/{NOTIFICATION_ID}/pdf", content=b"%PDF-1.7 bytes")
    target = tmp_path / "letter.pdf"

    result = notify("pdf", NOTIFICATION_ID, "-o", str(target))

    assert result.code == 0
    assert target.read_bytes() == b"%PDF-1.7 bytes"
    assert result.json == {"id": NOTIFICATION_ID, "file": str(target), "size_bytes": 14}


def test_pdf_to_stdout(requests_mock: requests_mock.Mocker) -> None:
    requests_mock.get(f"{API}/v2/notifications/{NOTIFICATION_ID}/pdf", content=b"%PDF\xff\x00")

    result = notify("pdf", NOTIFICATION_ID, "-o", "-")

    assert (result.code, result.raw_out) == (0, b"%PDF\xff\x00")


def test_pdf_to_a_folder_that_does_not_exist(
    requests_mock: requests_mock.Mocker, tmp_path: Path
) -> None:
    requests_mock.get(f"{API}/v2/notifications/{NOTIFICATION_ID}/pdf", content=b"%PDF")
    target = tmp_path / "missing" / "letter.pdf"

    result = notify("pdf", NOTIFICATION_ID, "-o", str(target))

    assert (result.code, result.out) == (2, "")
    assert result.err == f"notify: -o: cannot write {target}: No such file or directory\n"


def test_template_latest_and_one_version(requests_mock: requests_mock.Mocker) -> None:
    requests_mock.get(f"{API}/v2/template/{TEMPLATE_ID}", json={"id": TEMPLATE_ID, "version": 3})
    requests_mock.get(
        f"{API}/v2/template/{TEMPLATE_ID}/version/2", json={"id": TEMPLATE_ID, "version": 2}
    )

    assert notify("template", TEMPLATE_ID).json["version"] == 3
    assert notify("template", TEMPLATE_ID, "--version", "2").json["version"] == 2


def test_template_version_must_be_a_whole_number(requests_mock: requests_mock.Mocker) -> None:
    result = notify("template", TEMPLATE_ID, "--version", "latest")

    assert (result.code, requests_mock.call_count) == (2, 0)
    assert result.err == "notify: --version must be a whole number from 1, not 'latest'\n"


def test_templates_as_a_table(requests_mock: requests_mock.Mocker) -> None:
    templates = [{"id": TEMPLATE_ID, "type": "letter", "version": 1, "name": "Letter"}]
    requests_mock.get(f"{API}/v2/templates", json={"templates": templates})

    result = notify("templates", "--type", "letter", "--output", "table")

    assert result.code == 0
    assert requests_mock.last_request.qs == {"type": ["letter"]}
    assert result.out.splitlines()[1].split() == [TEMPLATE_ID, "letter", "1", "Letter"]


def test_preview(requests_mock: requests_mock.Mocker) -> None:
    preview = {"id": TEMPLATE_ID, "body": "Hi Amala"}
    requests_mock.post(f"{API}/v2/template/{TEMPLATE_ID}/preview", json=preview)

    result = notify("preview", TEMPLATE_ID, "--set", "name=Amala")

    assert (result.code, result.json) == (0, preview)
    assert requests_mock.last_request.json() == {"personalisation": {"name": "Amala"}}


def test_received_texts_one_page_and_all(requests_mock: requests_mock.Mocker) -> None:
    two_pages(requests_mock, f"{API}/v2/received-text-messages", "received_text_messages")

    first = notify("received-texts", "--older-than", TEMPLATE_ID)
    every = notify("received-texts", "--all")

    assert first.code == every.code == 0
    assert [n["id"] for n in first.json["received_text_messages"]] == [
        notification(1)["id"],
        notification(2)["id"],
    ]
    assert len(every.out.splitlines()) == 1
    assert requests_mock.request_history[0].qs == {"older_than": [TEMPLATE_ID]}
