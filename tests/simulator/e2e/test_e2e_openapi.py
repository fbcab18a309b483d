"""The admin API's OpenAPI document: valid OpenAPI 3.1, and exactly the routes that exist."""

from __future__ import annotations

import re

import requests
from openapi_spec_validator import validate

from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.simulator.web.app import URL_MAP

ADMIN_PREFIX = "/_simulator/api/"
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


def routes_that_exist() -> set[tuple[str, str]]:
    found = set()
    for rule in URL_MAP.iter_rules():
        if rule.rule.startswith(ADMIN_PREFIX):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            found |= {(path, method.lower()) for method in rule.methods or ()
                      if method.lower() in HTTP_METHODS}  # fmt: skip
    return found


def test_the_document_is_served_and_valid_openapi(sim: NotifySimulator) -> None:
    answer = requests.get(f"{sim.url}/_simulator/api/openapi.json", timeout=5)

    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/json"
    document = answer.json()
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_the_document_describes_exactly_the_routes_that_exist(sim: NotifySimulator) -> None:
    document = requests.get(f"{sim.url}/_simulator/api/openapi.json", timeout=5).json()
    described = {(path, method) for path, item in document["paths"].items()
                 for method in item if method in HTTP_METHODS}  # fmt: skip

    assert described == routes_that_exist()


def test_the_inbox_links_to_it(sim: NotifySimulator) -> None:
    inbox = requests.get(sim.inbox_url, timeout=5).text

    assert 'href="/_simulator/api/openapi.json"' in inbox
