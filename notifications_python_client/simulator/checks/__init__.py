"""Notify's checks of what a request carries, each testable without HTTP.

Files sent by email, UUIDs, and the request schemas with Notify's exact messages. Recipients'
rules live in ``notifications_python_client.recipients``. May import ``domain`` and that.
"""
