"""Templates added and edited while the simulator runs, for ``NotifySimulator.add_template`` /
``edit_template`` and the admin API's ``POST templates`` routes.

What is given is checked as the data file's templates are (the same readers, the same errors:
an unknown type, a subject on a text message, a ``((`` never closed). An edit makes a new
version, as in Notify, so earlier versions stay readable. Both last until ``reset``.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from notifications_python_client.simulator.data import DEFAULT_TEMPLATE_AUTHOR, read_template
from notifications_python_client.simulator.domain.models import Template

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.store import Store

__all__ = ["CREATE_FIELDS", "EDIT_FIELDS", "create_template", "edit_template"]

CREATE_FIELDS = ("type", "body", "subject", "name", "service_id", "template_id")
EDIT_FIELDS = ("body", "subject", "name")
# Where a problem is said to be, as the data file names a field's path.
PATH = "template"


def create_template(store: Store, values: Mapping[str, Any]) -> Template:
    """Add a template to a service (the first unless ``service_id`` says), its id
    ``template_id`` or a new one.

    :raises DataFileError: (a ValueError) naming the field that is wrong.
    :raises LookupError: no such service.
    :raises ValueError: a template with that id exists already.
    """
    service_id = values.get("service_id")
    if service_id is None:
        service_id = store.services()[0].id
    if not isinstance(service_id, str):
        raise LookupError(f"no service {service_id!r}")
    template_type = values.get("type")
    given = {
        "id": values.get("template_id") or str(uuid.uuid4()),
        "name": values.get("name") or f"Untitled {template_type} template",
        "type": template_type,
        "body": values.get("body"),
    }
    if values.get("subject") is not None:
        given["subject"] = values["subject"]
    read = read_template(_present(given), PATH, store.clock.now(), DEFAULT_TEMPLATE_AUTHOR)
    template = _now_dated(store, read)
    store.add_template(service_id, template)
    return template


def edit_template(store: Store, template_id: str, values: Mapping[str, Any]) -> Template:
    """Make a new version of a template from the fields given; the others stay as they are.

    :raises DataFileError: (a ValueError) naming the field that is wrong.
    :raises LookupError: no such template.
    """

    def with_new_version(template: Template) -> Template:
        latest = template.latest
        name = values.get("name") or template.name
        given: dict[str, Any] = {
            "id": template.id,
            "name": name,
            "type": template.type,
            "body": values.get("body", latest.body),
            "subject": values.get("subject", latest.subject),
            "letter_contact_block": latest.letter_contact_block,
        }
        now = store.clock.now()
        checked = read_template(_present(given), PATH, now, DEFAULT_TEMPLATE_AUTHOR).latest
        version = dataclasses.replace(checked, version=latest.version + 1, created_at=now)
        # The version before keeps the name it had, as Notify shows old versions.
        before = dataclasses.replace(latest, name=latest.name or template.name)
        versions = [*template.versions[:-1], before, version]
        return dataclasses.replace(template, name=name, versions=versions)

    return store.change_template(template_id, with_new_version)


def _present(values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields with a value: a missing one is then reported as the data file reports it."""
    return {name: value for name, value in values.items() if value is not None}


def _now_dated(store: Store, template: Template) -> Template:
    """The template with its one version made now (the reader dates seeded ones earlier)."""
    version = dataclasses.replace(template.latest, created_at=store.clock.now())
    return dataclasses.replace(template, versions=[version])
