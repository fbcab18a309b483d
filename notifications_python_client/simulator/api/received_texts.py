"""``GET /v2/received-text-messages``: a page of the service's received texts.

Behaviour: Received text messages.
"""

from __future__ import annotations

import urllib.parse

from werkzeug.wrappers import Response

from notifications_python_client.simulator.api.context import Context
from notifications_python_client.simulator.api.responses import json_response
from notifications_python_client.simulator.api.sending import canonical_uuid
from notifications_python_client.simulator.checks.schema import received_texts_query_errors
from notifications_python_client.simulator.domain.errors import validation_error
from notifications_python_client.simulator.domain.models import PAGE_SIZE_ITEMS
from notifications_python_client.simulator.state.serialise import received_text_object


def on_get_received_texts(ctx: Context) -> Response:
    """Received texts newest first, 250 a page; any key type may read them."""
    query = ctx.query
    errors = received_texts_query_errors(query)
    if errors:
        raise validation_error(errors)
    texts = ctx.store.received_texts(ctx.service.id)
    older_than = next((value for name, value in query if name == "older_than"), None)
    if older_than is not None:
        wanted = canonical_uuid(older_than)
        anchor = next((text for text in texts if text.id.lower() == wanted), None)
        texts = [] if anchor is None else [t for t in texts if t.created_at < anchor.created_at]
    page = texts[:PAGE_SIZE_ITEMS]

    # Unlike the notifications list, "current" never repeats the query string.
    current = f"{ctx.root_url}/v2/received-text-messages"
    links = {"current": current}
    if page:
        links["next"] = f"{current}?{urllib.parse.urlencode({'older_than': page[-1].id})}"
    return json_response(
        200, {"received_text_messages": [received_text_object(t) for t in page], "links": links}
    )
