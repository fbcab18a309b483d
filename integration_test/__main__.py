"""``python -m integration_test``: every client method against Notify or the local simulator."""

from __future__ import annotations

import logging
import os
import sys
import uuid
from collections.abc import Mapping
from typing import TextIO

from integration_test.clients import Clients
from integration_test.config import Config, ConfigurationError, environment_wants_a_real_api
from integration_test.runner import RequestRecorder, Runner, Step
from integration_test.steps_errors import error_steps
from integration_test.steps_read import reading_steps
from integration_test.steps_send import RunState, sending_steps


def all_steps(state: RunState) -> list[Step]:
    """Sends first, then reads of what was sent, then the expected failures."""
    return [*sending_steps(state), *reading_steps(state), *error_steps(state)]


def run(settings: Mapping[str, str], out: TextIO) -> int:
    """Run every step with these settings; 0 when all pass, 1 on the first failure."""
    try:
        config = Config.from_mapping(settings)
    except ConfigurationError as error:
        out.write(f"integration test not configured: {error}\n")
        return 2
    # The client logs each refused request; the expected refusals would only clutter the report.
    logging.getLogger("notifications_python_client").setLevel(logging.ERROR)
    recorder = RequestRecorder()
    state = RunState(
        config=config,
        clients=Clients.build(config, recorder),
        run_reference=f"integration-{uuid.uuid4().hex[:12]}",
    )
    out.write(f"Integration test against {config.notify_api_url}\n")
    return 0 if Runner(recorder=recorder, out=out).run(all_steps(state)) else 1


def main() -> int:
    """Use the environment's settings when NOTIFY_API_URL is set, else a local simulator."""
    if environment_wants_a_real_api():
        return run(os.environ, sys.stdout)
    from notifications_python_client.simulator import NotifySimulator

    with NotifySimulator() as simulator:
        sys.stdout.write("NOTIFY_API_URL is not set: using the local Notify simulator\n")
        return run(simulator.env(), sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
