"""The bundled integration test: every client method, end to end, against a Notify API.

Run it with ``python -m integration_test``. With ``NOTIFY_API_URL`` unset it starts the local
simulator and takes every setting from it; otherwise it reads the settings from the environment.
"""
